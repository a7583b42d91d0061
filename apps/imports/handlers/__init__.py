"""One handler per kind of file: the catalogues it needs, the rules across a row's cells,
its natural key, the existing rows it is compared with, and how its values are written.

A handler turns the cleaned cells of a row into `values` (model field → Python value,
foreign keys as `<field>_id`) for exactly the columns the file has: a column that is not
in the file never blanks a field. Each handler reads existing rows and catalogues with a
fixed number of queries whatever the file's length.
"""

from apps.imports.handlers.base import Handler, RowProblem, decode, encode
from apps.imports.handlers.capacity import CapacityHandler
from apps.imports.handlers.children import AbsenceHandler, PlacementHandler, TraineeChildHandler
from apps.imports.handlers.supervisors import SupervisorHandler
from apps.imports.handlers.trainees import TraineeHandler, split_name

HANDLERS: dict[str, type[Handler]] = {
    "trainees": TraineeHandler,
    "placements": PlacementHandler,
    "absence": AbsenceHandler,
    "supervisors": SupervisorHandler,
    "capacity": CapacityHandler,
}

__all__ = [
    "HANDLERS",
    "AbsenceHandler",
    "CapacityHandler",
    "Handler",
    "PlacementHandler",
    "RowProblem",
    "SupervisorHandler",
    "TraineeChildHandler",
    "TraineeHandler",
    "decode",
    "encode",
    "split_name",
]
