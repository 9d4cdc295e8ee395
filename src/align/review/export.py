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
They are built as the regression package's expectation objects and written with their
``to_json``, and what is written is validated against the schema the reader uses.
"""
from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from align.documents.reading import read_bytes
from align.errors import InputError
from align.regression import EXPECT
from align.regression.expectations import (EN, AlignedExpectation, Anchor, Expectation, FlagExpectation, Note,
                                           Source, UnsupportedExpectation, VerdictExpectation, to_lists)
from align.regression.fixture import VERSION
from align.regression.schema import validate
from align.review.items import ReviewItem
from align.review.store import Action, PairState
from align.types import Report, Severity

# Anchors grow until unique in their document, starting from these lengths (characters).
_EN_MIN, _ZH_MIN = 20, 8


def build_expectations(report: Report, items: Sequence[ReviewItem], states: Mapping[str, PairState]
                       ) -> tuple[list[Expectation], list[Note]]:
    """The expectations and notes that the decisions in ``states`` on the pairs in ``items`` make,
    in the format's order."""
    aligned: list[AlignedExpectation] = []
    unsupported: list[UnsupportedExpectation] = []
    flags: list[FlagExpectation] = []
    verdicts: list[VerdictExpectation] = []
    notes: list[Note] = []
    for item in items:
        state = states.get(item.key)
        if state is None or not item.en_sentences:
            continue
        en = _anchor_in(item.en_sentences[0], report.en.text, EN, _EN_MIN, words=True)
        quality = item.pair.quality
        tool_garbled = bool(quality and quality.garbled)
        if state.verdict == Action.ACCEPTED:
            if item.zh_sentences and item.source_name:
                k = item.pair.source
                zh = _anchor_in(item.zh_sentences[0], report.sources[k].text, k, _ZH_MIN, words=False)
                aligned.append(AlignedExpectation(index=len(aligned), en=en, zh=zh, source=Source(k, item.source_name)))
            else:
                unsupported.append(UnsupportedExpectation(index=len(unsupported), en=en))
            verdicts.append(VerdictExpectation(
                index=len(verdicts), en=en, garbled=False,
                xfail=f"the reviewer accepted it; align judges it garbled ({_why(item)})" if tool_garbled else None))
        elif state.verdict == Action.GARBLED:
            worst = item.severity
            verdicts.append(VerdictExpectation(
                index=len(verdicts), en=en, garbled=True, severity=state.severity,
                xfail=(f"the reviewer judged it garbled ({state.severity}); align does not" if not tool_garbled else
                       f"the reviewer judged it {state.severity}; align's worst flag is {worst}"
                       if worst != state.severity else None)))
        for name in state.false_alarms:
            flags.append(FlagExpectation(
                index=len(flags), en=en, name=name, absent=True,
                xfail="the reviewer marked it a false alarm; align still raises it" if name in item.flag_names()
                else None))
        if state.note:
            notes.append(Note(en, state.note))
    return [*aligned, *unsupported, *flags, *verdicts], notes


def build_expect(report: Report, items: Sequence[ReviewItem], states: Mapping[str, PairState], *,
                 model: str, mode: str, description: str) -> dict:
    """The ``expect.json`` content for the decisions in ``states`` on the pairs in ``items``."""
    return {
        "version": VERSION,
        "description": description,
        "en": report.en.name,
        "zh": [doc.name for doc in report.sources],
        "mode": mode,
        "model": model,
        **to_lists(*build_expectations(report, items, states)),
    }


def _anchor_in(sentence: str, document: str, doc: int, min_len: int, *, words: bool) -> Anchor:
    """The sentence's anchor (``anchor``) in ``document``, where it starts."""
    text = anchor(sentence, document, min_len, words=words)
    return Anchor(text, doc, document.find(text))


def _why(item: ReviewItem) -> str:
    """The flags behind align's garbled verdict, in a few words: "casing, score"."""
    return ", ".join(dict.fromkeys(f.name for f in item.flags if f.severity > Severity.MINOR)) or "its flags"


