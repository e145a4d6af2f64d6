"""Masking of personal numbers: plain Python, no Django, so every writer can use it."""

from __future__ import annotations

import re


def mask_phone(phone: str) -> str:
    """138****8000: the default way a phone number is shown anywhere."""
    digits = phone or ""
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


PHONE_IN_TEXT_RE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


ID_IN_TEXT_RE = re.compile(r"(?<![0-9A-Za-z])(\d{3})\d{11}(\d{3}[0-9Xx])(?![0-9A-Za-z])")


def mask_numbers_in_text(text: str) -> str:
    """Mask mobile and ID numbers that residents typed into free text (exports, board)."""
    text = ID_IN_TEXT_RE.sub(lambda m: f"{m[1]}{'*' * 11}{m[2]}", text or "")
    return PHONE_IN_TEXT_RE.sub(lambda m: f"{m[1]}****{m[3]}", text)
