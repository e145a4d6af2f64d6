"""get_FOO_display() reads a table made once per field and language (residents.models.labels)
and answers as Django's own, for every choice of every model, in Chinese and in English."""

import inspect
import re

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import translation

from issues.models.choices import IssueStatus
from issues.models.issue import Issue
from residents.models.labels import ChoiceLabels
from tests.factories import IssueFactory, PartnerFactory

PROJECT_APPS = {"residents", "issues", "activities", "fuhai"}


def project_models_with_choices():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS and any(f.choices for f in model._meta.concrete_fields)
    ]


def test_every_project_model_with_choices_reads_its_labels_from_the_table():
    found = project_models_with_choices()
    assert len(found) > 15
    missing = [
        f"{model.__name__}.{field.name}"
        for model in found
        for field in model._meta.concrete_fields
        if field.choices
        and inspect.getattr_static(model, f"get_{field.name}_display").func is not ChoiceLabels._get_FIELD_display
    ]
    assert not missing, f"put ChoiceLabels before models.Model in the bases of {missing}"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_answers_as_djangos_own_for_every_choice(language):
    with translation.override(language):
        for model in project_models_with_choices():
            for field in (f for f in model._meta.concrete_fields if f.choices):
                for value in [*(value for value, _label in field.flatchoices), "not-a-choice", None]:
                    row = model(**{field.attname: value})
                    ours = getattr(row, f"get_{field.name}_display")()
                    theirs = models.Model._get_FIELD_display(row, field)
                    assert ours == theirs and type(ours) is type(theirs), (model, field.name, value)


def test_it_follows_the_active_language():
    item = Issue(status=IssueStatus.PENDING)
    with translation.override("zh-hans"):
        assert item.get_status_display() == "待核实"
    with translation.override("en"):
        assert item.get_status_display() == "To investigate"
    with translation.override("zh-hans"):
        assert item.get_status_display() == "待核实"


def test_no_form_offers_dashes_for_its_empty_choice(secretary_client, community, secretary):
    """The empty choice of a select reads 请选择 (or what it means): Django's "---------" was left
    on the item's 编辑 (分类, 责任人), a partner's 类型 and an activity's organiser."""
    issue = IssueFactory(community=community, created_by=secretary)
    partner = PartnerFactory(community=community)
    pages = {
        reverse("issues:issue_edit", args=[issue.pk]): "请选择",
        reverse("issues:partner_create"): "请选择",
        reverse("issues:partner_edit", args=[partner.pk]): "请选择",
        reverse("activities:activity_create"): "请选择",
        reverse("activities:commendation_create"): "社区居委会（集体）",
    }
    for url, empty_label in pages.items():
        response = secretary_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "<select" in html, url
        assert "---------" not in html, url
        assert re.search(f'<option value=""( selected)?>{empty_label}</option>', html), url
