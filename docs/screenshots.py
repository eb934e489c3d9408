"""Screenshots of the public site on the report's data, at a phone's width and a desktop's.

    make screenshots        # or: .venv/bin/python docs/screenshots.py [--out docs/screenshots]

Migrates and loads the report into a throwaway SQLite database, serves it on a free local port,
and has Debian's Chromium (/usr/bin/chromium, through Playwright) photograph the home page, a
person, the people list and the statistics at 375px and 1280px wide (the top 2,400px of each).
Nothing is downloaded; the database, its files and the server are gone when it ends.
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PAGES = {
    "home": "/",
    "person": "/people/maks-bokaev/",
    "people": "/people/",
    "statistics": "/statistics/",
}
WIDTHS = {"phone": (375, 812), "desktop": (1280, 900)}
TALLEST = 2400


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env, *arguments):
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *arguments], env=env, cwd=ROOT, check=True)


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def photograph(base_url: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    taken = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        for device, (width, height) in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            for name, address in PAGES.items():
                page.goto(base_url + address, wait_until="load")
                full_height = page.evaluate("document.documentElement.scrollHeight")
                path = out / f"{name}-{width}.png"
                clip = {"x": 0, "y": 0, "width": width, "height": min(full_height, TALLEST)}
                page.screenshot(path=str(path), full_page=True, clip=clip)
                taken.append(path)
                print(f"{device:8} {address:24} {path.relative_to(ROOT)}")
            page.close()
        browser.close()
    return taken


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    options = parser.parse_args()
    if not os.path.exists(CHROMIUM):
        sys.exit(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    options.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="casetracker-screenshots-") as scratch:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{scratch}/db.sqlite3",
            "PRIVATE_MEDIA_ROOT": f"{scratch}/private-media",
            "DEBUG": "true",
        }
        manage(env, "migrate", "--no-input", "--verbosity", "0")
        manage(env, "load_report")
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_for(base_url + "/")
            photograph(base_url, options.out)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
