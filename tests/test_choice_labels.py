"""get_FOO_display() reads a table made once per field and language (residents.models.labels)
and answers as Django's own, for every choice of every model, in Chinese and in English."""

import inspect

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from issues.models.choices import IssueStatus
from issues.models.issue import Issue
from residents.models.labels import ChoiceLabels

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
