"""The WeChat batch entry: paste the morning's group messages, check the drafts, save in one pass."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from issues import services
from issues.models.issue import Issue
from issues.models.partner import PartnerContact
from issues.wechat import drafts as wechat_drafts
from issues.wechat import parser, reading
from issues.wechat.forms import DraftForm, DraftPage, PasteForm, kept_choices, paste_fingerprint
from residents.scoping import community_view, require_editor, scoped


@community_view
def wechat_paste(request: HttpRequest) -> HttpResponse:
    """Step 1 reads the paste into drafts; step 2 saves the ticked drafts in one transaction.
    The paste travels with every post, so a mistake never loses it."""
    require_editor(request)
    active = [c for c in services.ensure_default_categories(request.community) if c.is_active]
    now = timezone.now()
    today = timezone.localdate(now)
    if request.method != "POST":
        return _render(request, PasteForm(initial={"today": today}))
    try:
        data = request.POST
    except RequestDataTooBig:
        form = PasteForm(initial={"today": today})
        form.add_error(None, _("The paste is too large to be sent. Paste the morning's messages in parts."))
        return _render(request, form, status=413)
    paste_form = PasteForm(data)
    if not paste_form.is_valid():
        return _render(request, paste_form)
    paste = paste_form.cleaned_data["paste"]
    today = paste_form.cleaned_data["today"] or today
    items = parser.parse(paste, today=today, now=timezone.localtime(now).replace(tzinfo=None))
    dated = _dates(parser.messages_only(items), today)
    dates = paste_form.cleaned_data["dates"]
    day = today if dated and dates == PasteForm.TODAY else None
    drafts = wechat_drafts.build_drafts(request.community, items, now=now, day=day, categories=active)
    drafts = drafts[: parser.MAX_MESSAGES]
    saving = data.get("action") == "save" and paste_form.cleaned_data["parsed"] == paste_fingerprint(paste)
    contacts = PartnerContact.objects.filter(partner__community=request.community, partner__is_active=True)
    page = DraftPage({c.pk: c for c in active}, today, contacts.select_related("partner"), now=now)
    # Read again (a message added, the dates chosen): the rows whose message is unchanged keep
    # what the secretary chose on them; the new ones get fresh suggestions.
    was = {} if saving else _read_before(data, drafts)
    moved = {before: now for now, before in was.items()}
    rows = [_row(d, page, drafts, data, saving, was, moved) for d in drafts]
    if was:
        for form in rows:
            form.added = form.draft.index not in was
    if data.get("action") == "save" and not saving:
        messages.warning(request, _("The paste was changed after it was read: check the drafts below, then save."))
    if saving and dated and not dates:
        paste_form.add_error("dates", _("Choose which dates to use before saving."))
        messages.error(request, _("Some rows need a correction; nothing was saved yet."))
        saving = False
    if saving:
        response = _save(request, rows, now)
        if response is not None:
            return response
    context = {
        "items": items,
        "rows": rows,
        "system_items": [i for i in items if i.system],
        "structured": parser.is_structured(items),
        "too_many": len(parser.messages_only(items)) > parser.MAX_MESSAGES,
        "parsed": paste_fingerprint(paste),
        "keys": " ".join(_row_key(d) for d in drafts),
        "ticked": sum(1 for form in rows if form["include"].value()),
        "today_date": today,
        "dated": dated,
    }
    if not drafts:
        paste_form.add_error("paste", _("No message was found in this paste."))
    return _render(request, paste_form, **context)


def _row_key(draft: wechat_drafts.Draft) -> str:
    """The message of a row (sender, time, text) in the page's ``keys``: a part of its source key
    is enough to find it again, and 500 rows send 8 kB rather than 32."""
    return draft.key[:16]


def _read_before(data, drafts: list[wechat_drafts.Draft]) -> dict[int, int]:
    """{row now: row as read before} for the messages read again; the same message twice in the
    paste pairs with its rows in order. One field for the page (``keys``), not one per row: a
    form sends at most DATA_UPLOAD_MAX_NUMBER_FIELDS fields."""
    before: dict[str, list[int]] = {}
    for n, key in enumerate(data.get("keys", "").split()[: parser.MAX_MESSAGES]):
        before.setdefault(key, []).append(n)
    was = {}
    for draft in drafts:
        rows = before.get(_row_key(draft))
        if rows:
            was[draft.index] = rows.pop(0)
    return was


def _row(
    draft: wechat_drafts.Draft,
    page: DraftPage,
    drafts: list[wechat_drafts.Draft],
    data,
    saving: bool,
    was: dict[int, int],
    moved: dict[int, int],
) -> DraftForm:
    initial = {
        "include": draft.is_issue,
        "category": draft.category.pk if draft.category else "",
        "place": draft.place_label,
        "reporter": draft.reporter.name if draft.reporter else "",
        "repeat_of": draft.suggested_repeat,
        "urgency": draft.urgency,
    }
    if draft.index in was:
        initial = kept_choices(data, f"m{was[draft.index]}", draft, page, initial, moved)
    return DraftForm(
        data if saving else None,
        prefix=f"m{draft.index}",
        initial=initial,
        draft=draft,
        page=page,
        rows=drafts,
    )


def _save(request: HttpRequest, rows: list[DraftForm], now) -> HttpResponse | None:
    """Save every ticked row, or nothing; None means: show the drafts again with the errors."""
    if not all(form.is_valid() for form in rows):
        messages.error(request, _("Some rows need a correction; nothing was saved yet."))
        return None
    chosen = [form for form in rows if form.cleaned_data["include"]]
    if not chosen:
        messages.warning(request, _("No message is ticked: nothing to save."))
        return None
    wanted = {form.cleaned_data["repeat_of"] for form in chosen} - {None}
    targets = {issue.pk: issue for issue in scoped(request, Issue.objects.with_list_data()).filter(pk__in=wanted)}
    if len(targets) != len(wanted):
        raise Http404
    valid = True
    ticked = {form.draft.index for form in chosen}
    for form in chosen:
        target = targets.get(form.cleaned_data["repeat_of"])
        if target is not None and not target.is_open:
            form.add_error(
                "repeat_of", _("%(code)s is no longer open: log this as a new item.") % {"code": target.code}
            )
            valid = False
        row = form.cleaned_data["repeat_of_row"]
        if row is not None and row not in ticked:
            form.add_error("repeat_of", _("Tick message %(n)s too, or log this as a new item.") % {"n": row + 1})
            valid = False
    if not valid:
        messages.error(request, _("Some rows need a correction; nothing was saved yet."))
        return None
    choices = [
        wechat_drafts.Choice(
            draft=form.draft,
            category=form.cleaned_data["category"],
            place=form.cleaned_data["place"],
            reporter_name=form.cleaned_data["reporter"],
            repeat_of=targets.get(form.cleaned_data["repeat_of"]),
            repeat_of_row=form.cleaned_data["repeat_of_row"],
            settle=form.cleaned_data["handling"],
            urgency=form.cleaned_data["urgency"],
            received_at=form.cleaned_data["received_at"],
        )
        for form in chosen
    ]
    try:
        result = wechat_drafts.save_batch(request.community, by=request.user, now=now, choices=choices)
    except IntegrityError:
        messages.error(
            request, _("Someone saved some of these messages just now. Nothing was saved: check the drafts.")
        )
        return None
    _report(request, result)
    return redirect(reverse("issues:wechat_paste"))


def _code_ranges(codes: list[str]) -> str:
    """The codes as runs of consecutive numbers (MQ20261129-007 – MQ20261129-009 和
    MQ20261130-001): the running number starts again every day, and a colleague's entry saved
    meanwhile takes a number between, so one range from first to last could claim codes that are
    not in the batch."""
    runs: list[list[str]] = []
    last = None
    for prefix, number, code in sorted((code.rsplit("-", 1)[0], int(code.rsplit("-", 1)[1]), code) for code in codes):
        if last is not None and prefix == last[0] and number == last[1] + 1:
            runs[-1].append(code)
        else:
            runs.append([code])
        last = (prefix, number)
    return get_text_list([run[0] if len(run) == 1 else f"{run[0]} – {run[-1]}" for run in runs], _("and"))


def _report(request: HttpRequest, result: wechat_drafts.SaveResult) -> None:
    parts = []
    if result.created:
        parts.append(
            ngettext("Logged %(count)s item: %(codes)s.", "Logged %(count)s items: %(codes)s.", len(result.created))
            % {"count": len(result.created), "codes": _code_ranges([issue.code for issue in result.created])}
        )
    if result.repeated:
        parts.append(
            ngettext("Added %(count)s repeat report.", "Added %(count)s repeat reports.", len(result.repeated))
            % {"count": len(result.repeated)}
        )
    if result.skipped:
        parts.append(_("%(count)s already logged, skipped.") % {"count": result.skipped})
    for sender, resident in result.linked:
        parts.append(
            _("The group nickname “%(nickname)s” is now linked to %(name)s.")
            % {"nickname": sender, "name": resident.name}
        )
    messages.success(request, " ".join(parts))


def _dates(messages: list[parser.Message], today) -> tuple | None:
    """(first day, last day) of a paste dated more than two days back or in the future, else None."""
    if not reading.dates_need_a_choice(messages, today):
        return None
    days = sorted(m.sent_at.date() for m in messages if m.sent_at is not None)
    return days[0], days[-1]


def _render(request: HttpRequest, form: PasteForm, status: int = 200, **context) -> HttpResponse:
    context.setdefault("rows", [])
    return render(request, "issues/wechat/wechat_paste.html", {"form": form, **context}, status=status)
