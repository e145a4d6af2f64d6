"""The 12345 list's rows, worked out in Python for speed (issues/hotline/views.py, listed_cases),
read exactly as the plain template would write them from the cases: the same links, dates,
masked and cut text, owners, badges, clocks and callbacks, in Chinese and in English."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.template import engines
from django.urls import reverse
from django.utils import translation

from issues.hotline.models import HotlineCase

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 7, 8, 30, tzinfo=TZ)

#: A row as the template wrote it before the rows were worked out in Python: from the case, with
#: the standard tags and filters.
PLAIN_ROWS = """{% load i18n issues_tags hotline_tags fuhai_dates residents_tags %}{% for case in cases %}
  <tr>
    <td class="text-nowrap card-first"><a class="card-link" href="{% url 'issues:hotline_detail' case.pk %}">{{ case.case_no }}</a>{% if case.repeat_of %}<div class="small text-warning-emphasis">{% translate "repeat" %} {{ case.repeat_of.case_no }}</div>{% endif %}{% if case.dispatched_at < month_start %}<div class="small text-danger-emphasis earlier-open">{% translate "still open from an earlier month" %}</div>{% endif %}</td>
    <td class="small text-nowrap card-meta">{{ case.dispatched_at|short_date:"time" }}<br class="d-none d-lg-inline"> {{ case.get_request_type_display }} · {{ case.get_role_display }}</td>
    <td class="small card-line">{{ case.issue.text|masked|truncatechars:50 }}</td>
    <td class="small text-nowrap card-meta">{{ case.issue.owner|display_name }}</td>
    <td class="card-end">{% status_badge case.issue %}</td>
    <td class="small card-line hotline-clocks">{% hotline_clocks case now %}</td>
    <td class="small card-meta">{{ case.get_city_solved_display }} {{ case.get_city_satisfaction_display }}</td>
  </tr>
  {% endfor %}"""  # noqa: E501


def plain_rows(cases, language: str) -> str:
    with translation.override(language):
        return (
            engines["django"]
            .from_string(PLAIN_ROWS)
            .render({"cases": cases, "now": NOW, "month_start": datetime(2026, 11, 1, tzinfo=TZ)})
        )


def at(month, day, hour=9, minute=0, year=2026):
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


@time_machine.travel(NOW, tick=False)
def test_the_rows_read_as_the_plain_template_writes_them(staff_client, make_case, staff):
    waiting = make_case(dispatched=at(11, 30, 8), urgency="complex")  # response late, resolution running
    done = make_case(dispatched=at(11, 20, 8), request_type="complaint")
    done.record_first_contact(by=staff, now=at(11, 20, 9), at=at(11, 20, 9), method="phone")
    done.record_reply(by=staff, now=at(11, 21), result="solved", reply_text="已协调")
    done.role = "assist"
    done.save(update_fields=["role"])
    done.record_city_callback(by=staff, now=at(11, 23), contacted=True, solved="solved", satisfaction="basic")
    make_case(
        dispatched=at(11, 12, 14, 5),
        repeat_of=waiting,
        text='<b class="x">楼下&餐馆</b> 油烟扰民，王阿姨电话138-0013-8000，3号楼楼上卫生间防水层老化，漏水到楼下厨房',
    )
    late_contact = make_case(dispatched=at(10, 20, 8, year=2025), urgency="urgent")  # open from a year before
    late_contact.record_first_contact(by=staff, now=at(10, 21, year=2025), at=at(10, 21, year=2025), method="phone")
    nobody = make_case(dispatched=at(11, 2, 16, 45), text="路灯不亮")
    nobody.issue.owner = None
    nobody.issue.save(update_fields=["owner"])
    staff.first_name = '<i title="x">王</i>&'  # a name is escaped as the template escapes it
    staff.save(update_fields=["first_name"])
    cases = HotlineCase.objects.select_related("issue__owner", "repeat_of").order_by("-dispatched_at", "-pk")
    assert len(cases) == 5
    for language in ("zh-hans", "en"):
        staff_client.cookies["django_language"] = language
        page = staff_client.get(reverse("issues:hotline_list"), {"month": "2026-11"}).content.decode()
        listed = re.search(r"<tbody>(.*)</tbody>", page, re.S)[1]
        assert listed == plain_rows(cases, language)
    assert "earlier-open" in listed and "done late" in listed and "left" in listed
    assert "Solved Basically satisfied" in listed
    assert "&lt;b class=&quot;x&quot;&gt;楼下&amp;餐馆" in listed and "138-****-8000" in listed
    assert "&lt;i title=&quot;x&quot;&gt;王&lt;/i&gt;&amp;" in listed
