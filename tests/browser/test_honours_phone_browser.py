"""In Chromium at 390 px: the wall of honour's month chart keeps one line per label and one baseline."""

from datetime import timedelta
from itertools import pairwise

import pytest
from django.utils import timezone

from tests.factories import CommendationFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_the_month_chart_keeps_its_bars_on_one_baseline_on_a_phone(page_for, secretary, community):
    today = timezone.localdate()
    for days_ago in (0, 0, 20, 45, 70, 130, 200, 300):
        CommendationFactory(community=community, received_on=today - timedelta(days=days_ago))
    page = page_for(secretary, viewport=PHONE)
    page.goto("/activities/honours/")
    bars = page.eval_on_selector_all(
        "#per-month .bar",
        """bars => bars.map(bar => {
            const [count, fill, label] = bar.children;
            const box = (e) => e.getBoundingClientRect();
            return {fill: box(fill).bottom, label: box(label), text: label.textContent,
                    lineHeight: parseFloat(getComputedStyle(label).lineHeight)};
        })""",
    )
    assert len(bars) == 12
    assert {round(bar["fill"]) for bar in bars} == {round(bars[0]["fill"])}, "a bar is lifted off the baseline"
    for bar in bars:
        assert bar["label"]["height"] < 1.5 * bar["lineHeight"], f"{bar['text']} wraps"
    for left, right in pairwise(bars):
        assert left["label"]["right"] <= right["label"]["left"] + 0.5, f"{left['text']} runs into {right['text']}"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
