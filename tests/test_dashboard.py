"""Nobody is forgotten: cases in custody without recent news, and the dates coming up."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.choices import CaseStage, CustodyState, EventType
from cases.dates import add_sentence, months_before
from cases.watchlist import known_dates

from .factories import make_case, make_event, make_person

pytestmark = pytest.mark.django_db


def recent(days_ago: int) -> str:
    return (timezone.localdate() - timedelta(days=days_ago)).isoformat()


@pytest.fixture
def cases():
    forgotten = make_person("Forgotten Prisoner")
    forgotten_case = make_case("Imprisonment of a forgotten prisoner", people=[forgotten])
    make_event(forgotten_case, "2018-03-10", type=EventType.DETAINED, custody=CustodyState.DETAINED)
    make_event(
        forgotten_case, "2018-09", type=EventType.CONVICTED, custody=CustodyState.IMPRISONED,
        stage=CaseStage.CONVICTED, sentence_months=84, parole_eligible_on=date(2023, 3, 10),
    )  # fmt: skip
    followed = make_person("Followed Prisoner")
    followed_case = make_case("Imprisonment of a followed prisoner", people=[followed])
    make_event(followed_case, recent(400), type=EventType.DETAINED, custody=CustodyState.IMPRISONED)
    make_event(followed_case, recent(60), type=EventType.STATUS_REPORTED, description="Still held.")
    free = make_person("Free Person")
    make_event(make_case("Old case of a free person", people=[free]), "2017", custody=CustodyState.AT_LIBERTY)
    return forgotten_case, followed_case


def test_the_dashboard_lists_cases_in_custody_with_no_recent_update(researcher_client, cases):
    response = researcher_client.get(reverse("admin:cases_case_stale"))
    titles = [case.title for case in response.context["cases"]]
    assert titles == ["Imprisonment of a forgotten prisoner"]


def test_the_number_of_months_is_a_parameter(researcher_client, cases):
    response = researcher_client.get(reverse("admin:cases_case_stale"), {"months": "1"})
    assert len(response.context["cases"]) == 2  # the followed case's news is two months old
    response = researcher_client.get(reverse("admin:cases_case_stale"), {"months": "3"})
    assert len(response.context["cases"]) == 1


@pytest.mark.parametrize("months", ["0", "-3", "many", "9999"])
def test_a_bad_number_of_months_answers_400_with_a_message(researcher_client, months):
    response = researcher_client.get(reverse("admin:cases_case_stale"), {"months": months})
    assert response.status_code == 400
    assert response.context["form"].errors["months"]


def test_the_end_of_sentence_counts_from_the_start_of_custody(researcher_client, cases):
    dates = known_dates()
    end = next(d for d in dates if d.what == "end of sentence")
    # Detained on 10 March 2018, seven years: pre-trial detention counts towards the sentence.
    assert end.when.edtf == "2025-03-10"
    assert end.overdue  # still in custody on record after the sentence ended: someone should look
    parole = next(d for d in dates if d.what == "eligible for parole")
    assert parole.when.edtf == "2023-03-10"
    html = researcher_client.get(reverse("admin:cases_case_stale")).content.decode()
    assert "10 March 2025" in html and "still in custody?" in html


def test_a_vague_start_gives_a_range_for_the_end():
    person = make_person("Vague Dates")
    case = make_case("Vague case", people=[person])
    make_event(
        case, "2018-05", type=EventType.CONVICTED, custody=CustodyState.IMPRISONED,
        stage=CaseStage.CONVICTED, sentence_months=24,
    )  # fmt: skip
    (end,) = known_dates()
    assert end.when.display == "May 2020"


def test_month_arithmetic_keeps_to_real_days():
    assert months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert add_sentence(date(2018, 8, 31), 6, 0) == date(2019, 2, 28)
    assert add_sentence(date(2018, 1, 1), 0, 15) == date(2018, 1, 16)
