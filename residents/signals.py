"""Signals other apps listen to, so residents never imports them (dependencies point one way)."""

from django.dispatch import Signal

#: Sent inside the visit's transaction when staff ask for the needs found to be logged in the
#: 民情日记. Arguments: ``visit``, ``recorded_by``. The issues app turns it into an item and
#: answers with its ``{"code", "url"}``.
visit_needs_reported = Signal()
