"""Reviewers' decisions -> a regression fixture, so their judgments become tests.

The fixture is the folder format of FIXTURES.md (version 1): copies of the input
files and ``expect.json``. Each decision becomes expectations:

- accepted pair -> ``aligned`` (English and Chinese anchors, source) and a
  ``verdicts`` entry ``garbled: false``; accepted English with no Chinese ->
  ``unsupported`` instead of ``aligned``;
- marked garbled -> ``verdicts`` ``garbled: true`` with its severity;
- flag rejected as a false alarm -> ``flags`` entry with ``absent: true``;
- note -> ``notes``.

Where the reviewer and align disagree (an accepted pair align judges garbled, another
severity, a false alarm align still raises), the expectation is written marked ``xfail``
with both judgments in words: the fixture passes on the input it was exported from, and
fails, asking for the mark to go, once align comes round to the reviewer's view.

Expectations name sentences by a short substring of their original text (an
anchor) that occurs once in its document, so the fixture survives re-segmentation.
"""
from __future__ import annotations

import json
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

from align.errors import InputError
from align.review.items import ReviewItem
from align.review.store import PairState
from align.types import Report

# Anchors grow until unique in their document, starting from these lengths (characters).
_EN_MIN, _ZH_MIN = 20, 8


def build_expect(report: Report, items: Sequence[ReviewItem], states: Mapping[str, PairState], *,
                 model: str, mode: str, description: str) -> dict:
    """The ``expect.json`` content for the decisions in ``states`` on the pairs in ``items``."""
    en_text = report.en.text
    aligned, unsupported, flags, verdicts, notes = [], [], [], [], []
    for item in items:
        state = states.get(item.key)
        if state is None or not item.en_sentences:
            continue
        en = anchor(item.en_sentences[0], en_text, _EN_MIN, words=True)
        quality = item.pair.quality
        tool_garbled = bool(quality and quality.garbled)
        if state.verdict == "accepted":
            if item.zh_sentences and item.source_name:
                zh_doc = report.sources[item.pair.source].text
                aligned.append({"en": en, "zh": anchor(item.zh_sentences[0], zh_doc, _ZH_MIN, words=False),
                                "source": item.source_name})
            else:
                unsupported.append(en)
            verdicts.append(_disagreeing({"en": en, "garbled": False}, tool_garbled and
                                         f"the reviewer accepted it; align judges it garbled ({_why(item)})"))
        elif state.verdict == "garbled":
            worst = item.severity
            verdicts.append(_disagreeing(
                {"en": en, "garbled": True, "severity": state.severity},
                (f"the reviewer judged it garbled ({state.severity}); align does not" if not tool_garbled else
                 f"the reviewer judged it {state.severity}; align's worst flag is {worst}"
                 if worst != state.severity else "")))
        for name in state.false_alarms:
            flags.append(_disagreeing({"en": en, "name": name, "absent": True},
                                      name in item.flag_names()
                                      and "the reviewer marked it a false alarm; align still raises it"))
        if state.note:
            notes.append({"en": en, "note": state.note})
    expect: dict = {
        "version": 1,
        "description": description,
        "en": report.en.name,
        "zh": [doc.name for doc in report.sources],
        "mode": mode,
        "model": model,
    }
    for key, value in (("aligned", aligned), ("unsupported", unsupported), ("flags", flags),
                       ("verdicts", verdicts), ("notes", notes)):
        if value:
            expect[key] = value
    return expect


def _disagreeing(expectation: dict, why: str | bool) -> dict:
    """The expectation, marked ``xfail`` with ``why`` when align does not meet it today."""
    return {**expectation, "xfail": why} if why else expectation


def _why(item: ReviewItem) -> str:
    """The flags behind align's garbled verdict, in a few words: "casing, score"."""
    return ", ".join(dict.fromkeys(f.name for f in item.flags if f.severity != "minor")) or "its flags"


def export_fixture(report: Report, items: Sequence[ReviewItem], states: Mapping[str, PairState],
                   folder: str | Path, *, model: str, mode: str, description: str | None = None,
                   base: Path | None = None) -> dict:
    """Write the fixture folder: the input files and ``expect.json``. Returns the expectations written.

    Inputs are copied from their recorded paths, else (a JSON report moved since it was
    written) from ``base``. An existing folder is only overwritten when it already is a
    fixture (has ``expect.json``), so a re-export after more review replaces the old one
    but never clobbers other files.
    """
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir()) and not (folder / "expect.json").exists()):
        raise InputError(f"{folder} exists and is not a fixture folder; choose a new name")
    docs = [report.en, *report.sources]
    names = [doc.name for doc in docs]
    if len(set(names)) != len(names):
        raise InputError("two input files share a file name; a fixture folder holds them side by side")
    sources = [_locate(doc.path, base) for doc in docs]
    if description is None:
        description = (f"reviewed decisions on {report.en.name} against {', '.join(names[1:])} "
                       f"(align review --export)")
    expect = build_expect(report, items, states, model=model, mode=mode, description=description)
    folder.mkdir(parents=True, exist_ok=True)
    for doc, source in zip(docs, sources):
        shutil.copyfile(source, folder / doc.name)
    (folder / "expect.json").write_text(json.dumps(expect, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return expect


def _locate(path: str, base: Path | None) -> Path:
    candidates = [Path(path)]
    if base is not None:
        candidates += [base / path, base / Path(path).name]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise InputError(f"{path}: input file not found; the fixture needs a copy of it")


def anchor(sentence: str, document: str, min_len: int, *, words: bool) -> str:
    """The shortest prefix of the sentence's first line, at least ``min_len`` long, found once in the document.

    English prefixes end at a word boundary; Chinese ones at any character. When no
    prefix is unique (the sentence is repeated), the whole first line.
    """
    line = next((ln.strip() for ln in sentence.splitlines() if ln.strip()), sentence.strip())
    if words:
        ends = [i for i, ch in enumerate(line) if ch == " "] + [len(line)]
    else:
        ends = list(range(1, len(line) + 1))
    for end in ends:
        prefix = line[:end].rstrip()
        if len(prefix) >= min_len and document.count(prefix) == 1:
            return prefix
    return line
