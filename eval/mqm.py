"""Reading the MQM judgment files of ../shared/eval/qe (one item a line, tab separated)."""
from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path


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
        sys.exit(f"no MQM file at {path}")
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
