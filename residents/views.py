"""Views of residents and visits. Every read is scoped; every write is one service call."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django_filters.views import FilterView

from residents import exports, selectors, services
from residents.filters import AccessLogFilter, ResidentFilter, RosterFilter
from residents.forms import (
    DistributionForm,
    HealthNoteRevealForm,
    RevealForm,
    SpecialStatusForm,
    StockForm,
    UnmaskedExportForm,
    VisitForm,
)
from residents.masking import mask_name
from residents.models.care import Distribution, SpecialStatus, SupplyItem, SupplyStock, Visit, VisitOutcome
from residents.models.place import Room
from residents.models.resident import AccessField, AccessLog, Resident
from residents.pagination import CappedCountMixin, PageInRangeMixin
from residents.scoping import CommunityRequiredMixin, community_view, get_object_for, require_editor, scoped
from residents.spreadsheet import workbook_response


def get_resident_for(request: HttpRequest, pk: int) -> Resident:
    """The one access helper for a resident: another community's resident is a 404."""
    return get_object_for(request, Resident.objects.select_related("room__unit__building"), pk=pk)


class ListContextMixin:
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(today=timezone.localdate())
        return context


# --- residents -------------------------------------------------------------------


class ResidentListView(CommunityRequiredMixin, PageInRangeMixin, ListContextMixin, FilterView):
    filterset_class = ResidentFilter
    template_name = "residents/resident_list.html"
    paginate_by = 30

    def get_queryset(self):
        # Building, unit, room (2号楼 before 10号楼), then name; no room last: read off resident_list_order.
        return scoped(self.request, Resident.objects.select_related("room__unit__building")).order_by(
            F("place_key").asc(nulls_last=True), "name", "id"
        )

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["community"] = self.request.community
        return kwargs


