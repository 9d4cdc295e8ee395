"""The mode decision on every kind of input, as a confusion table (the default path: no mode flag).

    python eval/mode_eval.py ../shared/eval/align [--seeds ../shared/seeds] [--model use-m]

Cases, each run through ``align()`` exactly as `align align` runs it (auto mode):

* parallel: every dev document (mac-dev, aca, mag), its halves and its thirds
  (cut at gold bead boundaries), and tenths of the mac-dev chapters (short texts);
* partly parallel, which must be aligned as parallel where it is: 30% more
  "paragraphs" (runs of 4-8 sentences) from another document inserted on one
  side; an English that renders only the first half of the Chinese, and the reverse;
* comparable: the seeds 000 against 001, 002 and 003; simulated comparable pairs
  (40% of a document's sentences a side, shuffled, padded with another document's),
  and the same with whole paragraphs shuffled, so sentence order survives inside them;
* different: the seed 004 (another event) against 001-003, and a dev document's
  Chinese against another document's English; comparable, with the share of the
  English linked at confidence >= .5 printed;
* news: whole articles of mqm2021 (one system's translation of one document, one
  segment a line; ../shared/eval/qe, or ``--news``), machine translations garbled or not;
* short, 1-3 sentences a side, where the order test has no power: runs of 1-3 gold
  beads of every dev document and the first 1-3 segments of news articles (parallel);
  1-3 sentences of a dev document's Chinese against as many of its English from half
  the document away (the same story, nothing that corresponds: different), runs of the
  seed 000 against runs of 001-003 (comparable) and of 004 against them (different).

Partly parallel cases are scored against the gold beads they contain (strict F1).
Every case also prints what settles a doubtful one (only one of the chain's two bars
met): how much of the shorter text the parallel path aligns, weighted by confidence
(``parallel.ParallelPath.support``), with its range per kind at the end.
"""
from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # eval.mqm, when run as a script

from align.alignment import Params, align
from align.alignment.mode import OrderEvidence, order_evidence
from align.alignment.parallel import ParallelPath
from align.alignment.scoring import parse_beads, score_beads
from align.alignment.windows import WindowVectors
from align.cli.common import load_sentences
from align.types import Sentence
from align.vectors import DEFAULT_MODEL, get_encoder
from eval.mqm import news_articles

EXPECTED = {"parallel": "parallel", "partial": "parallel", "comparable": "comparable", "different": "comparable"}
Side = list[tuple[Sentence, int | None]]  # sentence, its index in the source document (None: inserted)


def dev_documents(root: Path):
    for name in ("mac-dev", "aca", "mag"):
        for gold in sorted((root / name / "gold").glob("*.align")):
            zh = load_sentences(str(root / name / "zh" / f"{gold.stem}.txt"), "zh", True)
            en = load_sentences(str(root / name / "en" / f"{gold.stem}.txt"), "en", True)
            yield f"{name}/{gold.stem}", zh, en, parse_beads(gold.read_text())


def own(sentences) -> Side:
    return [(s, k) for k, s in enumerate(sentences)]


def pieces(zh, en, gold, k: int) -> list[tuple[Side, Side]]:
    """k consecutive parts of a parallel document, cut at gold bead boundaries."""
    cuts = [round(len(gold) * t / k) for t in range(k + 1)]
    out = []
    for a, b in zip(cuts, cuts[1:]):
        zs = [i for bead in gold[a:b] for i in bead[0]]
        es = [j for bead in gold[a:b] for j in bead[1]]
        if zs and es:
            out.append(([(zh[i], i) for i in range(min(zs), max(zs) + 1)],
                        [(en[j], j) for j in range(min(es), max(es) + 1)]))
    return out


def with_paragraphs(base: Side, other, rng: random.Random, share: float = 0.3) -> Side:
    out: Side = []
    pos, opos = 0, rng.randrange(max(1, len(other) - 200))
    while pos < len(base):
        size = rng.randint(4, 8)
        out += base[pos : pos + size]
        pos += size
        if rng.random() < share:
            size = rng.randint(4, 8)
            out += [(s, None) for s in other[opos : opos + size]]
            opos += size
    return out


