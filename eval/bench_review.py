"""Startup time of the review dashboard on the seed pair, embeddings cached.

    python eval/bench_review.py [--runs 5] [EN_FILE ZH_FILE ...]

What a reviewer waits for: from starting ``align review EN ZH`` in a real terminal
(tmux, 150x40) until the first full screen is drawn (the summary line and the key
footer are on it). One run first fills the embedding cache and is not counted. Then,
in this process, the parts: building the report (cached embeddings) and mounting the
app headless. The store goes to a temporary folder, so every run starts a new review.
Defaults to the seed pair: 000 (English) against 002 (its Chinese report).
"""
from __future__ import annotations

import argparse
import asyncio
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
DEFAULT = [str(SEEDS / "000_1eeb0bdcbd4fae13.txt"), str(SEEDS / "002_a14628910f49d145.txt")]


def terminal_startup(files: list[str], store: Path, tmux: str) -> float:
    """Seconds from launching `align review` under tmux until its first full screen shows."""
    socket = f"align-bench-{time.monotonic_ns()}"
    # COLUMNS/LINES unset: the shell would pass the pane's size before tmux resizes it.
    command = "exec " + shlex.join(["env", "-u", "COLUMNS", "-u", "LINES", sys.executable, "-c",
                                    "from align.cli import main; main()", "review", *files, "--store", str(store)])
    t0 = time.perf_counter()
    subprocess.run([tmux, "-u", "-L", socket, "new-session", "-d", "-s", "bench", "-x", "150", "-y", "40", command],
                   check=True)
    try:
        while True:
            screen = subprocess.run([tmux, "-u", "-L", socket, "capture-pane", "-p", "-t", "bench"],
                                    capture_output=True, text=True).stdout
            if "reviewed 0/" in screen and "q quit" in screen:
                return time.perf_counter() - t0
            if time.perf_counter() - t0 > 120:
                raise SystemExit(f"the dashboard did not start within 120 s:\n{screen}")
            time.sleep(0.02)
    finally:
        subprocess.run([tmux, "-L", socket, "kill-server"], capture_output=True)


def in_process(files: list[str], store: Path) -> tuple[float, float, float]:
    """(import s, build_report s, app mount s) in this process."""
    t0 = time.perf_counter()
    from align.pipeline import build_report
    from align.review.dashboard.app import ReviewApp
    from align.review.items import items_from_report
    from align.review.store import ReviewStore
    from align.vectors import get_encoder

    t1 = time.perf_counter()
    report = build_report(files[0], files[1:], get_encoder("use-m"))
    t2 = time.perf_counter()
    items = items_from_report(report)
    with ReviewStore(store) as review:
        review.begin_session(report.signature, "bench", [(i.key, i.source_name, i.pair.en_text, i.pair.zh_text)
                                                         for i in items])
        app = ReviewApp(items, review, heading="bench")
        mounted = 0.0

        async def mount() -> None:
            nonlocal mounted
            async with app.run_test(size=(150, 40)) as pilot:
                await pilot.pause()
                mounted = time.perf_counter()

        asyncio.run(mount())
    return t1 - t0, t2 - t1, mounted - t2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", default=DEFAULT, help="EN_FILE ZH_FILE ... (default: seeds 000 and 002)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tmux = shutil.which("tmux")
    if tmux is None:
        raise SystemExit("tmux is needed to time the dashboard in a real terminal")
    with tempfile.TemporaryDirectory() as tmp:
        terminal_startup(args.files, Path(tmp) / "warm.sqlite", tmux)  # fills the embedding cache
        times = [terminal_startup(args.files, Path(tmp) / f"run{k}.sqlite", tmux) for k in range(args.runs)]
        imports, report, mount = in_process(args.files, Path(tmp) / "parts.sqlite")
    names = " ".join(Path(f).name for f in args.files)
    print(f"align review {names}: first full screen in a real terminal (tmux 150x40), {args.runs} runs")
    print(f"  median {statistics.median(times):.2f} s   min {min(times):.2f} s   max {max(times):.2f} s")
    print(f"  in process: imports {imports:.2f} s, build_report (cached) {report:.2f} s, "
          f"app mount headless {mount:.2f} s")


if __name__ == "__main__":
    main()
