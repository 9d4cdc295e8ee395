"""The hand-written stages against the libraries that could replace them, on the same inputs.

    python eval/compare_libraries.py ../shared [--only encoding,html,langid,numerals,sentences]

One section per stage, each printing a table row per measurement: encoding detection
(charset-normalizer), HTML to text (lxml, selectolax), language identification (lingua),
Chinese numerals (cn2an) and English sentence splitting (pysbd). Inputs: the project's tests
for the stage run with the library swapped in (a pytest subprocess that loads this file as a
plugin, ``ALIGN_COMPARE_SWAP`` naming the swap), the seeds, ``SHARED/eval`` (the alignment
gold's sentences, the MQM sources and the number check's figures on them) and timings. The
candidates are not dependencies: ``pip install charset-normalizer lxml selectolax
lingua-language-detector cn2an pysbd`` first. Nothing random is drawn but the hostile bytes,
which come from fixed seeds as in tests/test_hostile.py.
"""
from __future__ import annotations

import argparse
import codecs
import importlib.metadata
import os
import random
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO)]

from align.documents.reading import decode_text as current_decode_text  # noqa: E402
from align.errors import InputError  # noqa: E402
from align.sentences import _split_line as current_split_line  # noqa: E402

SWAP_ENV = "ALIGN_COMPARE_SWAP"
SEEDS = sorted((REPO / "fixtures" / "seeds").glob("*.txt"))


def version(dist: str) -> str:
    return f"{dist} {importlib.metadata.version(dist)}"


def row(*cells: object) -> None:
    print("| " + " | ".join(str(c) for c in cells) + " |")


def header(title: str, *columns: str) -> None:
    print(f"\n## {title}\n")
    row(*columns)
    print("|" + "---|" * len(columns))


def import_seconds(module: str) -> str:
    """Seconds a fresh interpreter takes to import ``module`` (best of three, minus a bare start)."""
    def best(code: str) -> float:
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "PYTHONPATH": str(REPO / "src")})
            runs.append(time.perf_counter() - t0)
        return min(runs)
    return f"{best(f'import {module}') - best('pass'):.2f} s"


def timed(fn: Callable[[], object]) -> tuple[object, float]:
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def run_tests(swap: str, *args: str) -> str:
    """``passed/total`` of the project's tests ``args`` with ``swap`` in place of the current code."""
    env = {**os.environ, SWAP_ENV: swap, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)])}
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "eval.compare_libraries",
                          *args], cwd=REPO, env=env, capture_output=True, text=True).stdout
    counts = dict.fromkeys(("passed", "failed", "error"), 0)
    for n, what in re.findall(r"(\d+) (passed|failed|error)", out.splitlines()[-1] if out else ""):
        counts[what] = int(n)
    total = sum(counts.values())
    return f"{counts['passed']}/{total}"


# --- encoding detection ----------------------------------------------------------------------

_LEGACY = ("gb18030", "big5", "cp1252")


def _charset_label(data: bytes, match) -> str:
    """charset-normalizer's encoding in the names reading.py gives (utf-8-sig, utf-16-le, ...)."""
    name = codecs.lookup(match.encoding).name
    if match.bom and name == "utf-8":
        return "utf-8-sig"
    if name in ("utf-16", "utf-32"):
        return name + ("-le" if data[:2] == b"\xff\xfe" else "-be")
    return {"cp950": "big5", "big5hkscs": "big5"}.get(name, name)


