"""The review store, the fixture export and the dashboard driven by Textual's headless pilot.

The report under review is built by hand (known flags and offsets, no encoder), and its
files are written to disk so the export can copy them. After every step the store is
read back through a separate read-only connection: what the reviewer saw decided must
already be committed.
"""
from __future__ import annotations

import asyncio
import json
import os
import shutil
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from align.cli import cli
from align.errors import InputError
from align.review.dashboard.app import ReviewApp
from align.review.export import anchor, build_expect, export_fixture
from align.review.items import ReviewItem, items_from_report, matches, normalise, pair_key
from align.review.store import SCHEMA_VERSION, Event, PairState, ReviewStore, fold, store_path_for
from align.types import Alignment, Bead, Document, Flag, MultiAlignment, Pair, Quality, Report, Sentence, Span

# (English, Chinese or None for unsupported English, score, flags)
SAMPLE: list[tuple[str, str | None, float | None, tuple[Flag, ...]]] = [
    ("The conference was held by video, with branch venues in every league and city.",
     "会议以视频形式召开，各盟市设分会场。", 88.0, ()),
    ("Sales rose to 4.82 million yuan last year.", "去年销售额增长到48.2亿元。", 41.0,
     (Flag("number", "critical", "48.2亿元 (4.82 billion) rendered as 4.82 million", "en", 14, 26),
      Flag("number", "critical", "48.2亿元 has no faithful rendering", "zh", 8, 14))),
    ("The mayor of Doubletham City praised the creative creative creative love.", "二连浩特市市长表扬了创新热情。", 62.0,
     (Flag("name", "major", "二连浩特 (Erenhot) rendered as Doubletham City", "en", 13, 28),
      Flag("repetition", "minor", "'creative' three times in a row", "en", 41, 66))),
    ("Scientists keep concentrateing on the land.", "科学家们扎根大地。", 75.0,
     (Flag("spelling", "minor", "concentrateing", "en", 16, 30),)),
    ("Sharing let more people see this article.", None, None,
     (Flag("boilerplate", "minor", "a share-widget line, not article text", "en", 0, 0),)),
    ("Thank you all for coming.", "感谢大家参加。", 90.0, ()),
]


def write_sample(folder: Path, sample=SAMPLE, en_name: str = "en.txt", zh_name: str = "zh.txt") -> Report:
    """Write the sample's English and Chinese files into ``folder`` and return its report."""
    folder.mkdir(parents=True, exist_ok=True)
    en_sents, zh_sents, pos_en, pos_zh = [], [], 0, 0
    for en, zh, _, _ in sample:
        en_sents.append(Sentence(len(en_sents), en, pos_en, pos_en + len(en), "en", en))
        pos_en += len(en) + 1
        if zh:
            zh_sents.append(Sentence(len(zh_sents), zh, pos_zh, pos_zh + len(zh), "zh", zh))
            pos_zh += len(zh)
    en_text = " ".join(s.text for s in en_sents)
    zh_text = "".join(s.text for s in zh_sents)
    (folder / en_name).write_text(en_text, encoding="utf-8")
    (folder / zh_name).write_text(zh_text, encoding="utf-8")
    en_doc = Document(str(folder / en_name), en_text, "utf-8", "en", body=[Span(0, len(en_text))])
    zh_doc = Document(str(folder / zh_name), zh_text, "utf-8", "zh", "simplified", body=[Span(0, len(zh_text))])
    beads, pairs, k = [], [], 0
    for j, (en, zh, score, flags) in enumerate(sample):
        zh_idx = (k,) if zh else ()
        k += bool(zh)
        beads.append(Bead(zh_idx, (j,), 0.5, 0.9 if zh else 0.0, 0 if zh else -1))
        zs = zh_sents[zh_idx[0]] if zh else None
        pairs.append(Pair(j, (j,), zh_idx, 0 if zh else -1, en, zh or "",
                          Span(en_sents[j].start, en_sents[j].end), Span(zs.start, zs.end) if zs else None,
                          0.9 if zh else 0.0,
                          Quality(score, any(f.severity != "minor" for f in flags), flags)))
    alignment = Alignment(zh_sents, list(en_sents), list(beads), "parallel", "hand-built", "toy")
    multi = MultiAlignment(list(en_sents), [alignment], [zh_doc.name], [], beads)
    return Report(en_doc, [zh_doc], multi, pairs, "use-m/toy", "align:test|model:toy|mode:parallel|qe:test")


