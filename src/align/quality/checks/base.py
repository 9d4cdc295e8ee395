"""The base class every check derives from, and what a check finds on a pair (a ``PairText``)."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field

from align.types import Flag, PairText


@dataclass(frozen=True)
class Finding:
    """What one check found on one pair.

    ``flags`` are what a reviewer sees; ``signals`` are the continuous measurements
    behind them (``"numbers.missing": 2.0``, ``"coverage.zh": 0.41``), named
    ``check.measure``. The learned quality head reads the signals as features, so a
    check's evidence counts even when it stays below the check's own flag threshold.
    ``notes`` are what a comparable pair shows that is information, not an error ("the
    other report names 王伟中 (Wang Weizhong) here"): reviewers see them, the verdict does not.
    """

    flags: tuple[Flag, ...] = ()
    signals: dict[str, float] = field(default_factory=dict)
    notes: tuple[Flag, ...] = ()


class Check(ABC):
    """One kind of garble. ``run`` looks at one pair; ``run_all`` at a whole article.

    Checks that need the article (inconsistent renderings of one name) override
    ``run_all``; the rest only write ``run``.
    """

    name: str

    @property
    def flag_names(self) -> tuple[str, ...]:
        """The names of the flags this check raises: its own name, unless it raises several kinds.
        The quality head has one column per declared name and severity, so every flag needs one."""
        return (self.name,)

    @abstractmethod
    def run(self, pair: PairText) -> Finding:
        """What this check finds on one pair (no flags: nothing wrong)."""

    def run_all(self, pairs: Sequence[PairText]) -> list[Finding]:
        return [self.run(p) for p in pairs]
