"""``align align`` and ``align rank``: sentence alignment, one source or several."""
from __future__ import annotations

import json

import click
from rich.console import Console

from align.cli.common import choice, encoding_progress, load_sentences, make_encoder
from align.report.safe import json_safe, safe_name, visible
from align.types import Language, Mode
from align.vectors import DEFAULT_MODEL


@click.command("align")
@click.argument("zh_file", type=click.Path())
@click.argument("en_file", type=click.Path())
@click.option("--presplit", is_flag=True, help="Files are already one sentence a line; use them as they are.")
@click.option("--mode", type=choice(Mode), default="auto", show_default=True)
@click.option("--model", default=DEFAULT_MODEL, show_default=True,
              help="Encoder: use-m, e5-small, or a sentence-transformers model on this machine.")
@click.option("--format", "fmt", type=click.Choice(["beads", "json"]), default="beads", show_default=True)
def align_cmd(zh_file: str, en_file: str, presplit: bool, mode: str, model: str, fmt: str) -> None:
    """Align the sentences of ZH_FILE (Chinese) and EN_FILE (English).

    --format beads prints one bead a line, Chinese side first, in the notation of
    the alignment gold files: [0,1]:[2], and [5]:[] for a sentence with no counterpart.
    """
    from align.alignment import align

    zh = load_sentences(zh_file, Language.ZH, presplit)
    en = load_sentences(en_file, Language.EN, presplit)
    result = align(zh, en, make_encoder(model), mode=mode, progress=encoding_progress("encoding"))
    if fmt == "beads":
        for b in result.beads:
            click.echo(b.gold())
        return
    click.echo(json_safe(json.dumps(_alignment_json(result), ensure_ascii=False, indent=2)))


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



@click.command()
@click.argument("en_file", type=click.Path())
@click.argument("zh_files", nargs=-1, required=True, type=click.Path())
@click.option("--mode", type=choice(Mode), default="auto", show_default=True)
@click.option("--model", default=DEFAULT_MODEL, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rank(en_file: str, zh_files: tuple[str, ...], mode: str, model: str, fmt: str) -> None:
    """Rank Chinese reports ZH_FILES by how much of EN_FILE they support."""
    from align.alignment.sources import align_sources

    en = load_sentences(en_file, Language.EN, False)
    sources = [(path, load_sentences(path, Language.ZH, False)) for path in zh_files]
    multi = align_sources(en, sources, make_encoder(model), mode=mode, progress=encoding_progress("encoding"))
    if fmt == "json":
        click.echo(json_safe(json.dumps({
            "ranking": [s.__dict__ for s in multi.ranking],
            "reasons": {name: a.reason for name, a in zip(multi.names, multi.alignments)},
            "best": [{"en": list(b.en), "source": b.source, "zh": list(b.zh), "score": b.score,
                      "confidence": b.confidence} for b in multi.best],
        }, ensure_ascii=False, indent=2)))
        return
    from rich.markup import escape as markup_escape

    def escape(text: str) -> str:
        return markup_escape(visible(text))

    out = Console()
    for rank_no, s in enumerate(multi.ranking, 1):
        out.print(f"{rank_no}. [bold]{escape(safe_name(s.name))}[/]: supports {s.coverage:.0%} of the English "
                  f"({s.matched} sentences), mean confidence {s.mean_confidence:.2f}; "
                  f"{escape(multi.alignments[s.source].reason)}")
    for b in multi.best:
        if b.source < 0:
            continue
        zh_sents = multi.alignments[b.source].zh
        out.rule()
        out.print(f"[dim]en {','.join(map(str, b.en))} <- {escape(safe_name(multi.names[b.source]))} zh "
                  f"{','.join(map(str, b.zh))}, confidence {b.confidence:.2f}[/]")
        out.print(escape(" ".join(en[j].text for j in b.en)))
        out.print(escape("".join(zh_sents[i].text for i in b.zh)))

