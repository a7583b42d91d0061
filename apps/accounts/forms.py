"""Forms of the login steps."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import ReminderPreference


class TokenForm(forms.Form):
    """A six-digit code from the user's authenticator app."""

    token = forms.RegexField(
        label=_("Kode fra godkendelses-appen"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": _("Koden er seks cifre.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip()


class ReminderPreferenceForm(forms.Form):
    """The user's choice of automatic follow-up mails."""

    reminder_preference = forms.ChoiceField(
        label=_("Påmindelser"),
        choices=ReminderPreference.choices,
        widget=forms.RadioSelect,
    )
