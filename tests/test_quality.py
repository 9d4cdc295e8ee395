"""The quality stage: features, the shipped head, the 0-100 map, the verdict, ``assess`` and ``align score``.

Fast tests use a deterministic stand-in for the head's encoders; the slow one runs the real ones.
"""
from __future__ import annotations

import json
import zlib
from dataclasses import replace

import numpy as np
import pytest
from click.testing import CliRunner

import align.quality as quality
from align.cli import cli
from align.errors import ModelError
from align.quality.checks import CHECKS, Finding, check_pairs
from align.quality.features import (TEXT_FEATURES, check_feature_names, check_features, pair_features,
                                    text_features, vector_features, vector_width)
from align.quality.cross import CROSS_FILE, file_digest
from align.quality.head import HEAD_FILE, Combiner, EncoderSpec, QualityHead, load_head, save_head
from align.quality.verdict import SCORE_FLAG, Thresholds, verdict
from align.types import Flag, PairText
from align.vectors import BUNDLED, Encoder

PAIRS = [PairText("北京今天下雨。", "It is raining in Beijing today."),
         PairText("销售额增长到48.2亿元。", "Sales rose to 4.82 billion yuan."),
         PairText("", "An English sentence with no Chinese counterpart.")]


class StandIn(Encoder):
    """Deterministic unit vectors from each text's checksum, with a head encoder's name, id and size."""

    def __init__(self, spec: EncoderSpec) -> None:
        self.name, self.model_id, self.dim = spec.name, spec.model_id, spec.dim

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        return np.stack([np.random.default_rng(zlib.crc32(t.encode())).standard_normal(self.dim) for t in texts])


@pytest.fixture
def stand_ins(monkeypatch):
    """The head's encoders replaced by stand-ins wherever the quality stage or the CLI load them."""
    encoders = {spec.name: StandIn(spec) for spec in load_head().encoders}
    monkeypatch.setattr(quality, "_load_encoder", lambda name: encoders[name])
    import align.cli.score as score_module

    monkeypatch.setattr(score_module, "make_encoder", lambda name: encoders[name])
    return encoders


def small_head(check_names=(), hidden: int = 0, thresholds=Thresholds(30.0), combiner=None) -> QualityHead:
    rng = np.random.default_rng(0)
    specs = (EncoderSpec("toy", "toy/1", 3),)
    width = vector_width(3) + len(TEXT_FEATURES) + len(check_names)
    shapes = [(width, hidden), (hidden, 1)] if hidden else [(width, 1)]
    return QualityHead(specs, tuple(check_names), np.zeros(width, np.float32), np.ones(width, np.float32),
                       [rng.standard_normal(s).astype(np.float32) for s in shapes],
                       [np.full(s[1], 0.5, np.float32) for s in shapes], thresholds, combiner=combiner)


def shipped_combiner(**changes) -> Combiner:
    return replace(Combiner(0.8, 0.4, 0.05, -0.1, file_digest(CROSS_FILE)), **changes)


# --- features -----------------------------------------------------------------------------------

def test_vector_features_are_u_v_difference_product_and_cosine():
    rng = np.random.default_rng(1)
    u, v = rng.standard_normal((4, 5)), rng.standard_normal((4, 5))
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    X = vector_features(u, v)
    assert X.shape == (4, vector_width(5)) == (4, 21)
    np.testing.assert_allclose(X[:, 10:15], np.abs(u - v), rtol=1e-6)
    np.testing.assert_allclose(X[:, 15:20], u * v, rtol=1e-6)
    np.testing.assert_allclose(X[:, -1], np.sum(u * v, axis=1), rtol=1e-5)


def test_text_features_measure_lengths_and_scripts():
    named = dict(zip(TEXT_FEATURES, text_features("北京今天下雨。", "It is raining in Beijing today.")))
    assert len(named) == len(TEXT_FEATURES)
    assert named["text.en_words"] == pytest.approx(np.log1p(6))
    assert named["text.length_ratio"] > 1  # English takes several characters per Chinese character
    assert named["text.en_han"] == 0 and named["text.zh_han"] > 0.8
    untranslated = dict(zip(TEXT_FEATURES, text_features("北京今天下雨。", "北京 today rain")))
    assert untranslated["text.en_han"] > 0.1
    assert all(np.isfinite(text_features("", "")))


