"""The site's icon: /favicon.ico at the root, an SVG icon and an apple-touch icon linked from every page."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_favicon_ico_is_served_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO header


def test_every_page_links_the_svg_icon_and_the_apple_touch_icon(client):
    html = client.get(reverse("cases:home")).content.decode()
    assert '<link rel="icon" href="/favicon.ico" sizes="32x32">' in html
    assert f'<link rel="icon" href="{static("cases/icon.svg")}" type="image/svg+xml">' in html
    assert 'rel="apple-touch-icon"' in html


def test_the_linked_icons_exist_and_the_touch_icon_is_a_180_pixel_png():
    svg = finders.find("cases/icon.svg")
    png = finders.find("cases/apple-touch-icon.png")
    assert svg and Path(svg).read_text(encoding="utf-8").startswith("<svg")
    with open(png, "rb") as handle:
        header = handle.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(header[16:20], "big") == int.from_bytes(header[20:24], "big") == 180
