"""Where align keeps per-user data: built models and the embedding cache, never the repo."""
from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    """``$ALIGN_HOME``, else ``$XDG_CACHE_HOME/align``, else ``~/.cache/align``."""
    if os.environ.get("ALIGN_HOME"):
        return Path(os.environ["ALIGN_HOME"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "align"


def models_dir() -> Path:
    return home() / "models"


def embedding_cache_path() -> Path:
    return home() / "embeddings.sqlite"
