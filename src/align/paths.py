"""Where align keeps per-user data, never in the repo: built models, the embedding cache and
parsed dictionaries (a cache, rebuilt at will), and reviewers' decisions (data, kept)."""
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


def data_home() -> Path:
    """What must not be lost with a cache: ``$ALIGN_HOME`` when set (one root for tests and
    sandboxes), else ``$XDG_DATA_HOME/align``, else ``~/.local/share/align``."""
    if os.environ.get("ALIGN_HOME"):
        return Path(os.environ["ALIGN_HOME"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base).expanduser() / "align"


def reviews_dir() -> Path:
    return data_home() / "reviews"
