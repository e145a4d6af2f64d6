"""The 温馨提醒 library: templates, drafts, one-click copy for the WeChat group."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_filters.views import FilterView

from activities import services
from activities.filters import NoticeFilter
from activities.forms import NoticeForm
from activities.models import Notice
from residents.pagination import PageInRangeMixin
from residents.scoping import CommunityRequiredMixin, community_view, get_object_for, require_editor, scoped


class NoticeListView(CommunityRequiredMixin, PageInRangeMixin, FilterView):
    filterset_class = NoticeFilter
    template_name = "activities/notice_list.html"
    paginate_by = 20

    def get_queryset(self):
        return scoped(self.request, Notice.objects.all())

    def get(self, request, *args, **kwargs):
        if request.membership.can_edit:
            services.ensure_notice_templates(request.community)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(sub="notices")
        return context


@community_view
def notice_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A new notice starts from a template (?from=<id>); the text is refused if it carries
    a mobile or ID number, and what was typed stays in the form."""
    notice = get_object_for(request, Notice, pk=pk) if pk else None
    require_editor(request)
    if request.method == "POST":
        form = NoticeForm(request.POST, instance=notice, community=request.community)
        if form.is_valid():
            if notice is None:
                form.instance.created_by = request.user
            notice = form.save()
            messages.success(request, _("Notice saved. Copy it to the group from the library."))
            return redirect(f"{reverse('activities:notice_list')}#notice-{notice.pk}")
    else:
        initial = {}
        source_pk = request.GET.get("from", "")
        if notice is None and source_pk.isdigit():
            source = get_object_for(request, Notice, pk=int(source_pk))
            initial = {"topic": source.topic, "title": source.title, "text": source.text, "is_template": False}
        form = NoticeForm(instance=notice, initial=initial, community=request.community)
    return render(request, "activities/notice_form.html", {"form": form, "notice": notice})


@community_view
@require_POST
def notice_delete(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_for(request, Notice, pk=pk)
    require_editor(request)
    message = _("Notice deleted.")
    services.delete_record(notice, by=request.user, note=message)
    messages.success(request, message)
    return redirect("activities:notice_list")