def charset_alone(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """reading.decode_text done by charset-normalizer alone."""
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is None:
        raise InputError(f"{name}: cannot tell the text encoding")
    text = str(match)
    return (text[1:] if text.startswith("\ufeff") else text), _charset_label(data, match), []


def charset_last(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """The current code up to UTF-8; charset-normalizer for the legacy code pages it guesses by
    plausibility (GB18030, Big5, Windows-1252), as the library was used before."""
    try:
        text, encoding, problems = current_decode_text(data, name)
    except InputError as exc:
        if "cannot tell" not in str(exc):
            raise
        encoding = None
    if encoding is None or encoding in _LEGACY:
        return charset_alone(data, name)
    return text, encoding, problems


def _big5_safe(text: str) -> str:
    return "".join(ch for ch in text if _encodable(ch, "big5"))


def _encodable(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def encoding_cases() -> list[tuple[str, bytes, str | None, str | None]]:
    """(group, bytes, the text they must read as or None for a refusal, the encoding label)."""
    cases = []
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        codecs_ = ("utf-8", "utf-8-sig", "utf-16", "utf-16-be", "gb18030", "big5", "cp1252")
        for codec in codecs_:
            original = _big5_safe(text) if codec == "big5" else text
            if _encodable(original, codec):
                label = "utf-16-le" if codec == "utf-16" else codec
                cases.append(("seeds, whole", original.encode(codec), original, label))
        zh = any("\u4e00" <= c <= "\u9fff" for c in text)
        for line in text.splitlines():
            if len(line.strip()) < 8:
                continue
            for codec in ("gb18030", "big5") if zh else ("cp1252",):
                original = _big5_safe(line) if codec == "big5" else line
                if _encodable(original, codec) and not original.isascii():
                    cases.append(("seed lines, legacy", original.encode(codec), original, codec))
    for line in ("會議以視頻形式召開，各盟市設分會場。", "Le café est très bon, à côté de la gare. It’s “fine”.\n",
                 "Ein Straßenfest in Köln, über München – „schön“.", "Crème brûlée à la carte, naïve façade."):
        codec = "big5" if "會" in line else "cp1252"
        cases.append(("test and Western lines", line.encode(codec), line, codec))
    en = SEEDS[0].read_text(encoding="utf-8")[:700]
    damaged = "“Quoted” – ".encode() + en.encode()[:120] + b"\xff" + en.encode()[120:]
    cases.append(("hostile", damaged, damaged.decode("utf-8", "replace"), "utf-8"))
    cases.append(("hostile", bytes(random.Random(2).choices(range(0x80, 0x100), k=3000)), None, None))
    cases.append(("hostile", random.Random(1).randbytes(20000), None, None))
    return cases


def compare_encoding() -> None:
    header("Encoding detection", "inputs", "cases", "current", "charset-normalizer alone", "charset-normalizer last")
    cases = encoding_cases()
    decoders = (current_decode_text, charset_alone, charset_last)
    groups = sorted({g for g, *_ in cases}, key=[g for g, *_ in cases].index)
    seconds = [0.0] * len(decoders)
    for group in groups:
        chosen = [c for c in cases if c[0] == group]
        right = [0] * len(decoders)
        for _, data, want, label in chosen:
            for k, decode in enumerate(decoders):
                t0 = time.perf_counter()
                try:
                    text, encoding, _ = decode(data, "case")
                    ok = want is not None and text == want and encoding == label
                except InputError:
                    ok = want is None
                seconds[k] += time.perf_counter() - t0
                right[k] += ok
        row(group, len(chosen), *(f"{r}/{len(chosen)}" for r in right))
    row("time, all cases", len(cases), *(f"{s:.2f} s" for s in seconds))
    row("tests/test_documents.py", "", run_tests("current", "tests/test_documents.py"),
        run_tests("charset-alone", "tests/test_documents.py"), run_tests("charset-last", "tests/test_documents.py"))
    row("import", "", "0", import_seconds("charset_normalizer"), "")


# --- HTML to text ------------------------------------------------------------------------------

def _extractor():
    """The current extractor (reading._TextExtractor) fed a library's tree instead of its own
    parse, so lxml and selectolax are measured as parsers under the same rules."""
    from align.documents.reading import _TextExtractor

    return _TextExtractor()


def lxml_to_text(html: str) -> str:
    from lxml import etree
    from lxml import html as lhtml

    out = _extractor()
    try:
        root = lhtml.document_fromstring(html, parser=lhtml.HTMLParser(no_network=True, remove_comments=True,
                                                                        remove_pis=True))
    except etree.ParserError:
        return "\n"
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            out.handle_starttag(tag, [])
            if tag and el.text:
                out.handle_data(el.text)
        else:
            out.handle_endtag(tag)
            if el.tail:
                out.handle_data(el.tail)
    return out.text()


def selectolax_to_text(html: str) -> str:
    from selectolax.lexbor import LexborHTMLParser

    out = _extractor()
    stack = [(LexborHTMLParser(html).root, False)]
    while stack:  # iterative: a page nested 100,000 deep must not exhaust Python's recursion
        node, done = stack.pop()
        if node is None:
            continue
        if node.tag == "-text":
            if node.text_content:
                out.handle_data(node.text_content)
        elif done:
            out.handle_endtag(node.tag)
        elif not node.tag.startswith("-"):
            out.handle_starttag(node.tag, [])
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))
    return out.text()


def html_cases(shared: Path) -> list[tuple[str, str, str | None]]:
    """(group, page, the text it must give or None where only a property is checked); the
    tests' own pages are measured by running tests/test_documents.py with the swap."""
    en = SEEDS[0].read_text(encoding="utf-8")[:700]
    cases = []
    depth = 100_000
    cases.append(("hostile: 100,000 nested divs", "<html><body>" + "<div>" * depth + f"<p>{en}</p>" + "</div>" * depth
                  + "</body></html>", " ".join(en.split()) + "\n"))
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    cases.append(("hostile: billion laughs", f'<!DOCTYPE html [<!ENTITY lol0 "lol">{entities}]><html><body>'
                  f"<p>&lol9;</p><p>{en}</p></body></html>", None))
    for seed in [*SEEDS, *sorted((shared / "seeds").glob("*.txt"))]:
        text = seed.read_text(encoding="utf-8")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        escaped = [line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for line in lines]
        page = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>" + escaped[0] + "</title>"
                "<script>document.write('<p>ad</p>')</script><style>p{margin:0}</style></head><body>"
                + "".join(f"<p>{line}</p>\n" for line in escaped[1:]) + "</body></html>")
        cases.append(("seeds as pages", page, "\n\n".join(lines) + "\n"))
    return cases


