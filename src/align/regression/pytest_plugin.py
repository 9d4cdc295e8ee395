"""pytest plugin: every align regression fixture is a test.

Registered through the ``pytest11`` entry point, so installing align is enough:
``pytest fixtures/`` collects each fixture folder's expect.json as one test item, and
``pytest --align-fixtures DIR`` adds the fixtures under DIR to any run. Each fixture's
report is built once per session, however many items name it. Items are marked
``align_fixture`` and ``slow`` (they run a real encoder), so ``-m "not slow"`` skips them.

Only pytest is imported here: pytest loads this module in every run of a project that has
align installed, and align's own modules load when a fixture actually runs.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from align.regression import EXPECT

if TYPE_CHECKING:
    from align.regression.runner import Runner

_RUNNER = pytest.StashKey["Runner"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("align", "align regression fixtures")
    group.addoption("--align-fixtures", action="append", default=[], metavar="DIR",
                    help="also run the align fixtures (folders holding expect.json) under DIR; repeatable")
    group.addoption("--align-model", metavar="MODEL", default=None,
                    help="run every align fixture with this encoder instead of the one it names")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "align_fixture: an align regression fixture (a folder holding expect.json)")
    config.addinivalue_line("markers", "slow: runs a real encoder")
    for folder in config.getoption("align_fixtures"):
        if not Path(folder).is_dir():
            raise pytest.UsageError(f"--align-fixtures {folder}: no such folder")


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.name == EXPECT:
        return FixtureFile.from_parent(parent, path=file_path)
    return None


@pytest.hookimpl(tryfirst=True)  # before -k and -m deselect, so they apply to these items too
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    dirs = config.getoption("align_fixtures")
    if not dirs:
        return
    from align.errors import AlignError
    from align.regression.fixture import find_fixtures

    try:
        folders = find_fixtures(dirs)
    except AlignError as exc:
        raise pytest.UsageError(f"--align-fixtures: {exc}") from None
    collected = {item.path.resolve() for item in items if isinstance(item, FixtureItem)}
    for folder in folders:
        path = (folder / EXPECT).resolve()
        if path not in collected:
            collected.add(path)
            # Outside the root directory pytest cannot name the node: its path is its name.
            nodeid = None if path.is_relative_to(config.rootpath) else path.as_posix()
            items.extend(FixtureFile.from_parent(session, path=path, nodeid=nodeid).collect())


class FixtureFile(pytest.File):
    """An expect.json: one test item, the fixture it belongs to."""

    def collect(self):
        yield FixtureItem.from_parent(self, name=self.path.parent.name)


class FixtureFailed(Exception):
    """The fixture's broken expectations (or why it could not run), as the failure text."""


class FixtureItem(pytest.Item):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.add_marker("align_fixture")
        self.add_marker("slow")

    def runtest(self) -> None:
        result = _runner(self.config).run(self.path.parent, name=self._fixture_name())
        if result.status != "pass":
            raise FixtureFailed(result.failure_text())

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style=None):
        if isinstance(excinfo.value, FixtureFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"align fixture {self._fixture_name()}"

    def _fixture_name(self) -> str:
        """The folder relative to the root directory, as a user would type it."""
        folder = self.path.parent
        try:
            return str(folder.relative_to(self.config.rootpath))
        except ValueError:
            return str(folder)


def _runner(config: pytest.Config) -> Runner:
    """One runner per session: every fixture's report is built once."""
    if _RUNNER not in config.stash:
        from align.regression.runner import Runner

        config.stash[_RUNNER] = Runner(model=config.getoption("align_model"))
    return config.stash[_RUNNER]
