"""Hostile input and damaged state, as a hostile user would try them, face by face.

Every case runs the installed ``align`` as a user does (a subprocess in a folder of its
own) and asserts: the exit status; for a refusal, exactly one line on stderr naming the
file and the problem; no traceback; bounded time and peak memory (``wait4``'s maxrss);
and that nothing outside the output path was written (the whole case folder is
snapshotted before and after; the per-user cache is the tool's own and not counted).
Refusals happen before any model loads, so they take a fraction of a second; the cases
that run the whole pipeline use small cuts of the seeds and are marked ``slow``.
"""
from __future__ import annotations

import asyncio
import gzip
import io
import json
import os
import pty
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
import zipfile
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from report_fixtures import make_report

from align.report.schema import dumps_report
from align.review.items import items_from_report
from align.review.store import ReviewStore

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "fixtures" / "seeds"
ALIGN = str(Path(sys.executable).with_name("align"))

REFUSAL_SECONDS = 20.0  # a refusal takes ~0.4 s; the bound leaves room for a loaded machine
REFUSAL_MB = 300
REPORT_SECONDS = 120.0  # a whole report on the small cuts: 1.5-3 s with the caches warm
REPORT_MB = 2500

ESC_TEXT = "\x1b[2J\x1b]0;pwned\x07\x9b31m\u202eevil\u202c "
# Names that crash, lie or inject: undecodable bytes, rich markup, an RTL override that makes
# "zh\u202etxt.exe" read as "zhexe.txt", a zero-width space, a control sequence.
HOSTILE_NAMES = [b"zh\xff\xfe.txt", "zh[reverse]x.txt".encode(), "zh\u202etxt.exe".encode(),
                 "zh\u200b.txt".encode(), b"zh\x1b[31m.txt"]
SHOWN_NAMES = ["zh\\xff\\xfe.txt", "zh[reverse]x.txt", "zh\\u202etxt.exe", "zh\\u200b.txt", "zh\\x1b[31m.txt"]


def _cut(seed: str, chars: int) -> str:
    return next(SEEDS.glob(f"{seed}_*.txt")).read_text(encoding="utf-8")[:chars]


EN_TEXT = _cut("000", 700)  # three sentences and a half of the machine-translated English
ZH_TEXT = _cut("002", 300)  # the opening of the traditional-script source


# --- running align as a user does --------------------------------------------------------------

@dataclass
class Run:
    code: int
    stdout: bytes
    stderr: str
    seconds: float
    rss_mb: float

    @property
    def lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


# Peak memory must be the command's own: a child forked straight from pytest starts with pytest's
# resident size as its maxrss (fork copies it, exec keeps it), so a small launcher runs the command
# and reports its child's maxrss (RUSAGE_CHILDREN) and exit status.
_LAUNCHER = """
import os, resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
with open(sys.argv[1], "w") as out:
    out.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(128 - code if code < 0 else code)
"""


def run_align(*args: str | bytes, cwd: Path, timeout: float = REFUSAL_SECONDS, env: dict | None = None,
              stdin=subprocess.DEVNULL, close_stdout_after: int | None = None) -> Run:
    """Run ``align ARGS`` in ``cwd``; kill it past ``timeout``."""
    fd, rss_file = tempfile.mkstemp(prefix="align-rss-")  # outside the case folder
    os.close(fd)
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-I", "-S", "-c", _LAUNCHER, rss_file, ALIGN, *args], cwd=cwd,
                            stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, **(env or {})}, start_new_session=True)
    out: list[bytes] = []
    err: list[bytes] = []

    def read_out() -> None:
        if close_stdout_after is None:
            out.append(proc.stdout.read())
        else:  # a reader that goes away early, like `| head -c N`
            out.append(proc.stdout.read(close_stdout_after))
            proc.stdout.close()

    readers = [threading.Thread(target=read_out), threading.Thread(target=lambda: err.append(proc.stderr.read()))]
    for t in readers:
        t.start()
    killer = threading.Timer(timeout, lambda: os.killpg(proc.pid, signal.SIGKILL))
    killer.start()
    try:
        proc.wait()
    finally:
        killer.cancel()
    for t in readers:
        t.join()
    seconds = time.monotonic() - start
    rss = Path(rss_file).read_text()
    os.unlink(rss_file)
    assert seconds < timeout and rss, f"align {args} ran past {timeout} s and was killed"
    return Run(proc.returncode, b"".join(out), b"".join(err).decode("utf-8", "backslashreplace"),
               seconds, int(rss) / 1024)


