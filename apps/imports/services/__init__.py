"""Import services: upload, preview, commit and undo of an HR spreadsheet (STYLE.md B8).

The view, the background task and the `import_spreadsheet` command all call these,
one module per phase (`preview.py`, `commit.py`, `undo.py`; shared pieces in `common.py`):

- `import_batch_upload` stores the file in PostgreSQL (`ImportUpload`) and queues the
  preview task, so the worker may run on any host.
- `import_batch_preview` reads and validates the file and classifies every row as new,
  changed (old → new per field), unchanged or rejected (Excel row, column, Danish reason).
  It writes only the batch and its rows, and deletes the stored bytes in the transaction
  that stores its outcome; run again after a dying worker, it starts from the start
  (`apps/imports/check_runs.py`).
- `import_batch_commit` writes every accepted row in one transaction, or none, under a
  per-municipality lock; it refuses when the data changed after the preview.
- `import_batch_undo` restores the last import of a kind while nothing has touched its rows.

Writes are bulk and the number of queries does not grow with the number of rows (except
one per chunk of 2,000 rows). Audit: one event per upload, commit and undo with counts, and
one entry per created or changed trainee or supervisor.
"""

from apps.imports.services.commit import import_batch_commit
from apps.imports.services.common import LOCK_NAMESPACE, batch_counts
from apps.imports.services.preview import (
    import_batch_discard,
    import_batch_preview,
    import_batch_start,
    import_batch_upload,
)
from apps.imports.services.undo import import_batch_undo, undo_blocker

__all__ = [
    "LOCK_NAMESPACE",
    "batch_counts",
    "import_batch_commit",
    "import_batch_discard",
    "import_batch_preview",
    "import_batch_start",
    "import_batch_undo",
    "import_batch_upload",
    "undo_blocker",
]
