"""The admin writes dates as the public pages do: "17 August 2018", "17 августа 2018"."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils import formats, translation

from cases.models import Source

from .factories import make_case, make_event, make_source

pytestmark = pytest.mark.django_db


def test_a_source_list_shows_the_publication_date_as_the_public_site_does(editor_client):
    make_source("Verdict", published="2018-08-17")
    make_source("Report", published="2019-01")
    html = editor_client.get(reverse("admin:cases_source_changelist")).content.decode()
    assert "17 August 2018" in html and "January 2019" in html
    assert "2018-08-17" not in html


def test_a_record_s_timestamps_read_as_on_the_public_site_and_not_as_django_s_default(editor_client):
    source = make_source()
    Source.objects.filter(pk=source.pk).update(created_at=datetime(2018, 8, 17, 9, 5, tzinfo=UTC))
    page = editor_client.get(reverse("admin:cases_source_change", args=[source.pk])).content.decode()
    assert "17 August 2018, 09:05" in page and "Aug. 17, 2018" not in page


def test_the_history_of_a_record_dates_each_change_the_same_way(editor_client, set_today):
    set_today(date(2018, 8, 17))
    event = make_event(make_case())
    html = editor_client.get(reverse("admin:cases_event_history", args=[event.pk])).content.decode()
    assert "17 August 2018, 12:00" in html


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [("en", "17 August 2018", "17 August 2018, 09:05"), ("ru", "17 августа 2018", "17 августа 2018, 09:05")],
)
def test_default_date_formats_match_the_public_day_format_in_both_languages(language, day, moment):
    with translation.override(language):
        assert formats.date_format(date(2018, 8, 17)) == day
        assert formats.date_format(datetime(2018, 8, 17, 9, 5), "DATETIME_FORMAT") == moment
        assert formats.localize(date(2018, 8, 17)) == day