def open_store(path: Path, report: Report) -> tuple[ReviewStore, list[ReviewItem]]:
    items = items_from_report(report)
    store = ReviewStore(path)
    store.begin_session(report.signature, "test", [(i.key, i.source_name, i.pair.en_text, i.pair.zh_text)
                                                   for i in items])
    return store, items


def on_disk(path: Path) -> dict[str, PairState]:
    """Every pair's state as committed to the store file, read through a separate connection."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT id, session, at, pair_key, action, severity, flag, detail, undoes "
                          "FROM events ORDER BY id").fetchall()
    return fold(Event(*row) for row in rows)


def cursor_on_disk(path: Path) -> str | None:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return db.execute("SELECT cursor_key FROM sessions ORDER BY id DESC LIMIT 1").fetchone()[0]


@pytest.fixture
def sample(tmp_path: Path) -> Report:
    return write_sample(tmp_path / "in")


# --- keys --------------------------------------------------------------------------------------

def test_pair_keys_are_stable_and_distinct(sample: Report) -> None:
    items = items_from_report(sample)
    assert len({i.key for i in items}) == len(items)
    assert [i.key for i in items] == [i.key for i in items_from_report(sample)]
    # Re-wrapping the text (whitespace, full-width forms) keeps the key.
    assert pair_key("zh.txt", "Sales  rose\nto 4.82", "去年，") == pair_key("zh.txt", "Sales rose to 4.82", "去年,")
    assert normalise(" a \t b\n") == "a b"
    # The same text twice in one article: two pairs, two keys.
    assert pair_key("zh.txt", "Thanks.", "谢谢。", 0) != pair_key("zh.txt", "Thanks.", "谢谢。", 1)
    assert items[4].source_name == "" and items[1].source_name == "zh.txt"
    assert items[1].en_before == SAMPLE[0][0] and items[1].en_after == SAMPLE[2][0]
    assert items[1].zh_before == SAMPLE[0][1] and items[1].zh_after == SAMPLE[2][1]


def test_filters_match_severity_flag_status_and_search(sample: Report) -> None:
    items = items_from_report(sample)

    def shown(**kw) -> list[int]:
        return [i.pair.index for i in items if matches(i, i.pair.index in (0, 1), **kw)]

    assert shown() == [0, 1, 2, 3, 4, 5]
    assert shown(severity="critical") == [1]
    assert shown(severity="major") == [1, 2]
    assert shown(severity="minor") == [1, 2, 3, 4]
    assert shown(severity="clean") == [0, 5]
    assert shown(flag="repetition") == [2]
    assert shown(status="open") == [2, 3, 4, 5]
    assert shown(status="done") == [0, 1]
    assert shown(query="doubletham") == [2]
    assert shown(query="亿元") == [1]
    assert shown(query="share-widget") == [4]


# --- store -------------------------------------------------------------------------------------

def test_store_is_wal_append_only_and_keeps_every_event(tmp_path: Path, sample: Report) -> None:
    path = tmp_path / "r.review.sqlite"
    store, items = open_store(path, sample)
    a, b = items[0].key, items[1].key
    store.accept(a)
    store.mark_garbled(b, "major")
    store.reject_flag(b, "number", "48.2亿元 ...")
    store.add_note(b, "checked against the paper")
    assert on_disk(path)[b] == PairState("garbled", "major", ["number"], "checked against the paper")
    assert on_disk(path)[a].verdict == "accepted"
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("UPDATE events SET action='garbled'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("DELETE FROM events")
    with pytest.raises(ValueError):
        store.mark_garbled(a, "awful")
    store.close()


def test_undo_is_a_recorded_event_and_goes_back_one_decision_at_a_time(tmp_path: Path, sample: Report) -> None:
    path = tmp_path / "r.review.sqlite"
    store, items = open_store(path, sample)
    a, b = items[0].key, items[1].key
    store.accept(a)
    store.mark_garbled(b, "minor")
    store.mark_garbled(b, "critical")
    undone = store.undo()
    assert undone is not None and undone.severity == "critical"
    assert on_disk(path)[b] == PairState("garbled", "minor")
    assert store.undo().severity == "minor"
    assert b not in on_disk(path)
    # Undo is limited to the pairs asked about: nothing on b is left, a's accept stays.
    assert store.undo(keys={b}) is None
    assert on_disk(path)[a].verdict == "accepted"
    actions = [(e.action, e.undoes) for e in store.events()]
    assert actions == [("accepted", None), ("garbled", None), ("garbled", None), ("undo", 3), ("undo", 2)]
    store.close()
    with ReviewStore(path) as again:
        assert again.state(a).verdict == "accepted" and not again.state(b).reviewed
        assert len(again.events()) == 5


# Written by the align of schema 1 (which spelled the accept action "accept"): one session over
# k1-k3; k1 accepted, k2 garbled (major) with its number flag rejected, a note on k3, k3
# accepted and that undone, the cursor left on k2.
STORE_V1 = Path(__file__).parent / "data" / "review-store-v1.sqlite"
STATES_V1 = {"k1": PairState("accepted"), "k2": PairState("garbled", "major", ["number"]),
             "k3": PairState(note="checked against the paper")}


def test_a_store_of_schema_1_is_migrated_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "old.review.sqlite"
    shutil.copyfile(STORE_V1, path)
    with ReviewStore(path) as store:
        assert store.states() == STATES_V1 and on_disk(path) == STATES_V1
        assert [e.action for e in store.events()] == ["accepted", "garbled", "false_alarm", "note", "accepted", "undo"]
        assert store.events()[-1].undoes == 5 and store.resume_point() == ("k2", 1)
        store.begin_session("sig", "test", [])
        store.accept("k3")
        assert store.undo().pair_key == "k3" and store.undo().pair_key == "k3"  # the new accept, then the note
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT value FROM meta WHERE key='schema'").fetchone() == (SCHEMA_VERSION,)
        assert {a for (a,) in db.execute("SELECT action FROM events")} == {"accepted", "garbled", "false_alarm",
                                                                         "note", "undo"}
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("DELETE FROM events")
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):  # the old spelling is refused now
            db.execute("INSERT INTO events (session, at, pair_key, action) VALUES (1, 0, 'k1', 'accept')")
    with ReviewStore(path) as again:  # migrated once: opening it again changes nothing
        assert again.state("k1").verdict == "accepted" and len(again.events()) == 9


def test_a_store_of_schema_1_opened_read_only_is_migrated_in_memory(tmp_path: Path) -> None:
    """An export reads an old store as migrated, and writes not one byte into it."""
    path = tmp_path / "old.review.sqlite"
    shutil.copyfile(STORE_V1, path)
    with ReviewStore(path, read_only=True) as store:
        assert store.states() == STATES_V1
    assert path.read_bytes() == STORE_V1.read_bytes() and sorted(tmp_path.iterdir()) == [path]


def test_decisions_survive_rerunning_on_a_changed_file(tmp_path: Path, sample: Report) -> None:
    path = tmp_path / "r.review.sqlite"
    store, items = open_store(path, sample)
    for item in items:
        store.accept(item.key)
    store.close()
    changed = list(SAMPLE)
    changed[2] = ("The mayor of Erenhot praised the creative love.", SAMPLE[2][1], 80.0, ())
    changed.insert(0, ("A new opening sentence.", None, None, ()))
    report = write_sample(tmp_path / "in2", changed)
    with ReviewStore(path) as again:
        new_items = items_from_report(report)
        again.begin_session(report.signature, "test", [])
        verdicts = [again.state(i.key).verdict for i in new_items]
    # Every unchanged pair keeps its decision, though its index moved; the new and the edited one are open.
    assert verdicts == [None, "accepted", "accepted", None, "accepted", "accepted", "accepted"]


def test_store_path_and_bad_store(tmp_path: Path) -> None:
    # Under the per-user data directory, keyed by the report's documents (not their order, not their folder).
    path = store_path_for("000_abc.txt", ["002.txt", "001.txt"])
    assert path.parent == Path(os.environ["XDG_DATA_HOME"]) / "align" / "reviews"
    assert path.name.startswith("000_abc-") and path.name.endswith(".review.sqlite")
    assert path == store_path_for("000_abc.txt", ["001.txt", "002.txt"])
    assert path != store_path_for("000_abc.txt", ["001.txt"])
    bad = tmp_path / "bad.sqlite"
    bad.write_text("not a database at all " * 100)
    with pytest.raises(InputError, match="is not a review store"):
        ReviewStore(bad)


# --- export ------------------------------------------------------------------------------------

def decide_for_export(store: ReviewStore, items: list[ReviewItem]) -> None:
    store.accept(items[0].key)
    store.mark_garbled(items[1].key, "critical")
    store.reject_flag(items[2].key, "repetition", "'creative' three times in a row")
    store.mark_garbled(items[2].key, "major")
    store.add_note(items[3].key, "spelling only; meaning intact")
    store.accept(items[4].key)
    store.accept(items[5].key)
    store.undo()  # the last accept is taken back and must not be exported


def test_export_writes_the_fixture_format(tmp_path: Path, sample: Report) -> None:
    store, items = open_store(tmp_path / "r.review.sqlite", sample)
    decide_for_export(store, items)
    folder = tmp_path / "fixtures" / "reviewed"
    expect = export_fixture(sample, items, store.states(), folder, model="use-m", mode="auto")
    assert json.loads((folder / "expect.json").read_text(encoding="utf-8")) == expect
    assert (folder / "en.txt").read_text(encoding="utf-8") == sample.en.text
    assert (folder / "zh.txt").read_text(encoding="utf-8") == sample.sources[0].text
    assert expect == {
        "version": 1,
        "description": "reviewed decisions on en.txt against zh.txt (align review --export)",
        "en": "en.txt", "zh": ["zh.txt"], "mode": "auto", "model": "use-m",
        "aligned": [{"en": "The conference was held", "zh": "会议以视频形式召", "source": "zh.txt"}],
        "unsupported": ["Sharing let more people"],
        # align still raises the flag the reviewer rejected: expected absent, marked xfail with both views
        "flags": [{"en": "The mayor of Doubletham", "name": "repetition", "absent": True,
                   "xfail": "the reviewer marked it a false alarm; align still raises it"}],
        "verdicts": [{"en": "The conference was held", "garbled": False},
                     {"en": "Sales rose to 4.82 million", "garbled": True, "severity": "critical"},
                     {"en": "The mayor of Doubletham", "garbled": True, "severity": "major"},
                     {"en": "Sharing let more people", "garbled": False}],
        "notes": [{"en": "Scientists keep concentrateing", "note": "spelling only; meaning intact"}],
    }
    # Every anchor names exactly one place in its document.
    for entry in expect["verdicts"]:
        assert sample.en.text.count(entry["en"]) == 1
    # A re-export replaces the fixture; a folder that is not a fixture is never overwritten.
    store.add_note(items[0].key, "clean")
    again = export_fixture(sample, items, store.states(), folder, model="use-m", mode="auto")
    assert again["notes"][0] == {"en": "The conference was held", "note": "clean"}
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    with pytest.raises(InputError, match="not a fixture folder"):
        export_fixture(sample, items, store.states(), other, model="use-m", mode="auto")
    store.close()


def test_anchor_grows_until_unique() -> None:
    doc = "The report said so. The report said more. 会议召开。会议结束。"
    assert anchor("The report said more.", doc, 10, words=True) == "The report said more."
    assert anchor("The report said so.", doc, 5, words=True) == "The report said so."
    assert anchor("会议结束。", doc, 2, words=False) == "会议结"
    assert anchor("Twice. Twice.", "Twice. Twice. Twice. Twice.", 3, words=True) == "Twice. Twice."


def test_build_expect_skips_pairs_without_decisions(sample: Report) -> None:
    expect = build_expect(sample, items_from_report(sample), {}, model="use-m", mode="auto", description="d")
    assert set(expect) == {"version", "description", "en", "zh", "mode", "model"}


# --- command line ------------------------------------------------------------------------------

def test_cli_exports_a_json_report_review(tmp_path: Path, sample: Report) -> None:
    from align.report.schema import dumps_report

    report_path = tmp_path / "in" / "report.json"
    report_path.write_text(dumps_report(sample), encoding="utf-8")
    default = store_path_for(sample.en.name, [doc.name for doc in sample.sources])
    default.parent.mkdir(parents=True)
    store, items = open_store(default, sample)
    decide_for_export(store, items)
    store.close()
    folder = tmp_path / "fx"
    result = CliRunner().invoke(cli, ["review", str(report_path), "--export", str(folder)])
    assert result.exit_code == 0, result.output
    assert "1 aligned, 1 unsupported, 4 verdicts, 1 flags, 1 notes" in result.output
    expect = json.loads((folder / "expect.json").read_text(encoding="utf-8"))
    assert expect["model"] == "use-m" and expect["mode"] == "parallel"
    assert len(expect["verdicts"]) == 4 and sorted(p.name for p in folder.iterdir()) == ["en.txt", "expect.json",
                                                                                         "zh.txt"]


def test_cli_user_errors_are_one_line(tmp_path: Path, sample: Report) -> None:
    runner = CliRunner()
    for args, message in [
        (["review", "only-one.txt"], "give EN_FILE ZH_FILE"),
        (["review", sample.en.path, sample.sources[0].path], "needs a terminal"),
        (["review", sample.en.path, sample.sources[0].path, "--export", str(tmp_path / "x")], "no review store"),
    ]:
        result = runner.invoke(cli, args)
        assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


# --- the dashboard, headless -------------------------------------------------------------------

Script = Callable[[Any, ReviewApp], Awaitable[None]]  # called with textual's Pilot and the app


def drive(path: Path, report: Report, script: Script, size: tuple[int, int] = (150, 40)) -> None:
    """Run the app headless on ``report`` with the store at ``path`` and play ``script`` in it."""
    store, items = open_store(path, report)
    app = ReviewApp(items, store, heading="test review")

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await script(pilot, app)

    try:
        asyncio.run(main())
    finally:
        store.close()


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


def selected(app: ReviewApp) -> int:
    return app.current.pair.index


# The dashboard lists pairs worst first, as every face does: the critical pair 1, the major 2,
# the minor 3 (scored) and 4 (unscored), then the clean 0 and 5 by score.
ORDER = [1, 2, 3, 4, 0, 5]


def screen_text(app: ReviewApp, widget: str) -> str:
    from textual.widgets import Static

    return str(app.query_one(widget, Static).render())


def test_pilot_navigation_saves_the_cursor(tmp_path: Path, sample: Report) -> None:
    path = tmp_path / "r.review.sqlite"
    keys = [i.key for i in items_from_report(sample)]

    async def script(pilot, app: ReviewApp) -> None:
        assert selected(app) == ORDER[0]
        # rows of the list; f stops at the last flagged row (3): the clean pairs follow it
        for key, row in [("j", 1), ("j", 2), ("k", 1), ("down", 2), ("up", 1), ("f", 2), ("f", 3),
                         ("f", 3), ("j", 4), ("j", 5), ("j", 5)]:
            await press(pilot, key)
            assert selected(app) == ORDER[row], key
            assert cursor_on_disk(path) == keys[ORDER[row]]
        assert "Thank you all for coming." in screen_text(app, "#en-text")

    drive(path, sample, script)


def test_pilot_every_decision_key_is_stored_at_once(tmp_path: Path, sample: Report) -> None:
    path = tmp_path / "r.review.sqlite"
    keys = [i.key for i in items_from_report(sample)]

    async def script(pilot, app: ReviewApp) -> None:
        await press(pilot, "a")  # accept the worst pair (1), move on to the next (2)
        assert on_disk(path)[keys[1]] == PairState("accepted")
        assert selected(app) == 2
        await press(pilot, "g", "3")  # garbled, critical
        assert on_disk(path)[keys[2]] == PairState("garbled", "critical")
        assert selected(app) == 3
        await press(pilot, "g", "escape")  # cancelled: nothing stored
        assert keys[3] not in on_disk(path)
        await press(pilot, "x")  # one flag: rejected at once
        assert on_disk(path)[keys[3]].false_alarms == ["spelling"]
        assert selected(app) == 4
        await press(pilot, "k", "k", "x")  # two flag names: a dialog asks which; the second one is picked
        await press(pilot, "down", "enter")
        assert on_disk(path)[keys[2]].false_alarms == ["repetition"]
        assert selected(app) == 3
        await press(pilot, "n")
        await pilot.press(*"spelling only")
        await press(pilot, "enter")
        assert on_disk(path)[keys[3]].note == "spelling only"
        assert selected(app) == 3  # a note does not move on
        assert "spelling only" in screen_text(app, "#info-text")
        summary = screen_text(app, "#summary")
        assert "reviewed 3/6" in summary and "accepted 1" in summary and "false alarms 2" in summary
        await press(pilot, "u")  # the note goes
        assert on_disk(path)[keys[3]].note == "" and on_disk(path)[keys[3]].false_alarms == ["spelling"]
        await press(pilot, "j", "j", "u")  # the repetition false alarm goes, and the cursor returns to its pair
        assert on_disk(path)[keys[2]] == PairState("garbled", "critical") and selected(app) == 2
        await press(pilot, "u", "u", "u", "u")  # back to nothing, one decision at a time
        assert on_disk(path) == {}
        await press(pilot, "u")
        assert on_disk(path) == {}

    drive(path, sample, script)
    with sqlite3.connect(path) as db:
        actions = [row[0] for row in db.execute("SELECT action FROM events ORDER BY id")]
    assert actions == ["accepted", "garbled", "false_alarm", "false_alarm", "note"] + ["undo"] * 5


def test_pilot_filters_search_and_mouse(tmp_path: Path, sample: Report) -> None:
    from textual.widgets import DataTable

    path = tmp_path / "r.review.sqlite"
    keys = [i.key for i in items_from_report(sample)]

    def rows(app: ReviewApp) -> list[int]:
        return [i.pair.index for i in app.shown]

    async def script(pilot, app: ReviewApp) -> None:
        table = app.query_one("#pairs", DataTable)
        await press(pilot, "s")  # severity: flagged (minor or worse)
        assert rows(app) == [1, 2, 3, 4] and table.row_count == 4
        await press(pilot, "s")  # major or worse
        assert rows(app) == [1, 2]
        await press(pilot, "a")  # decisions work on the filtered list
        assert on_disk(path)[keys[1]].verdict == "accepted" and selected(app) == 2
        await press(pilot, "s", "s", "s")  # critical, no flags, back to all
        assert rows(app) == ORDER
        await press(pilot, "t", "t")  # flag types in name order: boilerplate, name
        assert rows(app) == [2] and app.filters["flag"] == "name"
        await press(pilot, "t", "t", "t", "t")  # number, repetition, spelling, back to any
        assert rows(app) == ORDER
        await press(pilot, "o")  # not reviewed
        assert rows(app) == [2, 3, 4, 0, 5]
        await press(pilot, "o", "o")
        await press(pilot, "slash")
        await pilot.press(*"亿元")
        await pilot.pause()
        assert rows(app) == [1]
        await press(pilot, "escape")
        assert app.focused is table
        await press(pilot, "slash", "ctrl+u")  # clears the search field
        await pilot.pause()
        assert rows(app) == ORDER
        await press(pilot, "enter")
        # The mouse: a click on a row selects it; the severity dialog's buttons take clicks.
        assert await pilot.click("#pairs", offset=(10, 5))  # header row, then rows 0..; y=5 is row 4, pair 0
        await pilot.pause()
        assert selected(app) == 0 and cursor_on_disk(path) == keys[0]
        await press(pilot, "g")
        assert await pilot.click("#major")
        await pilot.pause()
        assert on_disk(path)[keys[0]] == PairState("garbled", "major")

    drive(path, sample, script)


def test_pilot_reopening_resumes_where_the_reviewer_stopped(tmp_path: Path, sample: Report) -> None:
    path = tmp_path / "r.review.sqlite"

    async def first(pilot, app: ReviewApp) -> None:
        await press(pilot, "a", "j", "j")
        assert selected(app) == ORDER[3]

    async def second(pilot, app: ReviewApp) -> None:
        assert selected(app) == ORDER[3]
        assert "reviewed 1/6" in screen_text(app, "#summary")
        assert "✓ ok" in str(app.query_one("#pairs").get_row_at(0)[4])

    drive(path, sample, first)
    drive(path, sample, second)


def test_pilot_changed_report_keeps_decisions_on_unchanged_pairs(tmp_path: Path, sample: Report) -> None:
    path = tmp_path / "r.review.sqlite"

    async def review_all(pilot, app: ReviewApp) -> None:
        await press(pilot, *"aaaaaa")
        assert "reviewed 6/6" in screen_text(app, "#summary")

    changed = list(SAMPLE)
    changed[2] = ("The mayor of Erenhot praised the creative love.", SAMPLE[2][1], 80.0, ())
    changed.insert(0, ("A new opening sentence.", None, None, ()))

    async def reopened(pilot, app: ReviewApp) -> None:
        assert "reviewed 5/7" in screen_text(app, "#summary")
        table = app.query_one("#pairs")
        # worst first: the critical pair, the two minor ones, the edited pair (no flag now), the clean
        # ones by score, the new unscored opening last
        assert [i.pair.index for i in app.shown] == [2, 4, 5, 3, 1, 6, 0]
        assert [str(table.get_row_at(r)[4]) for r in range(7)] == ["✓ ok", "✓ ok", "✓ ok", "", "✓ ok", "✓ ok", ""]
        await press(pilot, "k")
        assert "decision accepted" in screen_text(app, "#info-text")

    drive(path, sample, review_all)
    drive(path, write_sample(tmp_path / "in2", changed), reopened)


def test_pilot_shows_what_each_cell_means(tmp_path: Path) -> None:
    """Scores keep their decimal, each flag name shows once (with a count) and whole, English
    with no counterpart has no link confidence, and ? lists every key of the dashboard."""
    from textual.widgets import DataTable

    from align.review.dashboard.screens import DIALOG_KEYS, HelpScreen

    many = (Flag("repetition", "major", "'creative' repeated 3 times", "en", 0, 5),
            Flag("casing", "major", "'Life is concerned' is a fragment", "en", 6, 10),
            Flag("score", "major", "quality score 0.7 is below 30.8", "en", 0, 0),
            Flag("name", "minor", "one name", "en", 0, 4), Flag("name", "major", "another name", "en", 5, 9))
    report = write_sample(tmp_path / "in", [("Life is concerned and creative creative.", "关心生活。", 0.7, many),
                                            ("Sharing let more people see this article.", None, None, ())])

    async def script(pilot, app: ReviewApp) -> None:
        table = app.query_one("#pairs", DataTable)
        score, flags = table.get_row_at(0)[1], table.get_row_at(0)[3]
        assert score == "0.7"
        assert str(flags) == "repetition casing score name×2"
        assert table.columns["flags"].width >= len(str(flags))  # never cut
        assert "score 0.7" in screen_text(app, "#info-text")
        await press(pilot, "j")
        info = screen_text(app, "#info-text")
        assert "no Chinese counterpart" in info and "link confidence" not in info
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = str(app.screen.query_one("#help-keys").render())
        for binding in app.BINDINGS:
            assert app.HELP[binding.action] in shown, binding.action
        for key, what in DIALOG_KEYS:
            assert what in shown
        await press(pilot, "escape")
        assert not isinstance(app.screen, HelpScreen)

    drive(tmp_path / "r.review.sqlite", report, script)
