"""The mode decision (parallel or comparable) and what it hands parallel mode: one case of
each kind eval/mode_eval.py measures, on a fake encoder, on a short text written for these
tests (tests/data/parallel_*.txt: 24 Chinese sentences, 25 English, sentence 11 rendered as
two), and, marked slow, with use-m on the seeds and, where ../shared/eval is beside the
checkout, on the dev documents.
"""
from __future__ import annotations

import itertools
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.alignment import align
from align.alignment.mode import MIN_EXCESS, MIN_ORDER_Z, MIN_PATH_SUPPORT, MIN_SHORT_COSINE, SHORT_TEXT, \
    OrderEvidence, anchor_rows, heaviest_chain, order_evidence, settle
from align.sentences import split_lines
from align.types import Sentence
from test_alignment import ENCODER, _seed, assert_parallel_structure, document, pairs

DATA = Path(__file__).resolve().parent / "data"
DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "align"
# The written text's gold: sentence 11 becomes English 11-12, the rest one to one.
WRITTEN_GOLD = [((i,), (i,)) for i in range(11)] + [((11,), (11, 12))] + [((i,), (i + 1,)) for i in range(12, 24)]


def written() -> tuple[list[Sentence], list[Sentence]]:
    return (split_lines((DATA / "parallel_zh.txt").read_text("utf-8"), "zh"),
            split_lines((DATA / "parallel_en.txt").read_text("utf-8"), "en"))


def renumbered(sentences: list[Sentence]) -> list[Sentence]:
    return [Sentence(k, s.text, s.start, s.end, s.lang, s.norm) for k, s in enumerate(sentences)]


# ---------------------------------------------------------------- the chain and its band

@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6), st.floats(0.01, 5)), min_size=0, max_size=9,
                unique_by=lambda p: (p[0], p[1])))
def test_heaviest_chain_is_the_heaviest_strictly_increasing_subset(points):
    j = np.array([p[0] for p in points], dtype=np.int64)
    i = np.array([p[1] for p in points], dtype=np.int64)
    w = np.array([p[2] for p in points])
    weight, chain = heaviest_chain(j, i, w, 7)
    best = 0.0
    for r in range(len(points) + 1):
        for subset in itertools.combinations(range(len(points)), r):
            ordered = sorted(subset, key=lambda k: j[k])
            if all(j[a] < j[b] and i[a] < i[b] for a, b in zip(ordered, ordered[1:])):
                best = max(best, float(w[list(subset)].sum()))
    assert weight == pytest.approx(best)
    assert float(w[chain].sum()) == pytest.approx(weight)
    assert all(j[a] < j[b] and i[a] < i[b] for a, b in zip(chain, chain[1:]))


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 40), st.integers(1, 40), st.data())
def test_the_anchor_band_holds_every_anchor_and_both_corners_and_is_monotone(n, m, data):
    k = data.draw(st.integers(0, min(n, m)))
    zs = sorted(data.draw(st.lists(st.integers(0, n - 1), min_size=k, max_size=k, unique=True)))
    es = sorted(data.draw(st.lists(st.integers(0, m - 1), min_size=k, max_size=k, unique=True)))
    rows = anchor_rows(list(zip(zs, es)), n, m, reach=2)
    assert len(rows) == n + 1 and rows[0][0] == 0 and rows[n][1] == m
    for i, j in zip(zs, es):
        assert rows[i][0] <= j <= rows[i][1] and rows[i + 1][0] <= j + 1 <= rows[i + 1][1]
    for (lo0, hi0), (lo1, hi1) in zip(rows, rows[1:]):
        assert lo0 <= lo1 and hi0 <= hi1 and lo1 <= hi0  # monotone and connected


# ---------------------------------------------------------------- decisions, fake encoder

def test_a_parallel_text_is_parallel_and_the_reason_gives_the_figures():
    zh, en = document([[k] for k in range(60)], [[k] for k in range(60)])
    result = align(zh, en, ENCODER)
    assert result.mode == "parallel"
    assert "in-order chain" in result.reason and "z " in result.reason and "beyond chance" in result.reason
    assert pairs(result) == [((k,), (k,)) for k in range(60)]


def test_another_articles_paragraphs_inserted_on_one_side_become_insertions():
    # 30% more: runs of five sentences of another text between the parallel paragraphs
    units, inserted, k = [], [], 0
    for start in range(0, 60, 6):
        units += [[m] for m in range(start, start + 6)]
        if start % 18 == 0:
            inserted += list(range(len(units), len(units) + 6))
            units += [[500 + k + d] for d in range(6)]
            k += 6
    zh, en = document(units, [[m] for m in range(60)])
    result = align(zh, en, ENCODER)
    assert result.mode == "parallel"
    assert_parallel_structure(result, len(units), 60)
    alone = {b.zh[0] for b in result.beads if b.zh and not b.en}
    assert alone == set(inserted)


