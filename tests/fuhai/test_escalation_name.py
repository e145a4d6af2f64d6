"""Escalation has one name in Chinese everywhere: 需升级 (not 需升级处理, not 需上报)."""

from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

ESCALATION_WORDS = [
    "Escalate",
    "escalate",
    "Escalated",
    "Flagged for escalation",
    "flagged for escalation",
    "It is flagged for escalation.",
    "Patrol check: worse, to escalate",
]


@pytest.mark.parametrize("msgid", ESCALATION_WORDS)
def test_it_names_escalation_需升级_wherever_it_is_shown(msgid):
    with translation.override("zh-hans"):
        assert "需升级" in gettext(msgid)


@pytest.mark.parametrize("other_name", ["需升级处理", "需上报"])
def test_it_keeps_no_second_name_for_escalation_in_the_catalogue(other_name):
    assert other_name not in CATALOGUE.read_text(encoding="utf-8")
