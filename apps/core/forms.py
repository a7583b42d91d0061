"""What every portal form shares: Bootstrap's classes on its widgets, and a service's
errors put on the form's fields."""

from django import forms
from django.core.exceptions import ValidationError


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


def apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError next to its field (or on the form as a whole)."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)
