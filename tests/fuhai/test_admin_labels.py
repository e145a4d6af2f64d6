"""The operator's admin speaks Chinese: every model and every field it shows has a translated
label (a field without verbose_name shows its English attribute name, e.g. "Community")."""

import json
import re

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory

OURS = {"residents", "issues", "activities", "fuhai"}
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
MODELS = sorted((model for model in admin.site._registry if model._meta.app_label in OURS), key=lambda m: m._meta.label)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_label_the_admin_shows_is_translated(model):
    with translation.override("zh-hans"):
        labels = [model._meta.verbose_name, model._meta.verbose_name_plural, model._meta.app_config.verbose_name]
        labels += [
            field.verbose_name
            for field in model._meta.get_fields()
            if getattr(field, "editable", False) and not field.auto_created and hasattr(field, "verbose_name")
        ]
        untranslated = [str(label) for label in labels if ENGLISH_WORD.search(str(label))]
    assert untranslated == []


def test_the_admin_pages_are_in_chinese(client, db):
    client.force_login(UserFactory(username="operator", is_staff=True, is_superuser=True))
    index = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "福海 · 系统管理" in index and "居民与走访" in index and "街道" in index
    form = client.get(reverse("admin:residents_resident_add"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert ">社区" in form and ">房屋" in form and "Community" not in form


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_the_history_names_every_field_of_the_admin_form_in_chinese(model, rf, db):
    """The history stores a changed field's label untranslated and translates it when read:
    stored capitalised ("Notes"), it missed the catalogue's "notes" and read "已修改Notes。"."""
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    form = model_admin.get_form(request)()
    form.changed_data = list(form.fields)
    message = model_admin.construct_change_message(request, form, [], add=False)
    with translation.override("zh-hans"):
        said = LogEntry(change_message=json.dumps(message)).get_change_message()
    assert not ENGLISH_WORD.search(said), said
