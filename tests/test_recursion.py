"""The compiled recursion (align/alignment/recursion.py) against the numpy one short texts use
(``parallel.fill_rows``): on random bands, bead types and scores (unreachable cells, ties and
NEG scores included) both fill the same best scores and back-pointers, so a text takes the same
path whichever runs."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.alignment import parallel
from align.alignment.parallel import NEG, Band, bead_types, dynamic_programme, fill_rows
from align.alignment.recursion import fill


@st.composite
def grids(draw):
    n = draw(st.integers(1, 14))
    m = draw(st.integers(1, 14))
    # a connected band from row 0 down to (n, m), as band_around makes: lo and hi never fall,
    # and each row starts no later than the row before it ends
    hi = draw(st.integers(0, m))
    rows = [(0, hi)]
    for i in range(1, n + 1):
        lo = draw(st.integers(rows[-1][0], hi))
        hi = m if i == n else draw(st.integers(max(hi, lo), m))
        rows.append((lo, hi))
    types = bead_types(draw(st.sampled_from([2, 3, 5])))
    band = Band(rows)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    # coarse values make ties; NEG marks beads that leave the texts
    scores = rng.integers(-3, 4, size=(len(types), band.cells)) / 4.0
    scores[rng.random(scores.shape) < draw(st.sampled_from([0.0, 0.3]))] = NEG
    return n, m, band, types, scores, draw(st.sampled_from([-0.1, 0.0, -0.25]))


@settings(max_examples=300, deadline=None)
@given(grids())
def test_the_compiled_recursion_fills_what_the_numpy_one_did(grid):
    n, m, band, types, scores, skip = grid
    best = np.empty(band.cells)
    back = np.empty(band.cells, dtype=np.int8)
    xs = np.array([x for x, _ in types], dtype=np.int64)
    ys = np.array([y for _, y in types], dtype=np.int64)
    fill(band.lo, band.hi, band.offset, xs, ys, types.index((0, 1)), scores, skip, NEG, best, back)
    want_best, want_back = np.empty(band.cells), np.empty(band.cells, dtype=np.int8)
    fill_rows(band, types, types.index((0, 1)), scores, skip, want_best, want_back)
    np.testing.assert_array_equal(best, want_best)
    np.testing.assert_array_equal(back, want_back)


@pytest.mark.parametrize("compiled_rows", [1, 10**9])
def test_the_path_follows_the_back_pointers_to_the_start(monkeypatch, compiled_rows):
    monkeypatch.setattr(parallel, "COMPILED_ROWS", compiled_rows)
    # 3 x 3, every bead scored 0 but 1-1 beads 1: the diagonal of 1-1 beads wins
    band = Band([(0, 3)] * 4)
    types = bead_types(3)
    scores = np.zeros((len(types), band.cells))
    scores[types.index((1, 1))] = 1.0
    assert dynamic_programme(3, 3, band, types, scores, -0.1) == [(0, 1, 0, 1), (1, 2, 1, 2), (2, 3, 2, 3)]
