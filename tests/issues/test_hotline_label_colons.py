"""A label and its text are joined by the colon of the page's language: "已解决：…" in Chinese,
"Solved: …" in English, never a full-width colon on an English page or an ASCII one in Chinese."""

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

REPLY = "已协调物业更换灯泡"


@pytest.fixture
def replied_case(make_case):
    now = timezone.now()
    return make_case(dispatched=now, result="solved", reply_text=REPLY, replied_at=now)


def result_label(case, language):
    with translation.override(language):
        return case.get_result_display()


@pytest.mark.parametrize("page", ["issues:hotline_detail", "issues:hotline_print"])
def test_the_reply_reads_with_an_english_colon_on_an_english_page(staff_client, replied_case, page):
    staff_client.cookies["django_language"] = "en"
    content = staff_client.get(reverse(page, args=[replied_case.pk])).content.decode()
    assert f"{result_label(replied_case, 'en')}: {REPLY}" in content
    assert f"：{REPLY}" not in content


@pytest.mark.parametrize("page", ["issues:hotline_detail", "issues:hotline_print"])
def test_the_reply_reads_with_a_chinese_colon_on_a_chinese_page(staff_client, replied_case, page):
    content = staff_client.get(reverse(page, args=[replied_case.pk])).content.decode()
    assert f"{result_label(replied_case, 'zh-hans')}：{REPLY}" in content


def suggestions(language):
    context = {
        "suggested_category": SimpleNamespace(pk=1, name="环境卫生"),
        "place": SimpleNamespace(room=SimpleNamespace(label="3-2-501"), building=None, text=""),
        "reporter": SimpleNamespace(name="王阿姨", room=None),
        "similar": [],
    }
    with translation.override(language):
        return render_to_string("issues/partials/suggestions.html", context)


def test_the_suggestions_use_the_chinese_colon_in_chinese():
    """建议分类: 环境卫生 — an ASCII colon in the middle of Chinese text."""
    html = suggestions("zh-hans")
    assert ": " not in html
    assert "：环境卫生" in html and "：3-2-501" in html and "：王阿姨" in html


def test_the_suggestions_use_the_english_colon_in_english():
    html = suggestions("en")
    assert "Suggested category: 环境卫生" in html and "Room: 3-2-501" in html and "Resident: 王阿姨" in html
