"""The ``align`` command line: a face on top of the pipeline, never imported by it.

Each command lives in its own module and is imported only when it runs, so
``align --help`` stays fast and one command's imports never slow another.
"""
from __future__ import annotations

import importlib
import os
import sys

import click

from align.errors import AlignError

# command name -> "module:attribute"; one line per command.
COMMANDS = {
    "model": "align.cli.model:model",
    "ingest": "align.cli.ingest:ingest",
    "align": "align.cli.align:align_cmd",
    "rank": "align.cli.align:rank",
    "report": "align.cli.report:report_cmd",
    "score": "align.cli.score:score_cmd",
    "review": "align.cli.review:review",
    "regress": "align.cli.regress:regress",
    "find": "align.cli.find:find_cmd",
    "batch": "align.cli.batch:batch_cmd",
}


class _Group(click.Group):
    """Loads commands lazily and turns user errors into one clear line, never a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attr = COMMANDS[name].split(":")
        return getattr(importlib.import_module(module), attr)

    def invoke(self, ctx: click.Context):
        # Messages name the user's files, whose names may carry control characters or
        # undecodable bytes: safe_name makes each message one visible line.
        from align.report.safe import safe_name

        try:
            return super().invoke(ctx)
        except AlignError as exc:
            raise click.ClickException(safe_name(str(exc))) from None
        except click.ClickException as exc:
            exc.message = safe_name(exc.message)
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            # The reader went away (`align report ... | head`): stop quietly, as other tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(141)
        except MemoryError:
            raise click.ClickException("out of memory") from None
        except OSError as exc:
            # The machine, not the input: a full disk, a read-only or vanished cache folder.
            where = f"{exc.filename}: " if exc.filename else ""
            raise click.ClickException(safe_name(f"{where}{(exc.strerror or str(exc)).lower()}")) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="align")
def cli() -> None:
    """Align machine-translated English with Chinese sources and check its quality, offline."""


def main() -> None:
    cli(prog_name="align")
