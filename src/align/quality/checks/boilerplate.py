"""Web page chrome translated as if it were article text ("Sharing let more people see recommendation reading")."""
from __future__ import annotations

import re
from functools import lru_cache

from align.documents.boilerplate import chrome
from align.quality.checks.base import Check, Finding
from align.types import Flag, Language, PairText, Severity

# What share buttons, reading lists, pagers and footers of Chinese news pages become in
# machine translation (分享让更多人看到 "sharing let more people see", 推荐阅读
# "recommendation reading", 责任编辑 "responsible editor", 扫一扫 "scan the code").
_TRANSLATED_CHROME = re.compile(
    r"\b(?:shar(?:e|ing)\b[^.!?]{0,30}\b(?:more people|friends|moments|wechat|weibo)"
    r"|recommend(?:ed|ation)?\s+read(?:ing)?|related\s+(?:reading|news|articles?|links?)"
    r"|(?:previous|next)\s+(?:article|post|page|chapter)\b|responsible\s+editor|editor\s+in\s+charge"
    r"|scan\s+(?:the\s+)?(?:qr\s+)?code|font\s+size|print\s+(?:this\s+)?page|close\s+(?:this\s+)?window"
    r"|back\s+to\s+top|all\s+rights\s+reserved|click\s+(?:here|to\s+(?:enlarge|view|read|share))"
    r"|add\s+to\s+favou?rites)",
    re.I,
)


@lru_cache(maxsize=8192)
def _zh_chrome(zh: str) -> tuple[str, str] | None:
    return chrome(zh, Language.ZH)  # cached: a Chinese sentence is checked against many renderings


class BoilerplateCheck(Check):
    """English that renders page chrome: share widgets, reading lists, pagers, footers."""

    name = "boilerplate"

    def run(self, pair: PairText) -> Finding:
        en = pair.en
        flags = []
        hits = list(_TRANSLATED_CHROME.finditer(en))
        if hits:
            start = hits[0].start()
            end = len(en.rstrip(" .!?。"))
            text = en[start:end]
            flags.append(Flag(self.name, Severity.MAJOR, f"'{text}' is translated page chrome (share/reading widgets), "
                                                   "not article text", "en", start, end))
        else:
            found = chrome(en, Language.EN)
            if found:
                flags.append(Flag(self.name, Severity.MINOR, f"page chrome in the English: {found[1]}", "en", 0, len(en)))
        zh_chrome = _zh_chrome(pair.zh) if pair.zh.strip() else None
        if zh_chrome and not flags:
            flags.append(Flag(self.name, Severity.MINOR, f"the Chinese is page chrome ({zh_chrome[1]})", "zh",
                              0, len(pair.zh)))
        signals = {"boilerplate.en": float(len(hits) + bool(not hits and flags and flags[0].side == "en")),
                   "boilerplate.zh": float(zh_chrome is not None)}
        return Finding(tuple(flags), signals)
