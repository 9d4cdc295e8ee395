"""The MQM judgments of ../shared/eval/qe and the ways agreement with them is reported.

Shared by ``train_qe.py`` and ``qe_eval.py``, so both read the data and measure the
same way: Kendall tau-b and Spearman between a quality score and -mqm, over all
items and averaged within each source segment across systems, and the recall of
the clearly garbled items when the lowest-scored share of items is flagged.
"""
from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.stats import kendalltau, spearmanr

TRAIN_FILE = "mqm2020_zhen.tsv"
VALID_FILE = "mqm2021_zhen.tsv"


@dataclass
class MqmSet:
    """One MQM file as columns, in file order."""

    source: list[str]
    target: list[str]
    system: list[str]
    doc: list[str]
    segment: np.ndarray  # one integer per source segment (doc, seg_id)
    mqm: np.ndarray
    garbled: np.ndarray  # the clearly garbled: non_translation = 1 or mqm >= 25

    def __len__(self) -> int:
        return len(self.source)

    def pairs(self) -> list[tuple[str, str]]:
        return list(zip(self.source, self.target))

    def articles(self) -> list[list[int]]:
        """Item indices grouped by (system, document), in segment order: what one translated article is."""
        groups: dict[tuple[str, str], list[int]] = {}
        for i, key in enumerate(zip(self.system, self.doc)):
            groups.setdefault(key, []).append(i)
        return list(groups.values())


def read_mqm(path: Path) -> MqmSet:
    if not path.is_file():
        raise SystemExit(f"{path}: no such file (pass the folder that holds {TRAIN_FILE} and {VALID_FILE})")
    csv.field_size_limit(1 << 30)
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    segments: dict[tuple[str, str], int] = {}
    seg = [segments.setdefault((r["doc"], r["seg_id"]), len(segments)) for r in rows]
    mqm = np.array([float(r["mqm"]) for r in rows])
    non_translation = np.array([r["non_translation"] == "1" for r in rows])
    return MqmSet([r["source"] for r in rows], [r["target"] for r in rows], [r["system"] for r in rows],
                  [r["doc"] for r in rows], np.array(seg), mqm, non_translation | (mqm >= 25))


def agreement(score: np.ndarray, data: MqmSet) -> dict[str, float]:
    """Kendall tau-b and Spearman of ``score`` (higher = better) against -mqm, overall and per segment."""
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
