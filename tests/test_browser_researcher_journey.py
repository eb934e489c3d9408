"""A researcher records a status update; an Editor finds it awaiting review on the admin home page,
previews it and publishes it; in Debian's Chromium.

Both sign in through the login form with their password and the code their authenticator app
would show (computed from their TOTP device's key); the public then reads the update on the
person's page and in their feed.
"""

from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.choices import CustodyState, EventType
from cases.models import Event

from .factories import make_case, make_event, make_person, make_source
from .personas import PASSWORD, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESCRIPTION = "Released on parole by the Atyrau court."
QUOTE = "The court released him on parole on 10 January 2019."


def staff_with_app(username: str, role: str) -> tuple:
    user = make_staff(username, role)
    return user, TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def code_from_the_app(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(totp.token()).zfill(device.digits)


def sign_in(page, user, device):
    page.goto(reverse("admin:login"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Code").fill(code_from_the_app(device))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{reverse('admin:index')}")


def test_a_researchers_status_update_is_reviewed_previewed_and_published_by_an_editor_and_the_public_reads_it(
    browser, live_server, roles
):
    person = make_person("Aset Matayev")
    case = make_case("Prosecution of Aset Matayev", people=[person])
    make_event(case, "2018-03", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    source = make_source("Court press release")
    researcher, researchers_app = staff_with_app("alice", "Researcher")
    editor, editors_app = staff_with_app("erin", "Editor")

    alice = browser.new_context(base_url=live_server.url).new_page()
    sign_in(alice, researcher, researchers_app)
    alice.goto(reverse("admin:cases_case_change", args=[case.pk]))
    alice.get_by_role("link", name="Add status update").click()
    alice.locator("#id_type").select_option(EventType.RELEASED)
    alice.locator("#id_description").fill(DESCRIPTION)
    alice.locator("#id_date_start").fill("2019-01-10")
    alice.locator("#id_date_precision").select_option("day")
    alice.locator("#id_custody").select_option(CustodyState.CONDITIONAL_RELEASE)
    alice.locator("#id_source").select_option(label=source.title)
    alice.locator("#id_quote").fill(QUOTE)
    alice.get_by_role("button", name="Record the update").click()
    alice.locator(".messagelist").wait_for()
    event = Event.objects.get(description=DESCRIPTION)
    assert not event.is_published and event.citations.get().quote == QUOTE
    assert DESCRIPTION not in alice.request.get(person.get_absolute_url()).text()
    alice.context.close()

    erin = browser.new_context(base_url=live_server.url).new_page()
    sign_in(erin, editor, editors_app)
    # The admin home page lists it as awaiting review; the preview shows the public page with it marked.
    awaiting = erin.locator("#awaiting-review-event tr", has_text=str(event))
    awaiting.get_by_role("link", name=f"Preview “{event}”").click()
    preview = erin.locator("main")
    assert "Preview for staff" in preview.inner_text()
    assert "Not published" in erin.locator("li.event", has_text=DESCRIPTION).inner_text()
    erin.go_back()
    awaiting.get_by_role("link", name=str(event), exact=True).click()
    erin.get_by_label("Published").check()
    erin.get_by_role("button", name="Save", exact=True).click()
    erin.locator(".messagelist").wait_for()
    erin.context.close()
    assert Event.objects.get(pk=event.pk).is_published

    public = browser.new_context(base_url=live_server.url).new_page()
    public.goto(person.get_absolute_url())
    timeline = public.locator("li.event", has_text=DESCRIPTION)
    assert QUOTE in timeline.locator("blockquote").inner_text()
    assert "Conditionally released — since 10 January 2019" in public.locator("main").inner_text()
    feed = public.request.get(reverse("cases:feed-person", args=[person.slug]))
    titles = [entry.findtext("{http://www.w3.org/2005/Atom}title") for entry in ElementTree.fromstring(feed.body())]
    assert any(title and "10 January 2019" in title for title in titles), titles
    public.context.close()
