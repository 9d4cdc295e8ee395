"""Finding an article's sources in a pool of Chinese reports (``align find``, ``align batch``).

``index`` keeps every pool document's sentence vectors, mean vector, numbers and
names under the per-user cache (faiss for the means); ``rank`` judges the nearest
documents for an English article and gives each a calibrated probability of being
its source. Nothing here loads faiss, jieba or a model at import.
"""
from align.corpus.index import PoolIndex, UpdateStats, pool_files
from align.corpus.rank import Candidate, Finder, Query, english_query, load_model

__all__ = ["Candidate", "Finder", "PoolIndex", "Query", "UpdateStats", "english_query", "load_model", "pool_files"]
