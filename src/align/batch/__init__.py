"""Checking many articles at once (``align batch``): find each article's sources in a pool,
build its report with the pipeline's ``build_report``, and write a corpus overview.

``tasks`` is one article's work (the same on every engine), ``engines`` runs tasks on
a local process pool or on Ray, ``runner`` makes the run resumable and its results
deterministic, ``overview`` is the table and the index page.
"""
from align.batch.runner import BatchRun, run_batch
from align.batch.tasks import Settings

__all__ = ["BatchRun", "Settings", "run_batch"]