def snapshot(root: Path) -> dict[str, tuple]:
    """Every entry under ``root`` (links not followed): kind, size, mtime, link target."""
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            target = os.readlink(path) if os.path.islink(path) else None
            found[os.path.relpath(path, root)] = (info.st_mode, info.st_size, info.st_mtime_ns, target)
    return found


def changed(before: dict, after: dict) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def assert_refused(run: Run, name: str, says: str, code: int = 1) -> None:
    """Exit status ``code``, one line on stderr naming the file and the problem, nothing on stdout."""
    assert "Traceback" not in run.stderr, run.stderr
    assert run.code == code, (run.code, run.stderr)
    assert len(run.lines) == 1, run.stderr
    assert name in run.lines[0] and says in run.lines[0], run.lines[0]
    assert run.stdout == b"", run.stdout[:200]
    assert run.seconds < REFUSAL_SECONDS and run.rss_mb < REFUSAL_MB, (run.seconds, run.rss_mb)


def assert_clean_output(data: bytes) -> None:
    """Valid UTF-8 with nothing a terminal acts on: no ESC, no C1 control, no bidi override."""
    text = data.decode("utf-8")  # raises on undecodable bytes
    for bad in ("\x1b", "\x07", "\x9b", "\u202e", "\u202c"):
        assert bad not in text, (bad, text[max(0, text.find(bad) - 80):text.find(bad) + 80])


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A case folder with the small English and Chinese inputs."""
    (tmp_path / "en.txt").write_text(EN_TEXT, encoding="utf-8")
    (tmp_path / "zh.txt").write_text(ZH_TEXT, encoding="utf-8")
    return tmp_path


# --- face: align report, the reading gate (each bad input as the English and as a source) ---------

def _big_sparse(path: Path) -> None:
    with open(path, "wb") as handle:
        handle.truncate(17 * 1024 * 1024)  # sparse: costs no disk


def _zip_bomb(path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("article.txt", b"0" * (64 << 20))  # 64 MB of zeros in ~60 KB
    path.write_bytes(buf.getvalue())


def _sqlite_file(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE t (x)")


def _loop(path: Path) -> None:
    os.symlink(path.name, path)


GATE = {
    # case: (file name, how to make it, what the line says)
    "missing": ("nope.txt", None, "no such file"),
    "directory": ("folder.txt", lambda p: p.mkdir(), "is a directory"),
    "fifo": ("pipe.txt", lambda p: os.mkfifo(p), "is a named pipe (FIFO), not a regular file"),
    "dev-zero": ("/dev/zero", None, "is a device, not a regular file"),
    "dev-urandom": ("/dev/urandom", None, "is a device, not a regular file"),
    "symlink-loop": ("loop.txt", _loop, "symbolic link in a loop"),
    "broken-symlink": ("dangling.txt", lambda p: os.symlink("gone.txt", p), "broken symbolic link"),
    "empty": ("empty.txt", lambda p: p.write_bytes(b""), "the file is empty"),
    "whitespace": ("blank.txt", lambda p: p.write_bytes(b" \n\t\r\n \xe3\x80\x80\n"), "only whitespace"),
    "over-size-limit": ("big.txt", _big_sparse, "is 17.0 MB; align reads files up to 16.0 MB"),
    "random-bytes": ("noise.txt", lambda p: p.write_bytes(random.Random(1).randbytes(20000)), "binary file"),
    "zip-bomb-named-txt": ("bomb.txt", _zip_bomb, "is a ZIP archive"),
    "gzip-named-txt": ("page.txt", lambda p: p.write_bytes(gzip.compress(EN_TEXT.encode() * 50)), "gzip archive"),
    "png-named-txt": ("photo.txt", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200)), "PNG image"),
    "sqlite-named-txt": ("data.txt", _sqlite_file, "SQLite database"),
    "huge-single-line": ("line.txt", lambda p: p.write_text("word " * 400_000), "without a sentence end"),
    "no-known-encoding": ("legacy.txt", lambda p: p.write_bytes(bytes(random.Random(2).choices(range(0x80, 0x100),
                                                                                               k=3000))),
                          "cannot tell the text encoding"),
    "html-without-text": ("page.html", lambda p: p.write_text("<html><head><script>var a=1;</script></head>"
                                                              "<body><div> </div></body></html>"),
                          "the HTML page contains no text"),
}


@pytest.mark.parametrize("role", ["en", "zh"])
@pytest.mark.parametrize("case", sorted(GATE))
def test_report_refuses_bad_input(work: Path, case: str, role: str) -> None:
    name, make, says = GATE[case]
    if make is not None:
        make(work / name)
    args = [name, "zh.txt"] if role == "en" else ["en.txt", name]
    before = snapshot(work)
    run = run_align("report", *args, cwd=work)
    assert_refused(run, name, says)
    assert not changed(before, snapshot(work))


def test_report_refuses_over_a_lowered_limit(work: Path) -> None:
    run = run_align("report", "en.txt", "zh.txt", cwd=work, env={"ALIGN_MAX_BYTES": "500"})
    assert_refused(run, "en.txt", "align reads files up to 500 bytes")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_report_refuses_unreadable_file(work: Path) -> None:
    (work / "en.txt").chmod(0)
    assert_refused(run_align("report", "en.txt", "zh.txt", cwd=work), "en.txt", "permission denied")


def test_report_refuses_the_languages_swapped(work: Path) -> None:
    assert_refused(run_align("report", "zh.txt", "en.txt", cwd=work), "zh.txt", "is Chinese")
    assert_refused(run_align("report", "en.txt", "en.txt", cwd=work), "en.txt", "is English")


# --- face: CLI messages --------------------------------------------------------------------------

def test_message_shows_a_hostile_name_escaped(work: Path) -> None:
    run = run_align("report", b"\xff\x1b[2J" + "\u202e".encode() + b".txt", "zh.txt", cwd=work)
    assert_refused(run, "\\xff\\x1b[2J\\u202e.txt", "no such file")
    assert "\x1b" not in run.stderr


def test_usage_error_with_escape_in_a_value(work: Path) -> None:
    run = run_align("report", "--format", "\x1b]0;x\x07", "en.txt", "zh.txt", cwd=work)
    assert run.code == 2 and "Traceback" not in run.stderr
    assert "\x1b" not in run.stderr and "\x07" not in run.stderr and "\\x1b]0;x\\x07" in run.stderr


def test_out_into_a_missing_folder_or_a_folder(work: Path) -> None:
    assert_refused(run_align("report", "en.txt", "zh.txt", "--out", "no/such/out.json", cwd=work),
                   "no/such/out.json", "does not exist")
    run = run_align("report", "en.txt", "zh.txt", "--out", ".", cwd=work)
    assert run.code == 2 and "Traceback" not in run.stderr and "is a directory" in run.stderr


# --- face: report outputs on hostile text and names (the whole pipeline) --------------------------

def _hostile_inputs(work: Path) -> list[bytes]:
    """The English with escape sequences, C1 and bidi controls; the source under five hostile names."""
    (work / "en.txt").write_text(ESC_TEXT + EN_TEXT, encoding="utf-8")
    names = []
    for name in HOSTILE_NAMES:
        path = os.path.join(os.fsencode(work), name)
        with open(path, "wb") as handle:
            handle.write(ZH_TEXT.encode("utf-8"))
        names.append(name)
    return names


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory) -> tuple[Path, Run, list[bytes]]:
    """One whole run of ``align report --format json --out`` on the hostile English and names."""
    work = tmp_path_factory.mktemp("hostile")
    (work / "out").mkdir()
    names = _hostile_inputs(work)
    before = snapshot(work)
    run = run_align("report", "en.txt", *names, "--format", "json", "--out", "out/report.json", cwd=work,
                    timeout=REPORT_SECONDS)
    assert changed(before, snapshot(work)) <= {"out", "out/report.json"}
    return work, run, names


CONTROLS_WARNING = ("align: warning: en.txt: 4 control characters (BEL, ESC, U+009B; first at line 1, column 1), "
                    "shown as symbols in reports")


@pytest.mark.slow
def test_report_json_keeps_hostile_data_exact_and_safe(hostile_report) -> None:
    work, run, names = hostile_report
    assert run.code == 0 and "Traceback" not in run.stderr, run.stderr
    assert run.seconds < REPORT_SECONDS and run.rss_mb < REPORT_MB, (run.seconds, run.rss_mb)
    assert run.lines == [CONTROLS_WARNING]  # the one line: named and located
    data = (work / "out" / "report.json").read_bytes()
    assert_clean_output(data)
    report = json.loads(data)
    # The exact data: the names come back as the bytes on disk, the text as it was.
    assert [os.fsencode(s["path"]) for s in report["sources"]] == names
    assert report["english"]["text"].startswith(ESC_TEXT)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["tsv", "markdown", "html", "tmx"])
def test_report_files_neutralise_hostile_text_and_names(hostile_report, fmt: str) -> None:
    """The other formats, rendered by the function `align report --format FMT` prints, from that run."""
    from align.report import load_report, render

    work, _, _ = hostile_report
    text = render(load_report(str(work / "out" / "report.json")), fmt)
    assert_clean_output(text.encode("utf-8"))
    if fmt == "tmx":
        root = ET.fromstring(text.split("\n", 2)[2])  # well-formed XML, past the DOCTYPE line
        shown = {p.text for p in root.iter("prop") if p.get("type") == "x-source"}
        assert shown and shown <= set(SHOWN_NAMES)
        return
    assert "␛" in text and "pwned␇" in text  # the sequence is shown, not obeyed
    if fmt == "tsv":
        return  # the TSV names only the sources that have pairs
    for shown in SHOWN_NAMES:
        expected = shown.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]") if fmt == "markdown" else shown
        assert expected in text, (shown, fmt)
    if fmt == "html":
        assert "<script" not in text


@pytest.mark.slow
def test_report_in_a_terminal_neutralises_hostile_text_and_names(hostile_report) -> None:
    work, _, names = hostile_report
    run = run_align("report", "en.txt", *names, cwd=work, timeout=REPORT_SECONDS, env={"COLUMNS": "200"})
    assert run.code == 0 and run.lines == [CONTROLS_WARNING], run.stderr
    assert_clean_output(run.stdout)
    text = run.stdout.decode()
    assert "␛[2J␛]" in text and all(shown in text for shown in SHOWN_NAMES)  # markup shown, not obeyed


def test_output_into_a_closed_pipe_stops_quietly(work: Path) -> None:
    (work / "long.txt").write_text(EN_TEXT * 20, encoding="utf-8")
    run = run_align("ingest", "long.txt", "--sentences", cwd=work, close_stdout_after=10)
    assert "Traceback" not in run.stderr and run.lines == [], run.stderr
    assert run.code in (0, 1, 141)


def _ingest_json(work: Path, name: str) -> tuple[Run, dict]:
    run = run_align("ingest", name, "--format", "json", cwd=work)
    assert run.code == 0 and "Traceback" not in run.stderr, run.stderr
    assert run.seconds < REFUSAL_SECONDS and run.rss_mb < REFUSAL_MB, (run.seconds, run.rss_mb)
    return run, json.loads(run.stdout)[0]


@pytest.mark.parametrize("role", ["en", "zh"])
def test_mostly_valid_utf8_is_read_as_utf8_with_the_bad_bytes_reported(work: Path, role: str) -> None:
    if role == "en":  # a stray byte in English with curly quotes (UTF-8)
        damaged = "“Quoted” – ".encode() + EN_TEXT.encode()[:120] + b"\xff" + EN_TEXT.encode()[120:]
        name, where = "en.txt", "1 byte not valid UTF-8 at byte offset 137 (line 1), shown as U+FFFD"
    else:  # the Chinese cut in the middle of its last character
        damaged = ZH_TEXT.rstrip(",").encode()[:-1]
        name, where = "zh.txt", "the file ends in the middle of a character (cut short?)"
    (work / name).write_bytes(damaged)
    run, doc = _ingest_json(work, name)
    assert len(run.lines) == 1 and run.lines[0].startswith(f"align: warning: {name}: ")
    assert "not valid UTF-8" in run.lines[0] and where in run.lines[0], run.lines[0]
    assert doc["encoding"] == "utf-8" and doc["problems"] == [run.lines[0].split(f"{name}: ", 1)[1]]


@pytest.mark.parametrize("role", ["en", "zh"])
def test_a_nul_byte_does_not_make_a_text_binary(work: Path, role: str) -> None:
    name = "en.txt" if role == "en" else "zh.txt"
    good = (work / name).read_bytes()
    cut = good.index(b"\xe3", 100) if role == "zh" else 300  # at a character boundary
    (work / name).write_bytes(good[:cut] + b"\x00" + good[cut:])
    run, doc = _ingest_json(work, name)
    assert len(run.lines) == 1 and f"{name}: 1 control character (NUL; first at line" in run.lines[0]
    assert doc["language"] == role and doc["encoding"] == "utf-8"
    assert_clean_output(run.stdout)


def test_deeply_nested_html(work: Path) -> None:
    depth = 100_000
    page = "<html><body>" + "<div>" * depth + f"<p>{EN_TEXT}</p>" + "</div>" * depth + "</body></html>"
    (work / "en.html").write_text(page, encoding="utf-8")
    run, doc = _ingest_json(work, "en.html")
    assert run.lines == [] and doc["html"] and doc["language"] == "en"


def test_billion_laughs_entity_is_not_expanded(work: Path) -> None:
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    page = (f'<!DOCTYPE html [<!ENTITY lol0 "lol">{entities}]><html><body>'
            f"<p>&lol9;</p><p>{EN_TEXT}</p></body></html>")
    (work / "en.html").write_text(page, encoding="utf-8")
    run, doc = _ingest_json(work, "en.html")
    assert b"lollol" not in run.stdout and doc["chars"] < 2 * len(page)
    assert not doc["removed"] and "]>" not in doc["sentences"][0]["text"]  # the subset is no text


# --- the other commands through the same gate ----------------------------------------------------

def test_ingest_refuses_a_fifo(work: Path) -> None:
    os.mkfifo(work / "pipe.txt")
    assert_refused(run_align("ingest", "pipe.txt", cwd=work), "pipe.txt", "named pipe")


def test_ingest_shows_escape_sequences_visibly(work: Path) -> None:
    (work / "en.txt").write_text(ESC_TEXT + EN_TEXT, encoding="utf-8")
    for fmt in ("text", "json"):
        run = run_align("ingest", "en.txt", "--sentences", "--format", fmt, cwd=work)
        assert run.code == 0 and "Traceback" not in run.stderr
        assert len(run.lines) == 1 and "en.txt: 4 control characters" in run.lines[0]
        assert_clean_output(run.stdout)
    assert json.loads(run.stdout)[0]["sentences"][0]["text"].startswith(ESC_TEXT.strip())


def test_align_and_rank_refuse_devices_and_pipes(work: Path) -> None:
    os.mkfifo(work / "pipe.txt")
    assert_refused(run_align("align", "zh.txt", "pipe.txt", cwd=work), "pipe.txt", "named pipe")
    assert_refused(run_align("rank", "en.txt", "/dev/zero", cwd=work), "/dev/zero", "is a device")


def test_score_refuses_devices_and_pipes(work: Path) -> None:
    os.mkfifo(work / "pairs.tsv")
    assert_refused(run_align("score", "pairs.tsv", cwd=work), "pairs.tsv", "named pipe")
    assert_refused(run_align("score", "/dev/urandom", cwd=work), "/dev/urandom", "is a device")
    with open("/dev/zero", "rb") as zero:  # an endless standard input is read only up to the limit
        assert_refused(run_align("score", cwd=work, stdin=zero, env={"ALIGN_MAX_BYTES": "1000000"}),
                       "standard input", "over 1,000,000 bytes")


def test_regress_refuses_a_fixture_whose_expect_is_a_fifo(work: Path) -> None:
    fixture = work / "fx"
    fixture.mkdir()
    os.mkfifo(fixture / "expect.json")
    run = run_align("regress", "fx", cwd=work)
    assert run.code == 1 and "Traceback" not in run.stderr
    assert b"expect.json: is a named pipe" in run.stdout


# --- face: align review, its JSON report, its store and its export --------------------------------

def _store(folder: Path) -> Path:
    """Where `align review folder/report.json` keeps its store by default (the per-user data dir)."""
    from align.report.schema import load_report
    from align.review.store import store_path_for

    report = load_report(str(folder / "report.json"))
    return store_path_for(report.en.name, [doc.name for doc in report.sources])


@pytest.fixture
def reviewed(tmp_path: Path) -> Path:
    """A JSON report (hand-built, no encoder) with its inputs, and a store holding two decisions."""
    folder = tmp_path / "in"
    folder.mkdir()
    base = make_report()
    docs = [replace(d, path=str(folder / Path(d.path).name)) for d in [base.en, *base.sources]]
    report = replace(base, en=docs[0], sources=docs[1:])
    for doc in docs:
        Path(doc.path).write_text(doc.text, encoding="utf-8")
    (folder / "report.json").write_text(dumps_report(report), encoding="utf-8")
    items = items_from_report(report)
    _store(folder).parent.mkdir(parents=True, exist_ok=True)
    with ReviewStore(_store(folder)) as store:
        store.begin_session(report.signature, "test", [(i.key, i.source_name, i.pair.en_text, i.pair.zh_text)
                                                       for i in items])
        store.accept(items[0].key)
        store.mark_garbled(items[1].key, "major")
    return folder


JSON_REPORTS = {
    "not-json": (b"{'schema': nope", "not JSON"),
    "nested-too-deeply": (b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
    "another-schema": (b'{"schema": "align-report/99"}', "not an align-report/1 report"),
    "not-utf8": (b'{"schema": "\xff\xfe"}', "not UTF-8"),
    "wrong-shapes": (b'{"schema": "align-report/1", "english": [], "sources": 5}', "malformed"),
}


@pytest.mark.parametrize("case", sorted(JSON_REPORTS))
def test_review_refuses_a_bad_json_report(tmp_path: Path, case: str) -> None:
    data, says = JSON_REPORTS[case]
    (tmp_path / "r.json").write_bytes(data)
    before = snapshot(tmp_path)
    assert_refused(run_align("review", "r.json", "--export", "fx", cwd=tmp_path), "r.json", says)
    assert not changed(before, snapshot(tmp_path))


def test_review_refuses_a_fifo_as_json_report(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "r.json")
    assert_refused(run_align("review", "r.json", "--export", "fx", cwd=tmp_path), "r.json", "named pipe")


def _scribbled(path: Path) -> None:
    """A real store with garbage written over its pages after the header."""
    with ReviewStore(path) as store:
        store.begin_session("sig", "test", [("k", "zh.txt", "en", "zh")])
        for _ in range(50):
            store.add_note("k", "x" * 500)
    data = bytearray(path.read_bytes())
    data[100:] = random.Random(3).randbytes(len(data) - 100)
    path.write_bytes(bytes(data))


def _unrelated(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
        db.execute("INSERT INTO invoices (amount) VALUES (12.5)")


def _old_layout(path: Path) -> None:
    """A store from before undo and the cursor existed: no meta, no undoes, no cursor_key."""
    with closing(sqlite3.connect(path)) as db:
        db.executescript("""
            CREATE TABLE sessions (id INTEGER PRIMARY KEY, started REAL, updated REAL, signature TEXT,
                                   report TEXT, pairs INTEGER);
            CREATE TABLE events (id INTEGER PRIMARY KEY, session INTEGER, at REAL, pair_key TEXT,
                                 action TEXT, severity TEXT, flag TEXT, detail TEXT);
            INSERT INTO sessions VALUES (1, 0, 0, 'sig', 'r', 1);
            INSERT INTO events VALUES (1, 1, 0, 'k', 'accept', NULL, NULL, NULL);
        """)


def _future_schema(path: Path) -> None:
    with ReviewStore(path):
        pass
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("UPDATE meta SET value='3' WHERE key='schema'")


STORES = {
    "text-file": (lambda p: p.write_text("decisions: none\n" * 100), "is not a review store (not an SQLite database)"),
    "scribbled-pages": (_scribbled, "is damaged"),
    "unrelated-sqlite": (_unrelated, "is an SQLite database of another program (tables: invoices)"),
    "old-layout": (_old_layout, "older layout (its sessions table has no cursor_key, cursor_index columns)"),
    "future-schema": (_future_schema, "is a review store of schema 3; this align reads schema 2"),
    "fifo": (lambda p: os.mkfifo(p), "is not a regular file"),
}


@pytest.mark.parametrize("case", sorted(STORES))
def test_review_store_is_checked_before_anything_is_written(reviewed: Path, case: str) -> None:
    make, says = STORES[case]
    store = reviewed / "other.sqlite"
    make(store)
    before = snapshot(reviewed.parent)
    run = run_align("review", "report.json", "--store", "other.sqlite", "--export", "fx", cwd=reviewed)
    assert_refused(run, "other.sqlite", says)
    assert not changed(before, snapshot(reviewed.parent))  # not one byte written into it


def test_review_store_that_is_a_folder(reviewed: Path) -> None:
    (reviewed / "other.sqlite").mkdir()
    run = run_align("review", "report.json", "--store", "other.sqlite", "--export", "fx", cwd=reviewed)
    assert run.code == 2 and "Traceback" not in run.stderr  # bad usage: click's own check of --store
    assert run.lines[-1] == "Error: Invalid value for '--store': File 'other.sqlite' is a directory."


def test_dashboard_refuses_a_damaged_store_in_a_terminal(reviewed: Path) -> None:
    """The dashboard's own path (it needs a terminal): one line, no traceback, the store untouched."""
    _scribbled(reviewed / "bad.sqlite")
    before = snapshot(reviewed)
    main, child = pty.openpty()
    proc = subprocess.Popen([ALIGN, "review", "report.json", "--store", "bad.sqlite"], cwd=reviewed,
                            stdin=child, stdout=child, stderr=subprocess.PIPE)
    os.close(child)
    try:
        _, stderr = proc.communicate(timeout=REFUSAL_SECONDS)
    finally:
        proc.kill()
        os.close(main)
    lines = stderr.decode().splitlines()
    assert proc.returncode == 1 and len(lines) == 1 and "bad.sqlite: is damaged" in lines[0], stderr
    assert not changed(before, snapshot(reviewed))


