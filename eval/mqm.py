"""The MQM judgments of ../shared/eval/qe and the ways agreement with them is reported.

Shared by every script that reads them (train_qe, qe_eval, checks_eval, perturb_eval,
bench_checks), so all read the data and measure the same way: Kendall tau-b and
Spearman between a quality score and -mqm, over all items and averaged within each
source segment across systems, and the recall of the clearly garbled items when the
lowest-scored share of items is flagged.
"""
from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import numpy as np
from scipy.stats import kendalltau, spearmanr

from align.sentences import split_lines
from align.types import PairText, Sentence

TRAIN_FILE = "mqm2020_zhen.tsv"
VALID_FILE = "mqm2021_zhen.tsv"


@dataclass
class MqmSet:
    """One MQM file as columns, in file order."""

    source: list[str]
    target: list[str]
    system: list[str]
    doc: list[str]
    seg_id: list[int]
    segment: np.ndarray  # one integer per source segment (doc, seg_id)
    mqm: np.ndarray
    garbled: np.ndarray  # the clearly garbled: non_translation = 1 or mqm >= 25

    def __len__(self) -> int:
        return len(self.source)

    def pairs(self) -> list[tuple[str, str]]:
        return list(zip(self.source, self.target))

    def texts(self) -> list[PairText]:
        """The items as the quality stage takes them."""
        return [PairText(zh, en) for zh, en in self.pairs()]

    def articles(self) -> list[list[int]]:
        """Item indices grouped by (system, document), in segment order: what one translated article is."""
        groups: dict[tuple[str, str], list[int]] = {}
        for i, key in enumerate(zip(self.system, self.doc)):
            groups.setdefault(key, []).append(i)
        return list(groups.values())


@dataclass(frozen=True)
class Item:
    system: str
    doc: str
    seg_id: int
    is_human: bool
    mqm: float
    non_translation: bool
    source: str
    target: str

    @property
    def garbled(self) -> bool:
        """The clearly garbled outputs a flagger must not miss."""
        return self.non_translation or self.mqm >= 25


def read_items(path: Path) -> list[Item]:
    """The items of one TSV; quotes are backslash-escaped in the files."""
    if not path.is_file():
        raise SystemExit(f"{path}: no such file (pass the folder that holds {TRAIN_FILE} and {VALID_FILE})")
    csv.field_size_limit(1 << 30)
    with path.open(encoding="utf-8", newline="") as f:
        rows = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [Item(r["system"], r["doc"], int(r["seg_id"]), r["is_human"] == "1", float(r["mqm"]),
                     r["non_translation"] == "1", r["source"].replace('\\"', '"'),
                     r["target"].replace('\\"', '"')) for r in rows]


def articles(items: list[Item]) -> Iterator[list[Item]]:
    """Items grouped into articles (one system's translation of one document, in segment order),
    so article-level checks see what they would see in a report."""
    key = lambda it: (it.system, it.doc)  # noqa: E731
    for _, group in groupby(sorted(items, key=lambda it: (it.system, it.doc, it.seg_id)), key=key):
        yield list(group)


def news_articles(path: Path) -> list[tuple[str, list[Sentence], list[Sentence]]]:
    """Every article of an MQM file as (name, Chinese, English), one segment a sentence."""
    out = []
    for art in articles(read_items(path)):
        art = [it for it in art if it.source.strip() and it.target.strip()]
        zh = split_lines("\n".join(" ".join(it.source.split()) for it in art), "zh")
        en = split_lines("\n".join(" ".join(it.target.split()) for it in art), "en")
        if len(zh) == len(en) == len(art):
            out.append((f"news {art[0].system} {art[0].doc}", zh, en))
    return out


def read_mqm(path: Path) -> MqmSet:
    return mqm_set(read_items(path))


def mqm_set(items: list[Item]) -> MqmSet:
    """The items as columns, in their order."""
    segments: dict[tuple[str, int], int] = {}
    seg = [segments.setdefault((it.doc, it.seg_id), len(segments)) for it in items]
    mqm = np.array([it.mqm for it in items])
    return MqmSet([it.source for it in items], [it.target for it in items], [it.system for it in items],
                  [it.doc for it in items], [it.seg_id for it in items], np.array(seg), mqm, np.array([it.garbled for it in items]))


def subset(data: MqmSet, keep: np.ndarray) -> MqmSet:
    """The items where ``keep`` is true, in file order."""
    idx = np.flatnonzero(keep)
    pick = lambda xs: [xs[k] for k in idx]  # noqa: E731
    return MqmSet(pick(data.source), pick(data.target), pick(data.system), pick(data.doc), pick(data.seg_id),
                  data.segment[idx], data.mqm[idx], data.garbled[idx])


def agreement(score: np.ndarray, data: MqmSet) -> dict[str, float]:
    """Kendall tau-b and Spearman of ``score`` (higher = better) against -mqm: overall, averaged per
    source segment (across systems) and Spearman averaged per article (within system x document)."""
    human = -data.mqm
    out = {"kendall": float(kendalltau(score, human)[0]), "spearman": float(spearmanr(score, human)[0])}
    taus, rhos = [], []
    for seg in np.unique(data.segment):
        idx = np.flatnonzero(data.segment == seg)
        # A segment all systems got equally right (or a constant score) has no ranking to agree with.
        if len(idx) < 2 or np.ptp(human[idx]) == 0 or np.ptp(score[idx]) == 0:
            continue
        taus.append(kendalltau(score[idx], human[idx])[0])
        rhos.append(spearmanr(score[idx], human[idx])[0])
    # A score constant within every segment (source length) has no per-segment figure.
    out["kendall_seg"] = float(np.mean(taus)) if taus else float("nan")
    out["spearman_seg"] = float(np.mean(rhos)) if rhos else float("nan")
    # Per article: how a reviewer of one translated article (system x document) sees the ranking.
    arts = []
    for idx in map(np.array, data.articles()):
        if len(idx) >= 2 and np.ptp(human[idx]) > 0 and np.ptp(score[idx]) > 0:
            arts.append(spearmanr(score[idx], human[idx])[0])
    out["spearman_art"] = float(np.mean(arts)) if arts else float("nan")
    return out


def recall_at(score: np.ndarray, positives: np.ndarray, share: float) -> float:
    """Recall of ``positives`` when the ``share`` of items with the lowest score is flagged (ties broken by order)."""
    k = int(round(share * len(score)))
    flagged = np.argsort(score, kind="stable")[:k]
    return float(positives[flagged].sum() / max(positives.sum(), 1))


def verdict_figures(garbled: np.ndarray, positives: np.ndarray) -> dict[str, float]:
    """Recall, precision and flag rate of a yes/no verdict against the clearly garbled."""
    hit = float((garbled & positives).sum())
    return {"recall": hit / max(positives.sum(), 1), "precision": hit / max(garbled.sum(), 1),
            "flagged": float(garbled.mean())}


def table(rows: Sequence[tuple[str, dict[str, float]]], columns: Sequence[str]) -> str:
    """A Markdown table: one row per (name, figures), the figures to 3 decimals."""
    lines = ["| | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for name, figures in rows:
        cells = ("-" if np.isnan(figures[c]) else f"{figures[c]:.3f}" for c in columns)
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
