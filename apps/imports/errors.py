"""The refusal of a whole file: raised by the readers and the services, shown in Danish.

It lives on its own so that every stage of an import (readers, the sheet-extent scan,
analysis, services, views and the command) can raise or catch it without importing one
another.
"""


class ImportRefused(Exception):
    """The file as a whole cannot be imported; `message` is shown to the user in Danish."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
