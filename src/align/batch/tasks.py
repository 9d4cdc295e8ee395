"""One article's work, the same on every engine: find its sources, build its report.

A worker process (a local process or a Ray actor) keeps its encoder and the pool
index open across articles, so a model loads once per worker. This module imports
nothing heavy at the top: a spawned worker first pins its thread counts, then loads.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

# One worker per core: a library that also spreads over every core only oversubscribes them.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


@dataclass(frozen=True)
class Settings:
    """What every task of a run shares (it keys the resume check, with the inputs)."""

    pool: str
    index_folder: str
    model: str
    mode: str
    top: int


@dataclass(frozen=True)
class Task:
    english: str
    name: str  # OUT/reports/NAME.json
    key: str  # hash of the inputs and settings: an unchanged key is not run again


@dataclass
class Outcome:
    """What a task sends back; the driver writes the files, so workers need no shared output folder."""

    task: Task
    sources: list[dict] = field(default_factory=list)  # {"source": PATH, "score": FLOAT}, best first
    summary: dict | None = None
    report_json: str | None = None
    report_html: str | None = None
    scores: list[float] = field(default_factory=list)  # every scored pair's score (the overview's plot)
    error: str | None = None
    seconds: float = 0.0


def limit_threads() -> None:
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"


class Worker:
    """The state one worker keeps: encoder, pool index, finder."""

    def __init__(self, settings: Settings) -> None:
        limit_threads()
        from pathlib import Path

        from align.corpus import Finder, PoolIndex
        from align.vectors import get_encoder

        self.settings = settings
        self.encoder = get_encoder(settings.model)
        self.finder = Finder(PoolIndex(Path(settings.index_folder), self.encoder.model_id, self.encoder.dim))

    def run(self, task: Task) -> Outcome:
        import json

        from align.corpus import english_query
        from align.errors import AlignError
        from align.pipeline import build_report
        from align.report import dumps_report, render

        t0 = time.perf_counter()
        outcome = Outcome(task)
        try:
            found = self.finder.sources(english_query(task.english, self.encoder), self.settings.top)
            outcome.sources = [{"source": c.source, "score": c.score} for c in found]
            if found:
                report = build_report(task.english, [c.source for c in found], self.encoder, mode=self.settings.mode)
                outcome.report_json = dumps_report(report)
                outcome.report_html = render(report, "html")
                outcome.summary = json.loads(outcome.report_json)["summary"]
                outcome.scores = [p.quality.score for p in report.pairs if p.quality and p.quality.score is not None]
        except AlignError as exc:  # an input problem of this article: the others go on
            outcome.error = str(exc)
        outcome.seconds = round(time.perf_counter() - t0, 3)
        return outcome


_worker: Worker | None = None


def init_process(settings: Settings) -> None:
    """Process-pool initializer: one Worker per process."""
    global _worker
    _worker = Worker(settings)


def run_in_process(task: Task) -> Outcome:
    assert _worker is not None, "init_process was not run in this process"
    return _worker.run(task)
