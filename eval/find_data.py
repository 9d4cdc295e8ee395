"""Pools and articles for measuring ``align find``, made from ../shared/eval.

MQM news (qe/): each document's source segments, in order and each once, joined
one a line as one Chinese file; each system's target segments likewise as one
English file, whose source is that Chinese file. The alignment gold (align/,
literary, academic and magazine texts: domains the find model never saw) gives one
Chinese and one English file per document. Files are written under a work folder
and rewritten only when missing, so the pool index sees the same files each run.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

YEARS = {"mqm2020": "mqm2020_zhen.tsv", "mqm2021": "mqm2021_zhen.tsv"}


@dataclass(frozen=True)
class Article:
    english: str
    source: str  # the Chinese file it translates
    group: str  # "mqm2020", "mqm2021", "align"


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)


def _write(path: Path, lines: list[str]) -> None:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _read(qe_dir: Path, year: str) -> tuple[dict[str, dict[int, str]], dict[tuple[str, str], dict[int, str]]]:
    sources: dict[str, dict[int, str]] = {}
    targets: dict[tuple[str, str], dict[int, str]] = {}
    with open(qe_dir / YEARS[year], encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            seg = int(row["seg_id"])
            sources.setdefault(row["doc"], {})[seg] = row["source"]
            targets.setdefault((row["system"], row["doc"]), {})[seg] = row["target"]
    return sources, targets


def mqm_articles(qe_dir: Path, work: Path, year: str) -> list[Article]:
    """Write ``work/pool/YEAR/DOC.txt`` and ``work/en/YEAR/SYSTEM/DOC.txt``; the articles, sorted."""
    sources, targets = _read(qe_dir, year)
    for doc, segs in sources.items():
        _write(work / "pool" / year / f"{_safe(doc)}.txt", [segs[k] for k in sorted(segs)])
    out = []
    for (system, doc), segs in sorted(targets.items()):
        lines = [segs[k] for k in sorted(segs) if segs[k].strip()]
        if not lines:
            continue
        en = work / "en" / year / _safe(system) / f"{_safe(doc)}.txt"
        _write(en, lines)
        out.append(Article(str(en), str(work / "pool" / year / f"{_safe(doc)}.txt"), year))
    return out


def align_articles(align_dir: Path, work: Path) -> list[Article]:
    """The alignment gold's documents: Chinese into the pool, English as articles."""
    out = []
    for zh in sorted(align_dir.glob("*/zh/*.txt")):
        name = f"{zh.parent.parent.name}-{zh.stem}"
        en = zh.parent.parent / "en" / zh.name
        pool_file = work / "pool" / "align" / f"{name}.txt"
        en_file = work / "en" / "align" / f"{name}.txt"
        _write(pool_file, zh.read_text(encoding="utf-8").splitlines())
        _write(en_file, en.read_text(encoding="utf-8").splitlines())
        out.append(Article(str(en_file), str(pool_file), "align"))
    return out


def seed_pool(seeds: Path, work: Path) -> None:
    """The Chinese seeds 001-003 into the pool (000 and 004 are the English articles)."""
    for path in sorted(seeds.glob("00[123]_*.txt")):
        target = work / "pool" / "seeds" / path.name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())


MIN_HALF = 4  # segments a half needs to tell its event


def mqm_other_reports(qe_dir: Path, work: Path, year: str) -> list[Article]:
    """Simulated reports of one event: each system's rendering of the first half of a document
    against a pool of second halves (``work/halves/pool/YEAR/DOC.txt``). The two halves share
    the event's names, numbers and topic but hardly a sentence: the case of an English article
    whose own source is not in the pool while another report of its event is."""
    sources, targets = _read(qe_dir, year)
    out = []
    for doc, segs in sources.items():
        keys = sorted(segs)
        if len(keys) < 2 * MIN_HALF:
            continue
        half = len(keys) // 2
        pool_file = work / "halves" / "pool" / year / f"{_safe(doc)}.txt"
        _write(pool_file, [segs[k] for k in keys[half:]])
        for (system, d), tsegs in sorted(targets.items()):
            if d != doc:
                continue
            lines = [tsegs[k] for k in keys[:half] if k in tsegs and tsegs[k].strip()]
            if len(lines) < MIN_HALF:
                continue
            en = work / "halves" / "en" / year / _safe(system) / f"{_safe(doc)}.txt"
            _write(en, lines)
            out.append(Article(str(en), str(pool_file), year))
    return sorted(out, key=lambda a: a.english)
