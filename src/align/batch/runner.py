"""A batch run: every English article checked against its sources found in a pool.

Output folder::

    OUT/results.jsonl        one line per article, in the order given (rewritten at the end)
    OUT/reports/NAME.json    the article's report (align report's JSON schema), and NAME.html
    OUT/index.html           the corpus overview (``overview``)
    OUT/journal.jsonl        what is done, line by line as articles complete (for resuming)

Resumable and safe: each finished article is one line appended to the journal and
flushed to disk after its reports were written (to temporary names, then renamed),
so a crash or ``kill -9`` loses only the articles in flight, and a half-written
last line is ignored. An article whose key (its file's content, the pool's
content, the settings and the versions of align, the find model and the quality
head) is in the journal with its reports present is not run again. Any change to
the pool re-checks every article: its sources may have changed.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from align.batch.tasks import Outcome, Settings, Task
from align.errors import InputError

JOURNAL = "journal.jsonl"
RESULTS = "results.jsonl"

Progress = Callable[[int, int], None]  # (articles done, articles in all)


@dataclass
class BatchRun:
    """What a run did: every article's result line (input order) and the counts."""

    results: list[dict]
    ran: int
    skipped: int
    errors: list[tuple[str, str]]  # (english, one-line error)
    seconds: float


def article_names(paths: Sequence[str]) -> list[str]:
    """Report names from the English file names; two files of one name get a short hash of their path."""
    stems = [Path(p).stem for p in paths]
    counts: dict[str, int] = {}
    for s in stems:
        counts[s] = counts.get(s, 0) + 1
    safe = ["".join(c if c.isalnum() or c in "-_." else "_" for c in s) or "article" for s in stems]
    return [s if counts[stem] == 1 else f"{s}-{hashlib.sha256(os.path.realpath(p).encode()).hexdigest()[:8]}"
            for s, stem, p in zip(safe, stems, paths)]


def settings_key(settings: Settings, pool_digest: str) -> str:
    """Everything but the article that decides its result."""
    from importlib import resources

    from align import __version__
    from align.quality import signature

    find_model = resources.files("align.corpus").joinpath("find-model.json").read_bytes()
    parts = [__version__, signature(), hashlib.sha256(find_model).hexdigest(), pool_digest,
             settings.model, settings.mode, str(settings.top)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def make_tasks(paths: Sequence[str], settings_digest: str) -> list[Task]:
    from align.corpus.index import file_sha

    return [Task(path, name, hashlib.sha256(f"{file_sha(path)}\0{settings_digest}".encode()).hexdigest())
            for path, name in zip(paths, article_names(paths))]


def result_line(outcome: Outcome, out: Path) -> dict:
    task = outcome.task
    report = str(out / "reports" / f"{task.name}.json") if outcome.report_json else None
    line = {"english": task.english, "sources": outcome.sources, "report": report, "summary": outcome.summary}
    if outcome.error:
        line["error"] = outcome.error
    return line


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    with open(out / ".lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(f"{out}: another align batch is writing this folder") from None
        yield


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def read_journal(out: Path) -> dict[str, dict]:
    """The last complete entry per article; a line cut short by a crash is ignored."""
    done: dict[str, dict] = {}
    path = out / JOURNAL
    if not path.exists():
        return done
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(entry, dict) and "key" in entry and "result" in entry:
                done[entry["result"]["english"]] = entry
    return done


def _reports_present(entry: dict) -> bool:
    report = entry["result"].get("report")
    return report is None or (os.path.exists(report) and os.path.exists(report[:-5] + ".html"))


def run_batch(paths: Sequence[str], settings: Settings, pool_digest: str, out: Path, engine: str,
              workers: int | None, ray_address: str | None = None,
              progress: Progress | None = None) -> BatchRun:
    """Check every article, skipping those done with the same inputs and settings."""
    import time

    from align.batch.engines import run_local, run_ray

    t0 = time.perf_counter()
    (out / "reports").mkdir(parents=True, exist_ok=True)
    with _locked(out):
        tasks = make_tasks(paths, settings_key(settings, pool_digest))
        journal = read_journal(out)
        done = {t.english: journal[t.english] for t in tasks
                if t.english in journal and journal[t.english]["key"] == t.key
                and "error" not in journal[t.english]["result"] and _reports_present(journal[t.english])}
        # Compact the journal to what is still valid, so a cut-off line is never appended to.
        _atomic_write(out / JOURNAL, "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in done.values()))
        todo = [t for t in tasks if t.english not in done]
        if progress:
            progress(len(done), len(tasks))
        if todo:
            outcomes = (run_ray(todo, settings, workers, ray_address) if engine == "ray"
                        else run_local(todo, settings, workers or os.cpu_count() or 1))
            with open(out / JOURNAL, "a", encoding="utf-8") as journal_file:
                for n, outcome in enumerate(outcomes, 1):
                    done[outcome.task.english] = _record(outcome, out, journal_file)
                    if progress:
                        progress(len(tasks) - len(todo) + n, len(tasks))
        results = [done[t.english]["result"] for t in tasks]
        _atomic_write(out / RESULTS, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results))
        from align.batch.overview import write_index

        write_index(out, [done[t.english] for t in tasks])
    errors = [(r["english"], r["error"]) for r in results if r.get("error")]
    return BatchRun(results, len(todo), len(tasks) - len(todo), errors, time.perf_counter() - t0)


def _record(outcome: Outcome, out: Path, journal_file) -> dict:
    """Write an article's reports, then its journal line (flushed: it survives a kill)."""
    name = outcome.task.name
    if outcome.report_json and outcome.report_html:
        _atomic_write(out / "reports" / f"{name}.json", outcome.report_json)
        _atomic_write(out / "reports" / f"{name}.html", outcome.report_html)
    entry = {"key": outcome.task.key, "name": name, "seconds": outcome.seconds, "scores": outcome.scores,
             "result": result_line(outcome, out)}
    journal_file.write(json.dumps(entry, ensure_ascii=False) + "\n")
    journal_file.flush()
    os.fsync(journal_file.fileno())
    return entry
