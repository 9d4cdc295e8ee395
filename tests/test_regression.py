"""Regression over fixtures: the fixture format's strict validation, the evaluation on a
hand-built report (no encoder), the runner's one-report-per-fixture cache, ``align regress``
through click's runner and as a real subprocess, the pytest plugin through pytester, the
review exporter -> runner round trip, and the project's own fixtures.

The hand-built report is the review tests' sample, written to disk so fixtures can name
its files; tests that run the real pipeline (use-m) are marked slow.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_review import decide_for_export, open_store, write_sample

from align.alignment.sources import support
from align.cli import cli
from align.errors import InputError, ModelError
from align.regression.evaluate import Figures, evaluate
from align.regression.expectations import KINDS, to_lists
from align.regression.fixture import EN, VERSION, find_fixtures, load_fixture
from align.regression.runner import Runner
from align.regression.schema import schema, validate
from align.review.export import build_expectations, export_fixture
from align.types import Flag, Mode, Quality, Report, Severity, Span

REPO = Path(__file__).resolve().parent.parent
ALIGN = Path(sys.executable).with_name("align")  # the installed console script
FLAG_NAMES = {"number", "name", "untranslated", "repetition", "spelling", "casing", "omission", "addition",
              "boilerplate", "grammar"}

# Every kind of expectation, each true of the sample report (see test_review.SAMPLE).
GOOD = {
    "description": "the review sample",
    "min_confidence": 0.5,
    "ranking": ["zh.txt"],
    "supported": {"min": 0.8},
    "aligned": [{"en": "The conference was held", "zh": "会议以视频", "source": "zh.txt"},
                {"en": "Sales rose", "zh": "去年销售额"}],
    "not_aligned": [{"en": "Sales rose", "zh": "感谢大家"}],
    "unsupported": ["Sharing let more"],
    "flags": [{"en": "Sales rose", "name": "number", "severity": "critical", "reason": "4.82 BILLION",
               "at": "4.82 million"},
              {"en": "The mayor of", "name": "repetition", "at": "creative creative"},
              {"en": "Sharing let more", "name": "boilerplate", "at": "people"},
              {"en": "The mayor of", "name": "spelling", "absent": True},
              {"en": "Thank you all", "name": "number", "absent": True}],
    "verdicts": [{"en": "Sales rose", "garbled": True, "severity": "critical"},
                 {"en": "Scientists keep", "garbled": False}],
    "scores": [{"en": "Thank you all", "min": 80}, {"en": "Sales rose", "max": 50}],
    "notes": [{"en": "Sales rose", "note": "亿 is a hundred million"}],
}


def write_expect(folder: Path, **expect) -> Path:
    """expect.json in ``folder`` naming the sample's files, with ``expect`` on top."""
    base = {"version": 1, "en": "en.txt", "zh": ["zh.txt"], "mode": "parallel", "model": "use-m"}
    (folder / "expect.json").write_text(json.dumps({**base, **expect}, ensure_ascii=False), encoding="utf-8")
    return folder


def ranked(report: Report) -> Report:
    """The sample report with its source ranking filled in, as align_sources would."""
    report.multi.ranking = [support(0, report.sources[0].name, report.multi.alignments[0])]
    return report


@pytest.fixture
def sample(tmp_path: Path) -> Report:
    return ranked(write_sample(tmp_path / "fx"))


@pytest.fixture
def good(tmp_path: Path, sample: Report) -> Path:
    return write_expect(tmp_path / "fx", **GOOD)


def check(folder: Path, report: Report, **changes):
    """The sample fixture (with ``changes`` to GOOD) evaluated on ``report``."""
    write_expect(folder, **{**GOOD, **changes})
    return evaluate(load_fixture(folder, "fx"), report)


# --- the format --------------------------------------------------------------------------------

def test_load_resolves_every_expectation(good: Path, sample: Report) -> None:
    fixture = load_fixture(good, "fx")
    assert (fixture.name, fixture.model, fixture.mode, fixture.min_confidence) == ("fx", "use-m", "parallel", 0.5)
    assert fixture.en == str(good / "en.txt") and fixture.zh == (str(good / "zh.txt"),)
    assert fixture.ranking == (0,) and fixture.supported == (0.8, None)
    kinds = [e.label for e in fixture.expectations]
    assert kinds == ["aligned[0]", "aligned[1]", "not_aligned[0]", "unsupported[0]", "flags[0]", "flags[1]",
                     "flags[2]", "flags[3]", "flags[4]", "verdicts[0]", "verdicts[1]", "scores[0]", "scores[1]"]
    aligned = fixture.expectations[0]
    assert aligned.en.doc == EN and sample.en.text[aligned.en.offset:].startswith("The conference was held")
    # A Chinese anchor without a source is found in whichever source holds it once.
    second = fixture.expectations[1]
    assert second.zh.doc == 0 and sample.sources[0].text[second.zh.offset:].startswith("去年销售额")
    assert fixture.notes[0].note == "亿 is a hundred million"


def test_inputs_by_relative_path(tmp_path: Path, sample: Report) -> None:
    folder = tmp_path / "elsewhere" / "case"
    folder.mkdir(parents=True)
    write_expect(folder, en="../../fx/en.txt", zh=["../../fx/zh.txt"], aligned=GOOD["aligned"],
                 ranking=["../../fx/zh.txt"])
    fixture = load_fixture(folder)
    assert fixture.en == str(tmp_path / "fx" / "en.txt") and fixture.ranking == (0,)
    assert fixture.name == str(folder)


