"""The ``align`` command line: a face on top of the pipeline, never imported by it."""
from __future__ import annotations

import json
import sys
import time

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from align.errors import AlignError

err = Console(stderr=True)


class _Group(click.Group):
    """Turns user errors into one clear line and exit status 2, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except AlignError as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            err.print("interrupted")
            sys.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="align")
def cli() -> None:
    """Align machine-translated English with Chinese sources and check its quality, offline."""


def build_progress():
    """A rich progress bar for the one-time model build, shown on stderr."""
    progress = Progress(TextColumn("[bold]building e5-small[/] {task.description}"), BarColumn(),
                        TimeElapsedColumn(), console=err, transient=True)
    task = None

    def update(step: str, done: int, total: int) -> None:
        nonlocal task
        if task is None:
            err.print("Building the default model (multilingual-e5-small) into the per-user cache; "
                      "this happens once.")
            progress.start()
            task = progress.add_task(step, total=total)
        progress.update(task, description=step, completed=done)
        if done == total:
            progress.stop()

    return update


def encoding_progress(label: str):
    """A progress bar for encoding, shown only when there is real work to wait for."""
    progress = Progress(TextColumn(label), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                        TimeElapsedColumn(), console=err, transient=True)
    task = None

    def update(done: int, total: int) -> None:
        nonlocal task
        if task is None:
            if done == total:
                return
            progress.start()
            task = progress.add_task(label, total=total)
        progress.update(task, completed=done)
        if done == total:
            progress.stop()

    return update


@cli.group()
def model() -> None:
    """Build and inspect the sentence encoders."""


@model.command("build")
@click.option("--force", is_flag=True, help="Rebuild even if the model is already built.")
def model_build(force: bool) -> None:
    """Build the default model (e5-small) into the per-user cache."""
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
    click.echo(f"any other name: a sentence-transformers model or folder already on this machine")
    click.echo(f"embedding cache: {paths.embedding_cache_path()}")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("--expect", type=click.Choice(["zh", "en"]), help="Refuse files not in this language.")
@click.option("--sentences", "show_sentences", is_flag=True, help="List every sentence with its offsets.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def ingest(files: tuple[str, ...], expect: str | None, show_sentences: bool, fmt: str) -> None:
    """Read, clean and split FILES; show what was removed and what is left."""
    from align.documents import load_document
    from align.sentences import split_document

    docs = [load_document(path, expect=expect) for path in files]
    if fmt == "json":
        click.echo(json.dumps([_doc_json(doc, split_document(doc)) for doc in docs],
                              ensure_ascii=False, indent=2))
        return
    out = Console()
    for doc in docs:
        _print_doc(out, doc, split_document(doc), show_sentences)


def _doc_json(doc, sentences) -> dict:
    return {
        "path": doc.path, "encoding": doc.encoding, "language": doc.language, "script": doc.script,
        "html": doc.is_html, "chars": len(doc.text), "kept_chars": sum(len(s) for s in doc.body),
        "removed": [{"kind": r.kind, "start": r.start, "end": r.end, "reason": r.reason, "text": r.text}
                    for r in doc.removals],
        "sentences": [{"index": s.index, "start": s.start, "end": s.end, "text": s.text, "norm": s.norm}
                      for s in sentences],
    }


def _print_doc(out: Console, doc, sentences, show_sentences: bool) -> None:
    from collections import Counter

    from rich.markup import escape

    kept = sum(len(s) for s in doc.body)
    script = f", {doc.script}" if doc.script else ""
    out.rule(f"[bold]{escape(doc.name)}")
    out.print(f"{doc.language}{script}, {doc.encoding}{', HTML' if doc.is_html else ''}; "
              f"{len(sentences)} sentences; kept {kept} of {len(doc.text)} characters")
    if doc.removals:
        counts = Counter(r.kind for r in doc.removals)
        out.print("removed: " + ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())))
        for r in doc.removals:
            out.print(f"  [bold]{r.kind:9}[/] [dim]{r.start:>6}-{r.end:<6}[/] {escape(' '.join(r.text.split()))}",
                      overflow="ellipsis", no_wrap=True)
            out.print(f"  {'':9} {'':13} [dim italic]{escape(r.reason)}[/]", overflow="ellipsis", no_wrap=True)
    if show_sentences:
        for s in sentences:
            out.print(f"[dim]{s.index:4} {s.start:6}-{s.end:<6}[/] {escape(s.text)}")


def _sentences(path: str, lang: str, presplit: bool):
    """Sentences of a file: one a line as given (``presplit``), or read, cleaned and split."""
    if presplit:
        from align.documents.reading import read_text
        from align.sentences import split_lines

        text, _, _ = read_text(path)
        return split_lines(text, lang)
    from align.documents import load_document
    from align.sentences import split_document

    return split_document(load_document(path, expect=lang))


def _encoder(model: str):
    from align.vectors import get_encoder

    return get_encoder(model, build_progress=build_progress())


@cli.command("align")
@click.argument("zh_file", type=click.Path())
@click.argument("en_file", type=click.Path())
@click.option("--presplit", is_flag=True, help="Files are already one sentence a line; use them as they are.")
@click.option("--mode", type=click.Choice(["auto", "parallel", "comparable"]), default="auto", show_default=True)
@click.option("--model", default="use-m", show_default=True,
              help="Encoder: use-m, e5-small, or a sentence-transformers model on this machine.")
@click.option("--format", "fmt", type=click.Choice(["beads", "json"]), default="beads", show_default=True)
def align_cmd(zh_file: str, en_file: str, presplit: bool, mode: str, model: str, fmt: str) -> None:
    """Align the sentences of ZH_FILE (Chinese) and EN_FILE (English).

    --format beads prints one bead a line, Chinese side first, in the notation of
    the alignment gold files: [0,1]:[2], and [5]:[] for a sentence with no counterpart.
    """
    from align.alignment import align

    zh = _sentences(zh_file, "zh", presplit)
    en = _sentences(en_file, "en", presplit)
    result = align(zh, en, _encoder(model), mode=mode, progress=encoding_progress("encoding"))
    if fmt == "beads":
        for b in result.beads:
            click.echo(b.gold())
        return
    click.echo(json.dumps(_alignment_json(result), ensure_ascii=False, indent=2))


def _alignment_json(result) -> dict:
    def side(b, name):
        span = result.span(b, name)
        return {"sentences": list(b.zh if name == "zh" else b.en),
                "start": span.start if span else None, "end": span.end if span else None}

    return {
        "mode": result.mode, "reason": result.reason, "model": result.model_id,
        "timings": {k: round(v, 3) for k, v in result.timings.items()},
        "beads": [{"zh": side(b, "zh"), "en": side(b, "en"), "kind": b.kind, "score": b.score,
                   "confidence": b.confidence} for b in result.beads],
    }


@cli.command()
@click.argument("en_file", type=click.Path())
@click.argument("zh_files", nargs=-1, required=True, type=click.Path())
@click.option("--mode", type=click.Choice(["auto", "parallel", "comparable"]), default="auto", show_default=True)
@click.option("--model", default="use-m", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rank(en_file: str, zh_files: tuple[str, ...], mode: str, model: str, fmt: str) -> None:
    """Rank Chinese reports ZH_FILES by how much of EN_FILE they support."""
    from align.alignment.sources import align_sources

    en = _sentences(en_file, "en", False)
    sources = [(path, _sentences(path, "zh", False)) for path in zh_files]
    multi = align_sources(en, sources, _encoder(model), mode=mode, progress=encoding_progress("encoding"))
    if fmt == "json":
        click.echo(json.dumps({
            "ranking": [s.__dict__ for s in multi.ranking],
            "reasons": {name: a.reason for name, a in zip(multi.names, multi.alignments)},
            "best": [{"en": list(b.en), "source": b.source, "zh": list(b.zh), "score": b.score,
                      "confidence": b.confidence} for b in multi.best],
        }, ensure_ascii=False, indent=2))
        return
    from rich.markup import escape

    out = Console()
    for rank_no, s in enumerate(multi.ranking, 1):
        out.print(f"{rank_no}. [bold]{escape(s.name)}[/]: supports {s.coverage:.0%} of the English "
                  f"({s.matched} sentences), mean confidence {s.mean_confidence:.2f}; "
                  f"{escape(multi.alignments[s.source].reason)}")
    for b in multi.best:
        if b.source < 0:
            continue
        zh_sents = multi.alignments[b.source].zh
        out.rule()
        out.print(f"[dim]en {','.join(map(str, b.en))} <- {escape(multi.names[b.source])} zh "
                  f"{','.join(map(str, b.zh))}, confidence {b.confidence:.2f}[/]")
        out.print(escape(" ".join(en[j].text for j in b.en)))
        out.print(escape("".join(zh_sents[i].text for i in b.zh)))


def main() -> None:
    cli(prog_name="align")


if __name__ == "__main__":
    main()
