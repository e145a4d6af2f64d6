"""The full phone or ID number a resident typed into an item's text, for staff who must call back.

Like revealing a resident's number (residents.views.resident_reveal): a reason first, then the
text is shown once in full, and the reveal is kept in the access record (field 电话, the item's
number as what it was read from)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from issues.views.common import get_issue_for
from residents.forms import RevealForm
from residents.models.resident import AccessField, AccessLog
from residents.scoping import community_view


@community_view
def issue_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_issue_for(request, pk)
    if not request.membership.can_reveal:
        raise PermissionDenied
    form = RevealForm(request.POST or None)
    text = None
    if request.method == "POST" and form.is_valid():
        AccessLog.objects.create(
            community=request.community,
            user=request.user,
            resident=issue.reporter if issue.reporter_id else None,
            field=AccessField.PHONE,
            reason=form.cleaned_data["reason"],
            subject=issue.code,
        )
        text = issue.text
    template = "issues/partials/text_reveal.html" if request.htmx else "issues/issue_reveal.html"
    return render(request, template, {"issue": issue, "form": form, "text": text})
