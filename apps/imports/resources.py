"""django-import-export resources of the imports app: the rejected rows of a batch as a
spreadsheet HR can correct and upload again.

Every text cell goes through `SafeTextWidget`, so a cell starting with =, +, - or @ is
written as text with a leading apostrophe and never runs as a formula (import-spec)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from apps.core.exports import neutralise


class SafeTextWidget(widgets.CharWidget):
    """Renders any value as text, neutralising formula-looking cells."""

    def render(self, value, obj=None, **kwargs):
        return neutralise("" if value is None else str(value))


@dataclass
class RejectedCell:
    """One reason a row was rejected, flattened for export."""

    row_number: int
    key: str
    column: str
    message: str


class RejectedRowResource(resources.Resource):
    """Afviste rækker: Excel row number, key, column and the Danish reason."""

    row_number = fields.Field(
        attribute="row_number", column_name=_("Række"), widget=widgets.IntegerWidget()
    )
    key = fields.Field(attribute="key", column_name=_("Nøgle"), widget=SafeTextWidget())
    column = fields.Field(attribute="column", column_name=_("Kolonne"), widget=SafeTextWidget())
    message = fields.Field(attribute="message", column_name=_("Årsag"), widget=SafeTextWidget())

    class Meta:
        fields = ("row_number", "key", "column", "message")

    @staticmethod
    def cells(rows) -> list[RejectedCell]:
        return [
            RejectedCell(row.row_number, row.key, error["column"], error["message"])
            for row in rows
            for error in row.errors
        ]
