"""Speed of the quality checks: all of them over N MQM pairs on this machine.

    python eval/bench_checks.py ../shared/eval/qe [--pairs 10000]

Times the one-off loading (CC-CEDICT, jieba, wordfreq, pypinyin) apart from the checking.
MQM items share their Chinese across systems and the Chinese side is cached, so the
checking is timed twice: as the items come, and with the Chinese caches emptied before
every article (each Chinese sentence analysed afresh, the case of a long new article).
jieba's and pypinyin's answers are also kept on disk (``align.lexicon.memo``) and the
parsed CC-CEDICT and wordfreq list too: to time a machine that has seen none of it, run
with ALIGN_HOME pointing to an empty folder.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from align.lexicon.chinese import simplified, words  # noqa: E402
from align.quality.checks import PairText, check_pairs  # noqa: E402
from align.quality.checks.boilerplate import _zh_chrome  # noqa: E402
from align.quality.checks.names import _gloss_stems  # noqa: E402
from eval.mqm import articles, read_items  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="the qe folder of the shared eval data")
    parser.add_argument("--pairs", type=int, default=10_000)
    args = parser.parse_args()
    items = read_items(args.data / "mqm2020_zhen.tsv")[: args.pairs]
    groups = list(articles(items))

    t0 = time.perf_counter()
    check_pairs([PairText("二连浩特市设分会场，投入48.2亿元。", "Doubletham City invested 48.2 million yuan.")])
    load = time.perf_counter() - t0
    print(f"loading the resources: {load:.1f} s")

    for fresh in (False, True):
        t0 = time.perf_counter()
        for group in groups:
            if fresh:
                for cache in (words, simplified, _zh_chrome, _gloss_stems):
                    cache.cache_clear()
            check_pairs([PairText(it.source, it.target) for it in group])
        seconds = time.perf_counter() - t0
        what = "Chinese analysed afresh per article" if fresh else "as the items come"
        print(f"{len(items):,} pairs, {what}: {seconds:.1f} s ({len(items) / seconds:,.0f} pairs/s)")


if __name__ == "__main__":
    main()
