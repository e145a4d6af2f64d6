"""The project's ModelAdmin, which every admin of the four apps extends."""

from django.contrib import admin
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import capfirst


def stored_labels(*models_: type[models.Model]) -> dict[str, str]:
    """{label as the admin's form capitalises it: verbose_name} of the models' fields whose
    verbose_name is translated, both untranslated: "Notes" → "notes"."""
    with translation.override(None):
        return {
            capfirst(str(field.verbose_name)): str(field.verbose_name)
            for model in models_
            for field in model._meta.get_fields()
            if isinstance(getattr(field, "verbose_name", None), Promise)
        }


class FuhaiModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose history names the fields changed in the reader's language."""

    def construct_change_message(self, request, form, formsets, add=False):
        """Django stores a changed field's form label untranslated and translates it when the
        history is read. The form capitalises the field's verbose_name ("notes" becomes "Notes"),
        which the catalogue does not hold, so the history read "已修改Notes。": the verbose_name
        is stored instead. A label the form sets itself is its own msgid and stays."""
        message = super().construct_change_message(request, form, formsets, add)
        verbose_names = stored_labels(form._meta.model, *(formset.model for formset in formsets))
        for entry in message:
            if "changed" in entry:
                fields = entry["changed"]["fields"]
                entry["changed"]["fields"] = [verbose_names.get(label, label) for label in fields]
        return message
