"""How long the researchers' workspace takes on the report's data: prints figures, asserts nothing.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 DEBUG=true .venv/bin/python benchmarks/workspace.py

Migrates and loads the report into that database, then times, with the Django test client
(no network, one process), a status update from opening the form to seeing it public, and the
stale-cases dashboard. The researcher's own minute is reading the source and typing.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casetracker.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

ROUNDS = 5


def timed(label, action):
    figures, queries = [], []
    for _ in range(ROUNDS):
        reset_queries()
        start = time.perf_counter()
        response = action()
        figures.append((time.perf_counter() - start) * 1000)
        queries.append(len(connection.queries))
        assert response.status_code in (200, 302), (label, response.status_code)
    print(f"{label:<48} median {statistics.median(figures):7.1f} ms   {max(queries):4d} queries")


def main():
    setup_test_environment()
    settings.DEBUG = True  # count queries
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    call_command("load_report", verbosity=0)
    from django.contrib.auth.models import Group, User
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cases.models import Case, Event, Source

    editor, _ = User.objects.get_or_create(username="bench-editor", defaults={"is_staff": True})
    editor.groups.add(Group.objects.get(name="Editor"))
    device = TOTPDevice.objects.filter(user=editor).first() or TOTPDevice.objects.create(user=editor, confirmed=True)
    client = Client()
    client.force_login(editor)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    case = Case.objects.get(slug="prosecution-of-iskander-yerimbetov")
    source = Source.objects.first()
    form_url = reverse("admin:cases_case_status_update", args=[case.pk])
    days = iter(range(1, 10_000))

    def post_update():
        return client.post(
            form_url,
            {
                "case": case.pk, "date_start": f"2019-01-{next(days) % 28 + 1:02d}", "date_precision": "day",
                "type": "status_reported", "description": "Still imprisoned, his family says.",
                "source": source.pk, "quote": "He remains in prison.", "confirm_warnings": "on",
            },
        )  # fmt: skip

    print(f"{Event.objects.count()} events, {Case.objects.count()} cases; {ROUNDS} rounds each")
    timed("open the status-update form", lambda: client.get(form_url))
    timed("record a status update (event, citation, spans)", post_update)
    drafts = list(Event.objects.filter(is_published=False).values_list("pk", flat=True))
    timed(
        "publish the drafts (batch action)",
        lambda: client.post(
            reverse("admin:cases_event_changelist"), {"action": "publish_selected", "_selected_action": drafts}
        ),
    )
    timed("the case's public page", lambda: Client().get(case.get_absolute_url()))
    timed(
        "the case's admin page (timeline, status)",
        lambda: client.get(reverse("admin:cases_case_change", args=[case.pk])),
    )
    timed("stale-cases dashboard", lambda: client.get(reverse("admin:cases_case_stale")))
    timed("people list in the admin", lambda: client.get(reverse("admin:cases_person_changelist")))


if __name__ == "__main__":
    main()
