"""align find: a small pool (the Chinese seeds and a few MQM news documents), the real encoder."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "fixtures" / "seeds"
QE = ROOT.parent / "shared" / "eval" / "qe" / "mqm2021_zhen.tsv"
MQM_DOCS = 4  # documents of mqm2021 put into the pool


def mqm_docs(n: int) -> dict[str, tuple[list[str], dict[str, list[str]]]]:
    """The first ``n`` documents of mqm2021: source segments and each system's targets, in order."""
    if not QE.exists():
        pytest.skip(f"needs {QE}")
    docs: dict[str, tuple[dict[int, str], dict[str, dict[int, str]]]] = {}
    with open(QE, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["doc"] not in docs and len(docs) == n:
                continue
            src, tgt = docs.setdefault(row["doc"], ({}, {}))
            src[int(row["seg_id"])] = row["source"]
            tgt.setdefault(row["system"], {})[int(row["seg_id"])] = row["target"]
    return {doc: ([s[k] for k in sorted(s)], {sys_: [t[k] for k in sorted(t)] for sys_, t in tg.items()})
            for doc, (s, tg) in docs.items()}


def make_pool(folder: Path) -> tuple[Path, list[tuple[Path, Path]]]:
    """Pool: seeds 001-003 and MQM_DOCS news documents; articles: two renderings of each document."""
    pool = folder / "pool"
    (pool / "news").mkdir(parents=True)
    for seed in sorted(SEEDS.glob("00[123]_*.txt")):
        shutil.copy(seed, pool / seed.name)
    articles = []
    for k, (doc, (source, targets)) in enumerate(mqm_docs(MQM_DOCS).items()):
        zh = pool / "news" / f"doc{k}.txt"
        zh.write_text("\n".join(source) + "\n", encoding="utf-8")
        for system in sorted(targets)[:2]:
            en = folder / "en" / system / f"doc{k}.txt"
            en.parent.mkdir(parents=True, exist_ok=True)
            en.write_text("\n".join(t for t in targets[system] if t.strip()) + "\n", encoding="utf-8")
            articles.append((en, zh))
    return pool, articles


@pytest.fixture(scope="module")
def pool_setup(tmp_path_factory):
    from align.corpus.index import index_folder
    from align.vectors import get_encoder

    folder = tmp_path_factory.mktemp("find")
    pool, articles = make_pool(folder)
    encoder = get_encoder()
    yield pool, articles, encoder
    shutil.rmtree(index_folder(str(pool), encoder.model_id), ignore_errors=True)


class _Run:
    def __init__(self, result) -> None:
        self.returncode, self.stdout, self.stderr = result.exit_code, result.stdout, result.stderr


def _align(*args: str) -> _Run:
    from click.testing import CliRunner

    from align.cli import cli

    return _Run(CliRunner().invoke(cli, list(args)))


@pytest.mark.slow
def test_find_ranks_sources_and_updates_incrementally(pool_setup):
    from align.corpus import Finder, PoolIndex, english_query

    pool, articles, encoder = pool_setup
    index = PoolIndex.for_pool(str(pool), encoder)
    first = index.update(str(pool), encoder)
    assert (first.documents, first.removed) == (3 + MQM_DOCS, 0)
    again = index.update(str(pool), encoder)
    assert again.read == 0 and again.documents == first.documents  # nothing re-read

    finder = Finder(index)
    for en, zh in articles:
        ranked = finder.rank(english_query(str(en), encoder))
        assert ranked[0].source == str(zh), en
        assert ranked[0].probability >= finder.model.threshold
        assert all(a.score >= b.score for a, b in zip(ranked, ranked[1:]))
        assert all(0.0 <= c.probability <= 1.0 for c in ranked)
    seed000 = finder.sources(english_query(str(next(SEEDS.glob("000_*.txt"))), encoder), top=5)
    assert seed000 and Path(seed000[0].source).name.startswith("002_")
    # 004 reports another event (Fuxin, Liaoning): no report of the pool is its source.
    assert finder.sources(english_query(str(next(SEEDS.glob("004_*.txt"))), encoder), top=5) == []

    # A changed file is read again, a removed one leaves the index, an added one enters it.
    news = sorted((pool / "news").glob("*.txt"))
    news[0].write_text(news[0].read_text(encoding="utf-8") + "新华社北京电。\n", encoding="utf-8")
    moved = news[1].read_bytes()
    news[1].unlink()
    (pool / "news" / "new.txt").write_bytes(moved)
    stats = index.update(str(pool), encoder)
    assert (stats.read, stats.removed, stats.documents) == (2, 1, first.documents)
    ranked = Finder(index).rank(english_query(str(articles[2][0]), encoder))
    assert ranked[0].source == str(pool / "news" / "new.txt")
    news[1].write_bytes(moved)
    (pool / "news" / "new.txt").unlink()


@pytest.mark.slow
def test_find_cli_json_and_errors(pool_setup, tmp_path):
    pool, articles, _ = pool_setup
    en, zh = articles[0]
    seed004 = next(SEEDS.glob("004_*.txt"))
    result = _align("find", str(en), str(seed004), "--pool", str(pool), "--format", "json", "--top", "2")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["english"] for line in lines] == [str(en), str(seed004)]
    assert lines[0]["candidates"][0]["source"] == str(zh) and len(lines[0]["candidates"]) <= 2
    assert set(lines[0]["candidates"][0]) == {"source", "score", "probability"}
    assert lines[1]["candidates"] == []

    text = _align("find", str(en), "--pool", str(pool))
    assert text.returncode == 0 and str(zh) in text.stdout and "probability" in text.stdout

    chinese = _align("find", str(zh), "--pool", str(pool))
    assert chinese.returncode == 1 and "is Chinese" in chinese.stderr and "Traceback" not in chinese.stderr
    assert len(chinese.stderr.strip().splitlines()) == 1

    bad_pool = tmp_path / "bad"
    bad_pool.mkdir()
    shutil.copy(zh, bad_pool / "zh.txt")
    shutil.copy(seed004, bad_pool / "english.txt")
    english_in_pool = _align("find", str(en), "--pool", str(bad_pool))
    from align.corpus.index import index_folder

    shutil.rmtree(index_folder(str(bad_pool), pool_setup[2].model_id), ignore_errors=True)
    assert english_in_pool.returncode == 1 and "english.txt is English" in english_in_pool.stderr
    assert len(english_in_pool.stderr.strip().splitlines()) == 1
    missing = _align("find", str(en), "--pool", str(tmp_path / "nowhere"))
    assert missing.returncode == 1 and "not a folder" in missing.stderr


def test_fingerprints():
    from align.corpus.fingerprint import en_words, name_found, numbers

    assert numbers("2021年GDP增长8.10%，达1,200亿元，第3次") == {"2021", "8.1", "1200"}
    assert numbers("In 2021 GDP grew 8.1% to 1200 billion") == {"2021", "8.1", "1200"}
    words = en_words("Wang Lixia spoke in Hohhot, Inner Mongolia.")
    assert name_found(["inner mongolia"], words) and name_found(["hohhot"], words)
    assert not name_found(["mongol"], words)  # whole words only
