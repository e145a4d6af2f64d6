"""Whom to call back about an item (回访): the reporter as the item knows them. Shown masked by
default where the callback is recorded; the full name and number only through the logged reveal
(issues.views.reveal.issue_callee_reveal)."""

from __future__ import annotations

from dataclasses import dataclass

from issues.models.issue import Issue
from residents.masking import mask_name, mask_phone, phone_in_text


@dataclass(frozen=True)
class Callee:
    name: str
    phone: str

    def __bool__(self) -> bool:
        return bool(self.name or self.phone)

    @property
    def masked_name(self) -> str:
        """Surname only, as the board names a resident ("王**")."""
        return mask_name(self.name)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


def callee_of(issue: Issue) -> Callee:
    """The reporter's name (a matched resident's, as typed, or a 12345 caller's, else the WeChat
    sender's) and the number to call: the resident's phone, else the 12345 caller's, else the
    first mobile typed into the message."""
    case = issue.hotline_case_terms() or {}
    name = issue.reporter_display or case.get("caller_name") or issue.sender
    phone = (issue.reporter.phone if issue.reporter_id else "") or case.get("caller_phone") or phone_in_text(issue.text)
    return Callee(name=name, phone=phone)
