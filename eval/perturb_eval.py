"""Synthetic garbles of good translations: does the score drop, and does the matching check fire?

    python eval/perturb_eval.py ../shared/eval/qe [--set mqm2021] [--pairs 300] [--model e5-small]

Good pairs are machine translations judged perfect (mqm == 0, not human) in the MQM file.
Each perturbation garbles the English of every pair it applies to (a pair with no number
cannot have one changed); the score comes from ``align.quality.assess`` (whatever scorer
the quality stage uses), and the check named beside each perturbation must flag it.
Seeded: the same data give the same table.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from align.lexicon.names import rendered_names  # noqa: E402
from align.quality import assess  # noqa: E402
from align.types import PairText  # noqa: E402
from align.vectors import DEFAULT_MODEL, get_encoder  # noqa: E402
from eval.mqm import Item, read_items  # noqa: E402

_AUXILIARY = re.compile(r"\b(is|are|was|were|will|can|could|should|would|has|have|had|must|may)\b")
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:,\d{3})*(?:\.\d+)?(?![\w,]*\d)")
_POOL_NAMES = ("Zhang Wei", "Li Na", "Chen Jie", "Liu Yang", "Huang Min", "Zhao Lei", "Xu Fang", "Sun Hao")

Perturb = Callable[[Item, random.Random, list[Item]], "str | None"]


def negation(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    m = _AUXILIARY.search(it.target)
    if not m:
        return None
    word = "cannot" if m.group() == "can" else m.group() + " not"
    return it.target[:m.start()] + word + it.target[m.end():]


def number_changed(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    found = list(_NUMBER.finditer(it.target))
    if not found:
        return None
    m = rng.choice(found)
    value = float(m.group().replace(",", ""))
    new = value * rng.choice((3, 10)) + rng.randint(1, 9)
    shown = f"{new:,.0f}" if value == int(value) else f"{new:,.1f}"
    return it.target[:m.start()] + shown + it.target[m.end():]


def name_replaced(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    spans = rendered_names(it.source, it.target)
    if not spans:
        return None
    start, end = rng.choice(spans)
    others = [n for n in _POOL_NAMES if n.lower() not in it.target.lower()]
    return it.target[:start] + rng.choice(others) + it.target[end:]


def words_shuffled(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    words = it.target.split()
    if len(words) < 6:
        return None
    shuffled = words[:]
    while shuffled == words:
        rng.shuffle(shuffled)
    return " ".join(shuffled)


def truncated(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    words = it.target.split()
    if len(words) < 8:
        return None
    return " ".join(words[: len(words) // 2])


def repeated_phrase(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    words = it.target.split()
    if len(words) < 6:
        return None
    size = rng.randint(2, 3)
    k = rng.randrange(0, len(words) - size)
    return " ".join(words[:k + size] + words[k:k + size] + words[k + size:])


def unrelated(it: Item, rng: random.Random, pool: list[Item]) -> str | None:
    return rng.choice([o for o in pool if o.doc != it.doc]).target


PERTURBATIONS: list[tuple[str, Perturb, tuple[str, ...]]] = [
    ("negation", negation, ("negation",)),
    ("number changed", number_changed, ("number",)),
    ("name replaced", name_replaced, ("name",)),
    ("words shuffled", words_shuffled, ("order",)),
    ("sentence truncated", truncated, ("omission",)),
    ("repeated phrase", repeated_phrase, ("repetition",)),
    ("unrelated sentence", unrelated, ("unrelated",)),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="the qe folder of the shared eval data")
    parser.add_argument("--set", default="mqm2021")
    parser.add_argument("--pairs", type=int, default=300, help="good pairs to sample")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()

    items = read_items(args.data / f"{args.set}_zhen.tsv")
    good = [it for it in items if it.mqm == 0 and not it.is_human]
    rng = random.Random(args.seed)
    sample = sorted(rng.sample(good, min(args.pairs, len(good))), key=lambda it: (it.doc, it.seg_id, it.system))
    encoder = get_encoder(args.model)
    t0 = time.perf_counter()
    base = assess([PairText(it.source, it.target) for it in sample], encoder)
    print(f"{args.set}: {len(sample)} of {len(good)} good pairs, model {encoder.model_id}, seed {args.seed}")
    base_flagged = sum(bool(q.flags) for q in base) / len(base)
    print(f"unperturbed: mean score {sum(q.score for q in base) / len(base):.1f}, "
          f"any flag on {base_flagged:.1%}\n")
    print("| perturbation | pairs | score dropped | mean drop | matching check | fired |")
    print("|---|---|---|---|---|---|")
    for name, perturb, checks in PERTURBATIONS:
        prng = random.Random(f"{args.seed}:{name}")
        done = [(k, perturb(it, prng, good)) for k, it in enumerate(sample)]
        done = [(k, text) for k, text in done if text is not None and text != sample[k].target]
        after = assess([PairText(sample[k].source, text) for k, text in done], encoder)
        drops = [base[k].score - q.score for (k, _), q in zip(done, after)]
        fired = [any(f.name in checks for f in q.flags) for q in after]
        n = len(done) or 1
        print(f"| {name} | {len(done)} | {sum(d > 0 for d in drops) / n:.1%} | {sum(drops) / n:.1f} | "
              f"{', '.join(checks)} | {sum(fired) / n:.1%} |")
    print(f"\n{time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
