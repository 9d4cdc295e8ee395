"""How often each check fires on MQM-judged translations: near-perfect items against bad ones.

    python eval/checks_eval.py ../shared/eval/qe [--sets mqm2020,mqm2021] [--examples CHECK] [--reference]

For every flag name, the share of items it flags among near-perfect items (mqm == 0), bad
ones (mqm >= 5) and clearly garbled ones (non_translation = 1 or mqm >= 25); "major+" is
any flag of major or critical severity. Items are checked article by article (one
system's translation of one document), as a report would check them. Thresholds are tuned
on mqm2020 and reported on mqm2021. With ``--reference`` the first human translation of each
segment (Human-A, ref.A) is the reference of every other item of that segment, which brings
in the reference check; the human items themselves are left out.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from align.quality.checks import CHECKS, PairText, check_pairs  # noqa: E402
from eval.mqm import Item, articles, read_items  # noqa: E402

GROUPS = (("mqm=0", lambda it: it.mqm == 0), ("mqm>=5", lambda it: it.mqm >= 5),
          ("garbled", lambda it: it.garbled))


def run(items: list[Item], references: dict[tuple[str, int], str] | None = None
        ) -> tuple[list[tuple[Item, tuple]], float]:
    """Every item with its flags, and the checking time in seconds."""
    t0 = time.perf_counter()
    out = []
    for article in articles(items):
        refs = references if references is not None else {}
        found = check_pairs([PairText(it.source, it.target, refs.get((it.doc, it.seg_id))) for it in article])
        out.extend((it, f.flags) for it, f in zip(article, found))
    return out, time.perf_counter() - t0


def table(results: list[tuple[Item, tuple]]) -> None:
    groups = {name: [flags for it, flags in results if keep(it)] for name, keep in GROUPS}
    names = sorted({f.name for _, flags in results for f in flags})
    print(f"| check | {' | '.join(f'{g} (n={len(v):,})' for g, v in groups.items())} |")
    print("|---|" + "---|" * len(groups))
    rows = [(n, lambda flags, n=n: any(f.name == n for f in flags)) for n in names]
    rows.append(("any major+", lambda flags: any(f.severity in ("major", "critical") for f in flags)))
    rows.append(("any flag", lambda flags: bool(flags)))
    for name, fired in rows:
        shares = [sum(map(fired, v)) / len(v) if v else 0.0 for v in groups.values()]
        print(f"| {name} | " + " | ".join(f"{s:.1%}" for s in shares) + " |")


def examples(results: list[tuple[Item, tuple]], check: str, count: int = 12) -> None:
    """Flags of one check on near-perfect items: the false alarms to study when tuning."""
    hits = [(it, f) for it, flags in results if it.mqm == 0 for f in flags if f.name == check]
    random.Random(0).shuffle(hits)
    for it, f in hits[:count]:
        print(f"- [{f.severity}] {f.reason}\n    zh: {it.source}\n    en: {it.target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="the qe folder of the shared eval data")
    parser.add_argument("--sets", default="mqm2020,mqm2021")
    parser.add_argument("--examples", help="print false alarms of this flag name on mqm == 0 items")
    parser.add_argument("--reference", action="store_true", help="use the first human translation as reference")
    args = parser.parse_args()
    print(f"checks: {', '.join(c.name for c in CHECKS)}")
    for name in args.sets.split(","):
        items = read_items(args.data / f"{name}_zhen.tsv")
        references = None
        if args.reference:
            first = min(it.system for it in items if it.is_human)
            references = {(it.doc, it.seg_id): it.target for it in items if it.system == first}
            items = [it for it in items if not it.is_human]
            print(f"\nreference: {first}")
        results, seconds = run(items, references)
        # The first set also pays for loading the dictionaries; count only the checking.
        print(f"\n{name}: {len(items):,} items, {seconds:.1f} s ({len(items) / seconds:,.0f} pairs/s)\n")
        table(results)
        if args.examples:
            print()
            examples(results, args.examples)


if __name__ == "__main__":
    main()
