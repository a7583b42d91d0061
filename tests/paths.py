"""Where the shared material lives: `shared/` beside the project's root (or $SHARED_DIR)."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SHARED_DIR", PROJECT_ROOT.parent / "shared"))
SAMPLES = SHARED / "samples"
SEEDS = SHARED / "seeds"
