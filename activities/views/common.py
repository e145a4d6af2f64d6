"""Access helpers shared by the activities views."""

from __future__ import annotations

from django import forms
from django.http import FileResponse, HttpRequest

from activities.models import Activity
from residents.scoping import get_object_for


def get_activity_for(request: HttpRequest, pk: int, *, counts: bool = False) -> Activity:
    """The one access helper for an activity: another community's activity is a 404."""
    queryset = Activity.objects.select_related("organiser", "community")
    if counts:
        queryset = queryset.with_counts()
    return get_object_for(request, queryset, pk=pk)


def photo_response(file, content_type: str) -> FileResponse:
    response = FileResponse(file.open("rb"), content_type=content_type or "application/octet-stream")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def refusal_reasons(form: forms.Form) -> str:
    """Why a form was refused, each field's message after its label, for the banner at the top of
    the page: on a phone the form itself is below the fold and its messages out of sight."""
    return " ".join(
        f"{form[name].label}：{error}" if name in form.fields else str(error)
        for name, errors in form.errors.items()
        for error in errors
    )
