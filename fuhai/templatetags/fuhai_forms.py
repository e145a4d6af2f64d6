"""The controls of a list's filter bar, drawn without crispy-forms."""

from django import forms, template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def filter_field(field: forms.BoundField) -> str:
    """``{% filter_field filter.form.building %}``: the label, the select or box and its errors,
    the markup crispy's bootstrap5 ``as_crispy_field`` gives a filter's select or text box. It
    cost 2–3 ms of CPU a field through crispy's templates, a third of the 民情日记 list's
    time with its five filters; here it is the widget's own rendering and one format_html.
    Forms people fill in keep crispy."""
    widget = field.field.widget
    classes = [widget.attrs.get("class", ""), "form-select" if isinstance(widget, forms.Select) else "form-control"]
    attrs = {}
    if field.errors:
        classes.append("is-invalid")
        attrs |= {"aria-invalid": "true", "aria-describedby": f"{field.auto_id}_error"}
    attrs["class"] = " ".join(name for name in classes if name)
    errors = format_html_join("", "<p>{}</p>", ((error,) for error in field.errors))
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}{}</div>',
        field.auto_id,
        field.id_for_label,
        field.label,
        field.as_widget(attrs=attrs),
        format_html('<div id="{}_error" class="invalid-feedback">{}</div>', field.auto_id, errors) if errors else "",
    )
