"""Project pages: the list, a new project, its page with its milestones, and the small POST
steps (add a milestone, mark one done, move its promised date, finish the project). Every step's
only write is a model method; with HTMX the milestones come back in place."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from issues.projects.forms import MilestoneDoneForm, MilestoneForm, MilestoneMoveForm, ProjectForm
from issues.projects.models import Project, ProjectError
from residents.scoping import community_view, get_object_for, require_editor, scoped


def get_project_for(request: HttpRequest, pk: int) -> Project:
    """The one access helper for a project: another community's project is a 404."""
    return get_object_for(request, Project.objects.select_related("partner", "owner"), pk=pk)


def due_text(promised_on: date, today: date) -> str:
    """已逾期 3 天 / 今日到期 / 明天到期 / 5 天后到期: how the list and the page say where a promise stands."""
    days = (promised_on - today).days
    if days < 0:
        return ngettext("Overdue by %(days)s day", "Overdue by %(days)s days", -days) % {"days": -days}
    if days == 0:
        return _("Due today")
    if days == 1:
        return _("Due tomorrow")
    return _("Due in %(days)s d") % {"days": days}


@community_view
def project_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    page = Paginator(scoped(request, Project.objects.for_list()), 50).get_page(request.GET.get("page"))
    for project in page:
        project.next_milestone = project.open_milestones[0] if project.open_milestones else None
        if project.next_milestone and project.is_active:
            project.next_due = due_text(project.next_milestone.promised_on, today)
            project.late = project.next_milestone.promised_on < today
    return render(request, "issues/projects/project_list.html", {"page_obj": page, "projects": page})


@community_view
def project_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    project = get_project_for(request, pk) if pk else Project(community=request.community)
    require_editor(request)
    now = timezone.now()
    form = ProjectForm(
        request.POST or None,
        instance=project,
        initial=None if pk else {"owner": request.user.pk},  # who writes it down usually runs it
        community=request.community,
        today=timezone.localdate(),
    )
    if request.method == "POST" and form.is_valid():
        project = form.save(commit=False)
        if not project.pk:
            project.created_by, project.created_at = request.user, now
        project.save()
        messages.success(request, _("Project saved."))
        return redirect("issues:project_detail", pk=project.pk)
    status = 400 if form.is_bound else 200
    return render(request, "issues/projects/project_form.html", {"form": form, "project": project}, status=status)


@community_view
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for(request, pk)
    return render(request, "issues/projects/project_detail.html", _detail_context(request, project))


def _detail_context(request: HttpRequest, project: Project, *, add_form=None, failed=None) -> dict:
    """The page's milestones with their forms; ``failed`` is (milestone pk, form name, bound form)
    of a step refused, shown on its own row with what was typed."""
    today = timezone.localdate()
    milestones = list(project.milestones.all())
    editing = request.membership.can_edit and project.is_active
    for milestone in milestones:
        milestone.project = project  # the forms read the project's start: no query per row
        if not milestone.done_on:
            milestone.due_text = due_text(milestone.promised_on, today)
            milestone.late = milestone.promised_on < today
        if editing and not milestone.done_on:
            milestone.done_form = MilestoneDoneForm(milestone=milestone, today=today, prefix=f"done{milestone.pk}")
            milestone.move_form = MilestoneMoveForm(milestone=milestone, today=today, prefix=f"move{milestone.pk}")
            if failed and failed[0] == milestone.pk:
                setattr(milestone, failed[1], failed[2])
                milestone.open_panel = failed[1]
    return {
        "project": project,
        "milestones": milestones,
        "editing": editing,
        "add_form": add_form or (MilestoneForm(project=project, today=today) if editing else None),
        "open_count": sum(1 for m in milestones if not m.done_on),
    }


def _milestones_response(request: HttpRequest, project: Project, saved: str, **context) -> HttpResponse:
    """After a step: with HTMX the milestones block in place (a refused form with its errors and
    what was typed); without, the page (redirected when saved, shown again with 400 when not)."""
    refused = bool(context)
    if request.htmx:
        return render(request, "issues/projects/partials/milestones.html", _detail_context(request, project, **context))
    if not refused:
        messages.success(request, saved)
        return redirect("issues:project_detail", pk=project.pk)
    return render(
        request, "issues/projects/project_detail.html", _detail_context(request, project, **context), status=400
    )


def _open_project(request: HttpRequest, pk: int) -> Project:
    project = get_project_for(request, pk)  # first: another community's project is a 404, not a 403
    require_editor(request)
    return project


@require_POST
@community_view
def milestone_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = _open_project(request, pk)
    now = timezone.now()
    form = MilestoneForm(request.POST, project=project, today=timezone.localdate())
    valid = form.is_valid()
    if valid and not project.is_active:
        form.add_error(None, _("This project is finished: no new milestones."))
        valid = False
    if not valid:
        return _milestones_response(request, project, "", add_form=form)
    milestone = form.save(commit=False)
    milestone.project, milestone.created_at = project, now
    milestone.start_clock(now)
    milestone.save()
    return _milestones_response(request, project, _("Milestone added."))


def _milestone_step(request: HttpRequest, pk: int, milestone_pk: int, name: str, form_class, apply) -> HttpResponse:
    project = _open_project(request, pk)
    milestone = get_object_or_404(project.milestones, pk=milestone_pk)
    milestone.project = project
    form = form_class(request.POST, milestone=milestone, today=timezone.localdate(), prefix=f"{name[:4]}{milestone.pk}")
    if form.is_valid():
        try:
            apply(milestone, form.cleaned_data, timezone.now())
        except ProjectError as exc:
            form.add_error(None, str(exc))
    if form.errors:
        return _milestones_response(request, project, "", failed=(milestone.pk, name, form))
    return _milestones_response(request, project, _("Milestone saved."))


@require_POST
@community_view
def milestone_done(request: HttpRequest, pk: int, milestone: int) -> HttpResponse:
    return _milestone_step(
        request,
        pk,
        milestone,
        "done_form",
        MilestoneDoneForm,
        lambda m, data, now: m.mark_done(on=data["done_on"], now=now),
    )


@require_POST
@community_view
def milestone_move(request: HttpRequest, pk: int, milestone: int) -> HttpResponse:
    return _milestone_step(
        request,
        pk,
        milestone,
        "move_form",
        MilestoneMoveForm,
        lambda m, data, now: m.move_promise(to=data["promised_on"], now=now),
    )


@require_POST
@community_view
def project_finish(request: HttpRequest, pk: int) -> HttpResponse:
    project = _open_project(request, pk)
    try:
        project.finish(by=request.user, now=timezone.now())
    except ProjectError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Project marked finished."))
    return redirect("issues:project_detail", pk=project.pk)
