"""A record of what happened is dated within the last two years: a visit dated 1900-01-01 made a
grid worker's home say 林** 已超期 46355 天. And the visit form's messages are its own words.
The messages are new (English until the catalogue has them), so the pages are read in English."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from residents.forms import check_date_within, years_from
from residents.models.care import Distribution, Visit
from tests.factories import SupplyStockFactory
from tests.residents.test_visits import NEW_VISIT, visit_data

HAND_OUT = reverse("residents:distribution_create")
TOO_LONG_AGO = "The date is more than 2 years ago: check the year."


@pytest.fixture
def login(login):
    def in_english(user):
        client = login(user)
        client.cookies["django_language"] = "en"
        return client

    return in_english


def test_it_refuses_a_visit_dated_1900_and_keeps_what_was_typed(login, staff, resident):
    data = visit_data(resident, staff, visited_on="1900-01-01")
    response = login(staff).post(f"{NEW_VISIT}?resident={resident.pk}", data)
    assert response.context["form"].errors["visited_on"] == [TOO_LONG_AGO]
    assert "燃气灶软管老化" in response.content.decode() and not Visit.objects.exists()


def test_it_records_a_visit_from_last_year_entered_from_paper(login, staff, resident):
    last_year = (timezone.localdate() - timedelta(days=400)).isoformat()
    login(staff).post(f"{NEW_VISIT}?resident={resident.pk}", visit_data(resident, staff, visited_on=last_year))
    assert Visit.objects.get().visited_on.isoformat() == last_year


def test_it_refuses_supplies_handed_out_in_1900(login, staff, resident, community):
    SupplyStockFactory(community=community, item="smoke_alarm", quantity=5)
    data = {"item": "smoke_alarm", "quantity": "2", "room": "3-2-501", "handed_on": "1900-01-01"}
    response = login(staff).post(HAND_OUT, data)
    assert response.context["form"].errors["handed_on"] == [TOO_LONG_AGO]
    assert not Distribution.objects.exists()


def test_a_visit_without_anyone_ticked_says_to_tick_who_was_visited(login, staff, resident):
    data = visit_data(resident, staff)
    del data["residents"]
    response = login(staff).post(f"{NEW_VISIT}?resident={resident.pk}", data)
    assert response.context["form"].errors["residents"] == ["Please tick who was visited."]


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("-1", "Please enter 0 or more."),
        ("11", "At most 10 here: check the number."),
        ("两", "Please enter a whole number, such as 1."),
    ],
)
def test_a_count_of_supplies_is_refused_in_the_offices_words(login, staff, resident, typed, said):
    response = login(staff).post(f"{NEW_VISIT}?resident={resident.pk}", visit_data(resident, staff, gifts=typed))
    assert response.context["form"].errors["gifts"] == [said]


def test_the_bound_counts_29_february_as_the_28th():
    assert years_from(date(2028, 2, 29), -2) == date(2026, 2, 28)


def test_the_bound_takes_the_day_exactly_the_years_back():
    today = date(2026, 12, 4)
    check_date_within(date(2024, 12, 4), today=today, years_back=2)
    with pytest.raises(Exception, match="2"):
        check_date_within(date(2024, 12, 3), today=today, years_back=2)
