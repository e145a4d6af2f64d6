"""A4 print pages of one item and one 12345 case."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from issues import services
from issues.hotline.models import HotlineCase


def logged(community, secretary, staff, text="3号楼2单元501王阿姨来电13912345678，楼道灯不亮"):
    issue = services.log_issue(community=community, by=secretary, now=timezone.now(), text=text, owner=staff)
    issue.settle(by=staff, now=timezone.now(), method="coordinate", note="已联系物业电工")
    return issue


def make_case(community, issue):
    now = timezone.now()
    return HotlineCase.objects.create(
        issue=issue,
        community=community,
        case_no="2026120100077",
        request_type="complaint",
        urgency="normal",
        dispatched_at=now,
        response_deadline=now + timedelta(hours=2),
        resolution_deadline=now + timedelta(days=5),
    )


def test_it_prints_an_item_with_its_number_text_and_timeline(secretary_client, community, secretary, staff):
    issue = logged(community, secretary, staff)
    page = secretary_client.get(reverse("issues:issue_print", args=[issue.pk])).content.decode()
    assert issue.code in page
    assert "楼道灯不亮" in page
    assert "已联系物业电工" in page
    assert "print.css" in page


def test_it_masks_numbers_in_the_printed_text(secretary_client, community, secretary, staff):
    issue = logged(community, secretary, staff)
    page = secretary_client.get(reverse("issues:issue_print", args=[issue.pk])).content.decode()
    assert "13912345678" not in page
    assert "139****5678" in page


def test_it_links_the_print_page_from_the_item_page(secretary_client, community, secretary, staff):
    issue = logged(community, secretary, staff)
    page = secretary_client.get(reverse("issues:issue_detail", args=[issue.pk])).content.decode()
    assert reverse("issues:issue_print", args=[issue.pk]) in page


def test_it_prints_a_12345_case_with_its_deadlines_and_steps(secretary_client, community, secretary, staff):
    case = make_case(community, logged(community, secretary, staff))
    case.first_contact_at = timezone.now()
    case.first_contact_method = "phone"
    case.save()
    response = secretary_client.get(reverse("issues:hotline_print", args=[case.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert case.case_no in page
    assert timezone.localtime(case.resolution_deadline).strftime("%Y-%m-%d %H:%M") in page
    assert "首次联系" in page and "✓" in page
    assert "13912345678" not in page


def test_it_links_the_print_page_from_the_case_page(secretary_client, community, secretary, staff):
    case = make_case(community, logged(community, secretary, staff))
    page = secretary_client.get(reverse("issues:hotline_detail", args=[case.pk])).content.decode()
    assert reverse("issues:hotline_print", args=[case.pk]) in page


def test_it_gives_an_outsider_404_on_both_print_pages(login, outsider, community, secretary, staff):
    issue = logged(community, secretary, staff)
    case = make_case(community, issue)
    client = login(outsider)
    assert client.get(reverse("issues:issue_print", args=[issue.pk])).status_code == 404
    assert client.get(reverse("issues:hotline_print", args=[case.pk])).status_code == 404


@pytest.mark.parametrize("rows", [5, 50])
def test_it_keeps_the_print_page_queries_bounded(
    secretary_client, community, secretary, staff, django_assert_max_num_queries, rows
):
    issue = logged(community, secretary, staff)
    for n in range(rows):
        services.add_followup(issue, by=staff, now=timezone.now(), kind="note", note=f"第{n}次跟进")
    with django_assert_max_num_queries(10):
        assert secretary_client.get(reverse("issues:issue_print", args=[issue.pk])).status_code == 200
