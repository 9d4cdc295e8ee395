"""Any sentence-transformers model given by name or path, loaded without the network."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from align.errors import ModelError
from align.vectors.base import Encoder


class SentenceTransformerEncoder(Encoder):
    """A SentenceTransformer model from a local folder or the local Hugging Face cache.

    ``prefix`` is prepended to every text (e5 wants ``query: `` on both sides of a
    symmetric task); ``preprocess`` rewrites each text first.
    """

    def __init__(self, name_or_path: str, *, prefix: str = "", model_id: str | None = None,
                 name: str | None = None, preprocess: Callable[[str], str] | None = None) -> None:
        from sentence_transformers import SentenceTransformer

        try:
            self.model = SentenceTransformer(name_or_path, device="cpu", local_files_only=True)
        except (OSError, ValueError) as exc:
            raise ModelError(
                f"cannot load sentence-transformers model {name_or_path!r} offline: give a local "
                f"folder, or a model already in the Hugging Face cache ({type(exc).__name__})"
            ) from exc
        self.prefix = prefix
        self.preprocess = preprocess
        self.name = name or name_or_path
        self.model_id = model_id or f"st:{name_or_path}"
        self.dim = int(self.model.get_embedding_dimension())

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        if self.preprocess:
            texts = [self.preprocess(t) for t in texts]
        return self.model.encode(
            texts, prompt=self.prefix, batch_size=len(texts), convert_to_numpy=True,
            normalize_embeddings=True, show_progress_bar=False,
        ).astype(np.float32)
