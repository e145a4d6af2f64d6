"""The report's SVG charts: escaped, readable without colour, a gap for a month without data."""

import re
from datetime import date

from django.utils import translation

from fuhai.reports.charts import bar_chart, hbar_chart, line_chart
from fuhai.reports.compose import month_labels


def test_it_escapes_the_labels_it_draws():
    svg = hbar_chart("分类", [("<script>alert(1)</script>", 3)])
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_it_tells_two_bar_series_apart_by_pattern_not_colour():
    svg = bar_chart("收到与办结", ["11"], [("收到", [4]), ("办结", [2])])
    assert 'fill="#333"' in svg
    assert "-hatch)" in svg


def test_it_writes_each_bar_number_on_the_chart():
    svg = bar_chart("收到", ["10", "11"], [("收到", [7, 13])])
    assert ">7</text>" in svg
    assert ">13</text>" in svg


def test_it_leaves_a_gap_for_a_month_without_a_rate():
    svg = line_chart("三率", ["09", "10", "11"], [("响应率", [80, None, 90])])
    assert "<polyline" not in svg
    assert svg.count('r="3.5"') == 2 + 1  # two months and the legend


def test_it_gives_each_line_a_different_dash():
    svg = line_chart("三率", ["10", "11"], [("响应率", [80, 90]), ("解决率", [60, 70])])
    assert 'stroke-dasharray=""' in svg
    assert 'stroke-dasharray="6 4"' in svg


def test_it_writes_the_months_as_the_office_does_with_the_year_where_it_changes():
    months = [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    with translation.override("zh-hans"):
        assert month_labels(months) == ["11月\n2025年", "12月", "1月\n2026年", "2月"]


def test_it_draws_a_months_year_on_a_line_under_it():
    svg = bar_chart("收到", ["12月", "1月\n2026年"], [("收到", [7, 13])])
    assert ">12月</tspan>" in svg
    assert re.search(r'<tspan x="[\d.]+" dy="0">1月</tspan><tspan x="[\d.]+" dy="16">2026年</tspan>', svg)
