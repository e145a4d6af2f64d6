"""An item's timeline: follow-ups and photos."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from issues.models.choices import FollowUpKind, IssueChannel, IssueStatus
from issues.models.issue import Issue
from issues.models.partner import Partner, PartnerContact
from residents.models.labels import ChoiceLabels


class FollowUp(ChoiceLabels, models.Model):
    """One entry of an item's timeline: a note, a call, a visit, a promise, a state change."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="followups")
    kind = models.CharField(_("kind"), max_length=20, choices=FollowUpKind.choices, default=FollowUpKind.NOTE)
    note = models.TextField(_("note"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("time"))
    partner = models.ForeignKey(Partner, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    partner_contact = models.ForeignKey(
        PartnerContact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    promised_at = models.DateTimeField(_("promised by"), null=True, blank=True)
    from_status = models.CharField(max_length=20, choices=IssueStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=IssueStatus.choices, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=IssueChannel.choices, blank=True)
    sender = models.CharField(_("sender as received"), max_length=50, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    related_issue = models.ForeignKey(Issue, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["issue", "created_at"], name="followup_issue_time"),
            # The 不满意 callbacks of a report's period (report_figures.sent_back): few of a district's entries.
            models.Index(
                fields=["created_at"],
                name="followup_sent_back",
                condition=models.Q(kind=FollowUpKind.CALLBACK, to_status=IssueStatus.IN_PROGRESS),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"issues/{instance.issue.community_id}/{instance.issue_id}/{filename}"


class Attachment(models.Model):
    """A photo on an item or one of its follow-ups. Stored under MEDIA_ROOT and served only
    through a view that checks the user may see the item."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="attachments")
    followup = models.ForeignKey(FollowUp, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments")
    file = models.ImageField(_("photo"), upload_to=attachment_path)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=attachment_path, blank=True)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.file.name
