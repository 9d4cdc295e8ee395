"""``align score``: score pairs that are already aligned, one line in, one line out.

So anyone can measure the scorer on any set of pairs: the output lines up with the
input line for line.
"""
from __future__ import annotations

import click

from align.cli.common import encoding_progress, make_encoder, warn
from align.errors import InputError


@click.command("score")
@click.argument("file", default="-", type=click.Path(allow_dash=True))
@click.option("--ref", type=click.Path(dir_okay=False),
              help="Reference translations for the checks, one a line, line for line with FILE.")
def score_cmd(file: str, ref: str | None) -> None:
    """Score the `chinese<TAB>english` lines of FILE (default: standard input).

    Writes one line per input line, in input order: the 0-100 score (empty when the
    Chinese side is empty), the garbled verdict (1 or 0) and the names of the flags
    raised (comma-separated, empty when none), separated by tabs.
    """
    name = "standard input" if file == "-" else file
    pairs = [_split(line, name, n) for n, line in enumerate(_lines(file), start=1)]
    refs = None
    if ref:
        refs = [r or None for r in _lines(ref)]
        if len(refs) != len(pairs):
            raise InputError(f"{ref} has {len(refs)} lines but {name} has {len(pairs)}; "
                             "give one reference a line, line for line")
    if not pairs:
        return
    from align.quality import assess
    from align.quality.head import load_head
    from align.types import PairText

    # The head's first encoder with the build progress of the CLI (e5 is built on first use).
    encoder = make_encoder(load_head().encoders[0].name)
    texts = [PairText(zh, en, refs[i] if refs else None) for i, (zh, en) in enumerate(pairs)]
    for q in assess(texts, encoder, progress=encoding_progress("scoring")):
        score = "" if q.score is None else f"{q.score:.1f}"
        flags = ",".join(dict.fromkeys(f.name for f in q.flags))
        click.echo(f"{score}\t{int(q.garbled)}\t{flags}")


def _lines(path: str) -> list[str]:
    """The lines of a file or of standard input (``-``), in any encoding align reads; none when empty."""
    from align.documents.reading import decode_text, max_bytes, read_bytes

    if path == "-":
        limit = max_bytes()
        with click.open_file("-", "rb") as stdin:
            # Bounded like a file: `align score < /dev/zero` must not fill the memory.
            data, name = stdin.read(limit + 1), "standard input"
        if len(data) > limit:
            raise InputError(f"standard input: over {limit:,} bytes; align reads at most that much "
                             "(set ALIGN_MAX_BYTES to raise the limit)")
    else:
        data, name = read_bytes(path), path
    if not data:
        return []
    text, _, problems = decode_text(data, name)
    for problem in problems:
        warn(name, problem)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return lines[:-1] if lines[-1] == "" else lines


def _split(line: str, name: str, number: int) -> tuple[str, str]:
    fields = line.split("\t")
    if len(fields) != 2:
        raise InputError(f"{name}, line {number}: expected chinese<TAB>english, found "
                         f"{len(fields)} tab-separated field{'s' if len(fields) != 1 else ''}")
    return fields[0], fields[1]
