"""The report's list of 12345 cases that missed a deadline is written in one pass (hundreds of
rows a month in a busy community): the same rows, links and dates as the template loop it
replaced wrote."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import translation

from fuhai.reports.compose import local_formatter, missed_rows
from issues.hotline.models import HotlineCase

#: The template loop the report had before (templates/fuhai/reports/report.html).
LOOP = Template(
    """{% load i18n %}{% for row in missed %}<tr>
      <td><a href="{% url 'issues:hotline_detail' row.case.pk %}">{{ row.case.case_no }}</a></td>
      <td>{{ row.case.dispatched_at|date:"SHORT_DATETIME_FORMAT" }}</td>
      <td>{{ row.case.response_deadline|date:"SHORT_DATETIME_FORMAT" }}</td>
      <td>{{ row.case.resolution_deadline|date:"SHORT_DATETIME_FORMAT" }}</td>
      <td>{% if row.late_response %}{% translate "first contact" %}{% endif %}"""
    """{% if row.late_response and row.late_reply %}, {% endif %}"""
    """{% if row.late_reply %}{% translate "reply" %}{% endif %}</td>
    </tr>{% endfor %}"""
)
MOMENTS = [datetime(2026, 11, 30, 16, 5, 9, tzinfo=UTC), datetime(2026, 1, 1, 1, 0, tzinfo=UTC)]


def squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("name", ["SHORT_DATETIME_FORMAT", "DATETIME_FORMAT", "MONTH_DAY_TIME_FORMAT"])
def test_it_writes_dates_as_the_date_filter(language, name):
    with translation.override(language):
        write = local_formatter(name)
        filter_ = Template("{{ moment|date:'" + name + "' }}")
        for moment in MOMENTS:
            assert write(moment) == filter_.render(Context({"moment": moment}))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_rows_the_template_wrote(community, language):
    start = datetime(2026, 11, 3, 1, 30, tzinfo=UTC)
    cases = [
        HotlineCase(
            pk=n + 7,
            community=community,
            case_no=no,
            dispatched_at=start + timedelta(hours=n),
            response_deadline=start + timedelta(hours=24 + n),
            resolution_deadline=start + timedelta(days=7, hours=n),
        )
        for n, no in enumerate(["BJ001", "BJ<002>&"])
    ]
    missed = [
        {"case": cases[0], "late_response": True, "late_reply": True},
        {"case": cases[1], "late_response": False, "late_reply": True},
    ]
    with translation.override(language):
        assert squeeze(missed_rows(missed)) == squeeze(LOOP.render(Context({"missed": missed})))
    assert "BJ&lt;002&gt;&amp;" in missed_rows(missed)
