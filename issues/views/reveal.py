"""Full numbers for staff who must call: what a resident typed into an item's text, whom to call
back about an item (回访), a partner's contact person.

Like revealing a resident's number (residents.views.resident_reveal): a reason first, then the
number is shown once in full, and the reveal is kept in the access record (field 电话, with what
it was read from: the item's number, or the contact and their partner)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from issues.callback import callee_of
from issues.models.partner import Partner
from issues.views.common import get_issue_for
from residents.forms import RevealForm
from residents.models.resident import AccessField, AccessLog
from residents.scoping import community_view, get_object_for, require_editor


def _log_reporter_phone(request: HttpRequest, issue, reason: str) -> None:
    """The access record of a number an item's reporter gave (typed in the text, or to call back)."""
    AccessLog.objects.create(
        community=request.community,
        user=request.user,
        resident=issue.reporter if issue.reporter_id else None,
        field=AccessField.PHONE,
        reason=reason,
        subject=issue.code,
    )


@community_view
def issue_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_issue_for(request, pk)
    if not request.membership.can_reveal:
        raise PermissionDenied
    form = RevealForm(request.POST or None)
    text = None
    if request.method == "POST" and form.is_valid():
        _log_reporter_phone(request, issue, form.cleaned_data["reason"])
        text = issue.text
    template = "issues/partials/text_reveal.html" if request.htmx else "issues/issue_reveal.html"
    return render(request, template, {"issue": issue, "form": form, "text": text})


@community_view
def issue_callee_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The reporter's full name and number, beside the 回访 form (issues/partials/callee.html),
    for those who may reveal a resident's number."""
    issue = get_issue_for(request, pk)
    if not request.membership.can_reveal:
        raise PermissionDenied
    callee = callee_of(issue)
    form = RevealForm(request.POST or None)
    revealed = False
    if request.method == "POST" and callee.phone and form.is_valid():
        _log_reporter_phone(request, issue, form.cleaned_data["reason"])
        revealed = True
    context = {"issue": issue, "callee": callee, "callee_form": form, "revealed": revealed}
    template = "issues/partials/callee.html" if request.htmx else "issues/issue_callee_reveal.html"
    return render(request, template, context)


@community_view
def partner_contact_reveal(request: HttpRequest, pk: int, contact: int) -> HttpResponse:
    """A partner's contact person's full mobile, to call them. For the roles that work with
    partners (not the read-only 街道 viewer): the number was shown to them in full before it was
    masked, so grid workers keep it, one logged step away."""
    partner = get_object_for(request, Partner, pk=pk)
    person = get_object_or_404(partner.contacts, pk=contact)
    require_editor(request)
    form = RevealForm(request.POST or None)
    revealed = False
    if request.method == "POST" and form.is_valid():
        AccessLog.objects.create(
            community=request.community,
            user=request.user,
            field=AccessField.PHONE,
            reason=form.cleaned_data["reason"],
            subject=str(person)[:60],
        )
        revealed = True
    context = {"partner": partner, "contact": person, "contact_form": form, "revealed": revealed}
    template = "issues/partials/contact_phone.html" if request.htmx else "issues/partner_contact_reveal.html"
    return render(request, template, context)
