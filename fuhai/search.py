"""The top bar's one search box: items, residents, partners, activities, commendations and 12345
cases of the user's community, each read through its app's selectors."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from activities import selectors as activity_selectors
from issues import selectors as issue_selectors
from issues.selectors.names import hide_names
from residents import selectors as resident_selectors
from residents.masking import mask_name, mask_name_in_label, mask_numbers_in_text
from residents.models.community import Community, Membership
from residents.scoping import community_view

#: Hits per kind in the drop-down under the box, and on the full results page.
SUGGEST_LIMIT = 4
PAGE_LIMIT = 50
MAX_QUERY = 50


@dataclass(frozen=True)
class Hit:
    title: str
    detail: str
    url: str


@dataclass(frozen=True)
class Group:
    kind: str
    label: str
    hits: list[Hit]


def _giver(label: str, *, full_names: bool) -> str:
    """A commendation's giver as the reader may see it: 7号楼李先生, or 7号楼李** (never 7**)."""
    return mask_numbers_in_text(label) if full_names else mask_name_in_label(label)


def search_everything(community: Community, query: str, *, limit: int, membership: Membership) -> list[Group]:
    """Each kind's hits for ``query`` in ``community`` (kinds with none are left out). Phones are
    never shown: residents are named with their room and the masked phone; for the 街道 viewer
    (``membership`` that does not visit residents) residents and a commendation's giver are 王**,
    and so are an item's people named in its text, as on the item page (hide_names)."""
    full_names = membership.visits_residents
    # A NUL byte (which PostgreSQL refuses) is never part of what someone looks for.
    query = " ".join(query.replace("\x00", " ").split())[:MAX_QUERY]
    if not query:
        return []
    issues = issue_selectors.search_items(community, query, limit=limit)
    cases = issue_selectors.search_hotline_cases(community, query, limit=limit)
    hide_names(membership, [*issues, *(case.issue for case in cases)])
    groups = [
        Group(
            "issue",
            _("Issue log"),
            [
                Hit(
                    issue.code,
                    mask_numbers_in_text(issue.text, issue.hidden_names)[:60],
                    reverse("issues:issue_detail", args=[issue.pk]),
                )
                for issue in issues
            ],
        ),
        Group(
            "resident",
            _("Residents"),
            [
                Hit(
                    resident.name if full_names else mask_name(resident.name),
                    " ".join(
                        part for part in (resident.room.label if resident.room else "", resident.masked_phone) if part
                    ),
                    reverse("residents:resident_detail", args=[resident.pk]),
                )
                for resident in resident_selectors.find_residents(community, query, limit=limit)
            ],
        ),
        Group(
            "partner",
            _("Partners"),
            [
                Hit(partner.name, partner.get_kind_display(), reverse("issues:partner_detail", args=[partner.pk]))
                for partner in issue_selectors.search_partners(community, query, limit=limit)
            ],
        ),
        Group(
            "activity",
            _("Activities"),
            [
                Hit(
                    activity.title,
                    f"{activity.starts_at:%Y-%m-%d}",
                    reverse("activities:activity_detail", args=[activity.pk]),
                )
                for activity in activity_selectors.search_activities(community, query, limit=limit)
            ],
        ),
        Group(
            "commendation",
            _("Commendations"),
            [
                Hit(
                    mask_numbers_in_text(commendation.inscription, () if full_names else commendation.giver_names)
                    or commendation.get_kind_display(),
                    f"{commendation.get_kind_display()} {commendation.received_on:%Y-%m-%d} "
                    f"{_giver(commendation.giver_display, full_names=full_names)}",
                    commendation.get_absolute_url(),
                )
                for commendation in activity_selectors.search_commendations(community, query, limit=limit)
            ],
        ),
        Group(
            "hotline",
            _("12345 cases"),
            [
                Hit(
                    case.case_no,
                    mask_numbers_in_text(case.issue.text, case.issue.hidden_names)[:60],
                    reverse("issues:hotline_detail", args=[case.pk]),
                )
                for case in cases
            ],
        ),
    ]
    return [group for group in groups if group.hits]


@community_view
def search(request: HttpRequest) -> HttpResponse:
    """The full results page for ``?q=``; with ``?suggest=1`` only the drop-down's options."""
    query = request.GET.get("q", "")
    membership = request.membership
    if request.GET.get("suggest"):
        groups = search_everything(request.community, query, limit=SUGGEST_LIMIT, membership=membership)
        return render(request, "fuhai/search_suggest.html", {"groups": groups, "query": query})
    groups = search_everything(request.community, query, limit=PAGE_LIMIT, membership=membership)
    return render(request, "fuhai/search.html", {"groups": groups, "query": query.strip()})
