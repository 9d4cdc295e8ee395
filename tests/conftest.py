"""Shared pytest options."""
from __future__ import annotations

import pytest

# pytester drives the align pytest plugin in its own runs (tests/test_regression.py).
pytest_plugins = ["pytester"]


def pytest_addoption(parser: pytest.Parser) -> None:
    # Golden files pin outputs that legitimately change (quality scores move as the scorer improves);
    # `python -m pytest tests/test_cli_report.py --update-golden` rewrites them from the current code.
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite the golden files under tests/golden/ instead of comparing against them")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(autouse=True)
def private_data_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Review stores default to the per-user data directory: a test's go to a folder of its own
    (subprocesses inherit it), never the user's. Caches stay shared (``ALIGN_HOME`` untouched)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data-home")))
