"""Password rules beyond Django's own validators, and the hook that audits new passwords.

Django's validators (similarity to the username and name, at least 12 characters, not in
Django's list of 20,000 common passwords, not only digits) are configured in settings;
`RepeatedCharactersValidator` adds the rule that a password is not one character or one
short sequence repeated (`aaaaaaaaaaaa`, `abababababab`, `Sommer2024Sommer2024`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class RepeatedCharactersValidator:
    """Refuse a password with fewer than `min_distinct` different characters, or one that is
    a shorter sequence repeated."""

    def __init__(self, min_distinct: int = 5):
        self.min_distinct = min_distinct

    def validate(self, password: str, user=None) -> None:
        folded = password.casefold()
        if len(set(folded)) < self.min_distinct:
            raise ValidationError(
                _("Adgangskoden skal indeholde mindst %(count)d forskellige tegn.")
                % {"count": self.min_distinct},
                code="password_too_few_distinct",
            )
        size = len(folded)
        for unit in range(1, size // 2 + 1):
            if size % unit == 0 and folded[:unit] * (size // unit) == folded:
                raise ValidationError(
                    _("Adgangskoden må ikke være den samme tegnfølge gentaget."),
                    code="password_repeated",
                )

    def get_help_text(self) -> str:
        return _(
            "Din adgangskode skal indeholde mindst %(count)d forskellige tegn og må ikke være "
            "den samme tegnfølge gentaget."
        ) % {"count": self.min_distinct}
