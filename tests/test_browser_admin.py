"""axe-core in a real browser (Debian's Chromium) on the admin pages the project customised: the home
page with the daily round, the person, case and event forms, the status update, the stale-cases
dashboard and the preview: no serious or critical violation. Staff sign in through the form with a
code computed from their device's key, as with an authenticator app.

Runs with `make test-browser` (the `browser` marker).
"""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.choices import CustodyState, EventType

from .factories import make_case, make_charge, make_event, make_person, make_source
from .personas import PASSWORD, make_staff
from .test_preview import written_by
from .test_two_factor import current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    device = TOTPDevice.objects.get(user=user)
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", current_code(device))
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))


def staff(username, role):
    user = make_staff(username, role)
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


def serious_violations(page, axe) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {node['html'][:160]}"
        for v in axe.run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
        for node in v["nodes"][:3]
    ]


def test_axe_finds_no_serious_violation_on_the_customised_admin_pages(live_server, browser, roles):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    editor, researcher = staff("erin", "Editor"), staff("alice", "Researcher")
    person = make_person("Maks Bokaev", summary="A civic activist from Atyrau.", birth_year=1972)
    case = make_case("Prosecution of Maks Bokaev", people=[person], charges=[make_charge("Inciting discord")])
    source = make_source("Human Rights Watch, World Report 2019")
    make_event(case, "2016-05-17", type=EventType.DETAINED, custody=CustodyState.DETAINED, source=source)
    draft = written_by(
        make_event(case, "2018-08-17", is_published=False, description="Transferred.", source=source), researcher
    )
    written_by(make_person("Draft Person", is_published=False), researcher)
    pages = {
        editor: [
            reverse("admin:index"),
            reverse("admin:cases_person_change", args=[person.pk]),
            reverse("admin:cases_case_change", args=[case.pk]),
            reverse("admin:cases_event_change", args=[draft.pk]),
            reverse("admin:cases_case_status_update", args=[case.pk]),
            reverse("admin:cases_person_status_update", args=[person.pk]),
            reverse("admin:cases_case_stale"),
            reverse("admin:cases_event_preview", args=[draft.pk]),
            reverse("admin:cases_event_preview", args=[draft.pk]) + "?language=ru",
        ],
        researcher: [
            reverse("admin:index"),
            reverse("admin:cases_person_change", args=[person.pk]),
            reverse("admin:cases_event_change", args=[draft.pk]),
        ],
    }
    axe = Axe()
    found = {}
    for user, addresses in pages.items():
        context = browser.new_context()
        page = context.new_page()
        sign_in(page, live_server, user)
        for address in addresses:
            response = page.goto(live_server.url + address)
            assert response is not None and response.status == 200, address
            if problems := serious_violations(page, axe):
                found[f"{user.username} {address}"] = problems
        context.close()
    assert not found, "\n".join(f"{where}: {problem}" for where, problems in found.items() for problem in problems)