def test_an_english_of_only_the_first_half_is_parallel_with_the_rest_left_over():
    zh, en = document([[k] for k in range(80)], [[k] for k in range(40)])
    result = align(zh, en, ENCODER)
    assert result.mode == "parallel"
    beads = pairs(result)
    # the last English sentence may take the untranslated sentence after it along
    assert beads[:39] == [((k,), (k,)) for k in range(39)] and beads[39][1] == (39,)
    assert beads[-39:] == [((k,), ()) for k in range(41, 80)]


def test_shuffled_reports_are_comparable_with_or_without_paragraphs():
    rng = random.Random(3)
    shared = list(range(40))
    sentences = shared[:]
    rng.shuffle(sentences)
    paragraphs = [shared[k : k + 5] for k in range(0, 40, 5)]
    rng.shuffle(paragraphs)
    for en_order in (sentences, [k for p in paragraphs for k in p]):
        en_units = [[k] for k in en_order] + [[900 + k] for k in range(20)]
        zh, en = document([[k] for k in shared] + [[700 + k] for k in range(20)], en_units)
        result = align(zh, en, ENCODER)
        assert result.mode == "comparable", result.reason
    # the paragraphs keep their inner order, so the chain stands out (z 9.4) but explains only 25%:
    # the parallel path aligns a few paragraphs and leaves the rest over, so it says comparable
    assert "parallel path decided" in result.reason


def test_a_parallel_text_too_short_for_the_chains_z_is_settled_parallel_by_its_path():
    # five pairs: the chain explains 41% beyond chance, but five points cannot reach z 3
    zh, en = document([[k] for k in range(5)], [[k] for k in range(5)])
    result = align(zh, en, ENCODER)
    assert result.mode == "parallel"
    assert "only one of z 3 and 30% beyond chance was met, so the parallel path decided" in result.reason
    assert pairs(result) == [((k,), (k,)) for k in range(5)]


def test_a_doubtful_text_settled_parallel_runs_the_parallel_passes_once(monkeypatch):
    from align.alignment import parallel

    runs = []
    scores = parallel.BeadScorer.scores
    monkeypatch.setattr(parallel.BeadScorer, "scores", lambda self, band, types, *update: runs.append(len(types))
                        or scores(self, band, types, *update))
    zh, en = document([[k] for k in range(5)], [[k] for k in range(5)])
    result = align(zh, en, ENCODER)
    assert "the parallel path decided" in result.reason and result.mode == "parallel"
    decided = list(runs)
    runs.clear()
    assert pairs(align(zh, en, ENCODER, mode="parallel")) == pairs(result)
    # the same scoring as a forced parallel alignment: first pass, bead pass, and one bead
    # pass per round of realised windows; none of it again after the decision
    assert decided == runs and runs.count(3) == 1


def _evidence(z: float, excess: float, shorter: int | None = None) -> OrderEvidence:
    # chain weight = shuffled mean + z * std, matched weight set so the excess comes out as asked
    return OrderEvidence([(0, 0)], 10.0 + z, 10.0, 1.0, z / excess if excess else 1e9, shorter)


@pytest.mark.parametrize("z, excess, doubtful", [(2 * MIN_ORDER_Z, 2 * MIN_EXCESS, False),
                                                 (MIN_ORDER_Z / 2, MIN_EXCESS / 2, False),
                                                 (2 * MIN_ORDER_Z, MIN_EXCESS / 2, True),
                                                 (MIN_ORDER_Z / 2, 2 * MIN_EXCESS, True)])
def test_evidence_is_doubtful_when_exactly_one_bar_is_met(z, excess, doubtful):
    evidence = _evidence(z, excess)
    assert evidence.z == pytest.approx(z) and evidence.excess == pytest.approx(excess)
    assert evidence.doubtful is doubtful


def test_doubtful_evidence_is_settled_by_the_paths_support_and_the_reason_gives_it():
    evidence = _evidence(2 * MIN_ORDER_Z, MIN_EXCESS / 2)
    mode, reason = settle(evidence, MIN_PATH_SUPPORT + 0.05)
    assert mode == "parallel" and reason.startswith("parallel: ") and "aligns 80% of the shorter text" in reason
    mode, reason = settle(evidence, MIN_PATH_SUPPORT - 0.1)
    assert mode == "comparable" and f"(< {MIN_PATH_SUPPORT:.0%})" in reason and evidence.describe() in reason


@pytest.mark.parametrize("shorter, doubtful", [(1, True), (SHORT_TEXT, True), (SHORT_TEXT + 1, False), (0, False)])
def test_a_text_too_short_for_the_order_test_is_doubtful_whatever_its_figures(shorter, doubtful):
    assert _evidence(MIN_ORDER_Z / 2, MIN_EXCESS / 2, shorter).doubtful is doubtful
    assert _evidence(2 * MIN_ORDER_Z, 2 * MIN_EXCESS, shorter).doubtful is doubtful