def test_check_features_read_every_signal_and_count_flags_by_severity():
    findings = [Finding((Flag("number", "major", "x"), Flag("number", "major", "y")), {"numbers.changed": 2.0}),
                Finding((Flag("name", "minor", "z"),), {"names.unknown": 0.5, "numbers.changed": float("nan")}),
                Finding()]

    class Named:
        def __init__(self, name: str) -> None:
            self.name = name
            self.flag_names = (name,)

    names = check_feature_names(findings, [Named("number"), Named("name")])
    assert names[:2] == ["signal:names.unknown", "signal:numbers.changed"]
    assert "flag:number:critical" in names and len(names) == 2 + 2 * 3
    X = check_features(findings, names)
    col = {n: j for j, n in enumerate(names)}
    assert X[0, col["signal:numbers.changed"]] == 2.0 and X[0, col["flag:number:major"]] == 2
    assert X[1, col["signal:names.unknown"]] == 0.5 and X[1, col["flag:name:minor"]] == 1
    assert X[1, col["signal:numbers.changed"]] == 0  # not finite: no evidence
    assert not X[2].any()
    # A signal the head was not trained on is ignored, not an error.
    assert check_features([Finding((), {"new.signal": 1.0})], names).sum() == 0


def test_every_flag_the_checks_raise_has_a_column():
    """The coverage check raises omission/addition/unrelated, not "coverage": columns keyed on the
    check's name instead of the flag names it declares read zero for all of them."""
    pairs = [PairText("自治区科技厅厅长王立霞主持会议，研究部署明年的科技创新工作。", "Wang Lixia presided over the meeting."),
             PairText("自治区科技厅厅长王立霞主持会议。",
                      "The football team won the championship after a long season of games."),
             PairText("销售额增长到48.2亿元。", "Sales rose to 4.82 billion yuan.")]
    findings = check_pairs(pairs)
    raised = {f.name for found in findings for f in found.flags}
    assert {"omission", "unrelated"} <= raised
    names = check_feature_names(findings, CHECKS)
    X = check_features(findings, names)
    col = {n: j for j, n in enumerate(names)}
    for i, found in enumerate(findings):
        for flag in found.flags:
            assert X[i, col[f"flag:{flag.name}:{flag.severity}"]] >= 1, flag


def test_a_check_raising_a_flag_it_does_not_declare_is_a_bug(monkeypatch):
    coverage = next(c for c in CHECKS if c.name == "coverage")
    monkeypatch.setattr(type(coverage), "flag_names", ("addition",))
    with pytest.raises(RuntimeError, match="undeclared flag.*unrelated"):
        check_pairs([PairText("自治区科技厅厅长王立霞主持会议。", "The football team won the championship after a long season.")])


def test_pair_features_concatenate_vector_blocks_text_and_checks():
    u = np.eye(3, dtype=np.float32)[:2]
    blocks = [(u, u), (np.ones((2, 4)) / 2, np.ones((2, 4)) / 2)]
    X = pair_features(PAIRS[:2], [Finding(), Finding()], blocks, ["signal:a"])
    assert X.shape == (2, vector_width(3) + vector_width(4) + len(TEXT_FEATURES) + 1)
    none = pair_features([], [], [(np.zeros((0, 3)), np.zeros((0, 3)))], ["signal:a"])
    assert none.shape == (0, vector_width(3) + len(TEXT_FEATURES) + 1)


# --- the head -----------------------------------------------------------------------------------

def test_shipped_head_loads_and_matches_its_recorded_features():
    head = load_head()
    assert HEAD_FILE.stat().st_size < 1_000_000
    assert head.text_features == TEXT_FEATURES
    assert head.weights[0].shape[0] == head.width == head.mean.shape[0]
    assert {e.name for e in head.encoders} <= set(BUNDLED)
    assert 0 < head.thresholds.score < 100
    assert head.info["trained_on"] == "mqm2020_zhen.tsv"
    assert head.digest in quality.signature() and head.combiner.cross_digest in quality.signature()
    assert head.combiner.head > 0 and head.combiner.penalty > 0  # both models raise the penalty


@pytest.mark.parametrize("hidden", [0, 8])
def test_head_round_trips_through_its_file(tmp_path, hidden):
    head = small_head(("signal:numbers.changed",), hidden, combiner=shipped_combiner())
    rng = np.random.default_rng(2)
    X = rng.standard_normal((5, head.width)).astype(np.float32)
    C = rng.standard_normal((5, 2)).astype(np.float32)
    digest = save_head(head, tmp_path / "h.npz")
    again = load_head(tmp_path / "h.npz")
    np.testing.assert_allclose(again.penalty(X, C), head.penalty(X, C), rtol=1e-6)
    assert again.digest == digest and again.check_features == head.check_features
    assert again.thresholds == head.thresholds and again.combiner == head.combiner
    assert digest in again.signature() and head.combiner.cross_digest in again.signature()


