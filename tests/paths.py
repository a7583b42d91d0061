"""Where the shared material lives: `shared/` beside the project's root (or $SHARED_DIR).

Importing this module checks that the folder is there: a test module that needs the samples
fails at collection with where it looked and how to point at the folder, instead of failing
later on a missing file."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SharedDirMissing(RuntimeError):
    """The shared folder (samples/, seeds/) is not where the tests look for it."""


def shared_dir(environ=os.environ) -> Path:
    """The shared folder: $SHARED_DIR if set, else `shared/` beside the project's root."""
    configured = environ.get("SHARED_DIR")
    folder = Path(configured) if configured else PROJECT_ROOT.parent / "shared"
    if not (folder / "samples").is_dir():
        how = (
            f"SHARED_DIR is set to {configured!r}"
            if configured
            else f"SHARED_DIR is not set, so the folder beside the clone was used ({PROJECT_ROOT})"
        )
        raise SharedDirMissing(
            f"The tests need the shared material (samples/, seeds/) but {folder / 'samples'} "
            f"does not exist: {how}. Put the shared folder beside the clone as "
            f"{PROJECT_ROOT.parent / 'shared'}, or set SHARED_DIR to the folder that holds "
            "samples/ and seeds/, e.g. SHARED_DIR=/path/to/shared .venv/bin/pytest"
        )
    return folder.resolve()


SHARED = shared_dir()
SAMPLES = SHARED / "samples"
SEEDS = SHARED / "seeds"