@community_view
def resident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A resident with their household (who lives in the room), statuses, visits and supplies."""
    resident = get_resident_for(request, pk)
    today = timezone.localdate()
    household = []
    if resident.room_id:
        household = list(
            scoped(request, Resident.objects.filter(room_id=resident.room_id)).exclude(pk=resident.pk).order_by("name")
        )
    statuses = (
        SpecialStatus.objects.in_community(request.community)
        .filter(resident=resident)
        .to_visit_for(request.membership)
        .select_related("responsible")
    )
    visits = (
        scoped(request, Visit.objects.filter(residents=resident))
        .prefetch_related("staff")
        .select_related("recorded_by")[:20]
    )
    recipient = Q(resident=resident) | Q(room_id=resident.room_id) if resident.room_id else Q(resident=resident)
    distributions = scoped(request, Distribution.objects.filter(recipient))[:20]
    # The 锦旗 and letters they gave (activities.Commendation), shown only when there are any.
    commendations = resident.commendations_given.filter(community=request.community).select_related("issue")
    # The 民情日记 items they reported (issues.Issue.reporter; a visit's needs logged for them too).
    reported = resident.issues.filter(community=request.community).order_by("-received_at", "-pk")[:20]
    return render(
        request,
        "residents/resident_detail.html",
        {
            "resident": resident,
            "household": household,
            "statuses": statuses,
            "visits": visits,
            "distributions": distributions,
            "commendations": commendations,
            "reported": reported,
            "today": today,
            "age": resident.age(today),
        },
    )


@community_view
def resident_reveal(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    """Show one full number once, after a reason is given; the reveal is logged."""
    resident = get_resident_for(request, pk)
    if field not in (AccessField.ID_NUMBER, AccessField.PHONE):
        raise Http404
    if not request.membership.can_reveal:
        raise PermissionDenied
    value = None
    form = RevealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        value = services.reveal(resident=resident, user=request.user, field=field, reason=form.cleaned_data["reason"])
    template = "residents/partials/reveal.html" if request.htmx else "residents/resident_reveal.html"
    return render(
        request,
        template,
        {
            "resident": resident,
            "field": field,
            "field_label": AccessField(field).label,
            "form": form,
            "value": value,
            "reveal_url": reverse("residents:resident_reveal", args=[resident.pk, field]),
        },
    )


@community_view
def visit_health_reveal(request: HttpRequest, pk: int, visit_pk: int) -> HttpResponse:
    """A visit's health note on the resident's page, shown once after a reason is given; the
    reading is logged as a reveal of a number is. Only for the roles that see health data."""
    resident = get_resident_for(request, pk)
    if not request.membership.can_see_sensitive:
        raise PermissionDenied
    visit = get_object_for(request, Visit.objects.filter(residents=resident).exclude(health_note=""), pk=visit_pk)
    value = None
    form = HealthNoteRevealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        value = services.reveal_health_note(
            visit=visit, resident=resident, user=request.user, reason=form.cleaned_data["reason"]
        )
    template = "residents/partials/reveal.html" if request.htmx else "residents/resident_reveal.html"
    return render(
        request,
        template,
        {
            "resident": resident,
            "field": AccessField.HEALTH_NOTE,
            "field_label": AccessField.HEALTH_NOTE.label,
            "form": form,
            "value": value,
            "reveal_url": reverse("residents:visit_health_reveal", args=[resident.pk, visit.pk]),
        },
    )


class AccessLogListView(CommunityRequiredMixin, CappedCountMixin, ListContextMixin, FilterView):
    """The secretary's review of every reveal: newest first off accesslog_comm_created, counted
    only up to the cap (years of records are not counted on every opening)."""

    filterset_class = AccessLogFilter
    template_name = "residents/accesslog_list.html"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.membership and not request.membership.is_secretary:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return scoped(self.request, AccessLog.objects.select_related("user", "resident"))


# --- special populations and visits -----------------------------------------------


class RosterView(CommunityRequiredMixin, PageInRangeMixin, ListContextMixin, FilterView):
    """Every special resident with last visit and next due, overdue first."""

    filterset_class = RosterFilter
    template_name = "residents/roster.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.roster(self.request.community, today=timezone.localdate(), membership=self.request.membership)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs.update(community=self.request.community, today=timezone.localdate(), membership=self.request.membership)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Late by the rule of 只看已超期, read off the statuses the row shows (prefetched).
        for resident in context["object_list"]:
            resident.visit_late = any(status.is_overdue(context["today"]) for status in resident.visible_statuses)
        return context


def _visit_residents(request: HttpRequest) -> tuple[Room | None, list[Resident], Resident | None]:
    """The room being visited and its living residents, from ?resident=, ?room= or ?place=3-2-501."""
    chosen = None
    room = None
    if request.GET.get("resident", "").isdigit():
        chosen = get_resident_for(request, int(request.GET["resident"]))
        room = chosen.room
    elif request.GET.get("room", "").isdigit():
        room = get_object_for(request, Room.objects.with_place(), pk=int(request.GET["room"]))
    elif request.GET.get("place"):
        room = scoped(request, Room.objects.all()).find_label(request.GET["place"])
    if room is not None:
        residents = scoped(request, Resident.objects.active().filter(room=room)).order_by("name")
    elif chosen is not None:
        residents = scoped(request, Resident.objects.filter(pk=chosen.pk))
    else:
        residents = Resident.objects.none()
    return room, residents, chosen


@community_view
def visit_create(request: HttpRequest) -> HttpResponse:
    """Record a visit in under a minute on a phone."""
    require_editor(request)
    today = timezone.localdate()
    room, residents, chosen = _visit_residents(request)
    initial = {"visited_on": today, "staff": [request.user.pk], "fire_blankets": 0, "gifts": 0}
    if chosen is not None:
        initial["residents"] = [chosen.pk]
    elif len(residents) == 1:
        initial["residents"] = [residents[0].pk]
    form = VisitForm(
        request.POST or None,
        initial=initial,
        community=request.community,
        residents=residents,
        today=today,
        can_see_sensitive=request.membership.can_see_sensitive,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        hand_outs = [
            services.HandOut(item=item, quantity=data[key], signed=data["signed"])
            for item, key in ((SupplyItem.FIRE_BLANKET, "fire_blankets"), (SupplyItem.GIFT, "gifts"))
            if data[key]
        ]
        details = {name: data[name] for name in form.Meta.fields if name not in ("residents", "staff", "visited_on")}
        try:
            visit = services.record_visit(
                community=request.community,
                recorded_by=request.user,
                residents=data["residents"],
                staff=data["staff"],
                visited_on=data["visited_on"],
                today=today,
                room=room,
                hand_outs=hand_outs,
                log_needs=data.get("log_needs", False),
                **details,
            )
        except services.SupplyError as exc:
            form.add_error(None, str(exc))
        else:
            came_from = request.GET.get("from")
            # The board is on the shared screen and the home page names nobody in full: there a
            # resident is 魏**, as on their lists.
            masked = came_from in ("board", "home")
            names = "、".join(mask_name(r.name) if masked else r.name for r in data["residents"])
            # An item logged from the needs is named, with its link beside the message
            # (partials/messages.html, as 撤销 keeps its own): it was made without a word before.
            item = visit.logged_items[0] if visit.logged_items else None
            if item is not None:
                request.session["message_link"] = item
            tags = "link" if item is not None else ""
            if data["outcome"] == VisitOutcome.NOT_HOME:
                text = _("Nobody at home for %(names)s: recorded, and the visit is still due.") % {"names": names}
                if item is not None:
                    text += " " + _("The needs noted are logged in the 民情日记 as %(code)s.") % item
                messages.warning(request, text, extra_tags=tags)
            elif item is not None:
                text = _("Visit to %(names)s recorded, and its needs logged in the 民情日记 as %(code)s.")
                messages.success(request, text % {"names": names, "code": item["code"]}, extra_tags=tags)
            else:
                messages.success(request, _("Visit to %(names)s recorded.") % {"names": names})
            # Opened from a morning-meeting task or the home page's list: back there, where the
            # task shows it visited and the visit has left the list.
            return redirect(came_from if masked else "residents:visit_plan")
    return render(
        request,
        "residents/visit_form.html",
        {
            "form": form,
            "room": room,
            "has_residents": bool(residents),
            "place": request.GET.get("place", ""),
        },
    )


@community_view
def visit_plan(request: HttpRequest, day: str | None = None) -> HttpResponse:
    """The day's visits to hand out at the morning meeting: who is due, grouped by staff."""
    today = timezone.localdate()
    try:
        the_day = date.fromisoformat(day) if day else today
    except ValueError:
        raise Http404 from None
    statuses = (
        selectors.due_statuses(request.community, day=the_day)
        .to_visit_for(request.membership)
        .select_related("resident__room__unit__building", "responsible")
        .order_by(selectors.by_pinyin("responsible__first_name"), "next_due_on", "resident__name")
    )
    done = list(selectors.todays_visits(request.community, today=the_day))
    # Knocked and found nobody that day (未遇): still due, and the row says so.
    not_home = {resident.pk for visit in done if visit.found_nobody for resident in visit.residents.all()}
    groups: dict = {}
    for status in statuses:
        entry = groups.setdefault(status.responsible_id, {"staff": status.responsible, "rows": {}})
        row = entry["rows"].setdefault(
            status.resident_id,
            {"resident": status.resident, "statuses": [], "late": False, "not_home": status.resident_id in not_home},
        )
        row["statuses"].append(status)
        row["late"] |= status.is_overdue(the_day)
    return render(
        request,
        "residents/visit_plan.html",
        {
            "day": the_day,
            "today": today,
            "previous_day": the_day - timedelta(days=1),
            "next_day": the_day + timedelta(days=1),
            "groups": list(groups.values()),
            "done": done,
        },
    )