def test_the_combiner_takes_the_worse_of_the_head_and_the_stack_with_the_cross_encoder():
    head = small_head(combiner=shipped_combiner())
    X = np.random.default_rng(4).standard_normal((3, head.width)).astype(np.float32)
    C = np.array([[0.0, -5.0], [1.0, -5.0], [9.0, 5.0]], np.float32)
    own = head.log_penalty(X)
    stacked = 0.8 * own + 0.4 * C[:, 0] + 0.05 * C[:, 1] - 0.1
    expected = np.maximum(np.expm1(np.maximum(own, stacked)), 0.0)
    np.testing.assert_allclose(head.penalty(X, C), expected, rtol=1e-6)
    # a cross-encoder sure the rendering is bad makes it worse; one sure it is fine cannot rescue it
    assert head.penalty(X[2:], C[2:])[0] > np.expm1(own[2])
    assert np.all(head.penalty(X, np.full((3, 2), -50.0, np.float32)) >= np.maximum(np.expm1(own), 0.0) - 1e-6)


def test_a_combiner_with_slack_lets_the_stack_rank_a_pair_better_by_at_most_that_and_is_saved_with_it(tmp_path):
    head = small_head(combiner=shipped_combiner(slack=0.5))
    X = np.random.default_rng(5).standard_normal((3, head.width)).astype(np.float32)
    own = head.log_penalty(X)
    sure_fine = np.full((3, 2), -50.0, np.float32)  # the stack alone would put every pair at no penalty
    np.testing.assert_allclose(head.penalty(X, sure_fine), np.maximum(np.expm1(own - 0.5), 0.0), rtol=1e-6)
    save_head(head, tmp_path / "h.npz")
    assert load_head(tmp_path / "h.npz").combiner.slack == 0.5
    save_head(small_head(combiner=shipped_combiner()), tmp_path / "none.npz")
    with np.load(tmp_path / "none.npz") as f:  # as before there was a slack
        assert "slack" not in json.loads(str(f["meta"]))["combiner"]
    with np.load(tmp_path / "h.npz") as f:
        assert json.loads(str(f["meta"]))["combiner"]["slack"] == 0.5


def test_every_flag_adds_its_severitys_penalty_and_the_combiner_is_saved_with_it(tmp_path):
    head = small_head(combiner=shipped_combiner(flag_penalty=(1.0, 2.0, 5.0)))
    severities = np.array([[0, 0, 0], [1, 0, 0], [2, 1, 0], [0, 0, 1]], float)
    np.testing.assert_allclose(head.flags_penalty(severities), [0.0, 1.0, 4.0, 5.0])
    save_head(head, tmp_path / "h.npz")
    assert load_head(tmp_path / "h.npz").combiner.flag_penalty == (1.0, 2.0, 5.0)
    save_head(small_head(combiner=shipped_combiner()), tmp_path / "none.npz")
    with np.load(tmp_path / "none.npz") as f:  # as before there was a flag penalty
        assert "flag_penalty" not in json.loads(str(f["meta"]))["combiner"]
    assert np.all(small_head().flags_penalty(severities) == 0)  # a head without a combiner adds nothing


def test_a_flag_lowers_the_score_but_a_minor_one_does_not_tip_the_verdict(stand_ins):
    pair = PairText("他在北京工作。", "He works in beijing.")  # the casing check's minor flag
    clean = PairText("他在北京工作。", "He works in Beijing.")
    flagged, plain = quality.assess([pair, clean])
    assert [f.name for f in flagged.flags if f.name != SCORE_FLAG] == ["casing"]
    head = load_head()
    own = flagged.signals["qe.penalty"] - flagged.signals["flags.penalty"]
    assert flagged.signals["flags.penalty"] == head.combiner.flag_penalty[0] > 0
    assert flagged.score == round(float(head.score(flagged.signals["qe.penalty"])), 1)
    assert flagged.garbled == (round(float(head.score(own)), 1) < head.thresholds.score)
    assert plain.signals["flags.penalty"] == 0


def test_a_head_fitted_with_another_cross_encoder_is_refused(tmp_path):
    save_head(small_head(combiner=shipped_combiner(cross_digest="0123456789ab")), tmp_path / "h.npz")
    with pytest.raises(ModelError, match="fitted with the cross-encoder 0123456789ab") as err:
        load_head(tmp_path / "h.npz")
    assert "\n" not in str(err.value)
    with pytest.raises(ModelError, match="cross-encoder .* is missing"):
        load_head(tmp_path / "h.npz", tmp_path / "none.safetensors")


