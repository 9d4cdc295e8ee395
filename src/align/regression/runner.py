"""Running fixtures: each fixture's report is built once (per model and mode) and every
encoder is loaded once, however many fixtures or test items ask for them."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from align.errors import AlignError
from align.regression.evaluate import FixtureResult, evaluate
from align.regression.fixture import Fixture, load_fixture
from align.types import Report
from align.vectors import Encoder


class Runner:
    """Loads, runs and evaluates fixtures; ``model`` and ``mode`` override what each fixture names."""

    def __init__(self, model: str | None = None, mode: str | None = None,
                 get_encoder: Callable[[str], Encoder] | None = None) -> None:
        self.model = model
        self.mode = mode
        self._get_encoder = get_encoder
        self._encoders: dict[str, Encoder] = {}
        self._reports: dict[tuple[Path, str, str], Report] = {}
        self._results: dict[tuple[Path, str], FixtureResult] = {}

    def run(self, folder: str | Path, name: str | None = None) -> FixtureResult:
        """The fixture in ``folder`` checked; a bad fixture or input gives a result holding the error."""
        name = name or str(folder)
        key = (Path(folder).resolve(), name)
        if key not in self._results:
            self._results[key] = self._run(folder, name)
        return self._results[key]

    def _run(self, folder: str | Path, name: str) -> FixtureResult:
        try:
            fixture = load_fixture(folder, name)  # its errors already name the fixture
        except AlignError as exc:
            return FixtureResult(name, error=str(exc))
        model, mode = self.model or fixture.model, self.mode or fixture.mode
        try:
            report = self.report(fixture)
        except AlignError as exc:  # an encoder that cannot be loaded, an input that became unreadable
            return FixtureResult(name, fixture.description, model, mode, error=f"{name}: {exc}")
        return replace(evaluate(fixture, report), model=model, mode=mode, signature=report.signature,
                       timings=dict(report.timings))

    def report(self, fixture: Fixture) -> Report:
        """The pipeline run on the fixture's inputs, built once per (fixture, model, mode)."""
        from align.pipeline import build_report

        model, mode = self.model or fixture.model, self.mode or fixture.mode
        key = (fixture.folder.resolve(), model, mode)
        if key not in self._reports:
            self._reports[key] = build_report(fixture.en, list(fixture.zh), self.encoder(model), mode=mode,
                                              ref_path=fixture.ref)
        return self._reports[key]

    def encoder(self, model: str) -> Encoder:
        if model not in self._encoders:
            if self._get_encoder is None:
                from align.vectors import get_encoder

                self._encoders[model] = get_encoder(model)
            else:
                self._encoders[model] = self._get_encoder(model)
        return self._encoders[model]