@pytest.mark.parametrize("changes, message", [
    ({"colour": "red"}, "expect.json: unknown key 'colour'"),
    ({"version": 2}, "version 2 is not supported (this align reads version 1)"),
    ({"model": None}, "expect.json: model must be a string, not a null"),
    ({"mode": "fast"}, "mode must be one of auto, parallel, comparable, not 'fast'"),
    ({"zh": []}, "zh must be a non-empty list of file names"),
    ({"en": "nope.txt"}, "en: nope.txt not found (inputs are named relative to the fixture folder)"),
    ({"zh": ["zh.txt", "gone.txt"]}, "zh[1]: gone.txt not found"),
    ({"en": "zh.txt"}, "en: "),
    ({"min_confidence": 2}, "min_confidence must be between 0 and 1, not 2"),
    ({"ranking": ["zh.txt", "zh.txt"]}, "ranking names a source twice"),
    ({"ranking": ["other.txt"]}, "ranking: source 'other.txt' is not one of the fixture's zh files (zh.txt)"),
    ({"supported": {}}, "supported: give min, max or both"),
    ({"supported": {"least": 0.1}}, "supported: unknown key 'least'"),
    ({"aligned": [{"en": "Sales rose", "zh": "去年", "zhh": "x"}]}, "aligned[0]: unknown key 'zhh'"),
    ({"aligned": [{"en": "Sales rose"}]}, "aligned[0]: missing key 'zh'"),
    ({"aligned": [{"en": "No such words", "zh": "去年"}]},
     "aligned[0]: anchor 'No such words' occurs nowhere in en.txt"),
    ({"aligned": [{"en": "The ", "zh": "去年"}]},
     "aligned[0]: anchor 'The ' occurs 2 times in en.txt; make it longer so it names one place"),
    ({"aligned": [{"en": "Sales rose", "zh": "。"}]}, "aligned[0]: anchor '。' occurs 5 times in zh.txt"),
    ({"aligned": [{"en": "", "zh": "去年"}]}, "aligned[0]: empty anchor"),
    ({"aligned": [{"en": "Sales rose", "zh": "去年", "source": "other.txt"}]},
     "aligned[0]: source 'other.txt' is not one of the fixture's zh files"),
    ({"aligned": [{"en": "Sales rose", "zh": "去年", "xfail": " "}]},
     "aligned[0]: xfail must say why the expectation fails today"),
    ({"not_aligned": [{"en": "Sales rose"}]}, "not_aligned[0]: give zh or source"),
    ({"unsupported": [3]}, "unsupported[0]: expected an object, not an integer"),
    ({"flags": [{"en": "Sales rose"}]}, "flags[0]: missing key 'name'"),
    ({"flags": [{"en": "Sales rose", "name": "number", "severity": "awful"}]},
     "flags[0]: severity must be one of minor, major, critical, not 'awful'"),
    ({"flags": [{"en": "Sales rose", "name": "number", "absent": "yes"}]},
     "flags[0]: absent must be a boolean, not a string"),
    ({"flags": [{"en": "Sales rose", "name": "number", "at": "zzz"}]},
     "flags[0]: at 'zzz' occurs in none of the fixture's inputs"),
    ({"flags": [{"en": "Sales rose", "name": " "}]}, "flags[0]: name must name a check"),
    ({"verdicts": [{"en": "Sales rose", "garbled": "yes"}]}, "verdicts[0]: garbled must be a boolean, not a string"),
    ({"verdicts": [{"en": "Sales rose", "garbled": False, "severity": "minor"}]},
     "verdicts[0]: severity goes with garbled: true"),
    ({"scores": [{"en": "Sales rose"}]}, "scores[0]: give min, max or both"),
    ({"scores": [{"en": "Sales rose", "min": 90, "max": 10}]}, "scores[0]: min 90 is above max 10"),
    ({"scores": [{"en": "Sales rose", "min": 101}]}, "scores[0]: scores run from 0 to 100, not 101"),
    ({"notes": [{"en": "Sales rose"}]}, "notes[0]: missing key 'note'"),
    # every kind of problem the schema finds, each at the JSON path of the object at fault
    ({"version": True}, "expect.json: version must be an integer, not a boolean"),
    ({"zh": "zh.txt"}, "expect.json: zh must be a list, not a string"),
    ({"zh": ["zh.txt", 3]}, "expect.json: zh[1] must be a string, not an integer"),
    ({"model": " "}, "expect.json: model must name an encoder"),
    ({"mode": 1}, "expect.json: mode must be a string, not an integer"),
    ({"ranking": []}, "expect.json: ranking must be a non-empty list of zh file names, best first"),
    ({"supported": {"min": 1.5}}, "supported: min must be between 0 and 1, not 1.5"),
    ({"supported": [0.1]}, "supported: expected an object, not a list"),
    ({"aligned": {"en": "Sales rose", "zh": "去年"}}, "expect.json: aligned must be a list, not an object"),
    ({"unsupported": [{"en": 3}]}, "unsupported[0]: en must be a string, not an integer"),
    ({"flags": [{"en": "Sales rose", "name": "number", "reason": ""}]},
     "flags[0]: reason must be a non-empty piece of the flag's reason"),
    ({"scores": [{"en": "Sales rose", "max": -1}]}, "scores[0]: scores run from 0 to 100, not -1"),
])
def test_bad_fixture_is_one_line_naming_fixture_and_expectation(tmp_path: Path, sample: Report, changes: dict,
                                                                message: str) -> None:
    expect = {"version": 1, "en": "en.txt", "zh": ["zh.txt"], "model": "use-m", **changes}
    (tmp_path / "fx" / "expect.json").write_text(json.dumps(expect, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_fixture(tmp_path / "fx", "cases/fx")
    text = str(caught.value)
    assert text.startswith("cases/fx: ") and message in text and "\n" not in text


def test_bad_files(tmp_path: Path, sample: Report) -> None:
    folder = tmp_path / "fx"
    for content, message in [("{", "expect.json is not valid JSON (line 1, column 2"),
                             ("[1]", "expect.json: expected an object, not a list"),
                             ("{}", "expect.json: missing key 'version'")]:
        (folder / "expect.json").write_text(content)
        with pytest.raises(InputError, match="^fx: ") as caught:
            load_fixture(folder, "fx")
        assert message in str(caught.value)
    (folder / "expect.json").write_bytes(b"\xff\xfe{")
    with pytest.raises(InputError, match="expect.json is not UTF-8"):
        load_fixture(folder, "fx")
    with pytest.raises(InputError, match="no expect.json in the folder"):
        load_fixture(tmp_path, "empty")


def test_the_first_problem_is_the_outermost(tmp_path: Path, sample: Report) -> None:
    # An object's type, then a key it must not have, then a missing key, then what its values hold.
    top = {"version": 1, "en": "en.txt", "zh": ["zh.txt"], "model": "use-m"}
    for expect, message in [({"version": 1, "en": 3, "colour": 1}, "expect.json: unknown key 'colour'"),
                            ({"version": 1, "en": 3}, "expect.json: missing key 'zh'"),
                            ({**top, "flags": [{"en": 1, "name": 2}], "scores": [1]},
                             "scores[0]: expected an object, not an integer")]:
        (tmp_path / "fx" / "expect.json").write_text(json.dumps(expect), encoding="utf-8")
        with pytest.raises(InputError) as caught:
            load_fixture(tmp_path / "fx", "fx")
        assert str(caught.value).startswith(f"fx: {message}")


def test_schema_is_the_format_align_reads() -> None:
    from jsonschema import Draft202012Validator

    shipped = schema()
    Draft202012Validator.check_schema(shipped)
    top, defs = shipped["properties"], shipped["$defs"]
    assert top["version"]["const"] == VERSION
    assert top["mode"]["enum"] == list(Mode) and defs["severity"]["enum"] == list(Severity)
    # Every list the format has is read by one expectation class (or is the notes).
    lists = [key for key, sub in top.items() if sub.get("type") == "array" and "$ref" in sub["items"]]
    assert lists == [*KINDS, "notes"]


def test_schema_holds_for_every_project_fixture_and_the_documented_example() -> None:
    for path in sorted((REPO / "fixtures").rglob("expect.json")):
        validate(json.loads(path.read_text(encoding="utf-8")), str(path.parent))
    doc = (REPO / "FIXTURES.md").read_text(encoding="utf-8")
    validate(json.loads(doc.split("## Example", 1)[1].split("```json", 1)[1].split("```", 1)[0]), "FIXTURES.md")


def test_every_kind_of_expectation_round_trips(tmp_path: Path, sample: Report) -> None:
    """Parse -> to_json gives the entries back, and parsing those gives the same expectations."""
    lists = {**{kind: GOOD[kind] for kind in (*KINDS, "notes")},
             "not_aligned": [*GOOD["not_aligned"], {"en": "Thank you all", "source": "zh.txt", "xfail": "why"}],
             "unsupported": [*GOOD["unsupported"], {"en": "Scientists keep", "xfail": "merged into a bead"}],
             "scores": [*GOOD["scores"], {"en": "The mayor of", "min": 10, "max": 90.5, "xfail": "why"}]}
    first = load_fixture(write_expect(tmp_path / "fx", **lists), "fx")
    assert {e.kind for e in first.expectations} == set(KINDS)
    assert to_lists(first.expectations, first.notes) == lists
    again = load_fixture(write_expect(tmp_path / "fx", **to_lists(first.expectations, first.notes)), "fx")
    assert (again.expectations, again.notes) == (first.expectations, first.notes)


def test_anchor_in_removed_text_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "fx"
    write_sample(folder)
    (folder / "zh.txt").write_text("会议以视频形式召开，各盟市设分会场。去年销售额增长到48.2亿元。\n"
                                   "版权所有：内蒙古日报社 蒙ICP备05000001号 联系电话：0471-1234567\n", encoding="utf-8")
    write_expect(folder, aligned=[{"en": "Sales rose", "zh": "版权所有"}])
    with pytest.raises(InputError, match=r"aligned\[0\]: anchor '版权所有' lies in text of zh.txt that cleaning "
                                         r"removed \(footer: copyright/ICP/contact footer\)"):
        load_fixture(folder, "fx")


def test_find_fixtures(tmp_path: Path, sample: Report) -> None:
    for name in ("b", "a", "a/inner"):
        (tmp_path / "all" / name).mkdir(parents=True)
        (tmp_path / "all" / name / "expect.json").write_text("{}")
    (tmp_path / "all" / "plain").mkdir()
    root = tmp_path / "all"
    assert find_fixtures([root]) == [root / "a", root / "a" / "inner", root / "b"]
    # A fixture named twice (its folder, its expect.json) is run once.
    assert find_fixtures([root / "b", root / "b" / "expect.json", root]) == [root / "b", root / "a",
                                                                              root / "a" / "inner"]
    for path, message in [(tmp_path / "nowhere", "no such file or folder"),
                          (root / "plain", "no fixture under it (a fixture is a folder holding expect.json)"),
                          (tmp_path / "fx" / "en.txt", "not a fixture (give a folder, or its expect.json)")]:
        with pytest.raises(InputError) as caught:
            find_fixtures([path])
        assert str(caught.value) == f"{path}: {message}"


# --- evaluation on a hand-built report ---------------------------------------------------------

def test_every_expectation_holds_and_the_figures_count_them(good: Path, sample: Report) -> None:
    result = evaluate(load_fixture(good, "fx"), sample)
    assert result.status == "pass" and result.failures == [] and result.error is None
    assert [o.label for o in result.outcomes][:2] == ["ranking", "supported"]
    assert result.held == len(result.outcomes) == 15
    assert result.alignment == Figures(tp=2) and result.flags == Figures(tp=3)
    assert (result.alignment.precision, result.alignment.recall, result.alignment.f1) == (1.0, 1.0, 1.0)


def test_figures() -> None:
    assert (Figures().precision, Figures().recall, Figures().f1) == (None, None, None)
    f = Figures(tp=2, fp=1, fn=1)
    assert (f.precision, f.recall, f.f1) == (2 / 3, 2 / 3, pytest.approx(2 / 3))
    assert (Figures(fp=1).precision, Figures(fp=1).recall, Figures(fp=1).f1) == (0.0, None, None)
    assert Figures(fp=1, fn=1).f1 == 0.0
    assert Figures(1, 2, 3) + Figures(1, 1, 1) == Figures(2, 3, 4)
    assert Figures(tp=1, fn=2).to_dict() == {"tp": 1, "fp": 0, "fn": 2, "precision": 1.0, "recall": 0.3333,
                                             "f1": 0.5}


def relink(report: Report, index: int, **changes) -> Report:
    report.pairs[index] = replace(report.pairs[index], **changes)
    return report


def test_a_broken_link_says_what_it_is_aligned_with_and_shows_the_pair(tmp_path: Path, sample: Report) -> None:
    # "Sales rose" now points at "感谢大家参加。": the expected link is missing and a forbidden one is made.
    thanks = sample.pairs[5]
    relink(sample, 1, zh=thanks.zh, zh_text=thanks.zh_text, zh_span=thanks.zh_span)
    result = check(tmp_path / "fx", sample)
    assert result.status == "fail"
    assert [o.label for o in result.failures] == ["aligned[1]", "not_aligned[0]"]
    assert result.alignment == Figures(tp=1, fp=2, fn=1)
    assert result.failures[0].message() == (
        "aligned[1] 'Sales rose' aligned with '去年销售额' in zh.txt (counting links of confidence 0.50 or more): "
        "it is aligned with other Chinese\n"
        "  pair 2\n"
        "    EN  Sales rose to 4.82 million yuan last year.\n"
        "    ZH  感谢大家参加。  (zh.txt, confidence 0.90)\n"
        "    score 41.0, garbled, flags: number (critical): 48.2亿元 (4.82 billion) rendered as 4.82 million; "
        "number (critical): 48.2亿元 has no faithful rendering\n"
        "    note: 亿 is a hundred million")
    assert result.failures[1].problem == "it is aligned with zh.txt (confidence 0.90)"
    text = result.failure_text()
    assert text.startswith("fx (use-m, parallel): 2 of 15 expectations broken; alignment P/R/F1 0.33/0.50/0.40, "
                           "flag R/P 1.00/1.00\n\naligned[1] ")


def test_confidence_below_the_fixture_minimum_is_no_link(tmp_path: Path, sample: Report) -> None:
    relink(sample, 0, confidence=0.3)
    relink(sample, 4, source=0, zh=(4,), zh_text="感谢大家参加。", zh_span=Span(57, 64), confidence=0.2)
    result = check(tmp_path / "fx", sample, supported={"min": 0.5})
    assert [o.label for o in result.failures] == ["aligned[0]"]
    assert result.failures[0].problem == "its only link has confidence 0.30, below the fixture's min_confidence 0.50"
    # With every link counted, the weak link of the widget line breaks "unsupported".
    result = check(tmp_path / "fx", sample, min_confidence=0.0, supported={"min": 0.5})
    assert [o.label for o in result.failures] == ["unsupported[0]"]
    assert result.failures[0].problem == "it is aligned with zh.txt (confidence 0.20)"


def test_flags_verdicts_and_scores_that_break(tmp_path: Path, sample: Report) -> None:
    sales, thanks = sample.pairs[1], sample.pairs[5]
    relink(sample, 1, quality=Quality(66.0, False, (), {}))
    relink(sample, 5, quality=Quality(70.0, False, (Flag("number", "minor", "2 written as 3", "en", 0, 5),), {}))
    result = check(tmp_path / "fx", sample)
    by_label = {o.label: o for o in result.failures}
    assert sorted(by_label) == ["flags[0]", "flags[4]", "scores[0]", "scores[1]", "verdicts[0]"]
    assert by_label["flags[0]"].expectation == ("a number flag on 'Sales rose' (severity critical, reason containing "
                                                "'4.82 BILLION', at '4.82 million')")
    assert by_label["flags[0]"].problem == "no such flag fired"
    assert by_label["flags[4]"].expectation == "no number flag on 'Thank you all'"
    assert by_label["flags[4]"].problem == "it fired (minor): 2 written as 3"
    assert by_label["verdicts[0]"].problem == "align judges it not garbled (score 66.0, no major or critical flag)"
    assert by_label["scores[0]"].expectation == "the score of 'Thank you all' at least 80"
    assert by_label["scores[0]"].problem == "its score is 70.0"
    assert by_label["scores[1]"].problem == "its score is 66.0"
    assert result.flags == Figures(tp=2, fp=1, fn=1)
    # The right flag with the wrong severity is a different flag; a garbled pair with another worst flag too.
    relink(sample, 1, quality=replace(sales.quality, flags=(replace(sales.quality.flags[0], severity="major"),)))
    relink(sample, 5, quality=thanks.quality)
    by_label = {o.label: o for o in check(tmp_path / "fx", sample).failures}
    assert sorted(by_label) == ["flags[0]", "verdicts[0]"]
    assert by_label["verdicts[0]"].problem == "align's worst flag on it is major"
    # A flag must point at the text it is expected at.
    relink(sample, 1, quality=replace(sales.quality, flags=(replace(sales.quality.flags[0], start=0, end=5),)))
    assert [o.label for o in check(tmp_path / "fx", sample).failures] == ["flags[0]"]


def test_unscored_pair_and_document_figures_that_break(tmp_path: Path, sample: Report) -> None:
    result = check(tmp_path / "fx", sample, scores=[{"en": "Sharing let more", "min": 10}],
                   supported={"max": 0.5}, ranking=["zh.txt"])
    by_label = {o.label: o for o in result.failures}
    assert sorted(by_label) == ["scores[0]", "supported"]
    assert by_label["scores[0]"].problem == "it has no score (no Chinese counterpart to score against)"
    assert by_label["supported"].expectation == ("share of the English aligned at most 0.50 "
                                                 "(counting links of confidence 0.50 or more)")
    assert by_label["supported"].problem == "0.86 of the English is aligned"
    sample.multi.ranking = []
    ranking = {o.label: o for o in check(tmp_path / "fx", sample).failures}["ranking"]
    assert (ranking.expectation, ranking.problem) == ("the sources ranked zh.txt first", "the ranking is empty")


def test_xfail_is_known_and_a_fix_must_be_recorded(tmp_path: Path, sample: Report) -> None:
    aligned = [{**GOOD["aligned"][0], "xfail": "known bug 12"},
               {"en": "Sales rose", "zh": "感谢大家", "xfail": "links the wrong sentence"}]
    result = check(tmp_path / "fx", sample, aligned=aligned)
    assert result.status == "fail" and result.xfailed == 1
    (fixed,) = result.failures
    assert fixed.label == "aligned[0]" and fixed.held
    assert fixed.message() == ("aligned[0] 'The conference was held' aligned with '会议以视频' in zh.txt (counting "
                               "links of confidence 0.50 or more): holds now, but is marked xfail (known bug 12); "
                               "remove the xfail")
    result = check(tmp_path / "fx", sample, aligned=aligned[1:])
    assert result.status == "pass" and result.xfailed == 1
    # The figures count what the tool did, xfail or not.
    assert result.alignment == Figures(fp=1, fn=1)


def test_flags_count_only_on_their_own_sentence_of_a_merged_pair(tmp_path: Path, sample: Report) -> None:
    # Pairs 2 and 3 merged into one 2-2 pair, as a parallel aligner may: the spelling flag lies in
    # the second English sentence and must not count as a flag on the first.
    mayor, land = sample.pairs[2], sample.pairs[3]
    gap = land.en_span.start - mayor.en_span.start
    flags = (*mayor.quality.flags, *(replace(f, start=f.start + gap, end=f.end + gap) for f in land.quality.flags))
    merged = replace(mayor, en=(2, 3), zh=(2, 3), en_text=sample.en.text[mayor.en_span.start:land.en_span.end],
                     en_span=Span(mayor.en_span.start, land.en_span.end),
                     quality=replace(mayor.quality, flags=flags))
    sample.pairs[2:4] = [merged]
    flags_expected = [{"en": "The mayor of", "name": "spelling", "absent": True},
                      {"en": "Scientists keep", "name": "spelling", "at": "concentrateing"},
                      {"en": "Scientists keep", "name": "repetition", "absent": True}]
    result = check(tmp_path / "fx", sample, flags=flags_expected, verdicts=[], scores=[])
    assert result.status == "pass", result.failure_text()


def test_pair_lines_for_unsupported_english(tmp_path: Path, sample: Report) -> None:
    result = check(tmp_path / "fx", sample, aligned=[{"en": "Sharing let more", "zh": "感谢大家"}])
    (outcome,) = result.failures
    assert outcome.problem == "it has no Chinese counterpart"
    assert outcome.pairs[0].lines() == ["  pair 5", "    EN  Sharing let more people see this article.",
                                        "    ZH  (no Chinese counterpart)",
                                        "    no score, not garbled, flags: boilerplate (minor): a share-widget line, "
                                        "not article text"]


def test_english_in_no_pair_breaks_every_expectation_on_it(tmp_path: Path, sample: Report) -> None:
    sample.pairs.pop()  # "Thank you all for coming." is in no pair any more
    result = check(tmp_path / "fx", sample)
    assert [(o.label, o.problem) for o in result.failures] == [
        ("flags[4]", "no pair of the report holds the anchored text"),
        ("scores[0]", "no pair of the report holds the anchored text")]
    assert result.flags == Figures(tp=3)  # an absent flag that cannot be checked is no evidence


def test_results_as_json(tmp_path: Path, sample: Report) -> None:
    relink(sample, 1, quality=Quality(41.0, False, (), {}))
    data = json.loads(json.dumps(check(tmp_path / "fx", sample).to_dict(), ensure_ascii=False))
    assert {k: data[k] for k in ("name", "status", "held", "total", "xfailed", "error")} == {
        "name": "fx", "status": "fail", "held": 13, "total": 15, "xfailed": 0, "error": None}
    assert data["flags"] == {"tp": 2, "fp": 0, "fn": 1, "precision": 1.0, "recall": 0.6667, "f1": 0.8}
    broken = [e for e in data["expectations"] if e["failed"]]
    assert [e["label"] for e in broken] == ["flags[0]", "verdicts[0]"]
    assert broken[1]["pairs"][0]["en"] == "Sales rose to 4.82 million yuan last year."
    assert broken[1]["pairs"][0]["notes"] == ["亿 is a hundred million"]


# --- the runner --------------------------------------------------------------------------------

@pytest.fixture
def fake_run(monkeypatch, sample: Report):
    """build_report returns the sample report, recording what it was asked for."""
    calls: list[dict] = []

    def build_report(en_path, zh_paths, encoder, mode="auto", ref_path=None, progress=None):
        calls.append({"en": en_path, "zh": zh_paths, "encoder": encoder, "mode": mode})
        return sample
    monkeypatch.setattr("align.pipeline.build_report", build_report)
    return calls


def test_runner_builds_each_report_once_and_loads_each_encoder_once(tmp_path: Path, good: Path, fake_run) -> None:
    other = tmp_path / "other"
    shutil.copytree(good, other)
    loaded: list[str] = []
    runner = Runner(get_encoder=lambda model: loaded.append(model) or f"encoder:{model}")
    assert runner.run(good).status == "pass"
    assert runner.run(good) is runner.run(good)
    assert runner.run(other, name="other").status == "pass"
    assert len(fake_run) == 2 and loaded == ["use-m"]
    assert fake_run[0] == {"en": str(good / "en.txt"), "zh": [str(good / "zh.txt")], "encoder": "encoder:use-m",
                           "mode": "parallel"}
    overridden = Runner(model="e5-small", mode="comparable", get_encoder=lambda model: f"encoder:{model}")
    result = overridden.run(good)
    assert (result.model, result.mode) == ("e5-small", "comparable")
    assert fake_run[-1]["encoder"] == "encoder:e5-small" and fake_run[-1]["mode"] == "comparable"


def test_runner_turns_a_bad_fixture_into_an_error_result(tmp_path: Path, sample: Report) -> None:
    write_expect(tmp_path / "fx", aligned=[{"en": "nowhere", "zh": "去年"}])
    result = Runner(get_encoder=lambda model: pytest.fail("no encoder for a bad fixture")).run(tmp_path / "fx")
    assert result.status == "error" and result.outcomes == ()
    assert result.failure_text() == f"{tmp_path / 'fx'}: aligned[0]: anchor 'nowhere' occurs nowhere in en.txt"


def test_runner_names_the_fixture_when_its_encoder_cannot_load(good: Path) -> None:
    def no_model(model: str):
        raise ModelError(f"cannot load {model!r}")
    result = Runner(model="nothing", get_encoder=no_model).run(good, name="fx")
    assert (result.status, result.error, result.model) == ("error", "fx: cannot load 'nothing'", "nothing")


# --- align regress -----------------------------------------------------------------------------

def regress(*args: str):
    return CliRunner().invoke(cli, ["regress", *args])


@pytest.fixture
def cli_run(monkeypatch, fake_run):
    monkeypatch.setattr("align.cli.regress.make_encoder", lambda model: f"encoder:{model}")
    return fake_run


def test_cli_table_and_exit_status(tmp_path: Path, good: Path, cli_run, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # fixtures are named as the user typed their folder
    result = regress("fx")
    assert result.exit_code == 0, result.output
    assert "regression fixtures" in result.output and "1 passed, 0 failed, 0 bad" in result.output
    # the run's time and signature, as every face shows them
    assert re.search(r"^Time \d+\.\d\d s building 1 report", result.output, re.M)
    assert re.search(r"^Signature align:", result.output, re.M)
    row = next(line for line in result.output.splitlines() if "│ fx " in line)
    assert row.replace("│", " ").split() == ["fx", "PASS", "15/15", "1.00", "1.00", "1.00", "1.00", "1.00"]
    write_expect(good, **{**GOOD, "verdicts": [{"en": "Thank you all", "garbled": True}]})
    result = regress("fx")
    assert result.exit_code == 1
    assert "FAIL fx (use-m, parallel): 1 of 14 expectations broken" in result.output
    assert ("verdicts[0] 'Thank you all' should be judged garbled: align judges it not garbled "
            "(score 90.0, no major or critical flag)") in result.output
    assert "    EN  Thank you all for coming." in result.output


def test_cli_json_filter_and_overrides(tmp_path: Path, good: Path, cli_run) -> None:
    shutil.copytree(good, tmp_path / "suite" / "alpha")
    shutil.copytree(good, tmp_path / "suite" / "beta")
    result = regress(str(tmp_path / "suite"), "--format", "json", "-k", "ALPHA", "--model", "e5-small",
                     "--mode", "comparable")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {k: v for k, v in data.items() if k != "fixtures"} == {"pass": 1, "fail": 0, "error": 0}
    (only,) = data["fixtures"]
    assert only["name"] == str(tmp_path / "suite" / "alpha") and (only["model"], only["mode"]) == ("e5-small",
                                                                                                  "comparable")
    assert cli_run[-1]["encoder"] == "encoder:e5-small" and cli_run[-1]["mode"] == "comparable"
    assert regress(str(tmp_path / "suite"), "-k", "beta", "-k", "alpha", "--format", "json").exit_code == 0
    result = regress(str(tmp_path / "suite"), "-k", "gamma")
    assert result.exit_code == 1 and "Error: no fixture matches -k gamma" in result.output


def test_cli_bad_fixture_is_an_error_row_and_the_rest_still_run(tmp_path: Path, good: Path, cli_run) -> None:
    bad = tmp_path / "zz-bad"
    shutil.copytree(good, bad)
    (bad / "expect.json").write_text('{"version": 1}')
    result = regress(str(good), str(bad))
    assert result.exit_code == 1
    assert "1 passed, 0 failed, 1 bad" in result.output
    assert f"ERROR {bad}: expect.json: missing key 'en'" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("args, message", [
    (["nowhere"], "Error: nowhere: no such file or folder"),
    (["tests"], "Error: tests: no fixture under it"),
])
def test_cli_bad_paths_are_one_line(args: list[str], message: str, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    result = regress(*args)
    assert result.exit_code == 1 and result.output.startswith(message) and result.output.count("\n") == 1


def test_cli_bad_input_as_a_real_subprocess(tmp_path: Path, sample: Report) -> None:
    proc = subprocess.run([str(ALIGN), "regress", str(tmp_path / "nowhere")], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr == f"Error: {tmp_path / 'nowhere'}: no such file or folder\n"
    write_expect(tmp_path / "fx", aligned=[{"en": "Sales rose", "zh": "去年", "why": 1}])
    proc = subprocess.run([str(ALIGN), "regress", str(tmp_path / "fx")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert f"ERROR {tmp_path / 'fx'}: aligned[0]: unknown key 'why'" in proc.stdout
    proc = subprocess.run([str(ALIGN), "regress"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Missing argument 'DIR_OR_FIXTURE...'" in proc.stderr


@pytest.mark.slow
def test_real_run_as_a_subprocess(tmp_path: Path) -> None:
    """The real pipeline (use-m) on a hand-made fixture: it passes, and a wrong expectation fails."""
    proc = subprocess.run([str(ALIGN), "regress", "fixtures/flags/number", "--format", "json"], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (result,) = json.loads(proc.stdout)["fixtures"]
    assert result["status"] == "pass" and result["alignment"]["recall"] == 1.0
    broken = tmp_path / "number"
    shutil.copytree(REPO / "fixtures" / "flags" / "number", broken)
    expect = json.loads((broken / "expect.json").read_text(encoding="utf-8"))
    expect["aligned"][0]["zh"] = "会议于11月27日"
    (broken / "expect.json").write_text(json.dumps(expect, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.run([str(ALIGN), "regress", str(broken)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    assert "aligned[0] 'In 2020, the turnover' aligned with '会议于11月27日' in zh.txt: it is aligned with other " \
           "Chinese" in proc.stdout
    assert "ZH  2020年,全区技术合同成交额达到48.2亿元,同比增长85.4%。  (zh.txt, confidence" in proc.stdout


# --- the pytest plugin -------------------------------------------------------------------------

def copy_case(dest: Path, **changes) -> None:
    """The hand-made number fixture, with its inputs, and ``changes`` to its expectations."""
    shutil.copytree(REPO / "fixtures" / "flags" / "number", dest)
    expect = json.loads((dest / "expect.json").read_text(encoding="utf-8"))
    (dest / "expect.json").write_text(json.dumps({**expect, **changes}, ensure_ascii=False), encoding="utf-8")


@pytest.mark.slow
def test_plugin_collects_fixtures_and_reports_what_broke(pytester: pytest.Pytester) -> None:
    copy_case(pytester.path / "fixtures" / "good")
    copy_case(pytester.path / "fixtures" / "bad", scores=[{"en": "The region added 162", "min": 99.5}],
              flags=[{"en": "In 2020, the turnover", "name": "repetition", "at": "4.82 million"}])
    # Runs that evaluate fixtures load torch: in a process of their own, since an in-process run
    # would drop torch's modules afterwards and torch cannot be imported twice in one process.
    result = pytester.runpytest_subprocess("-p", "align.regression.pytest_plugin", "fixtures", "-v")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "fixtures/bad/expect.json::bad FAILED*",
        "fixtures/good/expect.json::good PASSED*",
        "*align fixture fixtures/bad*",
        "fixtures/bad (use-m, parallel): 2 of * expectations broken; alignment P/R/F1 1.00/1.00/1.00, flag R/P 0.00/-",
        "flags[0] a repetition flag on 'In 2020, the turnover' (at '4.82 million'): no such flag fired",
        "  pair 1",
        "    EN  In 2020, the turnover of technology contracts in the region reached 4.82 million yuan, up 85.4% "
        "year on year.",
        "scores[[]0] the score of 'The region added 162' at least 99.5: its score is *",  # [[] is a literal [
    ])
    assert "Traceback" not in result.stdout.str()
    # -m "not slow" leaves them out; a bad fixture is a failing item, not a collection error.
    pytester.runpytest("-p", "align.regression.pytest_plugin", "fixtures", "-m", "not slow").assert_outcomes(
        deselected=2)
    (pytester.path / "fixtures" / "good" / "expect.json").write_text('{"version": 1, "en": "en.txt"}')
    result = pytester.runpytest("-p", "align.regression.pytest_plugin", "fixtures/good")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["fixtures/good: expect.json: missing key 'zh'"])


@pytest.mark.slow
def test_plugin_option_adds_fixtures_to_any_run(pytester: pytest.Pytester, tmp_path: Path) -> None:
    copy_case(tmp_path / "suite" / "number")
    pytester.makepyfile(test_plain="def test_plain():\n    assert True\n")
    result = pytester.runpytest_subprocess("-p", "align.regression.pytest_plugin", "test_plain.py",
                                           "--align-fixtures", str(tmp_path / "suite"), "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*suite/number/expect.json::number PASSED*"])
    result = pytester.runpytest("-p", "align.regression.pytest_plugin", "--align-fixtures", "missing")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: --align-fixtures missing: no such folder"])


# --- the exporter -> runner round trip ---------------------------------------------------------

def test_exported_fixture_loads_and_holds_on_the_same_report(tmp_path: Path, sample: Report) -> None:
    store, items = open_store(tmp_path / "r.review.sqlite", sample)
    store.accept(items[0].key)
    store.mark_garbled(items[1].key, "critical")
    store.mark_garbled(items[2].key, "major")
    store.add_note(items[3].key, "spelling only")
    store.accept(items[4].key)
    folder = tmp_path / "exported"
    export_fixture(sample, items, store.states(), folder, model="use-m", mode="parallel")
    result = evaluate(load_fixture(folder, "exported"), sample)
    assert result.status == "pass", result.failure_text()
    assert result.held == len(result.outcomes) == 6 and result.alignment == Figures(tp=1)
    # Where the reviewer disagrees with align (a false alarm it still raises, a pair it judges garbled
    # that the reviewer accepted), the expectation is marked xfail with both views: the fixture
    # still passes on the report it came from.
    decide_for_export(store, items)
    store.accept(items[1].key)
    expect = export_fixture(sample, items, store.states(), folder, model="use-m", mode="parallel")
    assert {"en": "The mayor of Doubletham", "name": "repetition", "absent": True,
            "xfail": "the reviewer marked it a false alarm; align still raises it"} in expect["flags"]
    assert {"en": "Sales rose to 4.82 million", "garbled": False,
            "xfail": "the reviewer accepted it; align judges it garbled (number)"} in expect["verdicts"]
    result = evaluate(load_fixture(folder, "exported"), sample)
    assert result.status == "pass", result.failure_text()
    assert result.xfailed == 2
    # Once align agrees (the false alarm is gone), the mark must go: the fixture says so.
    mayor = sample.pairs[2]
    relink(sample, 2, quality=replace(mayor.quality, flags=mayor.quality.flags[:1]))
    result = evaluate(load_fixture(folder, "exported"), sample)
    (broken,) = result.failures
    assert broken.message() == ("flags[0] no repetition flag on 'The mayor of Doubletham': holds now, but is marked "
                                "xfail (the reviewer marked it a false alarm; align still raises it); remove the xfail")
    store.close()


def test_export_round_trips_through_the_reader(tmp_path: Path, sample: Report) -> None:
    """What the exporter builds is what the reader reads back from the fixture it writes."""
    store, items = open_store(tmp_path / "r.review.sqlite", sample)
    decide_for_export(store, items)
    store.accept(items[1].key)  # a verdict marked xfail too
    expectations, notes = build_expectations(sample, items, store.states())
    assert {e.kind for e in expectations} == {"aligned", "unsupported", "flags", "verdicts"} and notes
    expect = export_fixture(sample, items, store.states(), tmp_path / "out", model="use-m", mode="parallel")
    store.close()
    fixture = load_fixture(tmp_path / "out", "out")
    assert (list(fixture.expectations), list(fixture.notes)) == (expectations, notes)
    assert to_lists(fixture.expectations, fixture.notes) == {k: v for k, v in expect.items() if k in (*KINDS, "notes")}


def test_export_refuses_what_the_reader_would(tmp_path: Path, sample: Report) -> None:
    store, items = open_store(tmp_path / "r.review.sqlite", sample)
    store.accept(items[0].key)
    with pytest.raises(InputError) as caught:
        export_fixture(sample, items, store.states(), tmp_path / "out", model=" ", mode="parallel")
    store.close()
    assert str(caught.value) == f"{tmp_path / 'out'}: expect.json: model must name an encoder (use-m, e5-small, ...)"
    assert not (tmp_path / "out").exists()  # nothing written


def test_validation_loads_jsonschema_only_when_it_runs() -> None:
    code = ("import sys, align, align.cli, align.regression.pytest_plugin, align.regression.fixture, "
            "align.review.export; assert 'jsonschema' not in sys.modules")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    assert proc.returncode == 0, proc.stderr


# --- the project's own fixtures ----------------------------------------------------------------

def test_project_fixtures_are_valid_and_cover_every_flag() -> None:
    folders = find_fixtures([REPO / "fixtures"])
    names = {f.relative_to(REPO / "fixtures").as_posix() for f in folders}
    assert {"seed-000", "seed-000-flags", "seed-004-distractor"} <= names
    assert {n.split("/", 1)[1] for n in names if n.startswith("flags/")} == FLAG_NAMES
    for folder in folders:
        fixture = load_fixture(folder)
        assert fixture.description and all(e.xfail is None or e.xfail.strip() for e in fixture.expectations)
        if folder.parent.name == "flags":
            # Each hand-made case says what must fire and what must not, for its own check.
            own = [e for e in fixture.expectations if getattr(e, "name", None) == folder.name]
            assert any(not e.absent for e in own) and any(e.absent for e in own), folder


def test_the_documented_example_is_a_valid_fixture(tmp_path: Path) -> None:
    doc = (REPO / "FIXTURES.md").read_text(encoding="utf-8")
    example = doc.split("## Example", 1)[1].split("```json", 1)[1].split("```", 1)[0]
    seeds = (REPO / "fixtures" / "seeds").as_posix()
    (tmp_path / "expect.json").write_text(example.replace("../seeds", seeds), encoding="utf-8")
    fixture = load_fixture(tmp_path)
    assert len(fixture.expectations) == 7 and fixture.ranking == (1,) and len(fixture.notes) == 1
