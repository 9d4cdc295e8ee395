"""A cross-encoder beside the quality head alone, on a seeded share of mqm2021's documents.

    python eval/compare_cross.py ../shared/eval/qe [--share 0.25] [--cross FILE]

For a machine too loaded for ``train_qe.py --compare`` (which runs every check over all of
mqm2020 again), and for a cross-encoder other than the shipped one. The head's own scores come
from ``assess`` (its ``head.penalty`` signal, before the shipped combiner); the cross-encoder's
outputs from its file (int8, as it ships). The two are combined by
least squares of log(1 + MQM) on [the head's log-penalty, the cross-encoder's two outputs]
over the same share of the mqm2020 segments the cross-encoder did not train on; the head
did train on those, so its predictions there are in-sample and the fit leans towards the
head, not the cross-encoder. A second combination is cross-fitted on mqm2021 itself: fitted
on one seeded half of the chosen documents, applied to the other, and the other way round.
Printed side by side on the chosen mqm2021 documents: overall, per article, per segment,
recall of the clearly garbled at 1 % / 5 % flagged.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

# Run as a script, Python puts eval/ on the path, not the repository root where the eval package lives.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from align.quality import assess  # noqa: E402
from align.quality.cross import CROSS_FILE, cached_outputs, file_digest  # noqa: E402
from eval.mqm import TRAIN_FILE, VALID_FILE, MqmSet, read_mqm, subset, table  # noqa: E402
from eval.qe_eval import COLUMNS, figures  # noqa: E402
from eval.train_cross import cross_segments  # noqa: E402

SEED = 2021


def head_log_penalty(data: MqmSet) -> np.ndarray:
    """log(1 + the head's own predicted penalty, before the shipped cross-encoder is combined with it),
    one ``assess`` call per translated article."""
    out = np.zeros(len(data))
    pairs = data.texts()
    for article in data.articles():
        for i, q in zip(article, assess([pairs[i] for i in article])):
            out[i] = np.log1p(q.signals["head.penalty"])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="the folder with mqm2020_zhen.tsv and mqm2021_zhen.tsv")
    ap.add_argument("--share", type=float, default=0.25, help="of mqm2021's documents, and of the held-out segments")
    ap.add_argument("--cross", type=Path, default=CROSS_FILE)
    args = ap.parse_args()
    start = time.perf_counter()
    rng = np.random.default_rng(SEED)
    valid = read_mqm(args.data / VALID_FILE)
    docs = sorted(set(valid.doc))
    kept = set(rng.permutation(docs)[: int(np.ceil(args.share * len(docs)))])
    valid = subset(valid, np.array([d in kept for d in valid.doc]))
    train = read_mqm(args.data / TRAIN_FILE)
    seen = cross_segments(zip(train.doc, train.seg_id))
    held = np.unique([s for s, d, k in zip(train.segment, train.doc, train.seg_id) if (d, k) not in seen])
    chosen = rng.permutation(held)[: int(np.ceil(args.share * len(held)))]
    fit_set = subset(train, np.isin(train.segment, chosen))

    C_fit, C = cached_outputs(fit_set.pairs(), args.cross), cached_outputs(valid.pairs(), args.cross)
    A_fit = np.column_stack([head_log_penalty(fit_set), C_fit, np.ones(len(fit_set))])
    coef = np.linalg.lstsq(A_fit, np.log1p(fit_set.mqm), rcond=None)[0]
    head_lp = head_log_penalty(valid)
    A = np.column_stack([head_lp, C, np.ones(len(valid))])
    combined = A @ coef
    # The fit above leans to the head (in-sample there). Cross-fitted on mqm2021 instead: the three
    # coefficients fitted on one seeded half of its documents and applied to the other, both ways.
    half = np.isin(valid.doc, rng.permutation(sorted(kept))[: len(kept) // 2])
    crossed = np.zeros(len(valid))
    for fit in (half, ~half):
        crossed[~fit] = A[~fit] @ np.linalg.lstsq(A[fit], np.log1p(valid.mqm[fit]), rcond=None)[0]
    rows = [("quality head alone (before the cross-encoder)", figures(-np.round(head_lp, 3), valid)),
            ("cross-encoder alone (predicted penalty)", figures(-C[:, 0], valid)),
            ("cross-encoder alone (garbled logit)", figures(-C[:, 1], valid)),
            ("head + cross-encoder", figures(-combined, valid)),
            ("head + cross-encoder, cross-fitted on mqm2021 halves", figures(-crossed, valid)),
            ("source length (longer = worse)", figures(-np.array([len(s) for s in valid.source], float), valid))]
    print(f"{VALID_FILE}: {len(valid):,} items of {len(kept)} of {len(docs)} documents, {valid.garbled.sum()} clearly "
          f"garbled; cross-encoder {file_digest(args.cross)}; combined on {len(fit_set):,} items of {TRAIN_FILE} "
          f"(coefficients head {coef[0]:.3f}, cross penalty {coef[1]:.3f}, cross garbled {coef[2]:.3f}); "
          f"{time.perf_counter() - start:.0f} s\n")
    print(table(rows, COLUMNS))


if __name__ == "__main__":
    main()
