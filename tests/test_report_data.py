"""The whole report chapter, loaded as researchers and the public will see it."""

import csv
import io
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from cases import dates
from cases.choices import CustodyState, SentenceServed, VariantKind
from cases.models import Case, Charge, Event, Organization, Person
from cases.statistics import custody_by_month

from .test_statistics import by_month


def custody_on(person: Person, on: date) -> str:
    return Person.objects.with_custody(on).get(pk=person.pk).custody


# Every test here reads the report, loaded once for the module (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("report")]


IN_CUSTODY_ON_30_JUNE_2018 = {
    "aset-mataev",
    "iskander-yerimbetov",
    "maks-bokaev",
    "natalya-ulasik",
    "vadim-kuramshin",
}


def test_the_people_the_report_shows_in_custody_on_30_june_2018(report):
    in_custody = set(Person.objects.published().in_custody_on(date(2018, 6, 30)).values_list("slug", flat=True))
    assert in_custody == IN_CUSTODY_ON_30_JUNE_2018


def test_the_api_lists_exactly_those_people_for_30_june_2018(client, report):
    response = client.get(reverse("api:person-list"), {"as_of": "2018-06-30", "in_custody": "true"})
    assert {p["slug"] for p in response.json()["results"]} == IN_CUSTODY_ON_30_JUNE_2018


def test_every_event_of_the_report_is_published_and_cited(report):
    events = Event.objects.all()
    assert events.count() > 60
    assert not events.filter(is_published=False).exists()
    assert not events.filter(citations=None).exists()


def test_key_facts_come_through_with_their_true_precision(report):
    kuramshin = Event.objects.get(case__people__slug="vadim-kuramshin", type="released")
    assert kuramshin.date.display == "17 August 2018"
    assert Person.objects.with_custody(date(2018, 4, 30)).get(slug="talgat-ayan").custody == "conditional_release"
    assert Person.objects.with_custody(date(2018, 7, 31)).get(slug="elena-semenova").custody == "house_arrest"
    assert Case.objects.filter(people__slug="baurzhan-azanov").with_stage().get().stage == "closed"


def test_every_report_page_and_api_record_answers(client, report):
    for person in Person.objects.all():
        assert client.get(person.get_absolute_url()).status_code == 200
        assert client.get(reverse("api:person-detail", args=[person.slug])).status_code == 200
    for case in Case.objects.all():
        assert client.get(case.get_absolute_url()).status_code == 200


# Statistics on the report


def test_the_report_has_five_people_in_custody_at_the_end_of_june_2018(report):
    months = by_month()
    assert months["2018-06"] == 5
    assert next(iter(months)) == "2016-05"  # Bokaev, imprisoned in May 2016
    assert list(months)[-1] == "2019-01"  # the latest event the report dates ("at time of writing")


def test_every_month_agrees_with_the_status_on_that_day(report):
    """The one-query sweep gives, month by month, what the per-date custody query gives."""
    for month in custody_by_month(Person.objects.published()):
        assert month.headcount == Person.objects.published().in_custody_on(month.month_end).headcount(), month


def test_the_chart_follows_the_people_list_filters(client, report):
    response = client.get(reverse("cases:statistics"), {"theme": "civil-society"})
    assert response.status_code == 200
    months = {f"{m.month_end:%Y-%m}": m.count for m in response.context["months"]}
    assert months["2018-06"] == 3  # Bokaev, Kuramshin and Ulasik; Ayan was paroled in April
    assert {r.name for r in response.context["by_theme"]} == {"Civil Society"}
    everyone = client.get(reverse("cases:statistics")).context["months"]
    assert {f"{m.month_end:%Y-%m}": m.count for m in everyone}["2018-06"] == 5


def test_the_page_draws_an_svg_chart_with_a_table_equivalent(client, report):
    html = client.get(reverse("cases:statistics")).content.decode()
    for width in ("wide", "narrow"):
        assert re.search(rf'<svg [^>]*role="img" aria-labelledby="chart-title-{width} chart-desc-{width}"', html)
    # One of the five has had no report since an earlier month: carried forward, said apart.
    assert "<title>June 2018: 5 (1 carried forward, unconfirmed)</title>" in html
    assert '<th scope="row"><time datetime="2018-06">June 2018</time></th><td>5</td><td>1</td>' in html
    assert "inciting discord" in html and "Civil Society" in html
    assert "<script" not in html and not re.search(r"\sstyle=", html)


# The chapter read again


def test_kuramshin_released_once_eligible_for_parole_is_conditionally_released_not_at_liberty(report):
    kuramshin = Person.objects.get(slug="vadim-kuramshin")
    assert custody_on(kuramshin, date(2018, 8, 16)) == CustodyState.IMPRISONED
    assert custody_on(kuramshin, date(2018, 8, 17)) == CustodyState.CONDITIONAL_RELEASE