# --- supplies ----------------------------------------------------------------------


@community_view
def supply_list(request: HttpRequest) -> HttpResponse:
    """Stock per item, deliveries in, recent hand-outs, special households with no fire blanket."""
    today = timezone.localdate()
    stock_form = StockForm(request.POST or None)
    if request.method == "POST":
        require_editor(request)
        if stock_form.is_valid():
            services.receive_stock(
                community=request.community,
                item=stock_form.cleaned_data["item"],
                quantity=stock_form.cleaned_data["quantity"],
            )
            messages.success(request, _("Stock updated."))
            return redirect("residents:supply_list")
    stock = {s.item: s.quantity for s in SupplyStock.objects.in_community(request.community)}
    without = {"item": SupplyItem.FIRE_BLANKET, "today": today, "membership": request.membership}
    return render(
        request,
        "residents/supply_list.html",
        {
            "stock": [(label, stock.get(value, 0)) for value, label in SupplyItem.choices],
            "stock_form": stock_form,
            "without_blanket": selectors.special_households_without(request.community, **without).prefetch_related(
                Prefetch("residents", queryset=Resident.objects.active().order_by("name"), to_attr="living")
            ),
            "hidden_without_blanket": selectors.hidden_households_without(request.community, **without),
            "recent": scoped(request, Distribution.objects.select_related("resident", "room__unit__building"))[:30],
        },
    )