def shuffled_mix(own_side, other, rng: random.Random, paragraphs: bool) -> Side:
    """40% of a side (single sentences, or whole paragraphs), as much again from elsewhere, shuffled."""
    if paragraphs:
        blocks = [list(range(k, min(k + 6, len(own_side)))) for k in range(0, len(own_side), 6)]
        chosen = rng.sample(blocks, max(1, int(0.4 * len(blocks))))
        units = [[(own_side[k], k) for k in b] for b in chosen]
        count = sum(len(u) for u in units)
        start = rng.randrange(max(1, len(other) - count))
        units += [[(s, None) for s in other[start + k : start + k + 6]] for k in range(0, count, 6)]
    else:
        units = [[(own_side[k], k)] for k in rng.sample(range(len(own_side)), int(0.4 * len(own_side)))]
        units += [[(s, None)] for s in rng.sample(list(other), min(len(units), len(other)))]
    rng.shuffle(units)
    return [x for u in units for x in u]


SHORT_RUNS = (1, 2, 3)  # sentences (or beads) a side of the short cases
SHORT_PER_SIZE = 2  # short cases per dev document, or per seed pair, and per size
NEWS_ARTICLES = 60  # whole news articles, and as many short excerpts of others


def run(side: list[Sentence], size: int, rng: random.Random) -> Side:
    start = rng.randrange(max(1, len(side) - size + 1))
    return [(side[k], k) for k in range(start, min(start + size, len(side)))]


def sentences(count: int, word: str = "sentence") -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