def test_ablyazov_whom_the_report_only_mentions_is_not_among_the_people_followed(client, report):
    assert not Person.objects.search("Ablyazov").exists()
    assert not Person.objects.search("Аблязов").exists()
    yerimbetov = client.get(reverse("cases:person-detail", args=["iskander-yerimbetov"]))
    assert "tied to Mukhtar Ablyazov" in yerimbetov.content.decode()


def test_the_ombudsmans_statement_on_azanovs_case_is_not_dated_before_the_july_charge_it_concerns(report):
    events = Event.objects.published().filter(case__slug="prosecution-of-baurzhan-azanov").in_date_order()
    assert [event.type for event in events] == ["charged", "statement", "case_closed"]
    charge, statement, _dropped = events
    assert statement.date_start >= charge.date_start


def test_tungishbaevs_arrest_comes_before_his_extradition_and_puts_him_in_custody_no_earlier(report):
    tungishbaev = Person.objects.get(slug="murat-tungishbaev")
    events = Event.objects.published().concerning(tungishbaev)
    arrest, extradition = events.get(type="detained"), events.get(type="extradited")
    assert arrest.date.display == "between January 2018 and August 2018"
    assert arrest.date_end <= extradition.date_end
    assert custody_on(tungishbaev, date(2018, 8, 30)) == CustodyState.UNKNOWN
    assert custody_on(tungishbaev, date(2018, 8, 31)) == CustodyState.DETAINED


def test_the_79_religion_cases_record_the_short_term_bans_on_worship_as_well_as_the_fines(report):
    events = Event.objects.published().filter(case__slug="administrative-religion-cases-first-half-2018")
    assert sorted(events.values_list("type", flat=True)) == ["banned", "fined"]


def test_ulasik_is_in_forced_psychiatric_detention_from_the_october_2016_finding_and_after_her_transfer(report):
    ulasik = Person.objects.get(slug="natalya-ulasik")
    assert custody_on(ulasik, date(2016, 9, 30)) == CustodyState.UNKNOWN
    assert custody_on(ulasik, date(2016, 10, 31)) == CustodyState.PSYCHIATRIC_DETENTION
    # Before the September 2018 ruling, and after it: weekend visits home leave her in the institution.
    assert custody_on(ulasik, date(2018, 6, 30)) == CustodyState.PSYCHIATRIC_DETENTION
    assert custody_on(ulasik, date(2018, 12, 31)) == CustodyState.PSYCHIATRIC_DETENTION


def test_azanov_is_found_by_the_kazakh_spelling_of_his_name_in_either_script(client, report):
    for query in ("Бауыржан Азанов", "Bauyrzhan"):
        response = client.get(reverse("api:person-list"), {"search": query})
        assert [p["slug"] for p in response.json()["results"]] == ["baurzhan-azanov"], query
    page = client.get(reverse("cases:person-detail", args=["baurzhan-azanov"])).content.decode()
    assert "Бауыржан Азанов" in page and "Бауржан Азанов" in page


PUBLIC_LISTS = ["cases:home", "cases:person-list", "cases:case-list", "cases:event-list", "cases:statistics"]


def test_in_2026_no_public_surface_says_now_or_currently_about_a_status_reported_in_2018_2019(
    client, report, set_today
):
    set_today(date(2026, 11, 25))
    now_words = re.compile(r"\b(now|currently)\b", re.IGNORECASE)
    pages = [reverse(name) for name in PUBLIC_LISTS] + [reverse("cases:person-list") + "?in_custody=true"]
    pages += [person.get_absolute_url() for person in Person.objects.published()]
    for url in pages:
        html = client.get(url).content.decode()
        assert not now_words.search(html), url
    for url in [reverse("cases:person-export", args=["csv"]), reverse("cases:feed-updates")]:
        assert not now_words.search(b"".join(client.get(url)).decode()), url
    people = client.get(reverse("api:person-list"), {"page_size": 200}).json()["results"]
    assert not any(person["custody_confirmed"] for person in people)


def test_in_2026_bokaev_is_imprisoned_at_last_report_with_its_date_and_age(client, report, set_today):
    set_today(date(2026, 11, 25))
    html = client.get(reverse("cases:person-detail", args=["maks-bokaev"])).content.decode()
    # His sentence would have ended since: the status says so before what the last report said.
    assert "Expected to have been released by May 2021; unconfirmed — in custody at last report: Imprisoned" in html
    assert re.search(r"\(\d years ago\); unconfirmed since", html)


def test_in_2026_the_home_page_says_every_custody_report_is_more_than_a_year_old(client, report, set_today):
    set_today(date(2026, 11, 25))
    response = client.get(reverse("cases:home"))
    in_custody = response.context["in_custody_headcount"]
    assert in_custody.individuals > 0 and response.context["unconfirmed_headcount"] == in_custody
    assert f"For {in_custody.number} of them the last report is more than 12 months old" in response.content.decode()