def compare_html(shared: Path) -> None:
    from align.documents import load_text
    from align.documents.reading import html_to_text

    header("HTML to text", "inputs", "cases", "current (html.parser)", "lxml", "selectolax (lexbor)")
    extractors = (html_to_text, lxml_to_text, selectolax_to_text)
    cases = html_cases(shared)
    for group in sorted({g for g, *_ in cases}, key=[g for g, *_ in cases].index):
        chosen = [c for c in cases if c[0] == group]
        cells = []
        for extract in extractors:
            right, seconds = 0, 0.0
            for _, page, want in chosen:
                got, s = timed(lambda: extract(page))
                seconds += s
                right += (got == want) if want is not None else ("lollol" not in got and len(got) < 2 * len(page))
            cells.append(f"{right}/{len(chosen)}, {seconds:.2f} s")
        row(group, len(chosen), *cells)
    # The cleaning that follows: the body kept from each seed page as from the seed itself.
    pages = [(page, want) for group, page, want in cases if group == "seeds as pages"]
    cells = []
    for extract in extractors:
        same = 0
        for page, want in pages:
            doc, ref = load_text(extract(page), "page"), load_text(want, "seed")
            same += [doc.text[s.start:s.end] for s in doc.body] == [ref.text[s.start:s.end] for s in ref.body]
        cells.append(f"{same}/{len(pages)}")
    row("seed pages: cleaned body identical", len(pages), *cells)
    row("tests/test_documents.py", "", run_tests("current", "tests/test_documents.py"),
        run_tests("lxml", "tests/test_documents.py"), run_tests("selectolax", "tests/test_documents.py"))
    row("import", "", "0 (html.parser)", import_seconds("lxml.html"), import_seconds("selectolax.lexbor"))


# --- language identification --------------------------------------------------------------------

# The languages the project's tests and eval meet: a detector built from all 75 loads every model.
_LINGUA_LANGUAGES = ("CHINESE", "ENGLISH", "JAPANESE", "KOREAN", "FRENCH", "GERMAN", "SPANISH", "ITALIAN",
                     "PORTUGUESE", "DUTCH", "RUSSIAN")
_LINGUA: dict[str, object] = {}


def lingua_detect(text: str, which: str = "all") -> str:
    from lingua import Language, LanguageDetectorBuilder

    if which not in _LINGUA:
        builder = (LanguageDetectorBuilder.from_all_languages() if which == "all" else
                   LanguageDetectorBuilder.from_languages(*(getattr(Language, n) for n in _LINGUA_LANGUAGES)))
        _LINGUA[which] = builder.build()
    found = _LINGUA[which].detect_language_of(text[:20000])
    return {"CHINESE": "zh", "ENGLISH": "en"}.get(found.name if found is not None else "", "other")