@community_view
def distribution_create(request: HttpRequest) -> HttpResponse:
    """Hand out supplies outside a visit (a visit hands them out on its own form)."""
    require_editor(request)
    today = timezone.localdate()
    form = DistributionForm(
        request.POST or None, rooms=scoped(request, Room.objects.all()), today=today, initial={"handed_on": today}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.hand_out_supplies(
                community=request.community,
                recorded_by=request.user,
                item=data["item"],
                quantity=data["quantity"],
                handed_on=data["handed_on"],
                signed=data["signed"],
                room=data["room"],
            )
        except services.SupplyError as exc:
            form.add_error("quantity", str(exc))
        else:
            messages.success(request, _("Hand-out recorded."))
            return redirect("residents:supply_list")
    return render(request, "residents/distribution_form.html", {"form": form})


# --- export ----------------------------------------------------------------------------


UNMASKED_EXPORTS_PER_HOUR = 5


@community_view
def resident_export(request: HttpRequest) -> HttpResponse:
    """GET: the filtered list as Excel, masked, whoever asks (``full=1`` in an address changes
    nothing). POST: the secretary's unmasked export, with a reason, at most five an hour, logged
    with how many people it contains."""
    residents = ResidentFilter(
        request.GET,
        queryset=scoped(request, Resident.objects.select_related("room__unit__building")).order_by(
            "room__unit__building__number", "room__unit__number", "room__room_no", "name"
        ),
        community=request.community,
    ).qs
    stem = pgettext("file name", "Residents")
    filename = f"{stem}_{timezone.localdate():%Y%m%d}.xlsx"
    if request.method != "POST":
        sheet = exports.residents_sheet(residents, full=False, full_names=request.membership.visits_residents)
        return workbook_response(sheets=[sheet], filename=filename)
    if not request.membership.is_secretary:
        raise PermissionDenied
    back = f"{reverse('residents:resident_list')}?{request.GET.urlencode()}"
    form = UnmaskedExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("reason", [])))
        return redirect(back)
    recent = AccessLog.objects.filter(
        user=request.user, field=AccessField.EXPORT, created_at__gte=timezone.now() - timedelta(hours=1)
    ).count()
    if recent >= UNMASKED_EXPORTS_PER_HOUR:
        messages.error(
            request,
            _("At most %(n)s unmasked exports an hour: please try again later, or use the masked export.")
            % {"n": UNMASKED_EXPORTS_PER_HOUR},
        )
        return redirect(back)
    AccessLog.objects.create(
        community=request.community,
        user=request.user,
        field=AccessField.EXPORT,
        reason=form.cleaned_data["reason"],
        people=residents.count(),
    )
    return workbook_response(sheets=[exports.residents_sheet(residents, full=True, full_names=True)], filename=filename)


@community_view
def specialstatus_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a special status to a resident; the interval defaults to the community's for the tier."""
    resident = get_resident_for(request, pk)
    require_editor(request)
    form = SpecialStatusForm(
        request.POST or None,
        instance=SpecialStatus(resident=resident, community=request.community),
        initial={"valid_from": timezone.localdate()},
        community=request.community,
        can_see_sensitive=request.membership.can_see_sensitive,
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Special status added."))
        return redirect("residents:resident_detail", pk=resident.pk)
    return render(request, "residents/specialstatus_form.html", {"form": form, "resident": resident})
