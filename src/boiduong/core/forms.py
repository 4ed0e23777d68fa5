"""Form helpers shared by the apps: Bootstrap classes and the browser's date picker."""

from __future__ import annotations

from django import forms


def bootstrap(form: forms.BaseForm) -> None:
    """Give each widget of `form` its Bootstrap class, unless it has one already."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as ISO yyyy-mm-dd."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
