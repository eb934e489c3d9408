"""English and Russian: /ru/ addresses, a language switch, translated interface and dates,
record content as entered, and a complete, compiled Russian catalogue."""

import gettext
import io
import shutil
import subprocess
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from cases.choices import CustodyState, DatePrecision, EventType
from cases.dates import FuzzyDate

from .factories import make_case, make_charge, make_event, make_person, make_source, make_theme

pytestmark = pytest.mark.django_db

CATALOGUE = settings.BASE_DIR / "locale" / "ru" / "LC_MESSAGES"


@pytest.fixture
def bokaev():
    person = make_person("Maks Bokaev", slug="maks-bokaev", summary="Rights activist from Atyrau.")
    case = make_case(
        "Prosecution of Maks Bokaev",
        slug="prosecution-of-maks-bokaev",
        people=[person],
        charges=[make_charge("inciting discord")],
        themes=[make_theme("Civil Society")],
    )
    make_event(
        case,
        "2016-05",
        person=person,
        type=EventType.CONVICTED,
        custody=CustodyState.IMPRISONED,
        sentence_months=60,
        description="Bokaev was sentenced.",
        source=make_source("World Report 2019", slug="world-report-2019"),
        quote="Maks Bokaev continued to serve a wrongful five-year sentence.",
    )
    return person


def russian(path: str) -> str:
    return f"/ru{path}"


def test_english_lives_at_the_plain_address_and_russian_under_ru(client, bokaev):
    english = client.get(reverse("cases:person-detail", args=["maks-bokaev"]))
    assert english.status_code == 200 and '<html lang="en">' in english.content.decode()
    russian_page = client.get(russian(reverse("cases:person-detail", args=["maks-bokaev"])))
    assert russian_page.status_code == 200 and '<html lang="ru">' in russian_page.content.decode()
    with translation.override("ru"):
        assert reverse("cases:person-detail", args=["maks-bokaev"]) == "/ru/people/maks-bokaev/"


def test_the_russian_page_translates_the_interface_and_keeps_the_record_as_entered(client, bokaev):
    html = client.get("/ru/people/maks-bokaev/").content.decode()
    for translated in ("Хронология", "Положение", "В заключении — с мая 2016", "Приговор", "(5 лет)", "Дела"):
        assert translated in html, translated
    for as_entered in ("Maks Bokaev", "Rights activist from Atyrau.", "Bokaev was sentenced."):
        assert as_entered in html
    assert "“Maks Bokaev continued to serve a wrongful five-year sentence.”" in html
    assert "Timeline" not in html and "Custody" not in html


def test_links_on_a_russian_page_stay_in_russian(client, bokaev):
    html = client.get("/ru/people/maks-bokaev/").content.decode()
    assert 'href="/ru/cases/prosecution-of-maks-bokaev/"' in html
    assert 'href="/ru/sources/world-report-2019/"' in html
    assert 'href="/ru/feeds/people/maks-bokaev/"' in html


@pytest.mark.parametrize(
    "path",
    ["/", "/people/maks-bokaev/", "/cases/prosecution-of-maks-bokaev/", "/sources/", "/sources/world-report-2019/"],
)
def test_every_page_has_a_labelled_language_switch(client, bokaev, path):
    for address, action in ((path, "/i18n/setlang/"), (russian(path), "/ru/i18n/setlang/")):
        html = client.get(address).content.decode()
        assert f'<form class="language" action="{action}" method="post">' in html, address
        assert '<label for="language-switch">' in html
        assert '<select id="language-switch" name="language">' in html
        assert f'<input type="hidden" name="next" value="{address}">' in html
        assert 'name="csrfmiddlewaretoken"' not in html  # a public page carries no secret (compression)
        assert '<option value="ru" lang="ru"' in html and ">Русский</option>" in html
        assert '<button type="submit">' in html


def test_switching_to_russian_goes_to_the_same_page_in_russian(client, bokaev):
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/people/maks-bokaev/"})
    assert response.status_code == 302 and response["Location"] == "/ru/people/maks-bokaev/"


def test_switching_back_to_english_leaves_the_ru_prefix(client, bokaev):
    response = client.post("/ru/i18n/setlang/", {"language": "en", "next": "/ru/people/maks-bokaev/?page=2"})
    assert response.status_code == 302 and response["Location"] == "/people/maks-bokaev/?page=2"


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "///evil.example/", "https:evil.example", "\\\\evil.example"],
)
def test_the_language_switch_never_sends_anyone_to_another_site(client, bokaev, next_url):
    response = client.post("/i18n/setlang/", {"language": "ru", "next": next_url})
    assert response.status_code == 302
    assert url_has_allowed_host_and_scheme(response["Location"], allowed_hosts={"testserver"})
    assert "evil" not in urlsplit(response["Location"]).netloc


def test_an_unknown_language_leaves_the_page_as_it_was(client, bokaev):
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/people/maks-bokaev/"})
    assert response["Location"] == "/people/maks-bokaev/"


def test_the_api_and_the_admin_have_no_russian_prefix(client, bokaev):
    assert client.get("/api/people/").status_code == 200
    assert client.get("/ru/api/people/").status_code == 404
    assert client.get("/ru/admin/").status_code == 404


