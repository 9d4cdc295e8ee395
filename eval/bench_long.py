"""A long article end to end: `align report` on a 5 MB English text against a 20,000-sentence Chinese one.

    python eval/bench_long.py [--en-mb 5] [--zh-sentences 20000] [--keep DIR]

The texts are made here, distinct sentence by sentence, from word lists the project
already installs (wordfreq's English list, jieba's dictionary), seeded: word salad, so
no sentence repeats and none translates another (comparable mode, like a long crawl
against a long report). `align report EN ZH --format json --out FILE` runs as a user
runs it, in a fresh per-user cache folder so nothing is encoded before (the built e5
model and the lexicon tables linked in, as after `make install`). Printed: wall time, peak resident memory
of the run, sentences a side, the mode chosen and the report's own timings.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def english(size_bytes: int, rng: random.Random) -> list[str]:
    from wordfreq import top_n_list

    words = top_n_list("en", 20000)
    out, total, seen = [], 0, set()
    while total < size_bytes:
        s = " ".join(rng.choice(words) for _ in range(rng.randint(8, 24)))
        s = s[0].upper() + s[1:] + "."
        if s in seen:
            continue
        seen.add(s)
        out.append(s)
        total += len(s.encode("utf-8")) + 1
    return out


def chinese(count: int, rng: random.Random) -> list[str]:
    import jieba

    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as f:
        words = [line.split()[0] for line in f if len(line.split()[0]) >= 2][:60000]
    out, seen = [], set()
    while len(out) < count:
        s = "".join(rng.choice(words) for _ in range(rng.randint(6, 18))) + "。"
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--en-mb", type=float, default=5.0)
    ap.add_argument("--zh-sentences", type=int, default=20000)
    ap.add_argument("--keep", type=Path, help="write the texts and the report here")
    args = ap.parse_args()
    rng = random.Random(5)
    work = args.keep or Path(tempfile.mkdtemp(prefix="align-long-"))
    work.mkdir(parents=True, exist_ok=True)
    en, zh = english(int(args.en_mb * 2**20), rng), chinese(args.zh_sentences, rng)
    # paragraphs of ten sentences, as an article would have
    (work / "long_en.txt").write_text("\n\n".join(" ".join(en[k : k + 10]) for k in range(0, len(en), 10)),
                                      encoding="utf-8")
    (work / "long_zh.txt").write_text("\n\n".join("".join(zh[k : k + 10]) for k in range(0, len(zh), 10)),
                                      encoding="utf-8")
    home = work / "home"
    from align import paths

    shutil.rmtree(home, ignore_errors=True)
    home.mkdir()
    for item in (paths.models_dir(), paths.lexicon_path("x").parent):  # built e5, lexicon tables: not the vectors
        (home / item.name).symlink_to(item)
    out = work / "report.json"
    align_cmd = Path(sys.executable).parent / "align"
    t = time.perf_counter()
    proc = subprocess.run([str(align_cmd), "report", str(work / "long_en.txt"), str(work / "long_zh.txt"),
                           "--format", "json", "--out", str(out)], env=dict(os.environ, ALIGN_HOME=str(home)),
                          capture_output=True, text=True)
    wall = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if proc.returncode:
        sys.exit(f"align report failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    print(f"English {work / 'long_en.txt'}: {(work / 'long_en.txt').stat().st_size / 2**20:.1f} MB, "
          f"{len(en)} sentences; Chinese {len(zh)} sentences")
    print(f"align report: {wall:.1f} s wall, peak RSS {peak:.0f} MB")
    print(f"mode: {report['alignments'][0]['mode']}; report timings: {report.get('timings')}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
