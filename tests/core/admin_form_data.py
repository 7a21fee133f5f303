"""What a browser would post back from an admin change page, built from the page's own forms."""

from __future__ import annotations

from django import forms


def form_data(response) -> dict:
    """The change form and its inline formsets as rendered, ready to edit and post."""
    data: dict = {}
    _fill(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _fill(data, formset.management_form)
        for form in formset.forms:
            _fill(data, form)
    return data


def _fill(data: dict, form) -> None:
    for name, field in form.fields.items():
        key, value = form.add_prefix(name), form[name].value()
        if isinstance(field.widget, forms.MultiWidget):
            for i, part in enumerate(field.widget.decompress(value)):
                data[f"{key}_{i}"] = "" if part is None else part
        elif isinstance(field, forms.NullBooleanField):
            data[key] = {True: "true", False: "false"}.get(value, "unknown")
        elif isinstance(field, forms.BooleanField):
            if value:
                data[key] = "on"
        else:
            data[key] = "" if value is None else value
        if field.show_hidden_initial and key in data:  # fields with a callable default also post their initial
            data[form.add_initial_prefix(name)] = data[key]
