"""Sentence-alignment evaluation against human gold (strict and lax P/R/F1 per set).

    python eval/align_eval.py ../shared/eval/align [--sets mac-dev,aca,mag] [--model use-m]

Runs what `align align ZH EN --presplit` runs, with no mode flag (auto: the mode
decision included), and beside it the same with parallel mode forced. Each set
is SET/zh/NNN.txt, SET/en/NNN.txt (one sentence a line, fed as they are) and
SET/gold/NNN.align (``[0,1]:[2]``, Chinese side first). Scoring follows Bertalign
and Vecalign: strict counts a predicted bead only if it equals a gold bead; lax
if its zh side overlaps a gold bead's zh side and its en side that bead's en
side. Precision is over all predicted beads, recall over gold beads with both
sides, counts pooled over the documents of a set. "texts" is how many texts
the aligner asked the encoder for (sentences and windows), cached or not.
A last row scores every news article of mqm2021 (../shared/eval/qe, or ``--news``) on
the default path against its segments' one-to-one pairing: another genre, machine
translations garbled or not, one segment a line.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # eval.mqm, when run as a script

from align.alignment import align
from align.alignment.scoring import parse_beads, score_beads
from align.cli.common import load_sentences
from align.vectors import DEFAULT_MODEL, Encoder, get_encoder
from eval.mqm import news_articles


class Counting(Encoder):
    """Passes texts through to an encoder and counts them."""

    def __init__(self, inner: Encoder) -> None:
        self.inner, self.texts = inner, 0
        self.name, self.model_id, self.dim = inner.name, inner.model_id, inner.dim

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        return self.inner._encode_batch(texts)

    def encode(self, texts: Sequence[str], progress=None) -> np.ndarray:
        self.texts += len(texts)
        return self.inner.encode(texts, progress)


Gold = list[tuple[tuple[int, ...], tuple[int, ...]]]


def run(documents: Iterable[tuple[list, list, Gold]], encoder: Counting, mode: str):
    """Pooled counts, the modes chosen and the encode / align seconds over (zh, en, gold) documents."""
    counts = None
    enc_s = align_s = 0.0
    modes: dict[str, int] = {}
    for zh, en, gold in documents:
        result = align(zh, en, encoder, mode=mode)
        modes[result.mode] = modes.get(result.mode, 0) + 1
        enc_s += result.timings["encode"]
        align_s += result.timings["align"] + result.timings.get("decide", 0.0)
        c = score_beads([(b.zh, b.en) for b in result.beads], gold)
        counts = c if counts is None else counts + c
    return counts, modes, enc_s, align_s


def row(name: str, label: str, docs: int, encoder: Counting, figures, note: str = "") -> None:
    counts, modes, enc_s, align_s = figures
    s, lx = counts.strict(), counts.lax()
    chosen = ", ".join(f"{k} {v}" for k, v in sorted(modes.items()))
    print(f"{name:8} {label:9} {docs:4} {s[0]:8.3f} {s[1]:6.3f} {s[2]:6.3f}  "
          f"{lx[0]:6.3f} {lx[1]:6.3f} {lx[2]:6.3f}  {encoder.texts:6} {enc_s:8.1f} {align_s:7.2f}  {chosen}{note}",
          flush=True)


def evaluate(root: Path, sets: list[str], model: str) -> None:
    print(f"model {model}; default = no mode flag (auto), as `align align --presplit` runs")
    print(f"{'set':8} {'path':9} {'docs':>4} {'strict P':>8} {'R':>6} {'F1':>6}  {'lax P':>6} {'R':>6} {'F1':>6}"
          f"  {'texts':>6} {'encode s':>8} {'align s':>7}  modes")
    for name in sets:
        gold_files = sorted((root / name / "gold").glob("*.align"))
        if not gold_files:
            sys.exit(f"no gold files under {root / name / 'gold'}")
        documents = [(load_sentences(str(root / name / "zh" / f"{g.stem}.txt"), "zh", True),
                      load_sentences(str(root / name / "en" / f"{g.stem}.txt"), "en", True),
                      parse_beads(g.read_text())) for g in gold_files]
        for label, mode in (("default", "auto"), ("parallel", "parallel")):
            encoder = Counting(get_encoder(model))
            row(name, label, len(gold_files), encoder, run(documents, encoder, mode))


def evaluate_news(path: Path, model: str) -> None:
    """Every article of an MQM file (one system's translation of one document, a segment a line,
    garbled renderings included) on the default path, against the segments' own one-to-one pairing."""
    articles = news_articles(path)
    encoder = Counting(get_encoder(model))
    figures = run(((zh, en, [((k,), (k,)) for k in range(len(zh))]) for _, zh, en in articles), encoder, "auto")
    row("news", "default", len(articles), encoder, figures, f"  ({path.name})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", type=Path, help="folder holding the sets, e.g. ../shared/eval/align")
    ap.add_argument("--sets", default="mac-dev,aca,mag")
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--news", type=Path, default=None, help="an MQM file whose articles are scored too "
                    "(default: ROOT/../qe/mqm2021_zhen.tsv, where it is)")
    args = ap.parse_args()
    t = time.perf_counter()
    evaluate(args.root, args.sets.split(","), args.model)
    news = args.news or args.root.parent / "qe" / "mqm2021_zhen.tsv"
    if news.is_file():
        evaluate_news(news, args.model)
    print(f"total wall time {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
