"""The review loop closes: review the seed report in the dashboard, `align review --export DIR`,
then `align regress DIR` passes on the unchanged input; a changed decision makes it fail with
a message a reviewer reads without knowing the code.

Real pipeline on 000 against 002 (the use-m encoder, embeddings cached after the first run).
"""
from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import cli
from align.report.schema import load_report
from align.review.dashboard.app import ReviewApp
from align.review.items import items_from_report
from align.review.store import ReviewStore

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
EN, ZH = SEEDS / "000_1eeb0bdcbd4fae13.txt", SEEDS / "002_a14628910f49d145.txt"

pytestmark = pytest.mark.slow


def invoke(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output, result.output
    return result


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The seed report reviewed in the dashboard (accept, false alarm, garbled with a severity,
    undo) and exported as a fixture."""
    tmp = tmp_path_factory.mktemp("loop")
    report_path = tmp / "seeds.json"
    assert invoke("report", str(EN), str(ZH), "--format", "json", "--out", str(report_path)).exit_code == 0
    report = load_report(str(report_path))
    items = items_from_report(report)
    store_path = tmp / "seeds.review.sqlite"
    store = ReviewStore(store_path)
    store.begin_session(report.signature, str(report_path), [(i.key, i.source_name, i.pair.en_text,
                                                               i.pair.zh_text) for i in items])
    app = ReviewApp(items, store, heading="loop", signature=report.signature, timings=report.timings)

    async def review() -> None:
        async with app.run_test(size=(150, 40)) as pilot:
            async def press(*keys: str) -> None:
                await pilot.press(*keys)
                await pilot.pause()

            await pilot.pause()
            await press("a")            # the worst pair: accepted though align judges it garbled
            await press("g", "2")       # the next: garbled, major
            await press("x")            # the next: its first flag a false alarm (a dialog when it has several)
            if len(app.screen_stack) > 1:
                await press("enter")
            await press("g", "1", "u")  # garbled minor, then undone
            for _ in range(len(items)):
                if app.current is not None and not app.current.flags:
                    break
                await press("j")
            await press("a")            # a clean pair accepted

    asyncio.run(review())
    store.close()
    folder = tmp / "fixture"
    result = invoke("review", str(report_path), "--store", str(store_path), "--export", str(folder))
    assert result.exit_code == 0, result.output
    return folder, json.loads((folder / "expect.json").read_text(encoding="utf-8"))


def test_the_exported_fixture_passes_on_the_unchanged_input(exported) -> None:
    folder, expect = exported
    # every kind of decision made it into the fixture; the disagreements are marked xfail with both views
    assert {v["garbled"] for v in expect["verdicts"]} == {True, False}
    assert any(v.get("xfail", "").startswith("the reviewer accepted it; align judges it garbled")
               for v in expect["verdicts"])
    assert any(f["absent"] and f.get("xfail") == "the reviewer marked it a false alarm; align still raises it"
               for f in expect["flags"])
    assert len(expect["verdicts"]) == 3  # the undone decision is not there
    result = invoke("regress", str(folder))
    assert result.exit_code == 0, result.output
    assert "1 passed, 0 failed, 0 bad" in result.output


def test_a_changed_decision_fails_with_a_message_a_reviewer_reads(exported, tmp_path: Path) -> None:
    folder, expect = exported
    changed = tmp_path / "changed"
    changed.mkdir()
    for f in folder.iterdir():
        (changed / f.name).write_bytes(f.read_bytes())
    # The reviewer changes their mind on the clean pair they accepted: garbled after all.
    clean = next(v for v in expect["verdicts"] if not v["garbled"] and "xfail" not in v)
    clean.update(garbled=True, severity="major")
    (changed / "expect.json").write_text(json.dumps(expect, ensure_ascii=False), encoding="utf-8")
    result = invoke("regress", str(changed))
    assert result.exit_code == 1
    anchor = clean["en"][:39]
    line = next(ln for ln in result.output.splitlines() if ln.startswith("verdicts["))
    print(line)  # what a reviewer reads (quoted in the README's Review section)
    assert re.fullmatch(rf"verdicts\[\d\] '{re.escape(anchor)}.*' should be judged garbled with a worst flag major: "
                        r"align judges it not garbled \(score \d+\.\d, no major or critical flag\)", line), line
    assert "judged not garbled: it is judged garbled" not in result.output
    assert re.search(r"^  pair \d+$", result.output, re.M)  # the pair, numbered as every face numbers it
