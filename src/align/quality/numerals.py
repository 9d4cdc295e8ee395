"""Quantities in Chinese and English text: numbers, scales, percentages, years and dates.

Chinese: Arabic and Chinese numerals with 万/亿 scaling (48.2亿 = 4.82e9, 三千五百万 =
3.5e7), 百分之五 and 5%, 三成 (30%), 二〇二一年, 11月27日, 十四五 (14, 5). English: digits
with scale words (4.82 billion), number words (thirty-five million), ordinals (25th,
third), percentages and month names. Each quantity keeps its offsets so a flag can
point at it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from align.lexicon.chinese import simplified, words


@dataclass(frozen=True)
class Quantity:
    text: str  # as written, with its unit where there is one: "48.2亿元", "4.82 billion"
    start: int
    end: int
    values: tuple[float, ...]  # what it may stand for: (3.0, 15.0) for 3点 (3 o'clock, a.m. or p.m.)
    salient: bool  # a translation must carry it (not 一个 "a", not 十分 "very")

    @property
    def value(self) -> float:
        return self.values[0]


def same(a: float, b: float) -> bool:
    """Equal up to the rounding a translator may do (4.82 billion for 48.2亿, 4.8 billion too)."""
    return abs(a - b) <= 0.006 * max(abs(a), abs(b)) or abs(a - b) < 1e-9


def spoken(value: float) -> str:
    """A value as an English reader says it: 4820000000 -> "4.82 billion", 35000 -> "35,000"."""
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= scale:
            return f"{value / scale:.6g} {word}"
    return f"{value:,.6g}" if value != int(value) else f"{int(value):,}"


# --- Chinese -------------------------------------------------------------------------

_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
# The place a last digit takes after a unit when spoken short: 三千五 = 3,500, 一亿二 = 120,000,000.
_ZH_LOWER_PLACE = {"百": 10, "千": 100, "万": 1000, "亿": 1e7}
_ZH_NUMERAL = "零〇一二两三四五六七八九十百千万亿"
_ZH_QUANTITY = re.compile(
    rf"(?P<pct>百分之)?"
    rf"(?:(?P<arabic>(?<![A-Za-z\d.])(?<![A-Za-z]-)\d+(?:,\d{{3}})*(?:\.\d+)?)(?:[多余](?=[十百千万亿]))?(?P<ascale>[十百千万亿]*(?![瓦米克]))"
    rf"|(?P<zh>[{_ZH_NUMERAL}]+(?:点[{_ZH_NUMERAL}]+)?(?<![千百](?=[瓦米克]))))"
    rf"(?![A-Za-z])(?P<tail>%|成|分之[{_ZH_NUMERAL}\d]+)?"
)
# A unit or measure word after a number makes even a small number a fact to carry over.
_ZH_UNIT_AFTER = re.compile(r"千瓦|千米|千克|公里|公斤|[年月日号时点分秒岁元人名个位家座项件次倍吨户所起例只条辆架台米天周届期批]")
# Words built from numeral characters that are not numbers: 十分 "very", 万一 "in case",
# 千万 "by all means", 一一 "one by one", 百姓 (the 百 of "common people"), idioms.
_ZH_NOT_NUMBERS = ("十分", "万一", "千万", "万万", "亿万", "一一", "百姓", "一起", "一样", "一般", "一定", "一直",
                   "一切", "一些", "一下", "一致", "统一", "唯一", "之一", "一度", "百分百", "千方百计")
# Tags of jieba words a numeral may sit in and still be a number (numeral, measure, time).
_NUMBER_TAGS = ("m", "q", "t", "x", "eng")
_ZH_APPROX_BEFORE = "数几上成近"  # 数十万 "hundreds of thousands": no exact value to check


def _zh_integer(chars: str) -> float | None:
    """三千五百万 -> 35000000; 二〇二一 -> 2021 (digit by digit when there is no unit);
    一千零五 -> 1005; 三千五 -> 3500 (a last digit after 百, 千, 万 or 亿 counts in the next
    lower place, as cn2an reads it: eval/compare_libraries.py)."""
    if not chars:
        return None
    if all(c in _ZH_DIGITS for c in chars):
        return float("".join(str(_ZH_DIGITS[c]) for c in chars))
    total = section = 0.0
    number: float | None = None
    for c in chars:
        if c in "零〇" and number is None:
            continue  # 零 only holds an empty place between units (一千零五, 一万零五百)
        if c in _ZH_DIGITS:
            if number is not None:
                return None  # two digits in a row after a unit: not one number (十四五)
            number = _ZH_DIGITS[c]
        elif c in _ZH_UNITS:
            section += (1 if number is None else number) * _ZH_UNITS[c]
            number = None
        elif c == "万":
            total += (section + (number or 0)) * 1e4 or 1e4
            section, number = 0.0, None
        elif c == "亿":
            total = (total + section + (number or 0)) * 1e8 or 1e8
            section, number = 0.0, None
    if number is not None and len(chars) >= 2 and chars[-2] in _ZH_LOWER_PLACE:
        number *= _ZH_LOWER_PLACE[chars[-2]]  # 一万二 is 12,000, not 10,002
    return total + section + (number or 0)


def parse_zh_number(text: str) -> float | None:
    """The value of a Chinese number: 48.2亿 -> 4.82e9, 三千五百万 -> 3.5e7, 1.2万 -> 12000,
    百分之五 -> 5 (percent), 三点五 -> 3.5. None when ``text`` is not one number."""
    m = _ZH_QUANTITY.fullmatch(text.strip())
    if not m:
        return None
    return _quantity_value(m)


def _quantity_value(m: re.Match) -> float | None:
    if m.group("arabic"):
        value = float(m.group("arabic").replace(",", ""))
        for c in m.group("ascale"):
            value *= {"万": 1e4, "亿": 1e8}.get(c, _ZH_UNITS.get(c, 1))
    else:
        whole, _, frac = m.group("zh").partition("点")
        value = _zh_integer(whole)
        if value is None:
            return None
        if frac:
            if not all(c in _ZH_DIGITS for c in frac):
                return None
            value += float("0." + "".join(str(_ZH_DIGITS[c]) for c in frac))
    tail = m.group("tail") or ""
    if tail == "成":
        value *= 10  # 三成: 30 percent
    elif tail.startswith("分之"):
        denominator = value
        numerator = parse_zh_number(tail[2:])
        if not denominator or numerator is None:
            return None
        value = numerator / denominator
    return value


def _in_other_word(text: str, start: int, end: int) -> bool:
    for w in words(text):
        if w.start <= start < w.end:
            return w.end - w.start > end - start and not w.flag.startswith(_NUMBER_TAGS)
    return False


def _inside_word(simple: str, start: int, end: int) -> bool:
    """Whether simple[start:end] is part of a word like 十分 or 统一 that is not a number."""
    for word in _ZH_NOT_NUMBERS:
        i = simple.find(word, max(0, start - len(word) + 1), end + len(word) - 1)
        if i != -1 and i < end and i + len(word) > start:
            return True
    return False


def _split_run(run: str) -> list[tuple[int, str]]:
    """Cut a run of numeral characters where one number ends and the next begins: 十四五 -> 十四, 五."""
    pieces, start = [], 0
    for i in range(1, len(run)):
        if run[i] in _ZH_DIGITS and run[i - 1] in _ZH_DIGITS and any(c in _ZH_UNITS or c in "万亿"
                                                                      for c in run[start:i]):
            pieces.append((start, run[start:i]))
            start = i
    pieces.append((start, run[start:]))
    return pieces


_ZH_RANGE = re.compile(r"\s*(?:至|到|-|~|～|—)\s*$")


def zh_quantities(text: str) -> list[Quantity]:
    """The quantities of a Chinese text, with offsets into ``text``."""
    quantities = _zh_quantities(text)
    simple = simplified(text)
    # In a range (600至850亿) the first number takes the scale of the second.
    for k in range(len(quantities) - 1):
        a, b = quantities[k], quantities[k + 1]
        if _ZH_RANGE.match(simple[a.end:b.start]) and b.value >= 1e4 > a.value:
            quantities[k] = Quantity(a.text, a.start, a.end, a.values + (a.value * 1e4, a.value * 1e8), a.salient)
    return quantities


def _zh_quantities(text: str) -> list[Quantity]:
    simple = simplified(text)
    out: list[Quantity] = []
    for m in _ZH_QUANTITY.finditer(simple):
        if m.group("zh") and not m.group("pct") and not m.group("tail"):
            for offset, piece in _split_run(m.group("zh")):
                start = m.start("zh") + offset
                sub = _ZH_QUANTITY.fullmatch(piece)
                value = _quantity_value(sub) if sub else None
                if value is not None:
                    out.append(_zh_quantity(text, simple, start, start + len(piece), value, m))
            continue
        value = _quantity_value(m)
        if value is not None:
            out.append(_zh_quantity(text, simple, m.start(), m.end(), value, m))
    return out


def _zh_quantity(text: str, simple: str, start: int, end: int, value: float, m: re.Match) -> Quantity:
    after = simple[end:end + 2]
    unit = _ZH_UNIT_AFTER.match(after)
    approx = start > 0 and simple[start - 1] in _ZH_APPROX_BEFORE and not m.group("arabic")
    # A numeral inside a longer word of another kind is part of a name or term (肖千, 万象, 千年).
    lexical_word = not m.group("arabic") and _in_other_word(text, start, end)
    # 十分 "very" is no number, but 千万元 is ten million yuan.
    lexical = end - start <= 2 and _inside_word(simple, start, end) and not (unit and simple[start:end] == "千万")
    percent = bool(m.group("pct") or (m.group("tail") or "").startswith(("%", "成")))
    fraction = (m.group("tail") or "").startswith("分之")
    if m.group("arabic"):
        salient = True
    elif lexical or lexical_word or approx or fraction:
        salient = False
    else:
        # Without a unit, a numeral in characters is often a name or a day (十一 National Day,
        # 三一 Sany, 二十国集团 G20); with one (三名, 十倍) or scaled (三千五百万) it is a quantity.
        scaled = any(c in "万亿" for c in simple[start:end]) or value >= 100 and end - start >= 2
        salient = percent or scaled or (value >= 3 and unit is not None)
    values = [value]
    if unit and unit.group() in "点时" and value <= 12:
        values.append(value + 12)  # 下午3点 is "3 p.m." or "15:00"
    if unit and unit.group() == "倍":
        values.append(value + 1)  # 增长1倍 "grew by 100%", "doubled"
    if after.startswith("年代") and value < 100:
        values += [1900 + value, 2000 + value]  # 80年代: the 1980s
    shown_end = end + (len(unit.group()) if unit else 1 if after[:1] in "元%" else 0)
    return Quantity(text[start:shown_end], start, end, tuple(values), salient)


# --- English -------------------------------------------------------------------------

_EN_SMALL = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
_EN_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split())
            if w != "_"}
_EN_ORDINALS = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split())}
_EN_SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_EN_MONTHS = {w: i + 1 for i, w in enumerate(
    "january february march april may june july august september october november december".split())}
_EN_CARDINALS = "|".join(sorted([*_EN_SMALL, *_EN_TENS, *_EN_SCALES, "dozen"], key=len, reverse=True))
_EN_ORDINAL_WORDS = "|".join(sorted(_EN_ORDINALS, key=len, reverse=True))
_EN_QUANTITY = re.compile(
    rf"(?<![\w.])(?<!(?-i:[A-Z])-)(?<!\d:)(?<!\d:\s)"
    rf"(?:(?P<digits>\d+(?:,\d{{3}})*(?:\.\d+)?)(?P<ord>st|nd|rd|th|s)?"
    rf"|(?P<words>(?:{_EN_CARDINALS})(?:[\s-]+(?:and\s+)?(?:{_EN_CARDINALS}))*)(?:fold)?\b"
    rf"|(?P<ordinal>{_EN_ORDINAL_WORDS})\b"
    rf"|(?P<article>an?)\s+(?=(?:hundred|thousand|million|billion|dozen)\b))"
    rf"(?P<scale>(?:\s*(?:hundred|thousand|million|billion|trillion)\b)*)"
    rf"(?P<pct>\s*(?:%|per\s*cent\b|percent\b|percentage points?\b))?"
    rf"(?!(?![ap]m\b)[A-Za-z])",  # no letter follows, but a clock's am or pm may (9am, 5pm)
    re.I,
)
_EN_MINUTES = re.compile(r"(?<=\d):\s?(\d\d)(?!\d)(?!(?![ap]m\b)[A-Za-z])")
_EN_MULTIPLE_VALUES = {"twice": 2.0, "double": 2.0, "triple": 3.0, "decade": 10.0, "century": 100.0,
                       "centenary": 100.0, "centennial": 100.0, "millennium": 1000.0}
_EN_MULTIPLES = re.compile(r"\b(twice|double|triple|decade|century|centenary|centennial|millennium)\w*", re.I)
_EN_MONTH = re.compile(r"\b(" + "|".join(_EN_MONTHS) + r"|sept?|jan|feb|mar|apr|jun|jul|aug|oct|nov|dec)\b\.?", re.I)
# "May" is a month only next to a day number; "march" and "may" are common words.
_EN_AMBIGUOUS_MONTHS = ("may", "march", "mar", "jan", "dec", "oct", "nov", "jun", "jul", "aug", "sep", "sept")


def is_cardinal_words(text: str) -> bool:
    """Whether ``text`` is a cardinal written in words ("six", "twenty-two"), not an ordinal or a month."""
    parts = [w for w in re.split(r"[\s-]+", text.lower()) if w and w != "and"]
    return bool(parts) and all(w in _EN_SMALL or w in _EN_TENS or w in _EN_SCALES or w == "dozen" for w in parts)


def _words_value(words: str) -> float | None:
    total = current = 0.0
    seen = False
    for w in re.split(r"[\s-]+", words.lower()):
        if not w or w == "and":
            continue
        seen = True
        if w in _EN_SMALL:
            current += _EN_SMALL[w]
        elif w in _EN_TENS:
            current += _EN_TENS[w]
        elif w == "dozen":
            current = (current or 1) * 12
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in _EN_SCALES:
            total += (current or 1) * _EN_SCALES[w]
            current = 0.0
    return total + current if seen else None


def en_quantities(text: str) -> list[Quantity]:
    """The quantities of an English text: numbers (with scale words), number words, ordinals,
    percentages, month names (as their number)."""
    out: list[Quantity] = []
    for m in _EN_QUANTITY.finditer(text):
        if m.group("digits"):
            value = float(m.group("digits").replace(",", ""))
            salient = True
        elif m.group("article"):
            value, salient = 1.0, False
        elif m.group("ordinal"):
            value, salient = float(_EN_ORDINALS[m.group("ordinal").lower()]), False
        else:
            value = _words_value(m.group("words"))
            if value is None:
                continue
            salient = value >= 1000  # "one of" is matched, never demanded; "two million" is a fact
        scale = m.group("scale") or ""
        for w in re.findall(r"[a-z]+", scale.lower()):
            value *= _EN_SCALES[w]
        if scale.strip():
            salient = True
        end = m.end()
        while end > m.start() and text[end - 1].isspace():
            end -= 1
        values = (value,)
        if m.group("ord") == "s" and m.group("digits") and len(m.group("digits")) == 2:
            values = (value, 1900 + value, 2000 + value)  # the '80s
        following = text[end:end + 12].lower()
        if following.startswith((" decade", "-decade")):
            values += (value * 10,)  # "seven decades" for 70年
        elif following.startswith((" centur", "-centur")):
            values += (value * 100,)
        out.append(Quantity(text[m.start():end], m.start(), end, values, salient))
    for m in _EN_MINUTES.finditer(text):
        # The minutes of 22:00 go unsaid in 22时; other minutes are matched, never demanded.
        out.append(Quantity(m.group(1), m.start(1), m.end(1), (float(m.group(1)),), False))
    for m in _EN_MULTIPLES.finditer(text):
        out.append(Quantity(m.group(), m.start(), m.end(), (_EN_MULTIPLE_VALUES[m.group(1).lower()],), False))
    out = _en_ranges(text, sorted(out, key=lambda q: q.start))
    for m in _EN_MONTH.finditer(text):
        name = m.group(1).lower()
        if name in _EN_AMBIGUOUS_MONTHS and not _next_to_day(text, m):
            continue
        month = next(v for k, v in _EN_MONTHS.items() if k.startswith(name[:3]))
        out.append(Quantity(m.group(), m.start(), m.end(), (float(month),), False))
    return sorted(out, key=lambda q: q.start)


_EN_RANGE = re.compile(r"\s*(?:to|-|–|and|or)\s*$")


def _en_ranges(text: str, found: list[Quantity]) -> list[Quantity]:
    """In a range ("60 to 85 billion") the first number takes the scale of the second."""
    for k in range(len(found) - 1):
        a, b = found[k], found[k + 1]
        lead = re.match(r"[\d,.]+", b.text)
        if not lead or not _EN_RANGE.match(text[a.end:b.start]) or not re.fullmatch(r"[\d,.]+", a.text):
            continue
        try:
            factor = b.value / float(lead.group().replace(",", ""))
        except (ValueError, ZeroDivisionError):
            continue
        if factor > 1:
            found[k] = Quantity(a.text, a.start, a.end, a.values + (a.value * factor,), a.salient)
    return found


def _next_to_day(text: str, m: re.Match) -> bool:
    """A month name beside a day or year number ("May 5", "5 May", "March 2021") or capitalised mid-sentence."""
    around = text[max(0, m.start() - 6):m.end() + 6]
    return bool(re.search(r"\d", around)) or (m.group(1)[0].isupper() and m.start() > 0
                                               and text[:m.start()].rstrip()[-1:] not in ".!?\"“")
