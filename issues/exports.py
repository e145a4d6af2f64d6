"""The Excel 台账 of the 民情日记, in the columns a 街道 expects."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from residents.masking import mask_name, mask_names_in_text
from residents.spreadsheet import Sheet


def issues_sheet(issues, *, full_names: bool = True) -> Sheet:
    """One row per item; the writer masks phone and ID numbers inside the text. Without
    ``full_names`` (the 街道 viewer) the reporter is 王**, and so are the people named in the
    text and result (each item's ``hidden_names``, set by issues.selectors.names.hide_names)."""
    headers = [
        _("Number"),
        _("Received at"),
        _("Source"),
        _("Reporter"),
        _("Place"),
        _("Content"),
        _("Category"),
        _("Handling method"),
        _("Contact person"),
        _("Due"),
        _("Status"),
        _("Result"),
        _("Callback"),
    ]
    widths = [16, 17, 10, 10, 18, 50, 10, 14, 20, 12, 14, 30, 16]
    return Sheet(
        title=_("Issue log"),
        headers=headers,
        rows=(_row(issue, full_names=full_names) for issue in issues),
        widths=widths,
    )


def _row(issue, *, full_names: bool) -> list:
    contact = issue.partner_contact or issue.partner
    callbacks = getattr(issue, "callbacks", [])
    callback = ""
    if issue.satisfaction:
        callback = issue.get_satisfaction_display()
        if callbacks:
            callback += f"（{timezone.localtime(callbacks[-1].created_at):%Y-%m-%d}）"
    # The people hide_names set for the 街道 viewer; the writer masks the numbers, of every text.
    names = getattr(issue, "hidden_names", ())
    result_note = mask_names_in_text(issue.result_note, names)
    return [
        issue.code,
        issue.received_at,
        issue.get_channel_display(),
        issue.reporter_display if full_names else mask_name(issue.reporter_display),
        issue.place_label,
        mask_names_in_text(issue.text, names),
        str(issue.category or ""),
        issue.get_handling_method_display(),
        str(contact or ""),
        timezone.localtime(issue.due_at).date() if issue.due_at else None,
        issue.get_status_display(),
        " ".join(p for p in (issue.get_result_display(), result_note) if p),
        callback,
    ]
