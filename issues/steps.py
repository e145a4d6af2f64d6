"""Steps: a state change offered as a small POST form on an object's page.

Each page declares its steps as a table (the item's in ``issues.views.item``, the 12345 case's
in ``issues.hotline.views``); one view per page looks the step up and calls ``apply_step``, so
every step validates, writes and reports the same way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext as _

from issues.models.choices import TransitionError

#: Builds a step form's keyword arguments (a queryset's community, an initial value…).
FormKwargs = Callable[[HttpRequest, Any, datetime], dict[str, Any]]


def no_form_kwargs(request: HttpRequest, target: Any, now: datetime) -> dict[str, Any]:
    return {}


def cleaned(*names: str) -> Callable[[forms.Form], dict[str, Any]]:
    """The model method takes these cleaned fields as keyword arguments of the same names."""
    return lambda form: {name: form.cleaned_data[name] for name in names}


@dataclass(frozen=True)
class Step:
    """One step: its form, the model method it calls (with ``by=`` and ``now=`` and the
    ``arguments`` taken from the valid form) and the message shown when it is done."""

    form_class: type[forms.Form]
    method: str
    arguments: Callable[[forms.Form], dict[str, Any]]
    message: Callable[[Any], str]
    # Several step forms share one page: the prefix keeps their field ids apart.
    prefix: str
    form_kwargs: FormKwargs = no_form_kwargs

    def form(self, request: HttpRequest, target: Any, now: datetime, data=None) -> forms.Form:
        return self.form_class(data, auto_id=f"{self.prefix}_%s", **self.form_kwargs(request, target, now))


def apply_step(request: HttpRequest, step: Step, target: Model, *, now: datetime) -> forms.Form | None:
    """Validate the step's form and call its model method on ``target``.

    Returns None when the change is written (the success message is queued); otherwise the
    bound form, keeping what was typed, with the refusal as a form error."""
    form = step.form(request, target, now, data=request.POST)
    if form.is_valid():
        try:
            getattr(target, step.method)(by=request.user, now=now, **step.arguments(form))
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, step.message(target))
            return None
    messages.error(request, _("Not saved: please check the form below."))
    return form
