"""The plain types at the stage edges: the ordered ``Severity`` and its ``worst``, the string
enums whose values are what every output has always carried, and the ``PairText`` edge
between the pipeline and the quality stage."""
from __future__ import annotations

import json
import zlib
from pathlib import Path

import numpy as np
import pytest

import align.quality as quality
from align.pipeline import build_report
from align.types import Flag, Language, Mode, PairText, Quality, RemovalKind, Severity
from align.vectors import Encoder


def test_severities_compare_mildest_first_not_alphabetically():
    assert list(Severity) == ["minor", "major", "critical"]
    assert Severity.MINOR < Severity.MAJOR < Severity.CRITICAL
    assert sorted([Severity.CRITICAL, Severity.MINOR, Severity.MAJOR]) == list(Severity)
    assert max(Severity) is Severity.CRITICAL and min(Severity) is Severity.MINOR
    # A plain string (a fixture's, a filter's) compares as its member.
    assert Severity.MAJOR >= "major" and Severity.MAJOR < "critical" and not Severity.CRITICAL <= "minor"
    assert [s.rank for s in Severity] == [1, 2, 3]


def test_worst_skips_nothing_fired_and_takes_plain_strings():
    assert Severity.worst(["minor", None, "critical", "major"]) is Severity.CRITICAL
    assert Severity.worst([Severity.MINOR, "major"]) is Severity.MAJOR
    assert Severity.worst([]) is None and Severity.worst([None, None]) is None
    with pytest.raises(ValueError):
        Severity.worst(["awful"])
    flags = (Flag("number", "minor", "a"), Flag("name", "major", "b"), Flag("casing", "minor", "c"))
    assert Quality(50.0, True, flags).severity is Severity.MAJOR
    assert Quality(90.0, False).severity is None


def test_enum_values_are_the_strings_every_output_carries():
    assert [str(x) for x in Language] == ["zh", "en", "other"]
    assert [str(x) for x in Mode] == ["auto", "parallel", "comparable"]
    assert [str(x) for x in RemovalKind] == ["menu", "widget", "footer", "pager", "duplicate", "spam"]
    # JSON, f-strings and dictionary keys see the value, so reports stay byte-identical.
    assert json.dumps({Severity.MAJOR: [Mode.COMPARABLE, Language.ZH]}) == '{"major": ["comparable", "zh"]}'
    assert f"{Severity.CRITICAL} {RemovalKind.SPAM}" == "critical spam"
    assert {"minor": 1}[Severity.MINOR] == 1 and Language("zh") is Language.ZH


class _Vectors(Encoder):
    """Deterministic unit vectors from each text's checksum: alignment without a model."""

    name, model_id, dim = "stand-in", "stand-in/1", 16

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        rows = np.stack([np.random.default_rng(zlib.crc32(t.encode())).standard_normal(self.dim) for t in texts])
        return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


EN = ("The regional science and technology award conference was held in Hohhot on Monday. "
      "Officials praised the researchers for their work on new crops.\n")
ZH = "周一，自治区科学技术奖励大会在呼和浩特召开。官员们表扬了研究人员在新作物方面的工作。\n"
REF = ("On Monday the regional science and technology awards conference took place in Hohhot. "
       "Officials commended the researchers for their work on new crops.\n")


@pytest.mark.parametrize("mode", [Mode.PARALLEL, Mode.COMPARABLE])
def test_the_pipeline_hands_the_quality_stage_one_pair_text_per_pair(tmp_path: Path, monkeypatch, mode: Mode):
    """Text, reference and kind travel together: nothing is zipped by position any more."""
    for name, text in (("en.txt", EN), ("zh.txt", ZH), ("ref.txt", REF)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    seen: list[PairText] = []

    def assess(pairs, encoder=None, progress=None):
        seen.extend(pairs)
        return [Quality(None, False) for _ in pairs]

    monkeypatch.setattr(quality, "assess", assess)
    report = build_report(str(tmp_path / "en.txt"), [str(tmp_path / "zh.txt")], _Vectors(), mode=mode,
                          ref_path=str(tmp_path / "ref.txt"))
    assert [(t.zh, t.en) for t in seen] == [(p.zh_text, p.en_text) for p in report.pairs]
    assert all(t.ref for t in seen)  # every English sentence has its reference's counterpart
    assert [t.partial for t in seen] == [mode == Mode.COMPARABLE and p.source >= 0 for p in report.pairs]
    assert {a.mode for a in report.multi.alignments} == {mode}


def test_other_reports_links_for_a_pairs_english_are_notes_the_surest_three():
    from align.pipeline import _also_linked
    from align.types import Alignment, Bead, Document, MultiAlignment, Pair, Sentence

    en = [Sentence(0, "One.", 0, 4, Language.EN, "One."), Sentence(1, "Two.", 5, 9, Language.EN, "Two.")]
    docs, alignments = [], []
    # source k links English 0 at its confidence; source 5 links only English 1
    for k, confidence in enumerate((0.99, 0.9, 0.4, 0.8, 0.7, 0.95, 0.6)):
        text = f"第{k}句。"
        docs.append(Document(f"{k}.txt", text, "utf-8", Language.ZH))
        zh = [Sentence(0, text, 0, len(text), Language.ZH, text)]
        beads = [Bead((0,), (1,) if k == 5 else (0,), 1.0, confidence, k)]
        alignments.append(Alignment(zh, en, beads, Mode.COMPARABLE))
    multi = MultiAlignment(en, alignments, [d.path for d in docs], [], [])
    pair = Pair(0, (0,), (0,), 0, "One.", "第0句。", None, None, 0.99)
    [notes] = _also_linked([pair], multi, docs)
    assert [n.reason for n in notes] == ["1.txt links this English too, at 0.90: 第1句。",
                                         "3.txt links this English too, at 0.80: 第3句。",
                                         "4.txt links this English too, at 0.70: 第4句。"]
    assert {(n.name, n.severity) for n in notes} == {("source", Severity.MINOR)}
