"""Any sentence-transformers model given by name or path, loaded without the network."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np

from align.errors import ModelError
from align.vectors.base import Encoder


class SentenceTransformerEncoder(Encoder):
    """A SentenceTransformer model from a local folder or the local Hugging Face cache.

    ``prefix`` is prepended to every text (e5 wants ``query: `` on both sides of a
    symmetric task); ``preprocess`` rewrites each text first. With ``dim`` given, the
    model is loaded only when a text must really be encoded: importing and loading it
    takes seconds, and a run whose texts are all in the embedding cache needs neither.
    """

    def __init__(self, name_or_path: str, *, prefix: str = "", model_id: str | None = None,
                 name: str | None = None, preprocess: Callable[[str], str] | None = None,
                 dim: int | None = None) -> None:
        self.name_or_path = name_or_path
        self.prefix = prefix
        self.preprocess = preprocess
        self.name = name or name_or_path
        self.model_id = model_id or f"st:{name_or_path}"
        self._model = None
        self.dim = dim if dim is not None else int(self.model.get_embedding_dimension())

    @property
    def model(self):
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            try:
                with _quiet_loading():
                    self._model = SentenceTransformer(self.name_or_path, device="cpu", local_files_only=True)
            except (OSError, ValueError) as exc:
                raise ModelError(
                    f"cannot load sentence-transformers model {self.name_or_path!r} offline: give a local "
                    f"folder, or a model already in the Hugging Face cache ({type(exc).__name__})"
                ) from exc
        return self._model

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        if self.preprocess:
            texts = [self.preprocess(t) for t in texts]
        return self.model.encode(
            texts, prompt=self.prefix, batch_size=len(texts), convert_to_numpy=True,
            normalize_embeddings=True, show_progress_bar=False,
        ).astype(np.float32)


@contextmanager
def _quiet_loading() -> Iterator[None]:
    """Loading prints a "Loading weights" progress bar (transformers) and a note that the
    model has a default prompt (sentence-transformers): noise for our users, so off while loading."""
    from transformers.utils import logging as hf_logging

    st_logger = logging.getLogger("sentence_transformers")
    level, bars = st_logger.level, hf_logging.is_progress_bar_enabled()
    st_logger.setLevel(logging.ERROR)
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        st_logger.setLevel(level)
        if bars:
            hf_logging.enable_progress_bar()