def test_two_dashboards_undoing_at_once_never_undo_one_decision_twice(reviewed: Path) -> None:
    path = _store(reviewed)
    first, second = ReviewStore(path), ReviewStore(path)
    for store in (first, second):
        store.begin_session("sig", "test", [])
    undone = [first.undo(), second.undo()]  # both loaded the same log before either undid
    assert [e.action for e in undone] == ["garbled", "accepted"]  # the second undid the next decision
    assert first.undo() is None and second.undo() is None
    first.close()
    second.close()
    with ReviewStore(path) as again:
        assert again.states() == {}


_WRITER = """
import sys
from align.review.store import ReviewStore
store = ReviewStore(sys.argv[1])
store.begin_session("sig", "writer", [])
for n in range(int(sys.argv[2])):
    store.add_note(f"{sys.argv[3]}-{n}", "note")
    print(n, flush=True)
"""


def test_concurrent_writers_lose_nothing(reviewed: Path) -> None:
    path = _store(reviewed)
    writers = [subprocess.Popen([sys.executable, "-c", _WRITER, str(path), "40", name], stdout=subprocess.PIPE)
               for name in ("a", "b")]
    for w in writers:
        w.communicate(timeout=60)
        assert w.returncode == 0
    with ReviewStore(path) as store:
        keys = {e.pair_key for e in store.events()}
    assert {f"{w}-{n}" for w in "ab" for n in range(40)} <= keys


