"""``align model``: build and inspect the sentence encoders."""
from __future__ import annotations

import time

import click

from align.cli.common import build_progress


@click.group()
def model() -> None:
    """Build and inspect the sentence encoders."""


@model.command("build")
@click.option("--force", is_flag=True, help="Rebuild even if the model is already built.")
def model_build(force: bool) -> None:
    """Build the bundled e5-small model into the per-user cache."""
    from align.vectors import e5_is_built, ensure_e5

    if e5_is_built() and not force:
        from align.vectors import e5_folder

        click.echo(f"e5-small is already built at {e5_folder()}")
        return
    start = time.perf_counter()
    folder = ensure_e5(build_progress(), force=force)
    click.echo(f"built e5-small at {folder} in {time.perf_counter() - start:.1f} s")


@model.command("list")
def model_list() -> None:
    """List the bundled encoders, whether they are built, and the embedding cache."""
    from align import paths
    from align.vectors import BUNDLED, e5_folder, e5_is_built

    for name, what in BUNDLED.items():
        state = ""
        if name == "e5-small":
            state = f"built at {e5_folder()}" if e5_is_built() else "not built yet (align model build)"
        click.echo(f"{name:10} {what}" + (f"\n{'':10} {state}" if state else ""))
    click.echo("any other name: a sentence-transformers model or folder already on this machine")
    click.echo(f"embedding cache: {paths.embedding_cache_path()}")

