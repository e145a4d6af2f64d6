"""A patrol's 已解决 on a 12345 item (only its case's answer closes it) and the record of a walk:
what the card, the answer to the tap and the record say, and which item each photo shows."""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext
from PIL import Image

from issues.models.choices import IssueStatus
from issues.patrol.models import PatrolCheck
from residents.places import Place
from tests.factories import BuildingFactory, PatrolFactory, PatrolStopFactory

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}
#: Read through the catalogue: the page says it in the site's language (已记录，需在工单页答复后才能办结。).
AWAITS = "Recorded; the item is closed only once the 12345 case is answered on its page."


@pytest.fixture
def patrol(community, staff):
    return PatrolFactory(community=community, staff=staff)


@pytest.fixture(autouse=True)
def stop(community):
    """The stop the 12345 cases' text names (make_case: 楼下餐馆油烟扰民), so the walk lists them."""
    return PatrolStopFactory(community=community, name="餐馆")


@pytest.fixture
def walker(client, staff):
    client.force_login(staff)
    return client


def url(name, *args):
    return reverse(f"issues:{name}", args=args)


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def tap(client, patrol, issue, outcome="solved", **extra):
    data = {"client_id": str(uuid.uuid4()), "issue": issue.pk, "outcome": outcome, **extra}
    return client.post(url("patrol_check", patrol.pk), data, **FETCH)


def card(page, issue):
    return page.split(f'id="item-{issue.pk}"', 1)[1].split("</article>", 1)[0]


def test_a_12345_items_card_says_it_is_a_12345_case(walker, patrol, make_case, log):
    case = make_case()
    other = log(place=Place(text="3号楼门口"))
    page = walker.get(url("patrol_detail", patrol.pk)).content.decode()
    assert "12345工单" in card(page, case.issue)
    assert "12345工单" not in card(page, other)


def test_a_solved_tap_on_a_12345_item_says_it_needs_the_cases_answer_with_its_link(walker, patrol, make_case):
    case = make_case()
    answer = tap(walker, patrol, case.issue).json()
    case.issue.refresh_from_db()
    assert case.issue.status == IssueStatus.PENDING
    assert answer["message"] == gettext(AWAITS)
    assert answer["link"]["url"] == f"{url('hotline_detail', case.pk)}?step=first_contact"


def test_a_solved_tap_on_another_item_says_nothing_of_a_case(walker, patrol, log):
    answer = tap(walker, patrol, log()).json()
    assert "message" not in answer and "link" not in answer


def test_the_card_of_a_12345_item_tapped_solved_still_says_so_after_a_reload(walker, patrol, make_case):
    case = make_case()
    tap(walker, patrol, case.issue)
    item = card(walker.get(url("patrol_detail", patrol.pk)).content.decode(), case.issue)
    assert gettext(AWAITS) in item
    assert f'href="{url("hotline_detail", case.pk)}?step=first_contact"' in item
    assert "已记录：已解决" not in item


def test_a_solved_tap_on_a_12345_item_without_javascript_says_it_needs_the_answer(walker, patrol, make_case):
    case = make_case()
    data = {"client_id": str(uuid.uuid4()), "issue": case.issue.pk, "outcome": "solved"}
    response = walker.post(url("patrol_check", patrol.pk), data, follow=True)
    assert gettext(AWAITS) in response.content.decode()


def test_the_record_does_not_count_a_12345_item_awaiting_its_answer_as_solved(
    walker, patrol, staff, make_case, log, now
):
    case = make_case()
    tap(walker, patrol, case.issue)
    tap(walker, patrol, log())
    patrol.end(by=staff, now=now, places=[], checklist={})
    assert patrol.solved_count == 1
    page = walker.get(url("patrol_summary", patrol.pk)).content.decode()
    counts = "%(s)s solved, %(r)s solved on site awaiting the 12345 reply, %(w)s worse"
    assert gettext(counts) % {"s": 1, "r": 1, "w": 0} in page
    assert gettext("Solved (awaiting the 12345 reply)") in page


def test_the_record_names_the_item_and_place_of_each_photo(walker, patrol, community, log):
    building = BuildingFactory(community=community, number="7")
    issue = log("楼道堆放纸箱", place=Place(building=building))
    tap(walker, patrol, issue, "still", photo=png())
    page = walker.get(url("patrol_summary", patrol.pk)).content.decode()
    photos = page.split('id="patrol-photos"', 1)[1].split("</div>", 1)[0]
    assert issue.code in photos and "7号楼" in photos


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_the_record_queries_bounded(walker, patrol, community, log, rows, django_assert_max_num_queries):
    building = BuildingFactory(community=community, number="3")
    for n in range(rows):
        issue = log(f"楼道堆放杂物{n}", place=Place(building=building))
        tap(walker, patrol, issue, "still", photo=png() if n % 5 == 0 else "")
    with django_assert_max_num_queries(10):
        response = walker.get(url("patrol_summary", patrol.pk))
    assert response.content.decode().count("patrol-photo-figure") == (rows + 4) // 5


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_the_walking_page_with_12345_items_bounded(
    walker, patrol, categories, make_case, rows, django_assert_max_num_queries
):
    for n in range(rows):
        case = make_case(text=f"12345来电：楼下餐馆油烟扰民{n}")
        if n % 2:
            tap(walker, patrol, case.issue)
    with django_assert_max_num_queries(11):
        response = walker.get(url("patrol_detail", patrol.pk))
    assert response.content.decode().count('class="patrol-case-link"') == rows // 2
    assert PatrolCheck.objects.count() == rows // 2


def test_a_walk_ended_before_is_recounted_by_the_migration(walker, patrol, staff, make_case, log, now):
    """issues.0041: a walk ended with the old count (every 已解决 tap, a 12345 item's too) would
    show that tap twice on its record; the migration counts only the taps that closed an item."""
    from importlib import import_module

    from django.apps import apps

    recount = import_module("issues.migrations.0041_patrol_solved_count").recount
    tap(walker, patrol, make_case().issue)
    tap(walker, patrol, log())
    patrol.end(by=staff, now=now, places=[], checklist={})
    type(patrol).objects.filter(pk=patrol.pk).update(solved_count=2)  # as the old end() counted

    recount(apps, None)

    patrol.refresh_from_db()
    assert patrol.solved_count == 1
