"""Problem categories and the replies staff reuse: each community edits its own."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from residents.models.community import Community, CommunityQuerySet


class IssueCategory(models.Model):
    """A problem category (问题分类). Each community edits its own list; keywords drive the
    suggestion made from an item's text."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="issue_categories")
    name = models.CharField(_("name"), max_length=30)
    keywords = models.CharField(
        _("keywords"),
        max_length=300,
        blank=True,
        help_text=_("Words in a message that suggest this category, separated by commas"),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("issue category")
        verbose_name_plural = _("issue categories")
        ordering = ["sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="category_unique_name")]

    def __str__(self) -> str:
        return self.name

    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.replace("，", ",").split(",") if k.strip()]


class ResponseTemplate(models.Model):
    """A reply the staff reuse (常用答复), optionally for one category."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="response_templates")
    category = models.ForeignKey(IssueCategory, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    title = models.CharField(_("template name"), max_length=50)
    text = models.TextField(_("text"))

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title