def test_a_head_that_does_not_fit_is_refused(tmp_path):
    with pytest.raises(ModelError, match="missing"):
        load_head(tmp_path / "none.npz")
    stale = small_head(combiner=shipped_combiner())
    stale.text_features = TEXT_FEATURES[:-1]
    stale.mean = stale.mean[:-1]
    stale.scale = stale.scale[:-1]
    stale.weights = [stale.weights[0][:-1]]
    save_head(stale, tmp_path / "stale.npz")
    with pytest.raises(ModelError, match="other text features"):
        load_head(tmp_path / "stale.npz")


def test_score_is_a_strictly_decreasing_map_of_the_penalty_onto_0_100():
    head = small_head()
    penalty = np.array([0.0, 0.5, 1.0, 5.0, 25.0, 100.0, 1000.0])
    score = head.score(penalty)
    assert score[0] == 100.0 and np.all(np.diff(score) < 0) and np.all((score >= 0) & (score <= 100))
    assert 50 < head.score(np.array([5.0]))[0] < 70  # one major error
    X = np.random.default_rng(3).standard_normal((50, head.width)) * 10
    assert np.all(head.penalty(X) >= 0)


# --- the verdict --------------------------------------------------------------------------------

T = Thresholds(score=30.0)
MAJOR = Flag("number", "major", "4.82 billion rendered as 4.82 million")


def test_a_low_score_alone_is_garbled_and_says_why():
    garbled, extra = verdict(20.0, (), T, "predicted MQM penalty 16.1, cosine 0.41")
    assert garbled and [f.name for f in extra] == [SCORE_FLAG]
    assert "20.0 is below 30.0" in extra[0].reason and "cosine 0.41" in extra[0].reason


def test_a_major_or_critical_flag_alone_is_garbled_whatever_the_score():
    assert verdict(95.0, (MAJOR,), T) == (True, ())
    assert verdict(95.0, (replace(MAJOR, severity="critical"),), T) == (True, ())
    assert verdict(95.0, (replace(MAJOR, severity="minor"),), T) == (False, ())
    assert verdict(40.0, (), T) == (False, ())


def test_a_low_score_with_a_flag_names_the_score_too():
    garbled, extra = verdict(20.0, (MAJOR,), T)
    assert garbled and [f.name for f in extra] == [SCORE_FLAG]


def test_without_a_chinese_side_the_flags_alone_decide():
    assert verdict(None, (MAJOR,), T) == (True, ())
    assert verdict(None, (replace(MAJOR, severity="minor"),), T) == (False, ())


# --- assess -------------------------------------------------------------------------------------

def test_assess_scores_linked_pairs_in_order_and_explains_itself(stand_ins):
    out = quality.assess(PAIRS)
    assert len(out) == 3
    for q in out[:2]:
        assert 0 <= q.score <= 100
        assert {"qe.penalty", "cosine", "cross.penalty"} <= set(q.signals)
        assert q.garbled == any(f.name == SCORE_FLAG for f in q.flags)
    assert out[2].score is None and "qe.penalty" not in out[2].signals
    assert [q.score for q in quality.assess(PAIRS[1::-1])] == [out[1].score, out[0].score]
    assert quality.assess([]) == []


def test_assess_refuses_an_encoder_other_than_the_heads(stand_ins, monkeypatch):
    spec = load_head().encoders[0]
    other = StandIn(replace(spec, model_id=spec.model_id + "-other"))
    monkeypatch.setattr(quality, "_load_encoder", lambda name: other)
    with pytest.raises(ModelError, match="trained on"):
        quality.assess(PAIRS[:1])


def test_assess_refuses_a_head_trained_with_a_check_not_registered(stand_ins, monkeypatch):
    head = load_head()
    ghost = replace(head, check_features=head.check_features + ("flag:ghost:major",))
    monkeypatch.setattr(quality, "load_head", lambda: ghost)
    with pytest.raises(ModelError, match="ghost.*no registered check"):
        quality.assess(PAIRS[:1])


# --- align score --------------------------------------------------------------------------------

def _lines_of(result) -> list[list[str]]:
    assert result.exit_code == 0, result.output
    return [line.split("\t") for line in result.output.splitlines()]


def test_score_writes_one_line_per_pair_in_input_order(stand_ins, tmp_path):
    path = tmp_path / "pairs.tsv"
    path.write_text("".join(f"{p.zh}\t{p.en}\n" for p in PAIRS), encoding="utf-8")
    rows = _lines_of(CliRunner().invoke(cli, ["score", str(path)]))
    expected = quality.assess(PAIRS)
    assert len(rows) == 3 and all(len(r) == 3 for r in rows)
    for row, q in zip(rows, expected):
        assert row[0] == ("" if q.score is None else f"{q.score:.1f}")
        assert row[1] == str(int(q.garbled))
        assert row[2] == ",".join(dict.fromkeys(f.name for f in q.flags))
    assert rows[2][0] == ""