def test_kill_9_mid_review_loses_no_committed_decision(reviewed: Path) -> None:
    path = _store(reviewed)
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(path), "100000", "k"], stdout=subprocess.PIPE)
    acknowledged = [int(writer.stdout.readline()) for _ in range(30)]
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    with ReviewStore(path) as store:  # opens: quick_check passes after the crash
        keys = {e.pair_key for e in store.events()}
    assert {f"k-{n}" for n in acknowledged} <= keys


def test_dashboard_shows_hostile_text_visibly(reviewed: Path) -> None:
    from textual.widgets import Static

    from align.review.dashboard.app import ReviewApp

    base = make_report()
    pair = replace(base.pairs[0], en_text=ESC_TEXT + base.pairs[0].en_text)
    report = replace(base, pairs=[pair, *base.pairs[1:]], multi=replace(base.multi, names=["zh[reverse]\x1b.txt",
                                                                                          base.multi.names[1]]))
    items = items_from_report(report)
    shown: dict[str, str] = {}
    with ReviewStore(reviewed / "pilot.sqlite") as store:
        store.begin_session(report.signature, "t", [(i.key, i.source_name, i.pair.en_text, i.pair.zh_text)
                                                    for i in items])
        app = ReviewApp(items, store, heading="zh[reverse]\x1b.txt")

        async def main() -> None:
            async with app.run_test(size=(150, 40)) as pilot:
                await pilot.pause()
                shown["en"] = str(app.query_one("#en-text", Static).render())
                shown["summary"] = str(app.query_one("#summary", Static).render())

        asyncio.run(main())
    assert "␛[2J␛]0;pwned␇" in shown["en"] and "\x1b" not in shown["en"] and "\u202e" not in shown["en"]
    assert "zh[reverse]\\x1b.txt" in shown["summary"]