def export_fixture(report: Report, items: Sequence[ReviewItem], states: Mapping[str, PairState],
                   folder: str | Path, *, model: str, mode: str, description: str | None = None,
                   base: Path | None = None) -> dict:
    """Write the fixture folder: the input files and ``expect.json``. Returns the expectations written.

    Inputs are copied from their recorded paths, else (a JSON report moved since it was
    written) from ``base``. An existing folder is only overwritten when it already is a
    fixture (has ``expect.json``), so a re-export after more review replaces the old one
    but never clobbers other files. Files are written only inside the folder: each to a
    temporary file there, renamed over its name once every file is ready, and a symbolic
    link where a file would go is refused, so nothing is written through a link and a
    failed export leaves the folder as it was.
    """
    folder = Path(folder)
    docs = [report.en, *report.sources]
    names = [doc.name for doc in docs]
    for name in names:
        if name in ("", ".", "..", EXPECT) or "/" in name or "\x00" in name:
            raise InputError(f"{name!r}: cannot be a file name in a fixture folder")
    if len(set(names)) != len(names):
        raise InputError("two input files share a file name; a fixture folder holds them side by side")
    _check_folder(folder, names)
    sources = [_locate(doc.path, base) for doc in docs]
    if description is None:
        description = (f"reviewed decisions on {report.en.name} against {', '.join(names[1:])} "
                       f"(align review --export)")
    expect = build_expect(report, items, states, model=model, mode=mode, description=description)
    validate(expect, str(folder))  # what align regress will read: refused here rather than there
    contents = {name: read_bytes(str(source)) for name, source in zip(names, sources)}
    contents[EXPECT] = (json.dumps(expect, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InputError(f"{folder}: a file of that name is in the way; give a folder name") from None
    except OSError as exc:
        raise InputError(f"{folder}: cannot be created ({_reason(exc)})") from None
    _write_all(folder, contents)
    return expect


def _reason(exc: OSError) -> str:
    if isinstance(exc, NotADirectoryError):
        return "a part of the path is a file, not a folder"
    return (exc.strerror or str(exc)).lower()


def _check_folder(folder: Path, names: Sequence[str]) -> None:
    """Refuse a folder that is a link, not a folder, holds other things, or has a link or a
    non-file where one of the fixture's files goes."""
    if folder.is_symlink():
        raise InputError(f"{folder}: is a symbolic link; give the folder itself, align does not write through links")
    if not folder.exists():
        return
    if not folder.is_dir():
        raise InputError(f"{folder} exists and is not a fixture folder; choose a new name")
    try:
        has_files = any(folder.iterdir())
    except OSError as exc:
        raise InputError(f"{folder}: cannot be read ({_reason(exc)})") from None
    if has_files and not (folder / EXPECT).exists() and not (folder / EXPECT).is_symlink():
        raise InputError(f"{folder} exists and is not a fixture folder; choose a new name")
    for name in [*names, EXPECT]:
        target = folder / name
        if target.is_symlink():
            raise InputError(f"{target}: is a symbolic link; align writes fixture files only as regular "
                             "files inside the folder (remove the link)")
        if target.exists() and not target.is_file():
            raise InputError(f"{target}: is in the way (not a regular file)")


def _write_all(folder: Path, contents: Mapping[str, bytes]) -> None:
    """Each file to a temporary file in ``folder``, then all renamed into place."""
    umask = os.umask(0)
    os.umask(umask)
    temps: dict[str, str] = {}
    try:
        for name, data in contents.items():
            fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
            temps[name] = temp
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, 0o666 & ~umask)
        for name, temp in temps.items():
            os.replace(temp, folder / name)  # replaces the name itself, never what a link points at
    except OSError as exc:
        for temp in temps.values():
            with contextlib.suppress(OSError):
                os.unlink(temp)
        raise InputError(f"{folder}: cannot be written ({_reason(exc)})") from None


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
