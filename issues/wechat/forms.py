"""Forms of the WeChat batch entry: they validate and shape input; the batch is saved in issues.wechat.drafts."""

from __future__ import annotations

import hashlib

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from issues.wechat import drafts, parser


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


class DraftForm(forms.Form):
    """One row of the drafts table. The message text is not a field: it is logged as received."""

    include = forms.BooleanField(required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    reporter = forms.CharField(label=_("Reporter"), max_length=50, required=False)
    repeat_of = forms.CharField(label=_("Same problem as"), required=False, widget=forms.Select)

    def __init__(
        self, *args, draft: drafts.Draft, categories: dict, rows: list[drafts.Draft], escaped_choices=None, **kwargs
    ):
        self.draft = draft
        self.categories = categories
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "---------"), *((str(pk), c.name) for pk, c in categories.items())]
        self.escaped_choices = escaped_choices or [
            (v, conditional_escape(n)) for v, n in self.fields["category"].choices
        ]
        self.fields["repeat_of"].widget.choices = [
            ("", _("A new item")),
            *((str(issue.pk), f"{issue.code} {issue.text[:16]}") for issue in draft.similar),
            *(
                (f"row:{n}", _("Message %(n)s above: %(text)s") % {"n": n + 1, "text": rows[n].message.text[:12]})
                for n in draft.similar_rows
            ),
        ]

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

    def clean_repeat_of(self) -> int | None:
        """An open item's id; a row of this paste is kept apart in ``repeat_of_row``."""
        value = self.cleaned_data["repeat_of"]
        self.cleaned_data["repeat_of_row"] = None
        if value.startswith("row:") and value[4:].isdigit() and int(value[4:]) in self.draft.similar_rows:
            self.cleaned_data["repeat_of_row"] = int(value[4:])
            return None
        if value and not value.isdigit():
            raise forms.ValidationError(_("Choose an item from the list."))
        return int(value) if value else None

    def clean_category(self):
        value = self.cleaned_data["category"]
        return self.categories.get(int(value)) if value else None

    def clean(self):
        data = super().clean()
        if data.get("include") and self.draft.done:
            # Already logged, or the same message earlier in this paste: never twice.
            data["include"] = False
        return data