def test_a_short_text_needs_the_paths_cosine_as_well_as_its_support():
    evidence = _evidence(0.5, 0.1, shorter=2)
    mode, reason = settle(evidence, 0.95, MIN_SHORT_COSINE + 0.1)
    assert mode == "parallel"
    assert reason.startswith("parallel: 2 sentences are too few for the order test, so the parallel path decided")
    assert f"its beads' cosine over that text is {MIN_SHORT_COSINE + 0.1:.2f} (>= {MIN_SHORT_COSINE:.2f})" in reason
    assert "chain" not in reason  # three points or fewer: its figures say nothing
    mode, reason = settle(evidence, 0.95, MIN_SHORT_COSINE - 0.1)
    assert mode == "comparable" and f"(< {MIN_SHORT_COSINE:.2f})" in reason
    mode, reason = settle(evidence, MIN_PATH_SUPPORT - 0.1, 0.9)
    assert mode == "comparable" and f"(< {MIN_PATH_SUPPORT:.0%})" in reason
    assert settle(_evidence(0.5, 0.1, shorter=1), 0.95, 0.9)[1].startswith("parallel: 1 sentence is too few")


@pytest.mark.parametrize("size", [1, 2, SHORT_TEXT])
def test_a_translation_of_one_to_three_sentences_is_parallel_and_aligned(size):
    zh, en = document([[k] for k in range(size)], [[k] for k in range(size)])
    result = align(zh, en, ENCODER)
    assert result.mode == "parallel", result.reason
    assert "too few for the order test" in result.reason
    assert pairs(result) == [((k,), (k,)) for k in range(size)]


def test_one_to_three_sentences_about_other_things_are_comparable():
    zh, en = document([[k] for k in range(3)], [[k] for k in range(10, 13)])
    result = align(zh, en, ENCODER)
    assert result.mode == "comparable" and "too few for the order test" in result.reason, result.reason


def test_a_short_text_settled_parallel_runs_the_parallel_passes_once(monkeypatch):
    from align.alignment import parallel

    runs = []
    scores = parallel.BeadScorer.scores
    monkeypatch.setattr(parallel.BeadScorer, "scores", lambda self, band, types, *update: runs.append(len(types))
                        or scores(self, band, types, *update))
    zh, en = document([[0, 1], [2]], [[0], [1], [2]])  # a two-sentence window to encode
    result = align(zh, en, ENCODER)
    assert "too few for the order test" in result.reason and result.mode == "parallel"
    decided = list(runs)
    runs.clear()
    assert pairs(align(zh, en, ENCODER, mode="parallel")) == pairs(result)
    assert decided == runs  # the cosine's windows were encoded, not realised: the passes are a forced run's


def test_forcing_a_mode_is_said_and_kept():
    zh, en = document([[k] for k in range(10)], [[k] for k in range(10)])
    assert align(zh, en, ENCODER, mode="comparable").reason == "comparable mode was asked for"


# ---------------------------------------------------------------- decisions, use-m (slow)

@pytest.mark.slow
def test_the_written_parallel_text_is_parallel_and_aligned_exactly():
    from align.vectors import get_encoder

    zh, en = written()
    result = align(zh, en, get_encoder("use-m"))
    assert result.mode == "parallel", result.reason
    assert pairs(result) == WRITTEN_GOLD


@pytest.mark.slow
def test_the_written_text_with_another_reports_paragraphs_inserted_stays_parallel():
    from align.vectors import get_encoder

    zh, en = written()
    other = _seed("003")[:9]  # a Chinese report on something else entirely
    mixed = zh[:8] + other[:4] + zh[8:16] + other[4:9] + zh[16:]
    result = align(renumbered(mixed), en, get_encoder("use-m"))
    assert result.mode == "parallel", result.reason
    inserted = set(range(8, 12)) | set(range(20, 25))
    alone = {b.zh[0] for b in result.beads if b.zh and not b.en}
    # An inserted sentence may ride along in its neighbour's bead (the length penalty
    # likes a long English sentence against two Chinese ones), but never takes English
    # of its own, and every written sentence keeps its own English.
    assert len(alone & inserted) >= len(inserted) - 1
    own = [k for k in range(len(mixed)) if k not in inserted]
    for b in result.beads:
        if b.en:
            assert set(b.zh) - inserted, b
    gold = {zs[0]: es for zs, es in WRITTEN_GOLD}
    en_of = {i: b.en for b in result.beads for i in b.zh}
    assert all(en_of[own[k]] == gold[k] for k in range(len(zh)))