EXPORTS = {
    "expect-json-is-a-link": ("fx/expect.json: is a symbolic link",
                              lambda fx, outside: (fx.mkdir(), (fx / "expect.json").symlink_to(outside))),
    "text-file-is-a-link": ("fx/en.txt: is a symbolic link",
                            lambda fx, outside: (fx.mkdir(), (fx / "expect.json").write_text("{}"),
                                                 (fx / "en.txt").symlink_to(outside))),
    "folder-is-a-link": ("fx: is a symbolic link", lambda fx, outside: fx.symlink_to(outside.parent)),
    "not-a-fixture-folder": ("fx exists and is not a fixture folder",
                             lambda fx, outside: (fx.mkdir(), (fx / "notes.txt").write_text("mine"))),
}


@pytest.mark.parametrize("case", sorted(EXPORTS))
def test_export_writes_only_inside_the_folder(reviewed: Path, case: str) -> None:
    says, make = EXPORTS[case]
    outside = reviewed.parent / "elsewhere" / "precious.txt"
    outside.parent.mkdir()
    outside.write_text("do not overwrite")
    make(reviewed / "fx", outside)
    before = snapshot(reviewed.parent)
    run = run_align("review", "report.json", "--export", "fx", cwd=reviewed)
    assert_refused(run, "fx", says)
    assert not changed(before, snapshot(reviewed.parent)) and outside.read_text() == "do not overwrite"