def langid_cases(shared: Path) -> list[tuple[str, str, str]]:
    cases = [("test sentences", s, lang) for s, lang in (
        ("The meeting was held today.", "en"), ("Innovation drives economic growth now.", "en"),
        ("Science conference opens in Hohhot", "en"), ("会议以视频形式召开。", "zh"), ("會議以視頻形式召開。", "zh"),
        ("超纯凯时KB88金属绿色化制备", "zh"), ("Le chat est sur la table.", "other"),
        ("Der Hund ist nicht hier.", "other"), ("El perro está en la casa.", "other"),
        ("Привет, как дела у тебя?", "other"), ("東京で会議が開かれました。", "other"), ("서울에서 회의가 열렸다.", "other"),
        ("2023-04-17 12:00", "other"))]
    cases += [("seeds, whole", p.read_text(encoding="utf-8"), lang)
              for p, lang in zip(SEEDS, ("en", "zh", "zh", "zh", "en"))]
    for lang in ("zh", "en"):
        for path in sorted((shared / "eval" / "align").glob(f"*/{lang}/*.txt")):
            cases += [(f"alignment gold, {lang} lines", line, lang)
                      for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return cases


def compare_langid(shared: Path) -> None:
    from align.documents.langid import detect_language

    header("Language identification", "inputs", "cases", "current (script statistics)",
           "lingua, all languages", f"lingua, {len(_LINGUA_LANGUAGES)} languages")
    detectors = (detect_language, lingua_detect, lambda t: lingua_detect(t, "some"))
    # The small detector first: lingua shares loaded models between detectors.
    (_, first_some), (_, first_all) = timed(lambda: lingua_detect("The meeting was held today.", "some")), \
        timed(lambda: lingua_detect("The meeting was held today."))
    cases = langid_cases(shared)
    seconds = [0.0] * len(detectors)
    for group in sorted({g for g, *_ in cases}, key=[g for g, *_ in cases].index):
        chosen = [c for c in cases if c[0] == group]
        right = [0] * len(detectors)
        for _, text, want in chosen:
            for k, detect in enumerate(detectors):
                got, s = timed(lambda: detect(text))
                seconds[k] += s
                right[k] += got == want
        row(group, len(chosen), *(f"{r}/{len(chosen)} ({r / len(chosen):.1%})" for r in right))
    row("time, all cases", len(cases), *(f"{s:.2f} s" for s in seconds))
    row("first call (models load)", "", "", f"{first_all:.2f} s", f"{first_some:.2f} s")
    row("tests/test_documents.py", "", run_tests("current", "tests/test_documents.py"),
        run_tests("lingua", "tests/test_documents.py"), "")
    row("import", "", "0", import_seconds("lingua"), "")


# --- Chinese numerals ---------------------------------------------------------------------------

def cn2an_integer(chars: str) -> float | None:
    """numerals._zh_integer by cn2an (its "smart" mode reads 二〇二一 and 两千); None where it refuses."""
    import cn2an

    try:
        return float(cn2an.cn2an(chars, "smart"))
    except (ValueError, KeyError):  # KeyError: its own bug on 一亿二
        return None


def mqm_numerals(shared: Path) -> Counter:
    """Every Chinese-numeral piece zh_quantities parses in the MQM sources, with its count."""
    from align.quality import numerals
    from eval.mqm import read_items

    pieces: Counter = Counter()
    sources = {it.source for name in ("mqm2020_zhen.tsv", "mqm2021_zhen.tsv")
               for it in read_items(shared / "eval" / "qe" / name)}
    for source in sorted(sources):
        for m in numerals._ZH_QUANTITY.finditer(numerals.simplified(source)):
            if m.group("zh"):
                for _, piece in numerals._split_run(m.group("zh").partition("点")[0]):
                    pieces[piece] += 1
    return pieces


def number_check_figures(shared: Path, integer: Callable[[str], float | None]) -> tuple[list[str], float]:
    """The number check's share of flagged items on mqm2021 (mqm=0, mqm>=5, garbled) with
    ``integer`` as the Chinese-numeral parser, and the seconds it took."""
    from align.quality import numerals
    from align.quality.checks import CHECKS, PairText
    from eval.mqm import articles, read_items

    check = next(c for c in CHECKS if c.name == "number")
    saved, numerals._zh_integer = numerals._zh_integer, integer
    try:
        t0 = time.perf_counter()
        flagged = []
        for article in articles(read_items(shared / "eval" / "qe" / "mqm2021_zhen.tsv")):
            found = check.run_all([PairText(it.source, it.target, None, False) for it in article])
            flagged += [(it, bool(f.flags)) for it, f in zip(article, found)]
        seconds = time.perf_counter() - t0
    finally:
        numerals._zh_integer = saved
    shares = []
    for keep in (lambda it: it.mqm == 0, lambda it: it.mqm >= 5, lambda it: it.garbled):
        group = [hit for it, hit in flagged if keep(it)]
        shares.append(f"{sum(group) / len(group):.1%}")
    return shares, seconds


def compare_numerals(shared: Path) -> None:
    from align.quality import numerals

    header("Chinese numerals", "inputs", "cases", "current (numerals._zh_integer)", "cn2an (smart)")
    tests = (("48.2亿", 4.82e9), ("三千五百万", 3.5e7), ("1.2万", 12000), ("百分之五", 5), ("二〇二一", 2021), ("十二", 12),
             ("二十", 20), ("三亿五千万", 3.5e8), ("5万亿", 5e12), ("三点五", 3.5), ("三成", 30))
    cells = []
    for integer in (numerals._zh_integer, cn2an_integer):
        saved, numerals._zh_integer = numerals._zh_integer, integer
        try:
            cells.append(sum(numerals.parse_zh_number(t) is not None and abs(numerals.parse_zh_number(t) - v) < 1e-6 * v
                             for t, v in tests))
        finally:
            numerals._zh_integer = saved
    row("tests/test_checks.py parse cases (the original 11)", len(tests), *(f"{c}/{len(tests)}" for c in cells))
    # Forms the MQM sources lack: 零 holding an empty place, and a last digit spoken short.
    spoken = (("一千零五", 1005), ("三百零二", 302), ("一万零五百", 10500), ("一万二", 12000), ("三千五", 3500),
              ("两万五", 25000), ("一百二", 120), ("一亿二", 1.2e8))
    row("零 and short spoken forms", len(spoken),
        *(f"{sum(integer(t) == v for t, v in spoken)}/{len(spoken)}" for integer in (numerals._zh_integer, cn2an_integer)))
    pieces = mqm_numerals(shared)
    total = sum(pieces.values())
    agree = Counter()
    differ = []
    times = [0.0, 0.0]
    for piece, n in pieces.items():
        (ours, t_ours), (theirs, t_theirs) = timed(lambda: numerals._zh_integer(piece)), timed(lambda: cn2an_integer(piece))
        times[0] += t_ours
        times[1] += t_theirs
        if ours == theirs:
            agree["same"] += n
        else:
            differ.append((n, piece, ours, theirs))
            agree["cn2an refuses" if theirs is None else "current refuses" if ours is None else "values differ"] += n
    row("MQM sources: numeral pieces (occurrences)", total, f"same value {agree['same']}, refuses "
        f"{agree['current refuses']}", f"same value {agree['same']}, refuses {agree['cn2an refuses']}, "
        f"other value {agree['values differ']}")
    row("time, distinct pieces", len(pieces), f"{times[0] * 1000:.1f} ms", f"{times[1] * 1000:.1f} ms")
    figures = [number_check_figures(shared, f) for f in (numerals._zh_integer, cn2an_integer)]
    row("number check on mqm2021: flagged mqm=0 / mqm>=5 / garbled", "",
        *(" / ".join(shares) + f" ({s:.1f} s)" for shares, s in figures))
    row("tests/test_checks.py", "", run_tests("current", "tests/test_checks.py", "-k", "number or quantities"),
        run_tests("cn2an", "tests/test_checks.py", "-k", "number or quantities"))
    row("import", "", "0", import_seconds("cn2an"))
    print("\nPieces read differently (occurrences, piece, current, cn2an):")
    for n, piece, ours, theirs in sorted(differ, reverse=True)[:15]:
        print(f"- {n} {piece} {ours} {theirs}")


# --- English sentence splitting -----------------------------------------------------------------

_PYSBD: list = []


def pysbd_split_line(text: str, lang: str, lo: int, hi: int, max_chars: int, out: list) -> None:
    """sentences._split_line with pysbd cutting the non-Chinese lines; line breaks still end a
    sentence and pieces are stripped and capped as now (sentences._emit)."""
    from align import sentences

    if lang == "zh":
        return current_split_line(text, lang, lo, hi, max_chars, out)
    if not _PYSBD:
        import pysbd

        _PYSBD.append(pysbd.Segmenter(language="en", clean=False, char_span=True))
    line = text[lo:hi]
    if not line.strip():
        return None
    for span in _PYSBD[0].segment(line):
        sentences._emit(text, lo + span.start, lo + span.end, max_chars, out)
    return None


def _gold_boundaries(lines: list[str]) -> tuple[str, set[int]]:
    """The gold's English sentences joined into one paragraph, and where each sentence ends."""
    ends, pos = set(), 0
    for line in lines:
        pos += len(line)
        ends.add(pos)
        pos += 1
    return " ".join(lines), ends


def compare_sentences(shared: Path) -> None:
    from align import sentences

    header("English sentence splitting", "inputs", "cases", "current (rules)", "pysbd")
    splitters = (current_split_line, pysbd_split_line)

    def spans(split_line, text: str) -> list:
        saved, sentences._split_line = sentences._split_line, split_line
        try:
            return sentences.split_spans(text, "en")
        finally:
            sentences._split_line = saved

    english = [p for p in SEEDS if p.name[:3] in ("000", "004")]
    reference = {p: spans(current_split_line, p.read_text(encoding="utf-8")) for p in english}
    cells = []
    for split_line in splitters:
        same = sum(spans(split_line, p.read_text(encoding="utf-8")) == reference[p] for p in english)
        cells.append(f"{same}/{len(english)} identical offsets")
    row("English seeds (000, 004)", len(english), *cells)
    golds = []
    for path in sorted((shared / "eval" / "align").glob("*/en/*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        golds.append(_gold_boundaries(lines))
    cells = []
    for split_line in splitters:
        tp = fp = fn = 0
        seconds = 0.0
        for text, ends in golds:
            found, s = timed(lambda: {span.end for span in spans(split_line, text)})
            seconds += s
            tp += len(found & ends)
            fp += len(found - ends)
            fn += len(ends - found)
        p, r = tp / (tp + fp), tp / (tp + fn)
        cells.append(f"P {p:.3f} R {r:.3f} F1 {2 * p * r / (p + r):.3f}, {seconds:.2f} s")
    row("alignment gold en, sentence ends (joined into paragraphs)", sum(len(e) for _, e in golds), *cells)
    row("tests/test_sentences.py", "", run_tests("current", "tests/test_sentences.py"),
        run_tests("pysbd", "tests/test_sentences.py"))
    row("import", "", "0", import_seconds("pysbd"))


# --- the swaps, when pytest loads this file as a plugin (run_tests) ----------------------------

def pytest_configure(config) -> None:
    swap = os.environ.get(SWAP_ENV, "current")
    from align import documents, sentences
    from align.documents import langid, reading
    from align.quality import numerals

    if swap in ("charset-alone", "charset-last"):
        reading.decode_text = charset_alone if swap == "charset-alone" else charset_last
    elif swap in ("lxml", "selectolax"):
        reading.html_to_text = documents.html_to_text = lxml_to_text if swap == "lxml" else selectolax_to_text
    elif swap == "lingua":
        langid.detect_language = documents.detect_language = lingua_detect
    elif swap == "cn2an":
        numerals._zh_integer = cn2an_integer
    elif swap == "pysbd":
        sentences._split_line = pysbd_split_line


SECTIONS = ("encoding", "html", "langid", "numerals", "sentences")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("shared", type=Path, help="the shared folder (seeds/, eval/align, eval/qe)")
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections")
    args = parser.parse_args()
    chosen = args.only.split(",")
    print("Candidates: " + ", ".join(version(d) for d in ("charset-normalizer", "lxml", "selectolax",
                                                         "lingua-language-detector", "cn2an", "pysbd")))
    if "encoding" in chosen:
        compare_encoding()
    if "html" in chosen:
        compare_html(args.shared)
    if "langid" in chosen:
        compare_langid(args.shared)
    if "numerals" in chosen:
        compare_numerals(args.shared)
    if "sentences" in chosen:
        compare_sentences(args.shared)


if __name__ == "__main__":
    main()
