"""What every portal form shares: Bootstrap's classes on its widgets."""

from django import forms


def bootstrap_widgets(form: forms.BaseForm) -> None:
    """Give each visible field of `form` Bootstrap's class for its kind of widget (check box,
    select, other input); hidden fields get none."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
        elif isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select"
        else:
            widget.attrs["class"] = "form-control"