@pytest.mark.parametrize(("target", "says", "code"), [
    ("", "--export needs a folder name", 1),
    ("report.json/sub", "a part of the path is a file, not a folder", 1),
    ("/sys/align-export", "cannot be created", 1),
])
def test_export_to_an_impossible_target(reviewed: Path, target: str, says: str, code: int) -> None:
    if target.startswith("/sys") and (not os.path.isdir("/sys") or os.access("/sys", os.W_OK) and os.geteuid()):
        pytest.skip("needs a read-only /sys")
    before = snapshot(reviewed)
    run = run_align("review", "report.json", "--export", target, cwd=reviewed)
    assert_refused(run, target or "--export", says, code)
    assert not changed(before, snapshot(reviewed))


def test_export_onto_a_file(reviewed: Path) -> None:
    before = snapshot(reviewed)
    run = run_align("review", "report.json", "--export", "report.json", cwd=reviewed)
    assert run.code == 2 and "Traceback" not in run.stderr  # bad usage: click's own check of --export
    assert run.lines[-1] == "Error: Invalid value for '--export': Directory 'report.json' is a file."
    assert not changed(before, snapshot(reviewed))


def test_export_succeeds_atomically_and_only_in_its_folder(reviewed: Path) -> None:
    before = snapshot(reviewed.parent)
    run = run_align("review", "report.json", "--export", "fx", cwd=reviewed)
    assert run.code == 0 and "Traceback" not in run.stderr
    assert run.lines == ["wrote fx/expect.json: 1 aligned, 2 verdicts"]
    assert {p.split("/")[0] for p in changed(before, snapshot(reviewed.parent))} == {"in"}
    assert sorted(p.name for p in (reviewed / "fx").iterdir()) == ["en.txt", "expect.json", "zh.txt", "zh2.html"]
    # Re-exporting replaces each file by rename: no temporary file is left behind.
    run = run_align("review", "report.json", "--export", "fx", cwd=reviewed)
    assert run.code == 0 and not [p for p in (reviewed / "fx").iterdir() if p.name.startswith(".")]
