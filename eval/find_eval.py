"""How well ``align find`` finds each article's source in a pool: P@1 and recall@5.

    python -m eval.find_eval ../shared/eval [--work DIR] [--seeds fixtures/seeds]

One pool holds every Chinese document at once: the 155 mqm2020 and 51 mqm2021 news
documents (source segments joined), the 8 documents of the alignment gold
(literary, academic, magazine: domains the find model never saw) and the Chinese
seeds 001-003. Articles: every system's rendering of every MQM document, the gold's
English texts, and the seeds 000 and 004. The ranking is ``Finder.rank`` with the
defaults ``align find`` uses (use-m, the shipped model); "listed" is what ``align
find`` prints (probability at or above the threshold, at most 5). The model was
fitted on mqm2020 (dev); mqm2021 and the gold's domains are held out.

A second, harder test: each mqm2021 system's rendering of a document's first half
against a pool of second halves only (another report of the same event, the own
source absent; ``find_data.mqm_other_reports``).
"""
from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from eval.find_data import align_articles, mqm_articles, mqm_other_reports, seed_pool

TOP = 5


def evaluate(finder, encoder, articles) -> dict[str, dict[str, float]]:
    from align.corpus import english_query

    stats: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for a in articles:
        t0 = time.perf_counter()
        ranked = finder.rank(english_query(a.english, encoder))
        listed = finder.listed(ranked, TOP)
        s = stats[a.group]
        s["articles"] += 1
        s["p@1"] += ranked[0].source == a.source
        s["recall@5"] += a.source in [c.source for c in ranked[:TOP]]
        s["listed"] += a.source in [c.source for c in listed]
        s["wrong listed"] += any(c.source != a.source for c in listed)
        s["seconds"] += time.perf_counter() - t0
    return stats


def print_table(title: str, stats) -> None:
    print(f"\n{title}")
    print("| set | articles | P@1 | recall@5 | source listed | another doc listed | ms/article |")
    print("|---|---|---|---|---|---|---|")
    for group, s in stats.items():
        n = s["articles"]
        print(f"| {group} | {int(n)} | {s['p@1'] / n:.3f} | {s['recall@5'] / n:.3f} | {s['listed'] / n:.3f} | "
              f"{s['wrong listed'] / n:.3f} | {1000 * s['seconds'] / n:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="../shared/eval")
    parser.add_argument("--work", type=Path, default=Path("/tmp/align-find-eval"))
    parser.add_argument("--seeds", type=Path, default=Path(__file__).resolve().parent.parent / "fixtures" / "seeds")
    args = parser.parse_args()

    from align.corpus import Finder, PoolIndex, english_query
    from align.vectors import get_encoder

    encoder = get_encoder()
    articles = (mqm_articles(args.data / "qe", args.work, "mqm2020") + mqm_articles(args.data / "qe", args.work, "mqm2021")
                + align_articles(args.data / "align", args.work))
    seed_pool(args.seeds, args.work)
    pool = str(args.work / "pool")
    index = PoolIndex.for_pool(pool, encoder)
    built = index.update(pool, encoder)
    print(f"pool: {built.documents} documents ({built.read} read and encoded) in {built.seconds:.1f} s")
    finder = Finder(index)
    print(f"model: {finder.model.fitted_on}; threshold {finder.model.threshold}")
    print_table("Each article against the whole pool", evaluate(finder, encoder, articles))

    print("\nSeeds (pool: all of the above)")
    for name in ("000", "004"):
        path = next(args.seeds.glob(f"{name}_*.txt"))
        ranked = finder.rank(english_query(str(path), encoder))
        shown = ", ".join(f"{Path(c.source).name[:12]} p={c.probability:.3f}" for c in ranked[:3])
        listed = [Path(c.source).name[:3] for c in finder.sources(english_query(str(path), encoder), TOP)]
        print(f"  {name}: {shown}; listed: {listed or 'nothing'}")

    halves = mqm_other_reports(args.data / "qe", args.work, "mqm2021")
    hpool = str(args.work / "halves" / "pool" / "mqm2021")
    hindex = PoolIndex.for_pool(hpool, encoder)
    hindex.update(hpool, encoder)
    print_table("Another report of the event (mqm2021 first halves against second halves)",
                evaluate(Finder(hindex), encoder, halves))


if __name__ == "__main__":
    main()
