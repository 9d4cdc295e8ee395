"""The base class every check derives from."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

from align.types import Flag


@dataclass(frozen=True)
class PairText:
    """One pair as the checks see it: original Chinese, English, optional reference."""

    zh: str
    en: str
    ref: str | None = None


class Check(ABC):
    """One kind of garble. ``run`` looks at one pair; ``run_all`` at a whole article.

    Checks that need the article (inconsistent renderings of one name) override
    ``run_all``; the rest only write ``run``.
    """

    name: str

    @abstractmethod
    def run(self, pair: PairText) -> list[Flag]:
        """The flags this check raises on one pair (empty: nothing wrong)."""

    def run_all(self, pairs: Sequence[PairText]) -> list[list[Flag]]:
        return [self.run(p) for p in pairs]
