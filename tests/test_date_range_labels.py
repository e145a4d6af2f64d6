"""Each date of a "between" filter has a name of its own for a screen reader: the visible label
above the pair named neither input (axe-core: "Form elements must have labels")."""

import re

import pytest
from django.urls import reverse

PAGES = [
    ("issues:issue_list", ["受理起始日期", "受理截止日期"]),
    ("residents:accesslog_list", ["开始日期", "结束日期"]),
    ("activities:volunteer_hours", ["开始日期", "结束日期"]),
]


@pytest.mark.parametrize(("page", "names"), PAGES)
def test_both_dates_of_a_range_are_named(secretary_client, page, names):
    html = secretary_client.get(reverse(page)).content.decode()
    inputs = re.findall(r'<input type="date" name="\w+_(?:min|max)"[^>]*>', html)
    assert len(inputs) == 2, inputs
    assert [re.search(r'aria-label="([^"]+)"', tag).group(1) for tag in inputs] == names
