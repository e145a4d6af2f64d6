"""The records behind a month's report as one workbook: five sheets, the month's rows only,
nothing personal beyond names and rooms, and not for the 街道."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from activities.models import ParticipantRole
from residents.models.community import Role
from tests.factories import (
    ActivityFactory,
    CommendationFactory,
    DistributionFactory,
    MembershipFactory,
    ParticipationFactory,
    ResidentFactory,
    SpecialStatusFactory,
    VisitFactory,
)

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=TZ)
URL = reverse("reports:report_records")
CEILING = 16


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def sheets(response):
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    return {name: list(book[name].iter_rows(min_row=2, values_only=True)) for name in book.sheetnames}


def fill(community, user, n):
    for i in range(n):
        resident = ResidentFactory(community=community, phone=f"1391234{i:04d}")
        SpecialStatusFactory(resident=resident)
        VisitFactory(community=community, visited_on=date(2026, 11, 5), residents=[resident], recorded_by=user)
        DistributionFactory(
            community=community, handed_on=date(2026, 11, 6), resident=resident, room=None, recorded_by=user
        )
        activity = ActivityFactory(community=community, starts_at=datetime(2026, 11, 7, 9, tzinfo=TZ))
        ParticipationFactory(activity=activity, resident=resident, role=ParticipantRole.VOLUNTEER, hours=Decimal(2))
        CommendationFactory(community=community, received_on=date(2026, 11, 8))


def headers(response) -> dict[str, tuple]:
    book = load_workbook(BytesIO(response.content))
    return {name: next(book[name].iter_rows(max_row=1, values_only=True)) for name in book.sheetnames}


def test_it_heads_the_item_number_and_peoples_names_as_such(secretary_client):
    """表扬's 民情日记 number was headed 物资 (the msgid "Item" of the supplies), and people's names
    名称 (the name of a thing)."""
    heads = headers(secretary_client.get(URL, {"month": "2026-11"}))
    with translation.override("zh-hans"):
        item, thing = translation.gettext("Item"), translation.gettext("Name")
        number, person = translation.pgettext("record", "Item number"), translation.pgettext("person", "Name")
    assert heads["表扬"][-1] == number != item
    assert heads["物资发放"][1] == item
    assert heads["特殊群体"][0] == person != thing
    assert heads["活动"][3] == person


def test_it_writes_the_five_record_sheets(secretary_client):
    names = list(sheets(secretary_client.get(URL, {"month": "2026-11"})))
    assert names == ["走访记录", "特殊群体", "物资发放", "活动", "表扬"]


def test_it_writes_only_the_months_visits(secretary_client, community, secretary):
    resident = ResidentFactory(community=community, name="王秀英")
    VisitFactory(community=community, visited_on=date(2026, 11, 5), residents=[resident], recorded_by=secretary)
    VisitFactory(community=community, visited_on=date(2026, 12, 1), residents=[resident], recorded_by=secretary)
    visits = sheets(secretary_client.get(URL, {"month": "2026-11"}))["走访记录"]
    assert [(row[0].date(), row[2]) for row in visits] == [(date(2026, 11, 5), "王秀英")]


def test_it_masks_a_phone_number_written_in_a_visits_needs(secretary_client, community, secretary):
    resident = ResidentFactory(community=community)
    VisitFactory(
        community=community,
        visited_on=date(2026, 11, 5),
        residents=[resident],
        recorded_by=secretary,
        needs="女儿电话13912345678，想申请助餐",
    )
    visits = sheets(secretary_client.get(URL, {"month": "2026-11"}))["走访记录"]
    assert "13912345678" not in visits[0][5]


def test_it_refuses_the_records_to_the_street_viewer(client, viewer):
    client.force_login(viewer)
    assert client.get(URL, {"month": "2026-11"}).status_code == 403


def test_it_refuses_the_records_of_a_community_the_user_reads_as_the_street(client, community, other_community):
    """Whose records a workbook may hold is the role in the community asked for (?community=), not
    in the one worked in: a social worker of another community who reads this one as the 街道 would
    take its residents' names and visit needs in full."""
    user = MembershipFactory(community=other_community, role=Role.STAFF).user
    MembershipFactory(community=community, user=user, role=Role.VIEWER)
    client.force_login(user)
    assert client.get(URL, {"month": "2026-11", "community": other_community.pk}).status_code == 200
    assert client.get(URL, {"month": "2026-11", "community": community.pk}).status_code == 403


def test_it_gives_404_for_the_records_of_another_community(secretary_client, other_community):
    assert secretary_client.get(URL, {"community": other_community.pk}).status_code == 404


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_the_records_queries_bounded(secretary_client, community, secretary, rows):
    fill(community, secretary, rows)
    with CaptureQueriesContext(connection) as queries:
        book = sheets(secretary_client.get(URL, {"month": "2026-11"}))
    assert len(book["走访记录"]) == rows
    assert len(queries) <= CEILING