def short_cases(docs, news, seed_files, rng: random.Random):
    """1-3 sentences a side (``SHORT_RUNS``)."""
    for name, zh, en, gold in docs:
        for size in SHORT_RUNS:
            for _ in range(SHORT_PER_SIZE):
                start = rng.randrange(len(gold) - size + 1)
                beads = [b for b in gold[start : start + size] if b[0] and b[1]]
                if not beads:
                    continue
                zs = [(zh[i], i) for i in range(beads[0][0][0], beads[-1][0][-1] + 1)]
                es = [(en[j], j) for j in range(beads[0][1][0], beads[-1][1][-1] + 1)]
                yield f"{name} short run of {sentences(size, 'bead')}", "parallel", zs, es, gold
                # the same Chinese against as many English sentences half the text away
                far = (start + len(gold) // 2) % (len(gold) - size + 1)
                away = [(en[j], j) for b in gold[far : far + size] for j in b[1]][: len(zs)]
                if away:
                    yield f"{name} short: {sentences(len(zs))} against English half the text away", \
                        "different", zs, away, []
    for name, zh, en in news:
        size = rng.choice(SHORT_RUNS)
        yield f"{name} short: its first {sentences(size, 'segment')}", "parallel", own(zh[:size]), own(en[:size]), \
            [((k,), (k,)) for k in range(size)]
    if seed_files:
        e0, e4 = (load_sentences(seed_files[k], "en", False) for k in ("000", "004"))
        for z in ("001", "002", "003"):
            zh = load_sentences(seed_files[z], "zh", False)
            for size in SHORT_RUNS:
                for _ in range(SHORT_PER_SIZE):
                    yield f"seed 000 vs {z} short: {sentences(size)} a side", "comparable", run(zh, size, rng), \
                        run(e0, size, rng), []
                    yield f"seed 004 vs {z} short: {sentences(size)} a side", "different", run(zh, size, rng), \
                        run(e4, size, rng), []


def cases(root: Path, seeds: Path | None, news_file: Path | None, rng: random.Random):
    docs = list(dev_documents(root))
    seed_files = {p.name[:3]: str(p) for p in seeds.glob("*.txt")} if seeds else {}
    for d, (name, zh, en, gold) in enumerate(docs):
        _, other_zh, other_en, _ = docs[(d + 1) % len(docs)]
        yield name, "parallel", own(zh), own(en), gold
        for k, label in ((2, "half"), (3, "third")) + (((10, "tenth"),) if name.startswith("mac-dev") else ()):
            for t, (z, e) in enumerate(pieces(zh, en, gold, k), 1):
                yield f"{name} {label} {t}", "parallel", z, e, gold
        yield f"{name} +30% paragraphs of another text in the Chinese", "partial", \
            with_paragraphs(own(zh), other_zh, rng), own(en), gold
        yield f"{name} +30% paragraphs of another text in the English", "partial", \
            own(zh), with_paragraphs(own(en), other_en, rng), gold
        (z1, e1), _ = pieces(zh, en, gold, 2)
        yield f"{name} English renders the first half", "partial", own(zh), e1, gold
        yield f"{name} Chinese holds the first half", "partial", z1, own(en), gold
        far_en = docs[(d + 2) % len(docs)][2]
        yield f"{name} simulated comparable", "comparable", shuffled_mix(zh, other_zh, rng, False), \
            shuffled_mix(en, far_en, rng, False), gold
        yield f"{name} simulated comparable, paragraphs", "comparable", \
            shuffled_mix(zh, other_zh, rng, True), shuffled_mix(en, far_en, rng, True), gold
        yield f"{name} against another text's English", "different", own(zh), own(far_en), []
    if seed_files:
        e0, e4 = load_sentences(seed_files["000"], "en", False), load_sentences(seed_files["004"], "en", False)
        for z in ("001", "002", "003"):
            zh = load_sentences(seed_files[z], "zh", False)
            yield f"seed 000 vs {z}", "comparable", own(zh), own(e0), []
            yield f"seed 004 vs {z}", "different", own(zh), own(e4), []
    # the cases added since draw from the generator after the first ones, which stay as they were
    news = news_articles(news_file) if news_file else []
    rng.shuffle(news)
    for name, zh, en in news[:NEWS_ARTICLES]:
        yield name, "parallel", own(zh), own(en), [((k,), (k,)) for k in range(len(zh))]
    yield from short_cases(docs, news[NEWS_ARTICLES : 2 * NEWS_ARTICLES], seed_files, rng)


def remapped_gold(gold, zh: Side, en: Side):
    """The gold of a case in its own sentence numbers: the gold beads wholly inside it, and a
    1-0 or 0-1 bead for every sentence whose counterpart is not in it (inserted from another
    text, or the other side's half that was left out)."""
    zpos = {k: p for p, (_, k) in enumerate(zh) if k is not None}
    epos = {k: p for p, (_, k) in enumerate(en) if k is not None}
    out = []
    for zs, es in gold:
        z_in, e_in = [i in zpos for i in zs], [j in epos for j in es]
        if all(z_in) and all(e_in) and (zs or es):
            out.append((tuple(zpos[i] for i in zs), tuple(epos[j] for j in es)))
        elif all(z_in) and not any(e_in):
            out += [((zpos[i],), ()) for i in zs]
        elif all(e_in) and not any(z_in):
            out += [((), (epos[j],)) for j in es]
    out += [((p,), ()) for p, (_, k) in enumerate(zh) if k is None]
    out += [((), (p,)) for p, (_, k) in enumerate(en) if k is None]
    return out


def renumber(side: Side) -> list[Sentence]:
    return [Sentence(p, s.text, s.start, s.end, s.lang, s.norm) for p, (s, _) in enumerate(side)]


def support(zh: list[Sentence], en: list[Sentence], encoder) -> tuple[float, float, OrderEvidence]:
    """``(path support, path cosine, the order evidence)``: what align() computes for a doubtful
    case (the cosine only for a short one), for any case."""
    zt, et = [s.norm for s in zh], [s.norm for s in en]
    vecs = encoder.encode(zt + et)
    zv, ev = vecs[: len(zt)], vecs[len(zt):]
    evidence = order_evidence(zv, ev)
    windows = (WindowVectors(zt, "", zv, encoder, Params().max_bead - 1),
               WindowVectors(et, " ", ev, encoder, Params().max_bead - 1))
    path = ParallelPath(*windows, Params(), zt, et, evidence.chain)
    return path.support(), path.cosine(), evidence


def group(name: str) -> str:
    """Which table a case goes to: the short ones, the news articles, or the rest."""
    return "short" if " short" in name else "news" if name.startswith("news ") else "dev and seeds"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", type=Path, help="the alignment gold, e.g. ../shared/eval/align")
    ap.add_argument("--seeds", type=Path, default=Path(__file__).resolve().parents[1] / "fixtures" / "seeds")
    ap.add_argument("--news", type=Path, default=None,
                    help="an MQM file of whole articles (default: ROOT/../qe/mqm2021_zhen.tsv, where it is)")
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    news = args.news or args.root.parent / "qe" / "mqm2021_zhen.tsv"
    encoder = get_encoder(args.model)
    confusion: Counter = Counter()
    partial = None
    wrong: dict[str, list[str]] = {}
    figures: dict[tuple[str, str], list[tuple[float, float]]] = {}  # (group, kind): (support, cosine) per case
    doubtful: list[str] = []
    print(f"{'kind':10} {'decided':10} {'linked':>6} {'support':>7} {'cosine':>6}  case: reason")
    for name, kind, zh, en, gold in cases(args.root, args.seeds, news if news.is_file() else None,
                                          random.Random(args.seed)):
        zs, es = renumber(zh), renumber(en)
        result = align(zs, es, encoder)
        backing, cosine, evidence = support(zs, es, encoder)
        where = group(name)
        figures.setdefault((where, kind), []).append((backing, cosine))
        if evidence.doubtful and not evidence.short:
            doubtful.append(f"{name} ({kind}, {backing:.2f})")
        confusion[(where, kind, result.mode)] += 1
        linked = sum(len(b.en) for b in result.beads if b.zh and b.confidence >= 0.5) / max(len(en), 1)
        if result.mode != EXPECTED[kind]:
            wrong.setdefault(where, []).append(name)
        if kind == "partial" and result.mode == "parallel":
            c = score_beads([(b.zh, b.en) for b in result.beads], remapped_gold(gold, zh, en))
            partial = c if partial is None else partial + c
        print(f"{kind:10} {result.mode:10} {linked:6.0%} {backing:7.2f} {cosine:6.2f}  {name}: {result.reason}",
              flush=True)
    kinds = ("parallel", "partial", "comparable", "different")
    for where in ("dev and seeds", "news", "short"):
        present = [kind for kind in kinds if (where, kind) in figures]
        if not present:
            continue
        print(f"\n{where}\n{'expected':12} {'-> parallel':>12} {'-> comparable':>14}")
        for kind in present:
            print(f"{kind:12} {confusion[(where, kind, 'parallel')]:12} {confusion[(where, kind, 'comparable')]:14}")

        def ranges(k: int) -> str:
            return "; ".join(f"{kind} {min(f[k] for f in figures[(where, kind)]):.2f}-"
                             f"{max(f[k] for f in figures[(where, kind)]):.2f}" for kind in present)

        print("path support (how much of the shorter text the parallel path aligns, weighted by confidence):",
              ranges(0))
        if where == "short":
            print("path cosine (its linked beads' cosine over the shorter text; decides with the support):", ranges(1))
        total = sum(confusion[(where, kind, mode)] for kind in present for mode in ("parallel", "comparable"))
        bad = wrong.get(where, [])
        print(f"{total - len(bad)} of {total} decisions as expected" + (f"; wrong: {'; '.join(bad)}" if bad else ""))
    print(f"\ndoubtful (not short), settled by the path: {len(doubtful)}"
          + (f": {'; '.join(doubtful)}" if doubtful else ""))
    if partial is not None:
        p, r, f = partial.strict()
        print(f"partly parallel cases, strict against the gold beads they hold: P {p:.3f} R {r:.3f} F1 {f:.3f}")


if __name__ == "__main__":
    main()
