"""A4 print pages of one item and of one 12345 case, reached from their pages. Numbers typed
into the texts are masked as on every page, and for the 街道 viewer the item's people's names."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from issues.hotline.views import get_case_for
from issues.models.issue import Issue
from issues.selectors.names import hide_names
from issues.views.common import get_issue_for
from residents.scoping import community_view


def _timeline(issue: Issue):
    return issue.followups.select_related("author", "partner", "partner_contact", "related_issue").order_by(
        "created_at", "pk"
    )


@community_view
def issue_print(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_issue_for(request, pk)
    hide_names(request.membership, [issue])
    context = {"issue": issue, "followups": _timeline(issue), "printed_at": timezone.now()}
    return render(request, "issues/issue_print.html", context)


@community_view
def hotline_print(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request, pk)
    hide_names(request.membership, [case.issue])
    context = {
        "case": case,
        "issue": case.issue,
        "followups": _timeline(case.issue),
        "done_steps": case.finished_steps(),
        "printed_at": timezone.now(),
    }
    return render(request, "issues/hotline/hotline_print.html", context)
