"""``align ingest``: what reading, cleaning and splitting made of each file."""
from __future__ import annotations

import json

import click
from rich.console import Console

from align.cli.common import choice, warn_problems
from align.report.safe import json_safe, safe_name, visible
from align.types import Language


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("--expect", type=choice((Language.ZH, Language.EN)), help="Refuse files not in this language.")
@click.option("--sentences", "show_sentences", is_flag=True, help="List every sentence with its offsets.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def ingest(files: tuple[str, ...], expect: str | None, show_sentences: bool, fmt: str) -> None:
    """Read, clean and split FILES; show what was removed and what is left."""
    from align.documents import load_document
    from align.sentences import split_document

    docs = [load_document(path, expect=expect) for path in files]
    for doc in docs:
        warn_problems(doc)
    if fmt == "json":
        click.echo(json_safe(json.dumps([_doc_json(doc, split_document(doc)) for doc in docs],
                                        ensure_ascii=False, indent=2)))
        return
    out = Console()
    for doc in docs:
        _print_doc(out, doc, split_document(doc), show_sentences)


def _doc_json(doc, sentences) -> dict:
    return {
        "path": doc.path, "encoding": doc.encoding, "language": doc.language, "script": doc.script,
        "html": doc.is_html, "problems": list(doc.problems), "chars": len(doc.text),
        "kept_chars": sum(len(s) for s in doc.body),
        "removed": [{"kind": r.kind, "start": r.start, "end": r.end, "reason": r.reason, "text": r.text}
                    for r in doc.removals],
        "sentences": [{"index": s.index, "start": s.start, "end": s.end, "text": s.text, "norm": s.norm}
                      for s in sentences],
    }


def _print_doc(out: Console, doc, sentences, show_sentences: bool) -> None:
    from collections import Counter

    from rich.markup import escape as markup_escape

    def escape(text: str) -> str:
        return markup_escape(visible(text))

    kept = sum(len(s) for s in doc.body)
    script = f", {doc.script}" if doc.script else ""
    out.rule(f"[bold]{escape(safe_name(doc.name))}")
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