SHORT_ZH = ["国务院总理李强1日在北京会见了来访的德国总理。", "双方就中德关系和共同关心的国际问题交换了意见。"]
SHORT_EN = ["Premier Li Qiang met the visiting German Chancellor in Beijing on the 1st.",
            "The two sides exchanged views on China-Germany relations and international issues of common concern."]
SHORT_OTHER = ["Hohhot will turn cold next week, with snow expected across the north of the region.",
               "Farmers are advised to bring their livestock into shelter before the weekend."]


@pytest.mark.slow
@pytest.mark.parametrize("size", [1, 2])
@pytest.mark.parametrize("english, expected", [(SHORT_EN, "parallel"), (SHORT_OTHER, "comparable")])
def test_one_or_two_sentences_are_parallel_when_they_translate_and_comparable_when_not(size, english, expected):
    from align.vectors import get_encoder

    result = align(split_lines("\n".join(SHORT_ZH[:size]), "zh"), split_lines("\n".join(english[:size]), "en"),
                   get_encoder("use-m"))
    assert result.mode == expected, result.reason
    if expected == "parallel":
        assert pairs(result) == [((k,), (k,)) for k in range(size)]


@pytest.mark.slow
@pytest.mark.parametrize("source", ["001", "002", "003"])
def test_the_seed_reports_are_comparable_to_the_english(source):
    from align.vectors import get_encoder

    result = align(_seed(source), _seed("000"), get_encoder("use-m"))
    assert result.mode == "comparable", result.reason


@pytest.mark.slow
@pytest.mark.parametrize("source", ["001", "002", "003"])
def test_another_events_english_is_comparable_and_nothing_is_linked(source):
    from align.vectors import get_encoder

    result = align(_seed(source), _seed("004"), get_encoder("use-m"))
    assert result.mode == "comparable"
    assert not [b for b in result.beads if b.zh and b.en], result.reason


@pytest.mark.slow
@pytest.mark.skipif(not DEV.is_dir(), reason="the dev alignment sets (../shared/eval/align) are not beside this checkout")
def test_every_dev_document_and_its_halves_are_parallel():
    from align.alignment.scoring import parse_beads
    from align.vectors import get_encoder

    encoder = get_encoder("use-m")
    for gold_file in sorted(DEV.glob("*/gold/*.align")):
        base = gold_file.parent.parent
        zh = split_lines((base / "zh" / f"{gold_file.stem}.txt").read_text("utf-8"), "zh")
        en = split_lines((base / "en" / f"{gold_file.stem}.txt").read_text("utf-8"), "en")
        gold = parse_beads(gold_file.read_text())
        half = gold[: len(gold) // 2]
        z_end, e_end = max(i for b in half for i in b[0]) + 1, max(j for b in half for j in b[1]) + 1
        for z, e in ((zh, en), (zh[:z_end], en[:e_end]), (zh, en[:e_end])):
            result = align(z, e, encoder)
            assert result.mode == "parallel", f"{gold_file}: {result.reason}"


def test_order_evidence_of_empty_sides_is_empty():
    ev = order_evidence(np.zeros((0, 4), np.float32), np.ones((3, 4), np.float32) / 2)
    assert ev.chain == [] and not ev.parallel


@pytest.mark.parametrize("m,n", [(1, 1), (3, 9), (9, 3), (50, 7), (7, 50), (300, 170)])
def test_nearest_is_the_exact_k_best_of_each_row_and_column(monkeypatch, m, n):
    """Against the whole matrix sorted, with blocks and tiles small enough that every shape
    spans several of each (a long article's blocks and tiles, in miniature)."""
    from align.alignment import knn, mode

    monkeypatch.setattr(knn, "BLOCK_CELLS", 64)
    monkeypatch.setattr(knn, "TILE", 16)
    rng = np.random.default_rng(m * 1000 + n)
    en = rng.standard_normal((m, 16)).astype(np.float32)
    zh = rng.standard_normal((n, 16)).astype(np.float32)
    en /= np.linalg.norm(en, axis=1, keepdims=True)
    zh /= np.linalg.norm(zh, axis=1, keepdims=True)
    row_idx, row_sim, col_idx, col_sim = mode.nearest(en, zh)
    full = en.astype(np.float64) @ zh.T.astype(np.float64)
    kr, kc = min(mode.NEAREST, n), min(mode.K, m)
    assert row_idx.shape == row_sim.shape == (m, kr) and col_idx.shape == col_sim.shape == (kc, n)
    assert (row_idx == np.argsort(-full, axis=1)[:, :kr]).all()
    assert (col_idx == np.argsort(-full, axis=0)[:kc]).all()
    assert np.allclose(row_sim, np.take_along_axis(full, row_idx, axis=1), atol=1e-5)
    assert np.allclose(col_sim, np.take_along_axis(full, col_idx, axis=0), atol=1e-5)
