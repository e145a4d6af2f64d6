"""No select of the residents pages offers Django's "---------": a form's empty choice reads
请选择, a filter's 全部."""

import re

import pytest
from django.urls import reverse

from tests.factories import SpecialStatusFactory

DASHES = re.compile(r'<option value=""[^>]*>---------')


def pages(resident):
    room = resident.room_id
    return [
        reverse("residents:resident_list"),
        reverse("residents:resident_create"),
        reverse("residents:resident_edit", args=[resident.pk]),
        reverse("residents:household_edit", args=[room]),
        reverse("residents:specialstatus_create", args=[resident.pk]),
        reverse("residents:specialstatus_list"),
        reverse("residents:visit_create") + f"?resident={resident.pk}",
        reverse("residents:visit_plan"),
        reverse("residents:supply_list"),
        reverse("residents:distribution_create"),
        reverse("residents:accesslog_list"),
        reverse("residents:membership_list"),
        reverse("residents:resident_import"),
    ]


@pytest.mark.parametrize("persona", ["secretary", "grid_worker", "viewer"])
def test_no_select_offers_dashes_as_its_empty_choice(request, login, resident, persona):
    SpecialStatusFactory(resident=resident)
    client = login(request.getfixturevalue(persona))
    for url in pages(resident):
        response = client.get(url)
        if response.status_code == 200:
            assert not DASHES.search(response.content.decode()), url


def test_the_resident_form_asks_to_choose_a_relation_and_gender(login, staff, resident):
    content = login(staff).get(reverse("residents:resident_edit", args=[resident.pk])).content.decode()
    for name in ("relation", "gender"):
        select = content[content.index(f'name="{name}"') :]
        assert re.search(r'<option value=""[^>]*>请选择</option>', select[: select.index("</select>")]), name


def test_the_rosters_category_filter_reads_all_for_a_viewer(login, viewer, resident):
    content = login(viewer).get(reverse("residents:specialstatus_list")).content.decode()
    category = content[content.index('name="category"') :]
    assert re.search(r'<option value=""[^>]*>全部</option>', category[: category.index("</select>")])
