"""The issues app's answers to other apps' signals."""

from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from issues import services
from issues.models.choices import IssueChannel
from residents.models.care import VisitOutcome
from residents.places import Place
from residents.signals import visit_needs_reported


@receiver(visit_needs_reported, dispatch_uid="issues.visit_needs")
def log_visit_needs(sender, *, visit, recorded_by, **kwargs) -> dict:
    """Needs found on a home visit become a 民情日记 item (channel 入户走访), linked by its
    source key so saving the same visit twice logs it once. Answers the item's number and page,
    for the visit's page to say what was logged."""
    residents = list(visit.residents.all())
    met = visit.outcome != VisitOutcome.NOT_HOME
    room = visit.room or (residents[0].room if residents and residents[0].room else None)
    place = Place(room=room, building=room.unit.building) if room else Place()
    issue = services.log_issue(
        community=visit.community,
        by=recorded_by,
        now=timezone.now(),
        text=visit.needs.strip(),
        channel=IssueChannel.HOME_VISIT,
        # Nobody was at home (未遇): what was noted at the door is not the resident's report.
        reporter=residents[0] if len(residents) == 1 and met else None,
        reporter_name=residents[0].name if len(residents) == 1 and met else "",
        place=place,
        category=services.suggest_category(visit.community, visit.needs),
        owner=recorded_by,
    )
    issue.source_key = f"visit:{visit.pk}"
    issue.save(update_fields=["source_key"])
    return {"code": issue.code, "url": reverse("issues:issue_detail", args=[issue.pk])}