def test_the_russian_site_answers_404_for_an_unpublished_record(client, bokaev):
    make_person("Hidden Person", slug="hidden-person", is_published=False)
    assert client.get("/ru/people/hidden-person/").status_code == 404


@pytest.mark.parametrize(
    ("edtf", "english", "russian_words"),
    [
        ("2018-08-17", "17 August 2018", "17 августа 2018"),
        ("2018-03", "March 2018", "март 2018"),
        ("2018-05", "May 2018", "май 2018"),
        ("2018", "2018", "2018"),
        ("early 2018", "early 2018", "начало 2018 года"),
        ("mid 2018", "mid-2018", "середина 2018 года"),
        ("late 2018", "late 2018", "конец 2018 года"),
        ("2018-40", "first half of 2018", "первая половина 2018 года"),
        ("2018-41", "second half of 2018", "вторая половина 2018 года"),
        ("2018-03/2018-11", "between March 2018 and November 2018", "в период с марта 2018 по ноябрь 2018"),
        (
            "2018-03-05/2018-03-09",
            "between 5 March 2018 and 9 March 2018",
            "в период с 5 марта 2018 по 9 марта 2018",
        ),
    ],
)
def test_a_date_reads_naturally_in_each_language(edtf, english, russian_words):
    fuzzy = FuzzyDate.parse(edtf)
    with translation.override("en"):
        assert fuzzy.display == english
    with translation.override("ru"):
        assert fuzzy.display == russian_words


@pytest.mark.parametrize(
    ("edtf", "english", "russian_words"),
    [
        ("2018-08-17", "since 17 August 2018", "с 17 августа 2018"),
        ("2016-05", "since May 2016", "с мая 2016"),
        ("2018", "since 2018", "с 2018 года"),
        ("early 2018", "since early 2018", "с начала 2018 года"),
        ("2018-41", "since the second half of 2018", "со второй половины 2018 года"),
        ("2018-03/2018-11", "since some time between March 2018 and November 2018", None),
    ],
)
def test_a_status_date_after_since_takes_the_right_form(edtf, english, russian_words):
    fuzzy = FuzzyDate.parse(edtf)
    with translation.override("en"):
        assert fuzzy.display_since == english
    with translation.override("ru"):
        if russian_words:
            assert fuzzy.display_since == russian_words
        else:
            assert fuzzy.display_since.startswith("с ") and "марта 2018 по ноябрь 2018" in fuzzy.display_since


def test_every_month_has_a_russian_name_of_its_own_and_a_genitive():
    with translation.override("ru"):
        names = [FuzzyDate.from_precision(DatePrecision.MONTH, date(2018, month, 1)).display for month in range(1, 13)]
        days = [FuzzyDate.from_precision(DatePrecision.DAY, date(2018, month, 2)).display for month in range(1, 13)]
    assert names[0] == "январь 2018" and names[11] == "декабрь 2018"
    assert all(name.split()[0].islower() for name in names)
    assert days[0] == "2 января 2018" and days[2] == "2 марта 2018" and days[11] == "2 декабря 2018"


def test_vocabulary_labels_and_error_messages_are_translated():
    with translation.override("ru"):
        assert str(CustodyState.IMPRISONED.label) == "В заключении"
        assert str(EventType.CHARGED.label) == "Предъявлено обвинение"
        with pytest.raises(ValueError, match="используйте"):
            FuzzyDate.parse("soon")


def test_the_api_answers_bad_input_in_english_whatever_the_browser_asks(client):
    response = client.get("/api/people/", {"page": "0"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert "whole number" in response.content.decode()


def test_the_russian_catalogue_is_complete_and_compiled():
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("gettext's msgfmt is not installed")
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", "-", str(CATALOGUE / "django.po")],
        capture_output=True,
        check=True,
    )
    assert "untranslated" not in result.stderr.decode() and "fuzzy" not in result.stderr.decode()
    compiled = gettext.GNUTranslations(io.BytesIO(result.stdout))
    with open(CATALOGUE / "django.mo", "rb") as committed_file:
        committed = gettext.GNUTranslations(committed_file)
    # The committed .mo says exactly what the .po says: nobody forgot `compilemessages`.
    assert committed._catalog == compiled._catalog


@pytest.mark.django_db
def test_a_records_choice_is_shown_in_the_language_asked_for_each_time():
    event = make_event(make_case("A case"), "2018-03", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    shown = {}
    for language in ("en", "ru", "en"):
        with translation.override(language):
            shown.setdefault(language, set()).add((event.get_type_display(), event.get_custody_display()))
            assert shown[language] == {(str(EventType.DETAINED.label), str(CustodyState.DETAINED.label))}
    assert shown["en"] != shown["ru"]


@pytest.mark.django_db
def test_a_records_address_follows_the_language_and_the_prefix_it_is_served_under():
    from django.urls import get_script_prefix, set_script_prefix

    person = make_person("Maks Bokaev")
    before = get_script_prefix()
    try:
        assert person.get_absolute_url() == "/people/maks-bokaev/"
        with translation.override("ru"):
            assert person.get_absolute_url() == "/ru/people/maks-bokaev/"
        set_script_prefix("/tracker/")
        assert person.get_absolute_url() == "/tracker/people/maks-bokaev/"
    finally:
        set_script_prefix(before)
    assert person.get_absolute_url() == "/people/maks-bokaev/"
