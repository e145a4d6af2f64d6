"""Steps: a state change offered as a small POST form on an object's page.

Each page declares its steps as a table (the item's in ``issues.views.item``, the 12345 case's
in ``issues.hotline.views``); one view per page looks the step up and calls ``apply_step``, so
every step validates, writes and reports the same way.

A step whose change has a true reverse in the transition map (已办结 → 办理中: ``reopen``, with
the tasks the closing marked done put back, in ``services.undo_close``) names it as ``undo``: its
success message then carries an 撤销 button for ``UNDO_SECONDS``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core import signing
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext as _

from issues.models.choices import TransitionError
from issues.models.locking import lock_and_refresh

#: How long the 撤销 button of a step's message works.
UNDO_SECONDS = 10
_UNDO_SALT = "issues.steps.undo"

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
    # What reverses this step, when the transition map has a true reverse for it: called with
    # the target and ``by``, ``now`` and ``note`` (a model method, as ``Issue.reopen``, or a service).
    undo: Callable[..., Any] | None = None

    def form(self, request: HttpRequest, target: Any, now: datetime, data=None) -> forms.Form:
        return self.form_class(data, auto_id=f"{self.prefix}_%s", **self.form_kwargs(request, target, now))


def apply_step(
    request: HttpRequest, step: Step, target: Model, *, now: datetime, name: str = "", undo_url: str = ""
) -> forms.Form | None:
    """Validate the step's form and call its model method on ``target``.

    Returns None when the change is written (the success message is queued, with an 撤销 button
    posting to ``undo_url`` when the step has a reverse); otherwise the bound form, keeping what
    was typed, with the refusal as a form error."""
    form = step.form(request, target, now, data=request.POST)
    if form.is_valid():
        try:
            entry = getattr(target, step.method)(by=request.user, now=now, **step.arguments(form))
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            if step.undo and undo_url:
                token = signing.dumps(
                    {
                        "pk": target.pk,
                        "step": name,
                        "user": request.user.pk,
                        "entry": entry.pk,
                        "version": target.version,
                        "at": now.timestamp(),
                    },
                    salt=_UNDO_SALT,
                )
                request.session["undo"] = {"url": undo_url, "token": token}
                messages.success(request, step.message(target), extra_tags="undo")
            else:
                messages.success(request, step.message(target))
            return None
    # Tagged: the banner goes (fuhai.js) once the form shows no error any more, a refused text
    # shortened to fit, so it does not go on asking to check a form that is right.
    messages.error(request, _("Not saved: please check the form below."), extra_tags="form-errors")
    return form


def undo_step(request: HttpRequest, steps: dict[str, Step], target: Model, *, now: datetime) -> bool:
    """Reverse the step whose message offered the 撤销 button, through the step's ``undo``
    (so it is on the timeline), if it is still within ``UNDO_SECONDS`` and nothing has
    happened to ``target`` since. Queues the message saying what happened either way."""
    try:
        data = signing.loads(request.POST.get("token", ""), salt=_UNDO_SALT)
    except signing.BadSignature:
        data = {}
    step = steps.get(data.get("step", ""))
    if not step or not step.undo or data.get("pk") != target.pk or data.get("user") != request.user.pk:
        messages.error(request, _("This change cannot be undone here."))
        return False
    if now.timestamp() - data["at"] > UNDO_SECONDS:
        messages.error(request, _("Too late to undo: a change can be undone for %(n)s seconds.") % {"n": UNDO_SECONDS})
        return False
    with transaction.atomic():
        lock_and_refresh(target)
        latest = target.followups.order_by("-pk").values_list("pk", flat=True).first()
        if target.version != data["version"] or latest != data["entry"]:
            messages.error(request, _("Not undone: the item has changed since."))
            return False
        try:
            step.undo(target, by=request.user, now=now, note=_("Undone within %(n)s seconds.") % {"n": UNDO_SECONDS})
        except TransitionError as exc:
            messages.error(request, str(exc))
            return False
    request.session.pop("undo", None)
    messages.success(request, step.message(target))
    return True
