"""Choice labels from a table made once per field and language."""

from __future__ import annotations

from functools import cache

from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import get_language


@cache
def _labels(field: models.Field, language: str | None) -> dict:
    """The field's choices as {value: label}, the labels translated into ``language`` (the
    active one, which str() of a lazy label reads): the cache's key, not an argument used."""
    return {value: force_str(label, strings_only=True) for value, label in field.flatchoices}


class ChoiceLabels:
    """``get_FOO_display()`` from a table made once per field and language.

    Django's own makes a hashable copy of every choice on every call, which translates each
    choice's label again: for the five or six labels of each row of a list, a tenth of the
    page's time (the 12345 list, the 民情日记). Same answers: a value not among the choices is
    given back as it is, an unhashable one goes to Django's own (tests/test_choice_labels.py).
    Put before ``models.Model`` in the bases, as Django binds ``get_FOO_display`` when it
    makes the class. For choices fixed in the code (every model's here): choices that change
    while the process runs would keep their first labels."""

    def _get_FIELD_display(self, field: models.Field):
        value = getattr(self, field.attname)
        try:
            label = _labels(field, get_language()).get(value, value)
        except TypeError:  # an unhashable value
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)  # a value given back may be lazy or a number