def test_score_reads_standard_input(stand_ins):
    text = "北京今天下雨。\tIt is raining in Beijing today.\r\n销售额增长到48.2亿元。\tSales rose.\r\n"
    rows = _lines_of(CliRunner().invoke(cli, ["score"], input=text.encode("utf-8")))
    assert len(rows) == 2 and all(r[1] in ("0", "1") for r in rows)
    assert _lines_of(CliRunner().invoke(cli, ["score", "-"], input=text.encode("gb18030"))) == rows


def test_score_of_nothing_is_nothing(stand_ins):
    assert _lines_of(CliRunner().invoke(cli, ["score", "-"], input=b"")) == []


@pytest.mark.parametrize("bad,fields", [("no tab here", "1 tab-separated field"), ("a\tb\tc", "3 tab-separated fields"),
                                        ("", "1 tab-separated field")])
def test_a_malformed_line_is_one_clear_error_naming_it(stand_ins, bad, fields):
    result = CliRunner().invoke(cli, ["score"], input=f"中文\tChinese\n{bad}\n中文\tChinese\n".encode())
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"Error: standard input, line 2: expected chinese<TAB>english, "
                                                  f"found {fields}"]


def test_score_passes_references_line_for_line(stand_ins, tmp_path, monkeypatch):
    seen = {}
    real = quality.check_pairs

    def spy(pairs):
        seen["refs"] = [p.ref for p in pairs]
        return real(pairs)

    monkeypatch.setattr(quality, "check_pairs", spy)
    refs = tmp_path / "refs.txt"
    refs.write_text("It rains in Beijing today.\n\n", encoding="utf-8")
    text = "北京今天下雨。\tIt is raining in Beijing today.\n中文\tChinese\n"
    _lines_of(CliRunner().invoke(cli, ["score", "--ref", str(refs)], input=text.encode()))
    assert seen["refs"] == ["It rains in Beijing today.", None]
    result = CliRunner().invoke(cli, ["score", "--ref", str(refs)], input=b"\xe4\xb8\xad\tChinese\n")
    assert result.exit_code == 1 and "has 2 lines but standard input has 1" in result.output


def test_score_of_a_missing_file_is_one_clear_error():
    result = CliRunner().invoke(cli, ["score", "/no/such/pairs.tsv"])
    assert result.exit_code == 1 and result.output.strip() == "Error: /no/such/pairs.tsv: no such file"


# --- the real encoders --------------------------------------------------------------------------

@pytest.mark.slow
def test_a_faithful_translation_scores_clearly_above_unrelated_and_garbled_ones():
    zh = "自治区科技厅厅长王立霞主持会议。"
    faithful, garbled, unrelated = quality.assess([
        PairText(zh, "Wang Lixia, director of the Science and Technology Department of the Autonomous Region, "
                     "presided over the meeting."),
        PairText(zh, "The creative creative creative love of the alliances Get up, concentrateing Make it."),
        PairText(zh, "The football team won the championship after a long season."),
    ])
    assert faithful.score - garbled.score > 20 and faithful.score - unrelated.score > 20
    assert not faithful.garbled


def test_a_pair_from_another_report_gets_no_omission_or_addition_flags(stand_ins):
    added = PairText("11月27日,自治区科学技术奖励大会在呼和浩特召开。",
                     "On November 27, the regional science and technology award conference was held in Hohhot, "
                     "where heavy snow had closed the airport for three days and many delegates arrived late by train.")
    as_translation = quality.assess([added])[0]
    assert "addition" in {f.name for f in as_translation.flags} and as_translation.garbled
    as_other_report = quality.assess([replace(added, partial=True)])[0]
    assert not {"addition", "omission"} & {f.name for f in as_other_report.flags}


def test_the_head_never_scores_a_pair_better_for_a_flag():
    from eval.train_qe import nonnegative_solve

    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    X[:, 2] = 0.5 * X[:, 1] + rng.normal(size=200)  # a flag column correlated with a signal
    y = X[:, 0] + 2.0 * X[:, 1] - 0.5 * X[:, 2]
    A, b = X.T @ X + np.eye(3), X.T @ y
    free = np.linalg.solve(A, b)
    assert free[2] < 0  # least squares alone weighs the flag as evidence of quality
    held = nonnegative_solve(A, b, np.array([2]))
    assert held[2] == 0 and held[1] > 0
    assert np.allclose(nonnegative_solve(A, b, np.array([], int)), free)
