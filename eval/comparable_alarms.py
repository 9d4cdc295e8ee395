"""False alarms on comparable pairs: English checked against *another* report of the event.

    python eval/comparable_alarms.py ../shared/eval/qe [--per-kind 250] [--seed 14]

In comparable mode the Chinese of a pair is another report's sentence, not the English's
source, so a flag that accuses the translation (a name, number, negation, omission,
addition or unrelated flag: the cross-lingual checks) is a false alarm unless the English
garbles the very term both sides use. Two measurements, both on the path users get:

1. **The seeds** (`align report` defaults, auto mode): 000 (machine-translated from a
   Chinese original that is not among the seeds) against 001, 002 and 003 one at a time and
   together (the main job). Every pair is comparable; the cross-lingual flags that are true
   are listed by hand below (Doubletham City for 二连浩特, alliances for 盟), every other one
   is a false alarm. "Garbled by it" counts pairs a false alarm alone makes garbled.
   The true seed flags of `fixtures/seed-000-flags` (every garble the seed README names)
   are checked with the regression runner, as `align regress` does.
2. **MQM neighbours** (mqm2020 dev, mqm2021 held out): a near-perfect translation (mqm = 0)
   of segment i paired as a comparable link with the Chinese of segments i and i+1 (the
   other report says more), or its Chinese alone with the translations of segments i and
   i+1 (the English says more): two tellings that overlap, as linked reports do. They go
   through ``assess`` as ``PairText(..., partial=True)``, as the pipeline assesses every comparable link;
   the same items as translated (parallel) are the reference row.

Prints Markdown tables. ``Quality.notes`` is read when present, so the script runs unchanged on
any version of align whose ``assess`` takes ``PairText``s, and a before/after comparison is the
same script on two checkouts.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eval.mqm import TRAIN_FILE, VALID_FILE, Item, read_items  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "fixtures" / "seeds"
EN = "000_1eeb0bdcbd4fae13.txt"
SOURCES = ("001_078a39f11d01db9f.txt", "002_a14628910f49d145.txt", "003_bd3588beaa726d6c.txt")
# The checks that compare the English with the Chinese; the others read the English alone.
CROSS = ("name", "number", "negation", "omission", "addition", "unrelated")
# The cross-lingual seed flags that are right on a comparable pair (seed README): the English
# garbles the term the other report uses too. (check, a piece of the reason)
TRUE_SEED_FLAGS = (("name", "Doubletham"), ("name", "alliances"))
GARBLING = ("major", "critical")


def _true(flag) -> bool:
    return any(flag.name == name and piece in flag.reason for name, piece in TRUE_SEED_FLAGS)


def seed_runs(encoder) -> None:
    from align.pipeline import build_report

    print("| run | comparable pairs | cross-lingual flags | true | false alarms | garbled by a false alarm alone "
          "| notes |")
    print("|---|--:|--:|--:|--:|--:|--:|")
    listed = []
    for label, names in [(f"000 against {n[:3]}", (n,)) for n in SOURCES] + [("000 against 001-003", SOURCES)]:
        report = build_report(str(SEEDS / EN), [str(SEEDS / n) for n in names], encoder)
        pairs = [p for p in report.pairs if p.source >= 0 and p.quality
                 and report.multi.alignments[p.source].mode == "comparable"]
        flags = [(p, f) for p in pairs for f in p.quality.flags if f.name in CROSS]
        false = [(p, f) for p, f in flags if not _true(f)]
        alone = sum(1 for p in {id(p): p for p, _ in false}.values()
                    if p.quality.garbled and not any(f.severity in GARBLING and (f.name not in CROSS or _true(f))
                                                     for f in p.quality.flags))
        notes = sum(len(getattr(p.quality, "notes", ())) for p in pairs)
        print(f"| {label} | {len(pairs)} | {len(flags)} | {len(flags) - len(false)} | {len(false)} | {alone} "
              f"| {notes} |")
        if names == SOURCES:
            listed = false
    for p, f in listed:
        print(f"- false alarm in the main job: pair {p.index + 1}, {f.name} ({f.severity}): {f.reason}")


def seed_flags_kept() -> None:
    from align.regression.runner import Runner

    result = Runner().run(REPO / "fixtures" / "seed-000-flags", "fixtures/seed-000-flags")
    fire = [o for o in result.outcomes if o.label.startswith("flags") and o.expectation.startswith("a ")]
    held = [o for o in fire if o.held]
    print(f"\nfixtures/seed-000-flags: {result.status}, {result.held}/{len(result.outcomes)} expectations hold; "
          f"true seed flags that must fire: {len(held)}/{len(fire)} fire")
    for o in fire:
        print(f"- {'kept' if o.held else 'LOST'}: {o.expectation}")


def neighbours(items: list[Item], per_kind: int, rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    """The constructed comparable pairs of one MQM set, and the translations they are made of."""
    good = {(it.system, it.doc, it.seg_id): it for it in items if it.mqm == 0}
    runs = [(a, good[(a.system, a.doc, a.seg_id + 1)]) for a in good.values()
            if (a.system, a.doc, a.seg_id + 1) in good]
    runs.sort(key=lambda ab: (ab[0].system, ab[0].doc, ab[0].seg_id))
    chosen = rng.sample(runs, min(per_kind, len(runs)))
    return {
        "as translated (parallel)": [(a.source, a.target) for a, _ in chosen],
        "other report says more (comparable)": [(a.source + b.source, a.target) for a, b in chosen],
        "English says more (comparable)": [(a.source, a.target + " " + b.target) for a, b in chosen],
    }


def mqm_runs(folder: Path, per_kind: int, seed: int) -> None:
    from align.quality import assess
    from align.types import PairText

    print("\n| set | pairs | kind | any cross-lingual flag | " + " | ".join(CROSS) + " | garbled | notes |")
    print("|---|--:|---|--:|" + "--:|" * len(CROSS) + "--:|--:|")
    for name, file in (("mqm2020 (dev)", TRAIN_FILE), ("mqm2021 (held out)", VALID_FILE)):
        built = neighbours(read_items(folder / file), per_kind, random.Random(seed))
        for kind, pairs in built.items():
            t0 = time.perf_counter()
            qualities = assess([PairText(zh, en, partial=kind.endswith("(comparable)")) for zh, en in pairs])
            n = len(pairs)
            fired = [{f.name for f in q.flags if f.name in CROSS} for q in qualities]
            by = Counter(c for names in fired for c in names)
            cells = " | ".join(f"{by[c] / n:.1%}" for c in CROSS)
            notes = sum(bool(getattr(q, "notes", ())) for q in qualities)
            print(f"| {name} | {n} | {kind} | {sum(map(bool, fired)) / n:.1%} | {cells} | "
                  f"{sum(q.garbled for q in qualities) / n:.1%} | {notes / n:.1%} |", flush=True)
            print(f"<!-- {kind}: {time.perf_counter() - t0:.1f} s -->", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("qe", type=Path, help="../shared/eval/qe")
    parser.add_argument("--per-kind", type=int, default=250, help="constructed pairs per kind and set")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    from align.vectors import DEFAULT_MODEL, get_encoder

    t0 = time.perf_counter()
    seed_runs(get_encoder(DEFAULT_MODEL))
    seed_flags_kept()
    mqm_runs(args.qe, args.per_kind, args.seed)
    print(f"\n{time.perf_counter() - t0:.0f} s in all")


if __name__ == "__main__":
    main()
