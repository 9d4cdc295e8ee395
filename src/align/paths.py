"""Where align keeps per-user data: built models, the embedding cache and parsed dictionaries, never the repo."""
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


def lexicon_path(name: str) -> Path:
    """Where a parsed dictionary or word list (``align.lexicon.store``) is kept."""
    return home() / "lexicon" / name


def embedding_cache_path() -> Path:
    return home() / "embeddings.sqlite"
