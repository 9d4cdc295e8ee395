"""``align regress``: run regression fixtures and say which expectations broke."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from align.cli.common import choice, err, make_encoder
from align.report.safe import json_safe, safe_name, visible
from align.errors import InputError
from align.types import Mode

if TYPE_CHECKING:
    from align.regression.evaluate import FixtureResult


@click.command("regress")
@click.argument("paths", metavar="DIR_OR_FIXTURE...", nargs=-1, required=True, type=click.Path())
@click.option("--model", help="Run every fixture with this encoder instead of the one it names.")
@click.option("--mode", type=choice(Mode),
              help="Run every fixture in this alignment mode instead of the one it names.")
@click.option("-k", "keywords", metavar="TEXT", multiple=True,
              help="Only fixtures whose path contains TEXT (case-insensitive; repeat for any of several).")
@click.option("--format", "fmt", type=click.Choice(["terminal", "json"]), default="terminal", show_default=True)
def regress(paths: tuple[str, ...], model: str | None, mode: str | None, keywords: tuple[str, ...],
            fmt: str) -> None:
    """Run the regression fixtures in DIR_OR_FIXTURE... (every folder holding expect.json).

    Prints a pass/fail table with alignment precision/recall/F1 and flag recall/precision
    per fixture, then every broken expectation with its pair (format: FIXTURES.md).
    Exit status: 0 all pass, 1 a fixture failed or is bad, 2 bad usage.
    """
    from align.regression.fixture import find_fixtures
    from align.regression.runner import Runner

    folders = find_fixtures(paths)
    if keywords:
        folders = [f for f in folders if any(k.lower() in str(f).lower() for k in keywords)]
        if not folders:
            raise InputError(f"no fixture matches -k {' / '.join(keywords)}")
    runner = Runner(model=model, mode=mode, get_encoder=make_encoder)
    results: list[FixtureResult] = []
    for folder in folders:
        if err.is_terminal:
            with err.status(f"running {folder}"):
                results.append(runner.run(folder))
        else:
            results.append(runner.run(folder))

    if fmt == "json":
        click.echo(json_safe(json.dumps({"fixtures": [r.to_dict() for r in results], **_counts(results)},
                                        ensure_ascii=False, indent=2)))
    else:
        _print_terminal(results)
    if any(r.status != "pass" for r in results):
        raise click.exceptions.Exit(1)


def _counts(results: list[FixtureResult]) -> dict[str, int]:
    return {status: sum(r.status == status for r in results) for status in ("pass", "fail", "error")}


def _print_terminal(results: list[FixtureResult]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from align.regression.evaluate import figure

    console = Console()
    if not console.is_terminal:
        console = Console(width=120)  # piped or redirected: a fixed width, the same on every machine
    table = Table(title="regression fixtures", title_justify="left")
    for column in ("fixture", "result", "held", "xfail", "align P", "R", "F1", "flag R", "flag P"):
        # Only the fixture's name may wrap: the figures must stay readable on a narrow terminal.
        name = column == "fixture"
        table.add_column(column, justify="left" if column in ("fixture", "result") else "right",
                         overflow="fold", no_wrap=not name, min_width=16 if name else None)
    style = {"pass": "green", "fail": "bold red", "error": "bold magenta"}
    for r in results:
        table.add_row(Text(safe_name(r.name)), Text(r.status.upper(), style=style[r.status]),
                      f"{r.held}/{len(r.outcomes)}" if not r.error else "-", str(r.xfailed) if r.xfailed else "",
                      figure(r.alignment.precision), figure(r.alignment.recall), figure(r.alignment.f1),
                      figure(r.flags.recall), figure(r.flags.precision))
    console.print(table)
    for r in results:
        if r.status != "pass":
            console.print(Text.assemble("\n", (r.status.upper(), style[r.status]), " ", visible(r.failure_text())),
                          soft_wrap=True)
    counts = _counts(results)
    console.print(f"\n{counts['pass']} passed, {counts['fail']} failed, {counts['error']} bad", highlight=False)
    # Each fixture's report (one per fixture folder), as every face shows them: time and signature.
    built = [r for r in results if r.signature]
    if built:
        total = sum(sum(r.timings.values()) for r in built)
        console.print(f"Time {total:.2f} s building {len(built)} report{'s' if len(built) != 1 else ''} "
                      "(read, encode, align, score)", highlight=False)
        for signature in dict.fromkeys(r.signature for r in built):
            console.print(Text.assemble(("Signature ", "bold"), signature), soft_wrap=True)
