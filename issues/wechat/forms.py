"""Forms of the WeChat batch entry: they validate and shape input; the batch is saved in issues.wechat.drafts."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django import forms
from django.template import defaultfilters, engines
from django.urls import reverse
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from issues.forms import SPOT_NOTE_REQUIRED, PartnerContactField, needs_spot_note
from issues.models.choices import HandlingMethod, IssueStatus, Urgency
from issues.models.partner import PartnerKind
from issues.wechat import drafts, parser, reading
from residents.forms import MAX_TEXT, limit_length
from residents.masking import mask_numbers_in_text

#: 紧急程度 on a row in a word each (the item's page says the time it gives: 紧急（24小时）).
URGENCY_CHOICES = [(Urgency.NORMAL, _("Normal")), (Urgency.KEY, _("Key")), (Urgency.URGENT, _("Urgent"))]

#: A contact person chosen alone decides the handling method by the partner's kind: 转物业,
#: 转派出所, otherwise 社区协调 with that contact. The item's page changes it if need be.
CONTACT_METHODS = {PartnerKind.PROPERTY: HandlingMethod.TO_PROPERTY, PartnerKind.POLICE: HandlingMethod.TO_POLICE}


def paste_fingerprint(text: str) -> str:
    """Ties the drafts on the page to the paste they were read from."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PasteForm(forms.Form):
    """The paste itself. It is posted again with every step, so it is never lost."""

    paste = forms.CharField(
        label=_("Messages copied from the WeChat group"),
        strip=False,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "autofocus": True, "spellcheck": "false"}),
    )
    today = forms.DateField(required=False, widget=forms.HiddenInput)
    WRITTEN, TODAY = "written", "today"
    dates = forms.ChoiceField(
        label=_("Dates of these messages"),
        required=False,
        choices=[(WRITTEN, _("Use the dates as written")), (TODAY, _("Use today's date (keep the times)"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    parsed = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_paste(self) -> str:
        text = self.cleaned_data["paste"]
        if not text.strip():
            raise forms.ValidationError(_("Paste the messages first: select them in WeChat, copy, and paste here."))
        if len(text) > parser.MAX_PASTE_CHARS:
            raise forms.ValidationError(
                _("The paste has %(count)s characters; at most %(max)s are read at once. Paste it in parts.")
                % {"count": f"{len(text):,}", "max": f"{parser.MAX_PASTE_CHARS:,}"}
            )
        if parser.looks_binary(text):
            raise forms.ValidationError(
                _("This does not look like text copied from a chat. Please copy the messages again.")
            )
        return text


class _Choices(BaseChoiceIterator):
    """Choices already in (value, label) pairs: a field takes them as they are, where it would
    check a list again for each of 500 rows."""

    def __init__(self, choices: list) -> None:
        self.choices = choices

    def __iter__(self):
        return iter(self.choices)


class DraftPage:
    """What the rows of one page share, made once per page: the categories (by id), their menu
    with the labels escaped, today (a row shows the date of a message of another day), now (a
    time filled in is not later), and the links to items (one item is often suggested for many
    messages)."""

    def __init__(self, categories: dict, today=None, contacts=(), now=None) -> None:
        self.categories = categories
        self.today = today
        self.now = now
        self.choices = _Choices([("", "---------"), *((str(pk), c.name) for pk, c in categories.items())])
        self.escaped_choices = [(value, conditional_escape(label)) for value, label in self.choices]
        # 处理方式 / 对接人 in one menu: nothing chosen is 待核实 (the item waits for a look);
        # a method alone; or a contact person, whose partner's kind gives the method.
        self.contacts = {str(c.pk): c for c in contacts}
        label, esc = PartnerContactField.label_from_instance, conditional_escape
        groups = [
            ("", [("", IssueStatus.PENDING.label)]),
            (gettext("Handling method"), [(f"m:{value}", text) for value, text in HandlingMethod.choices]),
            (gettext("Contact person"), [(f"c:{pk}", label(None, c)) for pk, c in self.contacts.items()]),
        ]
        # Escaped once per page, as the categories: a row only marks its choice.
        self.handling_groups = [
            (esc(group), [(value, esc(text)) for value, text in options]) for group, options in groups if options
        ]
        self._links: dict = {}
        # The dates as the templates write them ({{ d|short_date }}), found as a template finds
        # the filter: the issues app does not import the project's template tags.
        self.short_date = engines["django"].engine.template_libraries["fuhai_dates"].filters["short_date"]
        esc = conditional_escape
        # The row's words, translated once per page (the rows are made in Python: see row_html).
        self.words = {
            "logged": esc(gettext("Already logged")),
            "reported": esc(gettext("Already added as a repeat report to")),
            "same_message": esc(gettext("Same message as above")),
            "office": esc(gettext("The office's own reply: not an issue")),
            "thanks": esc(gettext("Thanks or chit-chat: not an issue")),
            "similar": esc(gettext("May be the same problem as an open item:")),
            "earlier": esc(gettext("May be the same problem as an earlier message of this paste:")),
            "same_problem": esc(gettext("Same problem as")),
            "new_item": esc(gettext("A new item")),
            "log": esc(gettext("Log this message")),
            "resident_name": esc(gettext("Resident name")),
            "reporter": esc(gettext("Reporter")),
            "category": esc(gettext("Category")),
            "place": esc(gettext("Place")),
            "handling": esc(gettext("Handling method / contact person")),
            "done": esc(gettext("What was done")),
            "urgency": esc(gettext("Urgency")),
            "added": esc(gettext("New since the last reading")),
            # As {% blocktranslate %} wrote them: the words as translated, the number put in.
            "continues": gettext("Continues message %(n)s: saved with it (tick to log it on its own)"),
            "agrees": gettext("Same here: saved as another report on message %(n)s"),
            "message": gettext("message %(n)s"),
            "bad_date": gettext(
                "The header gives the date %(date)s, which does not exist: check the date in WeChat "
                "and fill in when the message was sent."
            ),
            "received_at": esc(gettext("Received at")),
        }

    def link(self, pk) -> str:
        if pk not in self._links:
            self._links[pk] = reverse("issues:issue_detail", args=[pk])
        return self._links[pk]


def _is_id(value: str) -> bool:
    """Whether a posted value can be a row's or an object's id: ASCII digits that fit a bigint
    (str.isdigit() also takes ² and ４, which int() refuses or reads, and any number of digits)."""
    return value.isascii() and value.isdigit() and len(value) < 19


def kept_choices(data, prefix: str, draft: drafts.Draft, page: DraftPage, fresh: dict, moved: dict) -> dict:
    """What the secretary chose on the row ``prefix`` of the paste as read before, for the same
    message (sender, time and text) read again: the menus keep a choice that is still on offer,
    the rest is suggested afresh. ``moved`` maps the rows read before to the rows now, for a
    "same problem as message 3 above" that is message 4 now."""
    kept = dict(fresh)

    def value(name: str) -> str | None:
        return data.get(f"{prefix}-{name}")

    kept["include"] = value("include") is not None
    for name in ("place", "reporter", "note", "received_at"):
        if value(name) is not None:
            kept[name] = value(name)
    category = value("category")
    if category == "" or (category and _is_id(category) and int(category) in page.categories):
        kept["category"] = category
    handling = value("handling") or ""
    kind, _sep, key = handling.partition(":")
    if not handling or (kind == "m" and key in HandlingMethod.values) or (kind == "c" and key in page.contacts):
        kept["handling"] = handling
    if value("urgency") in Urgency.values:
        kept["urgency"] = value("urgency")
    repeat = value("repeat_of")
    if repeat is not None:
        if repeat.startswith("row:") and _is_id(repeat[4:]):
            row = moved.get(int(repeat[4:]))
            repeat = f"row:{row}" if row in draft.similar_rows else None
        elif repeat and not (_is_id(repeat) and int(repeat) in {issue.pk for issue in draft.similar}):
            repeat = None
        if repeat is not None:
            kept["repeat_of"] = repeat
    return kept


class DraftForm(forms.Form):
    """One row of the drafts table. The message text is not a field: it is logged as received."""

    #: A message not in the paste as read before (the view sets it when the paste is read again).
    added = False

    include = forms.BooleanField(required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    reporter = forms.CharField(label=_("Reporter"), max_length=50, required=False)
    repeat_of = forms.CharField(label=_("Same problem as"), required=False, widget=forms.Select)
    handling = forms.CharField(label=_("Handling method / contact person"), required=False)
    note = forms.CharField(label=_("What was done"), required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=URGENCY_CHOICES, required=False)
    #: Filled in on the row of a message whose header date does not exist (see ``clean``): it has
    #: no time of its own, and the time of saving would be logged as when it was received.
    received_at = forms.DateTimeField(
        label=_("Received at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, draft: drafts.Draft, page: DraftPage, rows: list[drafts.Draft], **kwargs):
        self.draft = draft
        self.page = page
        self.categories = page.categories
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = page.choices
        limit_length(self.fields["note"], MAX_TEXT)
        self.escaped_choices = page.escaped_choices
        self.fields["repeat_of"].widget.choices = _Choices(
            [
                ("", _("A new item")),
                # Masked before the cut, as everywhere: a cut must not leave half a number bare.
                *((str(issue.pk), f"{issue.code} {mask_numbers_in_text(issue.text)[:16]}") for issue in draft.similar),
                *(
                    (
                        f"row:{n}",
                        _("Message %(n)s above: %(text)s")
                        % {"n": n + 1, "text": mask_numbers_in_text(rows[n].message.text)[:12]},
                    )
                    for n in draft.similar_rows
                ),
            ]
        )

    def category_options(self) -> str:
        """The <option>s of the category menu, built in Python from labels escaped once per page:
        a 500-row paste has 13,000 of them, which the template language took seconds to loop over."""
        selected = str(self["category"].value() or "")
        return mark_safe(  # values are ids, labels escaped in escaped_choices
            "".join(
                f'<option value="{value}"{" selected" if value == selected else ""}>{label}</option>'
                for value, label in self.escaped_choices
            )
        )

    def handling_options(self) -> str:
        """The <option>s of the 处理方式 / 对接人 menu: 待核实, then the methods and the contacts
        in two groups (labels escaped once per page in DraftPage)."""
        selected, parts = str(self["handling"].value() or ""), []
        for group, options in self.page.handling_groups:
            items = "".join(
                f'<option value="{value}"{" selected" if value == selected else ""}>{label}</option>'
                for value, label in options
            )
            parts.append(f'<optgroup label="{group}">{items}</optgroup>' if group else items)
        return mark_safe("".join(parts))  # values are ours (m:method, c:id), labels escaped in DraftPage

    def urgency_options(self) -> str:
        selected, esc = str(self["urgency"].value() or ""), conditional_escape
        return mark_safe(  # values and labels are ours
            "".join(
                f'<option value="{value}"{" selected" if value == selected else ""}>{esc(label)}</option>'
                for value, label in self.fields["urgency"].choices
            )
        )

    def row_html(self) -> str:
        """The row of the drafts table, made in Python: 500 rows of about 75 template nodes each
        took longer than reading the paste. The markup (and every word, translated with the same
        msgids) is what the template wrote; tests/issues/test_wechat_views.py checks the page."""
        d, m, w = self.draft, self.draft.message, self.page.words
        esc = conditional_escape
        include, reporter, repeat = self["include"], self["reporter"], self["repeat_of"]
        if d.done:
            state = " draft-done"
        elif d.kind in (reading.THANKS, reading.OFFICE):
            state = " draft-chitchat"
        elif d.kind == reading.CONTINUES:
            state = " draft-continues"
        elif d.similar or d.similar_rows:
            state = " draft-similar"
        else:
            state = ""
        if m.bad_date:
            when = self._received_at_input()
        elif d.sent_at:
            sent = timezone.template_localtime(d.sent_at)
            day = f"{esc(self.page.short_date(sent))} " if sent.date() != self.page.today else ""
            when = f"{day}{esc(defaultfilters.time(sent, 'H:i'))}"
        else:
            when = '<span class="text-body-secondary">—</span>'
        known = ""
        if d.reporter:
            room = f"（{esc(d.reporter.room.label)}）" if d.reporter.room else ""
            known = f'<div class="text-success text-nowrap">✔ {esc(d.reporter.name)}{room}</div>'
        indent = "\n          "
        if d.logged:
            badge = (
                f'<span class="badge text-bg-secondary">{w["logged"]} <a class="link-light" '
                f'href="{self.page.link(d.logged.pk)}">{esc(d.logged.code)}</a></span>{indent}'
            )
        elif d.reported_on:
            badge = (
                f'<span class="badge text-bg-secondary">{w["reported"]} '
                f'<a class="link-light" href="{self.page.link(d.reported_on.pk)}">{esc(d.reported_on.code)}</a>'
                f"</span>{indent}"
            )
        elif d.earlier_row is not None:
            badge = f'<span class="badge text-bg-secondary">{w["same_message"]}</span>{indent}'
        elif d.kind == reading.OFFICE:
            words = w["office"]
            badge = f'<span class="badge text-bg-light border">{words}</span>{indent}'
        elif d.kind == reading.THANKS:
            words = w["thanks"]
            badge = f'<span class="badge text-bg-light border">{words}</span>{indent}'
        elif d.kind == reading.CONTINUES:
            words = w["continues"] % {"n": d.head.index + 1}
            badge = f'<span class="badge text-bg-info">{words}</span>{indent}'
        elif d.kind == reading.AGREES:
            words = w["agrees"] % {"n": d.head.index + 1}
            badge = f'<span class="badge text-bg-info">{words}</span>'
        else:
            badge = ""
        added = f'<span class="badge text-bg-primary draft-added">{w["added"]}</span>{indent}' if self.added else ""
        similar = ""
        if d.similar and not d.done:
            links = "、".join(
                f'<a href="{self.page.link(issue.pk)}" target="_blank">{esc(issue.code)}</a>'
                + (f" ×{issue.report_count}" if issue.report_count > 1 else "")
                for issue in d.similar
            )
            words = w["similar"]
            similar = f'<div class="small text-warning-emphasis mt-1">⚠ {words} {links}</div>'
        bad_date = ""
        if m.bad_date:
            words = esc(w["bad_date"] % {"date": m.bad_date})
            bad_date = f'<div class="small text-danger mt-1 draft-bad-date">⚠ {words}</div>'
        earlier = ""
        if d.similar_rows and not d.done:
            links = "、".join(f'<a href="#draft-{n}">{w["message"] % {"n": n + 1}}</a>' for n in d.similar_rows)
            words = w["earlier"]
            earlier = f'<div class="small text-warning-emphasis mt-1">⚠ {words} {links}</div>'
        if d.similar or d.similar_rows:
            chosen = str(repeat.value())
            options = "".join(
                f'<option value="{esc(value)}"{" selected" if str(value) == chosen else ""}>{esc(label)}</option>'
                for value, label in repeat.field.widget.choices
            )
            errors = "".join(f'<div class="invalid-feedback d-block">{esc(error)}</div>' for error in repeat.errors)
            invalid = " is-invalid" if repeat.errors else ""
            same = (
                f'<select class="form-select form-select-sm draft-repeat{invalid}" name="{repeat.html_name}" '
                f'aria-label="{w["same_problem"]}">{options}</select>{errors}'
            )
        else:
            same = f'<span class="small text-body-secondary text-nowrap">{w["new_item"]}</span>'
        place, handling, note = self["place"], self["handling"], self["note"]
        handling_errors = "".join(
            f'<div class="invalid-feedback d-block">{esc(error)}</div>' for error in handling.errors
        )
        note_errors = "".join(f'<div class="invalid-feedback d-block">{esc(error)}</div>' for error in note.errors)
        # Shown once a handling method or contact is chosen (the page's style), and by the server
        # once chosen, typed or refused: 当场解决 needs it, the others write it on their first step.
        note_open = " draft-note-open" if note.errors or note.value() or handling.value() else ""
        return mark_safe(  # every value above escaped; the words are ours
            f'\n      <tr class="draft draft-{esc(d.kind)}{state}" id="draft-{d.index}">'
            f'\n        <td class="text-center"><label class="d-block small text-body-secondary" '
            f'for="{include.auto_id}">{d.index + 1}</label><input class="form-check-input draft-include" '
            f'type="checkbox" name="{include.html_name}" id="{include.auto_id}"'
            f"{' checked' if include.value() else ''}{' disabled' if d.done else ''} "
            f'aria-label="{w["log"]}"></td>'
            f'\n        <td class="text-nowrap small">{when}</td>'
            f'\n        <td class="small">'
            f'\n          <div class="fw-semibold text-nowrap">{esc(m.sender or "—")}</div>'
            f'\n          <input type="text" class="form-control form-control-sm draft-reporter'
            f'{" is-invalid" if reporter.errors else ""}" name="{reporter.html_name}" '
            f'value="{esc(reporter.value() or "")}" placeholder="{w["resident_name"]}" '
            f'aria-label="{w["reporter"]}">'
            f"\n          {known}"
            f"\n        </td>"
            f"\n        <td>"
            f'\n          <div class="draft-text">{esc(mask_numbers_in_text(m.text))}</div>'
            f"\n          {added}{badge}{bad_date}"
            f"\n          {similar}"
            f"\n          {earlier}"
            f"\n        </td>"
            f'\n        <td><select class="form-select form-select-sm draft-category" '
            f'name="{self["category"].html_name}" aria-label="{w["category"]}">'
            f"{self.category_options()}</select>"
            f'<select class="form-select form-select-sm mt-1 draft-urgency" name="{self["urgency"].html_name}" '
            f'aria-label="{w["urgency"]}">{self.urgency_options()}</select></td>'
            f'\n        <td><input type="text" class="form-control form-control-sm draft-place" '
            f'name="{place.html_name}" value="{esc(place.value() or "")}" aria-label="{w["place"]}"></td>'
            f"\n        <td>{same}</td>"
            f'\n        <td><select class="form-select form-select-sm draft-handling'
            f'{" is-invalid" if handling.errors else ""}" name="{handling.html_name}" '
            f'aria-label="{w["handling"]}">{self.handling_options()}</select>{handling_errors}'
            f'<input type="text" class="form-control form-control-sm mt-1 draft-note{note_open}'
            f'{" is-invalid" if note.errors else ""}" name="{note.html_name}" value="{esc(note.value() or "")}" '
            f'placeholder="{w["done"]}" aria-label="{w["done"]}">{note_errors}</td>'
            f"\n      </tr>\n    "
        )

    def _received_at_input(self) -> str:
        """The time field of a row whose header date does not exist, with what was typed in it."""
        field, esc = self["received_at"], conditional_escape
        value = field.field.widget.format_value(field.value()) or ""
        errors = "".join(
            f'<div class="invalid-feedback d-block text-wrap">{esc(error)}</div>' for error in field.errors
        )
        return (
            f'<input type="datetime-local" class="form-control form-control-sm draft-received'
            f'{" is-invalid" if field.errors else ""}" name="{field.html_name}" value="{esc(value)}" '
            f'aria-label="{self.page.words["received_at"]}">{errors}'
        )

    def clean_received_at(self):
        """Only a message whose header date does not exist takes a time filled in; not a later one."""
        value = self.cleaned_data["received_at"]
        if not self.draft.message.bad_date:
            return None
        if value and self.page.now and value > self.page.now + timedelta(minutes=5):
            raise forms.ValidationError(_("The time received cannot be in the future."))
        return value

    def clean_repeat_of(self) -> int | None:
        """An open item's id; a row of this paste is kept apart in ``repeat_of_row``."""
        value = self.cleaned_data["repeat_of"]
        self.cleaned_data["repeat_of_row"] = None
        if value.startswith("row:") and _is_id(value[4:]) and int(value[4:]) in self.draft.similar_rows:
            self.cleaned_data["repeat_of_row"] = int(value[4:])
            return None
        if value and not _is_id(value):
            raise forms.ValidationError(_("Choose an item from the list."))
        return int(value) if value else None

    def clean_handling(self) -> dict | None:
        """``log_issue``'s ``settle`` (method, partner, contact), or None: 待核实."""
        value = self.cleaned_data["handling"]
        if not value:
            return None
        kind, _sep, key = value.partition(":")
        if kind == "m" and key in HandlingMethod.values:
            return {"method": key, "partner": None, "partner_contact": None}
        contact = self.page.contacts.get(key) if kind == "c" else None
        if contact is None:
            raise forms.ValidationError(_("Choose a handling method or a contact person from the list."))
        method = CONTACT_METHODS.get(contact.partner.kind, HandlingMethod.COORDINATE)
        return {"method": method, "partner": contact.partner, "partner_contact": contact}

    def clean_urgency(self) -> str:
        return self.cleaned_data["urgency"] or Urgency.NORMAL

    def clean_category(self):
        value = self.cleaned_data["category"]
        return self.categories.get(int(value)) if value else None

    def clean(self):
        data = super().clean()
        if data.get("include") and self.draft.done:
            # Already logged, or the same message earlier in this paste: never twice.
            data["include"] = False
        bad_date = self.draft.message.bad_date
        if data.get("include") and bad_date and "received_at" in data and data["received_at"] is None:
            # Saved as it is, the message would take the time of saving without a word.
            self.add_error(
                "received_at", _("The date %(date)s does not exist: fill in when it was sent.") % {"date": bad_date}
            )
        repeat = data.get("repeat_of") or data.get("repeat_of_row") is not None
        handling = data.get("handling")
        if handling and "note" in data:
            handling["note"] = data["note"]
        if data.get("include") and handling and not repeat and needs_spot_note(handling["method"], data.get("note")):
            self.add_error("note", SPOT_NOTE_REQUIRED)
        elif data.get("include") and data.get("note") and not handling:
            # Saved without a handling method there is no step to write it on: never drop it unsaid.
            self.add_error("note", _("What was done goes with a handling method: choose one, or clear it."))
        if data.get("include") and data.get("handling") and repeat:
            # A repeat report joins an item that has its own handling; silently dropping the
            # choice would lose what was chosen.
            self.add_error(
                "handling",
                _("A repeat report joins its item, which keeps its own handling: choose “%(pending)s”.")
                % {"pending": IssueStatus.PENDING.label},
            )
        return data