def test_mataev_known_from_a_parole_denial_reads_on_record_since_march_2018_not_since(client, report):
    mataev = Person.objects.get(slug="aset-mataev")
    page = client.get(mataev.get_absolute_url()).content.decode()
    assert "Imprisoned — on record since March 2018 (began by March 2016 at the latest" in page
    api = client.get(reverse("api:person-detail", args=[mataev.slug])).json()
    assert (api["custody_began"], api["custody_on_record_since"]) == (None, "2018-03")
    # Not counted from the first report: the range the part served allows (tests/test_custody_began_by.py).
    assert (api["sentence_months"], api["expected_end"]) == (72, "2018-03/2022-03")


def test_kuramshin_on_30_june_2018_is_on_record_since_june_2018_not_imprisoned_since_then(client, report):
    response = client.get(reverse("cases:person-list"), {"as_of": "2018-06-30", "search": "Kuramshin"})
    assert "on record since June 2018 (began earlier)" in response.content.decode()
    api = client.get(reverse("api:person-list"), {"as_of": "2018-06-30", "search": "Kuramshin"}).json()["results"]
    assert [(p["custody_began"], p["custody_on_record_since"]) for p in api] == [(None, "2018-06")]


def test_bokaevs_page_shows_his_sentence_and_its_computed_end_and_in_2026_no_bare_imprisoned(
    client, report, monkeypatch
):
    monkeypatch.setattr(dates, "today", lambda: date(2026, 11, 25))
    page = client.get(reverse("cases:person-detail", args=["maks-bokaev"])).content.decode()
    assert "5 years" in page
    assert "sentence would end around May 2021" in page
    assert "Expected to have been released by May 2021; unconfirmed" in page
    assert "In custody: Imprisoned" not in page


def test_counts_on_the_report_count_individuals_with_groups_apart_and_12_plus(client, report):
    html = client.get(reverse("cases:home")).content.decode()
    # 19 named people, groups of 57, 3 and "at least 12"; five groups the report gives no size for.
    assert "Following at least 91 people and 5 groups of unknown size" in html
    # "Three people convicted" are three of the people in custody, not one.
    assert "9 people in custody at last report" in html
    people_list = client.get(reverse("cases:person-list"), {"group": "true"}).content.decode()
    assert "group of 12+" in people_list
    assert "At least 72 people and 5 groups of unknown size" in people_list
    dvk = Person.objects.get(slug="at-least-12-people-prosecuted-for-supporting-dvk")
    assert str(dvk.headcount) == "at least 12 people"
    assert "This record is a group of at least 12 people, not one person." in client.get(dvk.get_absolute_url()).text


def test_the_api_counts_the_reports_individuals_beside_its_records(client, report):
    data = client.get(reverse("api:person-list"), {"in_custody": "true"}).json()
    assert (data["count"], data["individuals"], data["groups_of_unknown_size"]) == (7, 9, 0)


def test_every_person_and_case_of_the_report_is_in_kazakhstan(report):
    assert set(Person.objects.values_list("country", flat=True)) == {"KZ"}
    assert set(Case.objects.values_list("country", flat=True)) == {"KZ"}


def test_the_report_narrowed_to_kazakhstan_is_the_whole_report_and_the_home_page_names_it(client, report):
    everyone = client.get(reverse("api:person-list")).json()["count"]
    assert client.get(reverse("api:person-list"), {"country": "kz"}).json()["count"] == everyone
    assert client.get(reverse("api:case-list"), {"country": "KG"}).json()["count"] == 0
    html = client.get(reverse("cases:home")).content.decode()
    assert "<title>Political prisoners and persecuted people in Kazakhstan — casetracker</title>" in html
    html = client.get(reverse("cases:person-detail", args=["maks-bokaev"])).content.decode()
    assert "<title>Maks Bokaev (Kazakhstan) — casetracker</title>" in html


class LanguageOfParts(HTMLParser):
    """What axe's language rules read in <main>: every `lang` value, and each run of text with the
    language it is in. A run in Latin script alone outside an English part of a Russian page is a
    violation; a Russian sentence naming Ratel.kz is Russian."""

    # Interface words that are the same in Russian: the site's name, formats and protocols.
    SAME_IN_RUSSIAN = {"casetracker", "CSV", "JSON", "Atom", "API", "EDTF", "ISO", "SVG"}

    def __init__(self, page_language: str):
        super().__init__()
        self.langs, self.stack, self.in_main, self.violations, self.values = [page_language], [], False, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.in_main = True
        if "lang" in attrs:
            self.values.append(attrs["lang"])
        if tag not in {"br", "img", "input", "meta", "link", "hr", "wbr", "source"}:
            self.stack.append(tag)
            self.langs.append(attrs.get("lang", self.langs[-1]))

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
            self.langs.pop()

    def handle_data(self, data):
        if not self.in_main or data.strip().startswith("http"):
            return
        words = [w for w in re.findall(r"[A-Za-z][A-Za-z.]+", data) if w not in self.SAME_IN_RUSSIAN]
        if words and not re.search("[\u0400-\u04ff]", data) and self.langs[-1] != "en":
            self.violations.append(data.strip())


