"""Adding and changing residents and households in the app (the import is for many at once).

For the secretary and social workers only (``Membership.can_edit_residents``): the form takes
ID and phone numbers. Another community's resident or room is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from residents.editing.forms import HouseholdFormSet, MoveHouseholdForm, ResidentForm
from residents.editing.services import move_household, save_resident
from residents.models.place import Room
from residents.models.resident import Resident
from residents.scoping import community_view, get_object_for, require_resident_editor, scoped


def _resident_form(request: HttpRequest, resident: Resident, initial: dict | None = None) -> HttpResponse:
    form = ResidentForm(request.POST or None, instance=resident, initial=initial, community=request.community)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_resident(
            resident=form.save(commit=False),
            community=request.community,
            by=request.user,
            place=data["place"],
            id_number=data["id_number"],
            phone=data["new_phone"],
            emergency_phone=data["new_emergency_phone"],
        )
        messages.success(request, _("%(name)s saved.") % {"name": saved.name})
        return redirect("residents:resident_detail", pk=saved.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "residents/editing/resident_form.html", {"form": form, "resident": resident}, status=status)


@community_view
def resident_create(request: HttpRequest) -> HttpResponse:
    """A new resident; ``?room=<pk>`` starts them in a household's room."""
    require_resident_editor(request)
    initial = {}
    if request.GET.get("room", "").isdigit():
        room = get_object_for(request, Room.objects.with_place(), pk=int(request.GET["room"]))
        initial["place"] = room.label
    return _resident_form(request, Resident(community=request.community), initial)


@community_view
def resident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resident = get_object_for(request, Resident.objects.select_related("room__unit__building"), pk=pk)
    require_resident_editor(request)
    return _resident_form(request, resident)


@community_view
def household_edit(request: HttpRequest, room_pk: int) -> HttpResponse:
    """A household is the people registered in one room: their relation to the head and whether
    they still live here, and the address they all move to together."""
    room = get_object_for(request, Room.objects.with_place(), pk=room_pk)
    require_resident_editor(request)
    members = scoped(request, Resident.objects.filter(room=room)).order_by("status", "name")
    action = request.POST.get("action") if request.method == "POST" else None
    formset = HouseholdFormSet(request.POST if action == "members" else None, queryset=members, prefix="m")
    move_form = MoveHouseholdForm(request.POST if action == "move" else None, community=request.community, current=room)
    if action == "members" and formset.is_valid():
        formset.save()
        messages.success(request, _("Household saved."))
        return redirect("residents:household_edit", room_pk=room.pk)
    if action == "move" and move_form.is_valid():
        place = move_form.cleaned_data["place"]
        moved = move_household(room=room, to=place)
        messages.success(request, _("%(n)s people moved to %(room)s.") % {"n": moved, "room": place.label})
        return redirect("residents:resident_list")
    status = 400 if action else 200
    context = {"room": room, "formset": formset, "move_form": move_form}
    return render(request, "residents/editing/household_form.html", context, status=status)
