"""The commendation register (锦旗, 感谢信, 12345 praise) shown as a wall of honour."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_filters.views import FilterView

from activities import services
from activities.filters import CommendationFilter
from activities.forms import CommendationForm
from activities.models import Commendation
from activities.selectors import commendations_per_month
from activities.views.common import photo_response
from residents.pagination import PageInRangeMixin
from residents.scoping import CommunityRequiredMixin, community_view, get_object_for, require_editor, scoped


class CommendationListView(CommunityRequiredMixin, PageInRangeMixin, FilterView):
    """The wall of honour: newest first, with the count per month of the last year."""

    filterset_class = CommendationFilter
    template_name = "activities/commendation_list.html"
    paginate_by = 24

    def get_queryset(self):
        return scoped(self.request, Commendation.objects.select_related("credited_staff", "giver", "issue"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        per_month = commendations_per_month(self.request.community, now=timezone.now())
        context.update(
            sub="honours",
            per_month=per_month,
            per_month_max=max((n for _m, n in per_month), default=0) or 1,
            year_total=sum(n for _m, n in per_month),
        )
        return context


@community_view
def commendation_giver_suggest(request: HttpRequest) -> HttpResponse:
    """HTMX: while the giver is typed, the residents it may be, to choose one."""
    require_editor(request)
    residents = services.giver_suggestions(request.community, request.GET.get("giver_resident_name", ""))
    return render(request, "activities/partials/giver_suggestions.html", {"residents": residents})


@community_view
def commendation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    queryset = Commendation.objects.select_related("giver__room__unit__building")
    commendation = get_object_for(request, queryset, pk=pk) if pk else None
    require_editor(request)
    if request.method == "POST":
        form = CommendationForm(request.POST, request.FILES, instance=commendation, community=request.community)
        if form.is_valid():
            if commendation is None:
                form.instance.created_by = request.user
            form.save()
            messages.success(request, _("Commendation recorded."))
            return redirect("activities:commendation_list")
    else:
        initial = {} if commendation else {"received_on": timezone.localdate()}
        form = CommendationForm(instance=commendation, initial=initial, community=request.community)
    chosen = form.instance.giver if form.instance.giver_id else None
    context = {
        "form": form,
        "commendation": commendation,
        "residents": services.giver_suggestions(
            request.community, form["giver_resident_name"].value() or "", chosen=chosen
        ),
        "chosen": chosen,
        # A banner kept under a name typed (a family, 3号楼王阿姨一家) is edited with 都不是 chosen:
        # saved unchanged, it is not asked again which of the residents suggested gave it.
        "none_chosen": form["giver"].value() == "" if form.is_bound else bool(commendation) and chosen is None,
    }
    return render(request, "activities/commendation_form.html", context)


@community_view
@require_POST
def commendation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a commendation recorded by mistake or twice, with its photo."""
    commendation = get_object_for(request, Commendation.objects.select_related("giver"), pk=pk)
    require_editor(request)
    message = _("Commendation deleted.")
    services.delete_record(commendation, by=request.user, note=message)
    messages.success(request, message)
    return redirect("activities:commendation_list")


@community_view
def commendation_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """Served only to members of the commendation's community; others get a 404."""
    commendation = get_object_for(request, Commendation.objects.exclude(photo=""), pk=pk)
    thumb = request.GET.get("size") == "thumb" and commendation.photo_thumbnail
    return photo_response(thumb or commendation.photo, commendation.photo_content_type)
