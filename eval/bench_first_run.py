"""The first `make seeds` after `make install`, against the runs after it.

    python eval/bench_first_run.py [--runs 2]

The first run on a machine encodes every seed sentence with the encoders (use-m for the
alignment, e5-small and use-m for the quality head) and parses CC-CEDICT and wordfreq's list
into the per-user cache; later runs read all of it back. Measured with a fresh, empty
``$ALIGN_HOME`` whose only content is the built models (linked from the user's cache, as
`make install` leaves them), timing `align report` on 000 against 001-003 from process start
to exit, run after run in one go (the machine is shared: the ratio is the figure).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "fixtures" / "seeds"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    from align import paths

    models = paths.models_dir()
    if not (models / "e5-small").is_dir():
        sys.exit(f"no built e5-small under {models}: run `align model build` first")
    seeds = [str(p) for n in ("000", "001", "002", "003") for p in SEEDS.glob(f"{n}_*.txt")]
    align = Path(sys.executable).with_name("align")
    with tempfile.TemporaryDirectory(prefix="align-first-run-") as home:
        (Path(home) / "models").symlink_to(models)
        env = dict(os.environ, ALIGN_HOME=home)
        times = []
        for k in range(args.runs):
            t0 = time.perf_counter()
            subprocess.run([str(align), "report", *seeds], env=env, check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - t0)
            print(f"run {k + 1}: {times[-1]:.1f} s" + (" (empty caches)" if k == 0 else ""), flush=True)
    print(f"first run / later run: {times[0] / min(times[1:]):.0f}x" if len(times) > 1 else "")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
