"""The fixture format (FIXTURES.md, version 1): find fixture folders, read ``expect.json``
against its schema (``schema``), and resolve every anchor to the one place it names in its
document (the expectation classes of ``expectations`` read their entries through ``Reader``).

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
from align.regression.expectations import EN, KINDS, Anchor, Expectation, Note, Source
from align.regression.schema import validate
from align.types import Document

VERSION = 1  # the format version align reads and the exporter writes (the schema's "version" const)


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
    return Reader(Path(folder), name or str(folder)).read()


class Reader:
    """Reads one fixture; every error is raised as ``InputError("NAME: where: what")``. The
    expectation classes resolve their anchors and sources through it (``anchor``, ``zh_anchor``,
    ``source``, ``occurs``)."""

    def __init__(self, folder: Path, name: str) -> None:
        self.folder = folder
        self.name = name
        self.en_doc: Document | None = None
        self.zh_docs: list[Document] = []
        self.zh_written: list[str] = []

    def fail(self, message: str) -> NoReturn:
        raise InputError(f"{self.name}: {message}")

    def read(self) -> Fixture:
        top = self._json()
        validate(top, self.name)  # from here on every key has its type and range
        en_path = self._input(top["en"], "en")
        zh_paths = [self._input(z, f"zh[{k}]") for k, z in enumerate(top["zh"])]
        self.zh_written = list(top["zh"])
        self.en_doc = self._load(en_path, "en", "en")
        self.zh_docs = [self._load(p, "zh", f"zh[{k}]") for k, p in enumerate(zh_paths)]
        ref = self._input(top["ref"], "ref") if "ref" in top else None
        if ref:
            self._load(ref, "en", "ref")

        expectations = [cls.from_json(entry, index, self)
                        for kind, cls in KINDS.items() for index, entry in enumerate(top.get(kind, []))]
        notes = [Note.from_json(entry, index, self) for index, entry in enumerate(top.get("notes", []))]
        return Fixture(
            name=self.name, folder=self.folder, description=top.get("description", ""),
            en=en_path, zh=tuple(zh_paths), model=top["model"], mode=top.get("mode", "auto"), ref=ref,
            min_confidence=float(top.get("min_confidence", 0.0)), expectations=tuple(expectations),
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

    # --- what the schema cannot say ---------------------------------------------------------------

    def _ranking(self, names: list[str] | None) -> tuple[int, ...]:
        if names is None:
            return ()
        ranking = tuple(self.source(n, "ranking").index for n in names)
        if len(set(ranking)) != len(ranking):
            self.fail("ranking names a source twice")
        return ranking

    def _supported(self, bounds: dict[str, float] | None) -> tuple[float | None, float | None] | None:
        if bounds is None:
            return None
        low = float(bounds["min"]) if "min" in bounds else None
        high = float(bounds["max"]) if "max" in bounds else None
        if low is not None and high is not None and low > high:
            self.fail(f"supported: min {low} is above max {high}")
        return low, high

    # --- anchors ---------------------------------------------------------------------------------

    def _doc(self, doc: int) -> Document:
        assert self.en_doc is not None
        return self.en_doc if doc == EN else self.zh_docs[doc]

    def source(self, written: str, where: str) -> Source:
        """The Chinese source named as in zh, or by its file name."""
        exact = [k for k, z in enumerate(self.zh_written) if z == written]
        hits = exact or [k for k, d in enumerate(self.zh_docs) if d.name == written]
        if not hits:
            self.fail(f"{where}: source {written!r} is not one of the fixture's zh files "
                      f"({', '.join(self.zh_written)})")
        if len(hits) > 1:
            self.fail(f"{where}: source {written!r} names {len(hits)} zh files; use the path as written in zh")
        return Source(hits[0], written)

    def anchor(self, text: str, doc: int, where: str) -> Anchor:
        document = self._doc(doc)
        count = document.text.count(text) if text else 0
        if count != 1:
            self._bad_anchor(text, [document], count, where)
        return self._in_body(Anchor(text, doc, document.text.index(text)), where)

    def zh_anchor(self, text: str, source: Source | None, where: str) -> Anchor:
        """A Chinese anchor: in ``source`` where given, else in whichever source holds it once."""
        if source is not None:
            return self.anchor(text, source.index, where)
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

    def occurs(self, text: str, where: str) -> None:
        docs = [self._doc(EN), *self.zh_docs]
        if not text or not any(text in d.text for d in docs):
            self.fail(f"{where}: at {text!r} occurs in none of the fixture's inputs")
