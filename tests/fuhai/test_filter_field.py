"""A list's filter bar draws its selects and boxes without crispy-forms, as crispy did:
a label for each control, Bootstrap's classes, the value chosen kept, errors announced."""

import pytest
from django import forms
from django.template import Context, Template
from django.test.html import parse_html

from fuhai.templatetags import fuhai_forms


class Filters(forms.Form):
    building = forms.ChoiceField(
        label="楼", choices=[("", "---------"), ("1", "1号楼"), ("2", "2号楼")], required=False
    )
    name = forms.CharField(label="姓名", required=False, widget=forms.TextInput(attrs={"class": "narrow"}))


def render(form) -> str:
    template = Template("{% load fuhai_forms %}{% filter_field form.building %}|{% filter_field form.name %}")
    return template.render(Context({"form": form}))


def test_each_control_has_its_label_and_keeps_the_value_chosen():
    html = render(Filters({"building": "2", "name": "王"}))
    building, name = html.split("|")
    assert building.startswith('<div id="div_id_building" class="mb-3">')
    assert '<label for="id_building" class="form-label">楼</label><select' in building
    assert '<select name="building" class="form-select" id="id_building">' in building
    assert '<option value="2" selected>2号楼</option>' in building
    assert '<label for="id_name" class="form-label">姓名</label>' in name
    assert 'class="narrow form-control"' in name and 'value="王"' in name  # the widget's own class is kept
    assert "invalid" not in html


def test_a_value_not_understood_is_marked_and_points_to_the_lists_alert():
    """The message was said under the select and again in the list's alert, which says every
    filter's error by its label (partials/filter_errors.html): the control is marked and points
    there, once."""
    form = Filters({"building": "9"})
    form.is_valid()
    building = render(form).split("|")[0]
    assert 'aria-invalid="true" aria-describedby="filter-errors"' in building
    assert 'class="form-select is-invalid"' in building
    assert "invalid-feedback" not in building and form.errors["building"][0] not in building


def test_labels_and_messages_are_escaped():
    form = Filters({"building": "<b>"})
    form.fields["name"].label = "<i>名</i>"
    form.is_valid()
    html = render(form)
    assert "<b>" not in html and "<i>" not in html
    assert "&lt;i&gt;名&lt;/i&gt;" in html


class Everything(forms.Form):
    """The selects a filter bar has: plain choices, a required one, one with a value chosen, an
    option with attributes of its own, and option groups (left to Django)."""

    plain = forms.ChoiceField(choices=[("", "全部"), ("1", "1号楼"), ("2", "<2号楼>")], required=False)
    required = forms.ChoiceField(choices=[("a", "甲"), ("b", "乙")])
    grouped = forms.ChoiceField(choices=[("北区", [("1", "1号楼")]), ("南区", [("2", "2号楼")])], required=False)


@pytest.mark.parametrize("data", [{}, {"plain": "2", "required": "b"}, {"plain": "9", "grouped": "2"}])
@pytest.mark.parametrize("name", ["plain", "required", "grouped"])
def test_a_select_drawn_in_python_is_the_markup_django_draws(data, name):
    """The filter bar's selects are joined in Python instead of two templates an option: the same
    markup as Django's own widget, whatever the value, errors and attributes."""
    form = Everything(data or None)
    form.fields["plain"].widget.attrs["data-note"] = 'say "hi"'
    form.is_valid()
    field = form[name]
    attrs = {"class": "form-select", "aria-describedby": "x_error"}
    html = fuhai_forms._select(field, dict(attrs))
    assert parse_html(html) == parse_html(field.as_widget(attrs=dict(attrs)))
    assert html.startswith(f'<select name="{name}"')


def test_an_options_own_attributes_are_kept():
    class Marked(forms.Select):
        def create_option(self, *args, **kwargs):
            option = super().create_option(*args, **kwargs)
            option["attrs"]["data-tier"] = "高"
            return option

    form = Everything({"plain": "1"})
    form.fields["plain"].widget = Marked(choices=form.fields["plain"].choices)
    field = form["plain"]
    html = fuhai_forms._select(field, {})
    assert '<option value="1" selected data-tier="高">1号楼</option>' in html
    assert parse_html(html) == parse_html(field.as_widget())
    assert "&lt;2号楼&gt;" in html


class Folded(forms.Form):
    q = forms.CharField(required=False)
    status = forms.MultipleChoiceField(choices=[("a", "甲"), ("b", "乙")], required=False)
    building = forms.ChoiceField(choices=[("", "全部"), ("1", "1号楼")], required=False)
    overdue = forms.BooleanField(required=False)


@pytest.mark.parametrize(
    ("data", "count", "expanded"),
    [
        ({}, 0, "false"),
        ({"q": "楼道"}, 0, "false"),  # the search words are in view, not folded: not counted
        ({"q": "楼道", "status": ["a", "b"], "building": "1"}, 2, "false"),  # two states are one filter
        ({"overdue": "on", "building": "1"}, 2, "false"),
        ({"building": "9"}, 0, "true"),  # not understood: the panel is open next to the alert
    ],
)
def test_the_filters_button_counts_what_is_folded_under_it(data, count, expanded):
    form = Folded(data)
    form.is_valid()
    html = fuhai_forms.filters_toggle(form)
    assert f'aria-expanded="{expanded}"' in html
    assert 'data-bs-target="#more-filters" aria-controls="more-filters"' in html
    badge = f'<span class="badge text-bg-primary">{count}</span>'
    assert (badge in html) == bool(count), html
    assert html.count("badge") == bool(count)


def test_the_filters_button_of_a_form_not_yet_filled_counts_nothing():
    html = fuhai_forms.filters_toggle(Folded())
    assert "badge" not in html and 'aria-expanded="false"' in html
