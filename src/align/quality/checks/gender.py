"""Gender: the English says "she" where the Chinese says 他 (he), or "he" where it says 她 (she).

Chinese writes the two pronouns with different characters, so the source settles the gender
of a pronoun it spells out. Only a pronoun the Chinese spells out is checked: Chinese often
leaves the subject out, and then the English takes it from the sentences around, which this
check does not see.
"""
from __future__ import annotations

import re

from align.lexicon.chinese import words
from align.quality.checks.base import Check, Finding
from align.types import Flag, PairText, Severity

_EN = {"male": re.compile(r"\b(?:he|him|his|himself)\b", re.I),
       "female": re.compile(r"\b(?:she|her|hers|herself)\b", re.I)}
# jieba keeps 其他 "other", 他人 "others", 吉他 "guitar" and the plural 他们 whole, so only the
# singular pronoun matches; 她们 "they (women)" still says female. Nouns (女主角 "heroine",
# 前女友 "ex-girlfriend") are left out: in a sentence about two people they name the other one,
# and with them the check raised false alarms on both MQM sets, where the pronouns alone raise none.
_ZH = {"male": frozenset({"他", "他自己"}), "female": frozenset({"她", "她们", "她自己"})}
# Words for men and for women, or their characters (先生, 男子, 丈夫; 女士, 妈妈, 妻子). When the English
# has pronouns of both genders, one of them may be for a person the Chinese names without a
# pronoun; a pronoun of the gender the Chinese does not spell out at all (neither its pronoun
# nor any of these) came from nowhere ("He has admitted that she set the fire" for 他已承认，是自己
# 在教堂里点火). Measured on both MQM sets (eval/checks_eval.py): no item flagged, near-perfect
# or not. It can still be wrong where a woman is named with no such word ("He thanked Wang Fang
# for her help" for 他感谢了王芳的帮助).
_CUE = {"male": re.compile("先生|王子|国王|[男夫父爸爷兄哥弟叔伯]"),
        "female": re.compile("小姐|公主|王后|[女妇妈母姐妹婆娘妻嫂姑姨奶]")}
_OTHER = {"male": "female", "female": "male"}
_SHOWN = {"male": "he", "female": "she"}


class GenderCheck(Check):
    """English pronouns of one gender where the Chinese spells out the other gender's pronoun and
    not this one's (beside pronouns of the other gender too only when nothing in the Chinese is of
    this gender: ``_CUE``). Minor: a reviewer should see it, but a swapped pronoun alone does not
    make a rendering garbled. Not on a comparable pair: another report's sentence may be about someone else."""

    name = "gender"

    def run(self, pair: PairText) -> Finding:
        if not pair.zh.strip():
            return Finding()
        zh_words = words(pair.zh)
        zh = {g: [w for w in zh_words if w.text in forms] for g, forms in _ZH.items()}
        en = {g: list(pattern.finditer(pair.en)) for g, pattern in _EN.items()}
        flags = []
        for gender, other in _OTHER.items():
            if (en[gender] and zh[other] and not zh[gender]
                    and (not en[other] or _CUE[gender].search(pair.zh) is None)):
                m, w = en[gender][0], zh[other][0]
                flags.append(Flag(self.name, Severity.MINOR,
                                  f"'{m.group()}' where the Chinese says {w.text} ({_SHOWN[other]})",
                                  "en", m.start(), m.end()))
        signals = {"gender.mismatch": float(len(flags))}
        return Finding(() if pair.partial else tuple(flags), signals)
