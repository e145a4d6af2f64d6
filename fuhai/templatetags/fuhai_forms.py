"""The controls of a list's filter bar, drawn without crispy-forms."""

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def filters_toggle(form: forms.Form) -> str:
    """``{% filters_toggle filter.form %}``: the 筛选条件 button that opens a list's filters
    (``#more-filters``), folded away below 992 px. It counts the filters set besides the search
    words (which stay in view): after filtering on a phone nothing else said that a category or a
    state was still chosen. It says "expanded" when a filter was not understood, as the panel is
    open then, next to the alert."""
    chosen = getattr(form, "cleaned_data", {})
    count = sum(1 for name, value in chosen.items() if name != "q" and value)
    return format_html(
        '<button class="btn btn-outline-secondary d-lg-none" type="button" data-bs-toggle="collapse" '
        'data-bs-target="#more-filters" aria-controls="more-filters" aria-expanded="{}" id="filters-toggle">'
        "{}{}</button>",
        "true" if form.errors else "false",
        _("Filters"),
        format_html(' <span class="badge text-bg-primary">{}</span>', count) if count else "",
    )


@register.simple_tag
def filter_field(field: forms.BoundField) -> str:
    """``{% filter_field filter.form.building %}``: the label and the select or box, the markup
    crispy's bootstrap5 ``as_crispy_field`` gives a filter's select or text box. It cost 2–3 ms
    of CPU a field through crispy's templates, a third of the 民情日记 list's time with its five
    filters; here it is the widget's own rendering and one format_html. Forms people fill in
    keep crispy.

    A value not understood is marked on its control, which points to the list's alert
    (partials/filter_errors.html, ``#filter-errors``) that says every filter's error once, by
    its label: said under the select too, a tester read the same sentence twice."""
    widget = field.field.widget
    classes = [widget.attrs.get("class", ""), "form-select" if isinstance(widget, forms.Select) else "form-control"]
    attrs = {}
    if field.errors:
        classes.append("is-invalid")
        attrs |= {"aria-invalid": "true", "aria-describedby": "filter-errors"}
    attrs["class"] = " ".join(name for name in classes if name)
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}</div>',
        field.auto_id,
        field.id_for_label,
        field.label,
        _select(field, attrs) if type(widget) is forms.Select else field.as_widget(attrs=attrs),
    )


def _select(field: forms.BoundField, attrs: dict) -> str:
    """A plain select as ``field.as_widget`` draws it, its options joined in Python: Django's
    widget includes two templates for every option, half the filter bar's time with the
    categories, staff, partners and buildings of a community (the markup is the same,
    tests/fuhai/test_filter_field.py). A select with option groups is left to Django."""
    widget = field.field.widget
    attrs = field.build_widget_attrs(attrs, widget)  # then the id, in as_widget's order
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    if any(group_name for group_name, _options, _index in context["optgroups"]):
        return field.as_widget(attrs=attrs)
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (option["value"], _attrs(option["attrs"]), option["label"])
            for _group_name, group, _index in context["optgroups"]
            for option in group
        ),
    )
    return format_html('<select name="{}"{}>{}</select>', field.html_name, _attrs(context["attrs"]), options)


def _attrs(attrs: dict) -> str:
    """Attributes in their order, as Django's ``attrs.html`` writes them: True alone, False left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )
