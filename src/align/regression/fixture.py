"""The fixture format (FIXTURES.md, version 1): find fixture folders, read ``expect.json``
strictly, and resolve every anchor to the one place it names in its document.

Everything a fixture says is checked here, before any model loads, so a mistake in a
fixture is one line naming the fixture and the expectation, never a confusing failure.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from align.documents import load_document
from align.documents.reading import read_bytes
from align.errors import InputError
from align.regression import EXPECT
from align.types import Document, Mode, Severity

VERSION = 1
EN = -1  # Anchor.doc of the English document; Chinese sources are 0, 1, ...


@dataclass(frozen=True)
class Anchor:
    """A piece of a document's original text that occurs exactly once in it."""

    text: str
    doc: int  # EN, or the index of the Chinese source
    offset: int  # where ``text`` starts in ``Document.text``


@dataclass(frozen=True)
class Expectation:
    """One entry of an expectation list of ``expect.json``, about one English sentence."""

    kind: str  # the list it came from: aligned, not_aligned, unsupported, flags, verdicts, scores
    index: int  # its position in that list
    en: Anchor
    xfail: str | None  # why it is known to fail today; None: it must hold

    @property
    def label(self) -> str:
        return f"{self.kind}[{self.index}]"


@dataclass(frozen=True)
class LinkExpectation(Expectation):
    """aligned (en must be linked with zh), not_aligned (must not be linked with zh, or with
    anything in source) and unsupported (must not be linked with anything)."""

    zh: Anchor | None = None
    source: int | None = None


@dataclass(frozen=True)
class FlagExpectation(Expectation):
    """A flag that must fire on the English sentence's pair, or, with ``absent``, must not."""

    name: str = ""
    severity: str | None = None
    reason: str | None = None  # a substring of the flag's reason (case-insensitive)
    at: str | None = None  # text of the pair the flag must point at
    absent: bool = False


@dataclass(frozen=True)
class VerdictExpectation(Expectation):
    garbled: bool = False
    severity: str | None = None  # with garbled: the worst flag's severity


@dataclass(frozen=True)
class ScoreExpectation(Expectation):
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class Note:
    en: Anchor
    note: str


@dataclass(frozen=True)
class Fixture:
    """A validated fixture: its inputs, how to run them, and what must hold."""

    name: str  # the folder as found (what a user types to run it alone)
    folder: Path
    description: str
    en: str  # input paths, as the report will record them
    zh: tuple[str, ...]
    model: str
    mode: str
    ref: str | None
    min_confidence: float  # a link counts as an alignment from this confidence on
    expectations: tuple[Expectation, ...]
    ranking: tuple[int, ...] = ()  # the sources the ranking must start with, best first
    supported: tuple[float | None, float | None] | None = None  # (min, max) share of English supported
    notes: tuple[Note, ...] = ()

    def source_name(self, index: int) -> str:
        return os.path.basename(self.zh[index])


def find_fixtures(paths: Iterable[str | Path]) -> list[Path]:
    """Every fixture folder under ``paths`` (a folder holding expect.json, or expect.json
    itself), each once, in path order within each argument."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_file() and path.name == EXPECT:
            folders = [path.parent]
        elif path.is_dir():
            folders = sorted(p.parent for p in path.rglob(EXPECT))
            if not folders:
                raise InputError(f"{given}: no fixture under it (a fixture is a folder holding {EXPECT})")
        elif path.exists():
            raise InputError(f"{given}: not a fixture (give a folder, or its {EXPECT})")
        else:
            raise InputError(f"{given}: no such file or folder")
        found += [f for f in folders if f not in found]
    return found


def load_fixture(folder: str | Path, name: str | None = None) -> Fixture:
    """Read and validate the fixture in ``folder``; ``InputError`` names the fixture and the
    expectation at fault."""
    return _Reader(Path(folder), name or str(folder)).read()


# key -> JSON type; "number" accepts integers and decimals, never booleans.
_TOP_REQUIRED = {"version": "integer", "en": "string", "zh": "list", "model": "string"}
_TOP_OPTIONAL = {"description": "string", "mode": "string", "ref": "string", "min_confidence": "number",
                 "ranking": "list", "supported": "object", "aligned": "list", "not_aligned": "list",
                 "unsupported": "list", "flags": "list", "verdicts": "list", "scores": "list", "notes": "list"}
# expectation list -> (required keys, optional keys) of each entry
_ENTRIES = {
    "aligned": ({"en": "string", "zh": "string"}, {"source": "string", "xfail": "string"}),
    "not_aligned": ({"en": "string"}, {"zh": "string", "source": "string", "xfail": "string"}),
    "unsupported": ({"en": "string"}, {"xfail": "string"}),
    "flags": ({"en": "string", "name": "string"},
              {"severity": "string", "reason": "string", "at": "string", "absent": "boolean", "xfail": "string"}),
    "verdicts": ({"en": "string", "garbled": "boolean"}, {"severity": "string", "xfail": "string"}),
    "scores": ({"en": "string"}, {"min": "number", "max": "number", "xfail": "string"}),
    "notes": ({"en": "string", "note": "string"}, {}),
}


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return {str: "string", list: "list", dict: "object", type(None): "null"}[type(value)]


def _is(value: Any, kind: str) -> bool:
    actual = _json_type(value)
    return actual == kind or (kind == "number" and actual == "integer")


def _a(kind: str) -> str:
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"


class _Reader:
    """Reads one fixture; every error is raised as ``InputError("NAME: where: what")``."""

    def __init__(self, folder: Path, name: str) -> None:
        self.folder = folder
        self.name = name
        self.en_doc: Document | None = None
        self.zh_docs: list[Document] = []
        self.zh_written: list[str] = []

    def fail(self, message: str) -> NoReturn:
        raise InputError(f"{self.name}: {message}")

    def read(self) -> Fixture:
        raw = self._json()
        top = self._keys(raw, EXPECT, _TOP_REQUIRED, _TOP_OPTIONAL)
        if top["version"] != VERSION:
            self.fail(f"version {top['version']} is not supported (this align reads version {VERSION})")
        mode = top.get("mode", "auto")
        if mode not in tuple(Mode):
            self.fail(f"mode must be one of {', '.join(Mode)}, not {mode!r}")
        if not top["model"].strip():
            self.fail("model must name an encoder (use-m, e5-small, ...)")
        min_confidence = self._fraction(top.get("min_confidence", 0.0), "min_confidence")

        en_path = self._input(top["en"], "en")
        if not top["zh"] or not all(isinstance(z, str) for z in top["zh"]):
            self.fail("zh must be a non-empty list of file names")
        zh_paths = [self._input(z, f"zh[{k}]") for k, z in enumerate(top["zh"])]
        self.zh_written = list(top["zh"])
        self.en_doc = self._load(en_path, "en", "en")
        self.zh_docs = [self._load(p, "zh", f"zh[{k}]") for k, p in enumerate(zh_paths)]
        ref = self._input(top["ref"], "ref") if "ref" in top else None
        if ref:
            self._load(ref, "en", "ref")

        expectations: list[Expectation] = []
        for kind in ("aligned", "not_aligned", "unsupported", "flags", "verdicts", "scores"):
            for index, entry in enumerate(top.get(kind, [])):
                expectations.append(self._expectation(kind, index, entry))
        notes = []
        for index, entry in enumerate(top.get("notes", [])):
            e = self._keys(entry, f"notes[{index}]", *_ENTRIES["notes"])
            notes.append(Note(self._anchor(e["en"], EN, f"notes[{index}]"), e["note"]))
        return Fixture(
            name=self.name, folder=self.folder, description=top.get("description", ""),
            en=en_path, zh=tuple(zh_paths), model=top["model"], mode=mode, ref=ref,
            min_confidence=min_confidence, expectations=tuple(expectations),
            ranking=self._ranking(top.get("ranking")), supported=self._supported(top.get("supported")),
            notes=tuple(notes))

    # --- the file and its inputs ---------------------------------------------------------------

    def _json(self) -> Any:
        path = self.folder / EXPECT
        if not os.path.lexists(path):
            self.fail(f"no {EXPECT} in the folder")
        try:
            # Through the reading gate: a pipe, a device or a huge file is refused, never waited on.
            return json.loads(read_bytes(str(path)).decode("utf-8"))
        except InputError as exc:
            self.fail(str(exc).replace(str(path), EXPECT, 1))
        except UnicodeDecodeError:
            self.fail(f"{EXPECT} is not UTF-8")
        except json.JSONDecodeError as exc:
            self.fail(f"{EXPECT} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
        except RecursionError:
            self.fail(f"{EXPECT} is nested too deeply")

    def _input(self, written: str, where: str) -> str:
        """An input file named relative to the fixture folder (a plain name: a copy beside expect.json)."""
        path = os.path.normpath(self.folder / written)
        if not os.path.isfile(path):
            self.fail(f"{where}: {written} not found (inputs are named relative to the fixture folder)")
        return path

    def _load(self, path: str, lang: str, where: str) -> Document:
        try:
            return load_document(path, expect=lang)
        except InputError as exc:
            self.fail(f"{where}: {exc}")

    # --- structure -----------------------------------------------------------------------------

    def _keys(self, obj: Any, where: str, required: dict[str, str], optional: dict[str, str]) -> dict:
        if not isinstance(obj, dict):
            self.fail(f"{where}: expected an object, not {_a(_json_type(obj))}")
        allowed = {**required, **optional}
        for key in obj:
            if key not in allowed:
                self.fail(f"{where}: unknown key {key!r} (allowed: {', '.join(allowed)})")
        for key in required:
            if key not in obj:
                self.fail(f"{where}: missing key {key!r}")
        for key, value in obj.items():
            if not _is(value, allowed[key]):
                self.fail(f"{where}: {key} must be {_a(allowed[key])}, not {_a(_json_type(value))}")
        return obj


    def _fraction(self, value: float, where: str) -> float:
        if not 0.0 <= value <= 1.0:
            self.fail(f"{where} must be between 0 and 1, not {value}")
        return float(value)

    # --- expectations ----------------------------------------------------------------------------

    def _expectation(self, kind: str, index: int, entry: Any) -> Expectation:
        where = f"{kind}[{index}]"
        if kind == "unsupported" and isinstance(entry, str):
            entry = {"en": entry}  # the exporter's short form: a bare English anchor
        required, optional = _ENTRIES[kind]
        e = self._keys(entry, where, required, optional)
        xfail = e.get("xfail")
        if xfail is not None and not xfail.strip():
            self.fail(f"{where}: xfail must say why the expectation fails today")
        en = self._anchor(e["en"], EN, where)
        if kind in ("aligned", "not_aligned", "unsupported"):
            if kind == "not_aligned" and "zh" not in e and "source" not in e:
                self.fail(f"{where}: give zh or source (English with no counterpart at all is 'unsupported')")
            source = self._source(e["source"], where) if "source" in e else None
            zh = self._zh_anchor(e["zh"], source, where) if "zh" in e else None
            return LinkExpectation(kind, index, en, xfail, zh, source)
        if kind == "flags":
            if not e["name"].strip():
                self.fail(f"{where}: name must name a check (number, name, spelling, ...)")
            self._severity(e.get("severity"), where)
            if "reason" in e and not e["reason"].strip():
                self.fail(f"{where}: reason must be a non-empty piece of the flag's reason")
            if "at" in e:
                self._occurs(e["at"], where)
            return FlagExpectation(kind, index, en, xfail, e["name"], e.get("severity"), e.get("reason"),
                                   e.get("at"), e.get("absent", False))
        if kind == "verdicts":
            self._severity(e.get("severity"), where)
            if "severity" in e and not e["garbled"]:
                self.fail(f"{where}: severity goes with garbled: true")
            return VerdictExpectation(kind, index, en, xfail, e["garbled"], e.get("severity"))
        low, high = e.get("min"), e.get("max")
        if low is None and high is None:
            self.fail(f"{where}: give min, max or both")
        for bound in (low, high):
            if bound is not None and not 0 <= bound <= 100:
                self.fail(f"{where}: scores run from 0 to 100, not {bound}")
        if low is not None and high is not None and low > high:
            self.fail(f"{where}: min {low} is above max {high}")
        return ScoreExpectation(kind, index, en, xfail, low, high)

    def _severity(self, severity: str | None, where: str) -> None:
        if severity is not None and severity not in tuple(Severity):
            self.fail(f"{where}: severity must be one of {', '.join(Severity)}, not {severity!r}")

    def _ranking(self, names: list | None) -> tuple[int, ...]:
        if names is None:
            return ()
        if not names or not all(isinstance(n, str) for n in names):
            self.fail("ranking must be a non-empty list of zh file names, best first")
        ranking = tuple(self._source(n, "ranking") for n in names)
        if len(set(ranking)) != len(ranking):
            self.fail("ranking names a source twice")
        return ranking

    def _supported(self, bounds: dict | None) -> tuple[float | None, float | None] | None:
        if bounds is None:
            return None
        self._keys(bounds, "supported", {}, {"min": "number", "max": "number"})
        if not bounds:
            self.fail("supported: give min, max or both (shares of the English, 0 to 1)")
        low = self._fraction(bounds["min"], "supported: min") if "min" in bounds else None
        high = self._fraction(bounds["max"], "supported: max") if "max" in bounds else None
        if low is not None and high is not None and low > high:
            self.fail(f"supported: min {low} is above max {high}")
        return low, high

    # --- anchors ---------------------------------------------------------------------------------

    def _doc(self, doc: int) -> Document:
        assert self.en_doc is not None
        return self.en_doc if doc == EN else self.zh_docs[doc]

    def _source(self, written: str, where: str) -> int:
        """The index of the Chinese source named as in zh, or by its file name."""
        exact = [k for k, z in enumerate(self.zh_written) if z == written]
        hits = exact or [k for k, d in enumerate(self.zh_docs) if d.name == written]
        if not hits:
            self.fail(f"{where}: source {written!r} is not one of the fixture's zh files "
                      f"({', '.join(self.zh_written)})")
        if len(hits) > 1:
            self.fail(f"{where}: source {written!r} names {len(hits)} zh files; use the path as written in zh")
        return hits[0]

    def _anchor(self, text: str, doc: int, where: str) -> Anchor:
        document = self._doc(doc)
        count = document.text.count(text) if text else 0
        if count != 1:
            self._bad_anchor(text, [document], count, where)
        return self._in_body(Anchor(text, doc, document.text.index(text)), where)

    def _zh_anchor(self, text: str, source: int | None, where: str) -> Anchor:
        if source is not None:
            return self._anchor(text, source, where)
        counts = [d.text.count(text) if text else 0 for d in self.zh_docs]
        if sum(counts) != 1:
            self._bad_anchor(text, self.zh_docs, sum(counts), where)
        k = counts.index(1)
        return self._in_body(Anchor(text, k, self.zh_docs[k].text.index(text)), where)

    def _bad_anchor(self, text: str, docs: Sequence[Document], count: int, where: str) -> NoReturn:
        names = " or ".join(d.name for d in docs)
        if not text:
            self.fail(f"{where}: empty anchor")
        if count == 0:
            self.fail(f"{where}: anchor {text!r} occurs nowhere in {names}")
        self.fail(f"{where}: anchor {text!r} occurs {count} times in {names}; make it longer so it names one place")

    def _in_body(self, anchor: Anchor, where: str) -> Anchor:
        """An anchor in text that cleaning removed names no sentence: refuse it now."""
        doc = self._doc(anchor.doc)
        if not any(s.start <= anchor.offset < s.end for s in doc.body):
            removal = next((r for r in doc.removals if r.start <= anchor.offset < r.end), None)
            why = f" ({removal.kind}: {removal.reason})" if removal else ""
            self.fail(f"{where}: anchor {anchor.text!r} lies in text of {doc.name} that cleaning removed{why}")
        return anchor

    def _occurs(self, text: str, where: str) -> None:
        docs = [self._doc(EN), *self.zh_docs]
        if not text or not any(text in d.text for d in docs):
            self.fail(f"{where}: at {text!r} occurs in none of the fixture's inputs")