def language_of_parts(client, url: str) -> LanguageOfParts:
    parser = LanguageOfParts("ru")
    # The citation line names the page as cited ("casetracker, title, address"): no language of its own.
    html = re.sub(r'<dd class="citation">.*?</dd>', "", client.get(url).content.decode(), flags=re.S)
    parser.feed(html)
    return parser


def test_the_russian_person_page_heading_is_in_cyrillic_with_the_latin_beside_it(client, report):
    with translation.override("ru"):
        url = reverse("cases:person-detail", args=["maks-bokaev"])
    html = client.get(url).content.decode()
    assert '<h1>Макс Бокаев <span class="latin" lang="en">(Maks Bokaev)</span></h1>' in html


def test_every_person_and_organisation_with_a_cyrillic_spelling_has_a_russian_one(report):
    for record in [*Person.objects.prefetch_related("name_variants"), *Organization.objects.all()]:
        cyrillic = [v for v in record.name_variants.all() if v.kind == VariantKind.CYRILLIC]
        assert not cyrillic or record.russian_name, record
        assert all(v.language for v in cyrillic), record


def test_every_case_person_and_organisation_of_the_report_reads_in_russian(report):
    assert not Case.objects.filter(Q(title_ru="") | Q(summary_ru="")).exists()
    assert not Person.objects.filter(summary_ru="").exists()
    assert not Organization.objects.filter(summary_ru="").exists()


def test_axe_finds_no_language_violation_on_the_russian_pages(client, report):
    with translation.override("ru"):
        urls = [
            reverse("cases:home"),
            reverse("cases:person-list"),
            reverse("cases:case-list"),
            reverse("cases:organization-list"),
            reverse("cases:event-list"),
            reverse("cases:person-detail", args=["maks-bokaev"]),
            reverse("cases:person-detail", args=["at-least-12-people-prosecuted-for-supporting-dvk"]),
            reverse("cases:case-detail", args=["prosecution-of-baurzhan-azanov"]),
            reverse("cases:organization-detail", args=["ratel-kz"]),
            reverse("cases:charge-detail", args=[Charge.objects.public().first().slug]),
            reverse("cases:theme-detail", args=["civil-society"]),
        ]
    for url in urls:
        page = language_of_parts(client, url)
        assert set(page.values) <= {"ru", "en", "kk"}, url
        assert page.violations == [], (url, page.violations)


def test_mataevs_page_says_when_his_custody_began_at_the_latest_and_why(client):
    page = client.get(reverse("cases:person-detail", args=["aset-mataev"])).content.decode()
    assert (
        "Imprisoned — on record since March 2018 (began by March 2016 at the latest: "
        "one third of 6 years served by March 2018)"
    ) in page
    assert "sentence would end some time between March 2018 and March 2022" in page


def test_mataevs_page_in_russian(client):
    page = client.get("/ru" + reverse("cases:person-detail", args=["aset-mataev"])).content.decode()
    assert "началось не позднее марта 2016" in page
    assert "треть срока в 6 лет" in page


def test_in_2026_mataev_is_expected_to_have_been_released_by_march_2022(client, set_today):
    set_today(date(2026, 11, 25))
    page = client.get(reverse("cases:person-detail", args=["aset-mataev"])).content.decode()
    assert "Expected to have been released by March 2022; unconfirmed" in page


def test_the_api_and_the_export_give_mataevs_latest_beginning(client):
    api = client.get(reverse("api:person-detail", args=["aset-mataev"])).json()
    assert (api["custody_began"], api["custody_began_by"], api["custody_on_record_since"]) == (
        None,
        "2016-03",
        "2018-03",
    )
    assert api["expected_end"] == "2018-03/2022-03"
    response = client.get(reverse("cases:person-export", args=["csv"]))
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))}
    assert rows["aset-mataev"]["custody_began_by"] == "2016-03"
    assert rows["maks-bokaev"]["custody_began_by"] == ""


def test_mataevs_part_served_is_recorded_beside_the_verbatim_quote():
    event = Event.objects.get(case__slug="imprisonment-of-aset-mataev")
    assert event.sentence_served == SentenceServed.ONE_THIRD
    assert "after serving one-third of his six-year prison sentence" in event.citations.get().quote
