"""A list's filter bar draws its selects and boxes without crispy-forms, as crispy did:
a label for each control, Bootstrap's classes, the value chosen kept, errors announced."""

from django import forms
from django.template import Context, Template


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


def test_a_value_not_understood_is_marked_and_said_next_to_its_control():
    form = Filters({"building": "9"})
    form.is_valid()
    building = render(form).split("|")[0]
    assert 'aria-invalid="true" aria-describedby="id_building_error"' in building
    assert 'class="form-select is-invalid"' in building
    assert '<div id="id_building_error" class="invalid-feedback"><p>' in building
    assert "9" in building.split("invalid-feedback")[1]  # Django's message names the value refused


def test_labels_and_messages_are_escaped():
    form = Filters({"building": "<b>"})
    form.fields["name"].label = "<i>名</i>"
    form.is_valid()
    html = render(form)
    assert "<b>" not in html and "<i>" not in html
    assert "&lt;i&gt;名&lt;/i&gt;" in html
