"""Sentence segmentation: rules, offsets, robustness and the seed files."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.sentences import split_document, split_lines, split_spans
from align.types import Document, Removal, Span

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"


def texts(text: str, lang: str, **kw: int) -> list[str]:
    return [text[s.start:s.end] for s in split_spans(text, lang, **kw)]


# --- Chinese -------------------------------------------------------------------

def test_zh_basic_offsets() -> None:
    text = "今天开会。大家都来了！\n明天呢？"
    assert split_spans(text, "zh") == [Span(0, 5), Span(5, 11), Span(12, 16)]


def test_zh_closing_quote_stays_and_quote_is_not_split() -> None:
    assert texts("他说：“我们要努力。”然后离开。", "zh") == ["他说：“我们要努力。”", "然后离开。"]
    # The end inside the quotation does not split because the quote closes on this line.
    assert texts("他说：“我们要努力。大家加油！”然后离开。", "zh") == [
        "他说：“我们要努力。大家加油！”", "然后离开。"]
    assert texts("「好。」『行！』（完。）", "zh") == ["「好。」", "『行！』", "（完。）"]
    assert texts("书名是《你好！李焕英》。很好看。", "zh") == ["书名是《你好！李焕英》。", "很好看。"]


def test_zh_unclosed_quote_does_not_block_splitting() -> None:
    assert texts("他说：“我们要努力。然后离开。", "zh") == ["他说：“我们要努力。", "然后离开。"]


def test_zh_runs_and_semicolons() -> None:
    text = "真的吗？！是的……好吧。。第一；第二;第三!结束?"
    assert texts(text, "zh") == ["真的吗？！", "是的……", "好吧。。", "第一；", "第二;", "第三!", "结束?"]


def test_zh_half_width_mark_inside_url_does_not_split() -> None:
    text = "详见 http://a.cn/x.php?id=1&b=2 网页。完"
    assert texts(text, "zh") == ["详见 http://a.cn/x.php?id=1&b=2 网页。", "完"]


def test_zh_trailing_byline_is_its_own_sentence() -> None:
    text = "會議以視頻形式召開,各盟市設分會場。(記者 李晗)"
    assert split_spans(text, "zh") == [Span(0, 18), Span(18, 25)]
    assert texts(text, "zh")[1] == "(記者 李晗)"


def test_zh_headline_line_without_punctuation() -> None:
    text = "原標題:自治區科學技術獎勵大會在呼召開\n11月27日,大會召開。"
    assert texts(text, "zh") == ["原標題:自治區科學技術獎勵大會在呼召開", "11月27日,大會召開。"]


def test_zh_decimals_and_english_inside_chinese() -> None:
    text = "增长了4.82亿元。Mr. Smith came. Then he left."
    assert texts(text, "zh") == ["增长了4.82亿元。", "Mr. Smith came.", "Then he left."]


# --- English -------------------------------------------------------------------

def test_en_basic_offsets() -> None:
    text = "It rained. We stayed in!  Did you?\nYes."
    assert split_spans(text, "en") == [Span(0, 10), Span(11, 24), Span(26, 34), Span(35, 39)]


@pytest.mark.parametrize("sentence", [
    "Mr. Smith met Mrs. Jones and Dr. Brown at St. Paul's.",
    "Prof. Li and Gen. Wang spoke with Sen. Lee vs. Rep. Kim.",
    "Apples, pears etc. are sold by Acme Inc. and Foo Ltd. in Jan. and Feb. this year.",
    "Output rose 4.82 billion yuan, or 3.14 percent, in Sept. and Oct. last year.",
    "He lives at No. 5 Main Street, see Fig. 3 and Vol. 2, pp. 10-12.",
    "J. K. Rowling wrote it, e.g. Harry Potter, i.e. a book.",
    "The U.S. Congress and the U.N. General Assembly met at 9 a.m. today.",
    "He said \"wait... What\" and left.",
    "1. Introduction to the method.",
])
def test_en_no_false_split(sentence: str) -> None:
    assert texts(sentence, "en") == [sentence]


def test_en_initialism_splits_before_sentence_starter() -> None:
    assert texts("He went to the U.S. He liked it.", "en") == [
        "He went to the U.S.", "He liked it."]
    assert texts("Talks with the U.K. The deal is done.", "en") == [
        "Talks with the U.K.", "The deal is done."]
    assert texts("It opened at 9 a.m. But nobody came.", "en") == [
        "It opened at 9 a.m.", "But nobody came."]


def test_en_closing_quotes_and_brackets_stay() -> None:
    text = 'He said "Go." Then he left. (See the map.) Done... Next one! "Why?" she asked.'
    assert texts(text, "en") == [
        'He said "Go."', "Then he left.", "(See the map.)", "Done...", "Next one!",
        '"Why?" she asked.']


def test_en_needs_capital_or_digit_after_period() -> None:
    assert texts("The rate was 5 p.c. in total. 2024 was better.", "en") == [
        "The rate was 5 p.c. in total.", "2024 was better."]
    assert texts("See www.example.com. it works", "en") == ["See www.example.com. it works"]


def test_en_number_ends_sentence_when_not_a_list_item() -> None:
    assert texts("The score was 10. The team won.", "en") == ["The score was 10.", "The team won."]


def test_en_period_before_chinese_splits() -> None:
    text = "Sharing let more people see recommendation reading.王偉中指出。他説。"
    assert texts(text, "en") == [
        "Sharing let more people see recommendation reading.", "王偉中指出。", "他説。"]


def test_other_language_follows_english_rules() -> None:
    assert texts("Dr. Ruiz llegó. Mañana sale.", "other") == ["Dr. Ruiz llegó.", "Mañana sale."]


# --- odd input and robustness ---------------------------------------------------

@pytest.mark.parametrize("text", ["", "   ", "\n\n \t\n", "\u3000\u3000"])
def test_empty_and_whitespace_give_no_sentences(text: str) -> None:
    assert split_spans(text, "zh") == []
    assert split_spans(text, "en") == []


def test_only_punctuation_is_one_sentence() -> None:
    assert texts("。。。！！", "zh") == ["。。。！！"]
    assert texts("...!!!", "en") == ["...!!!"]


def test_start_end_restrict_the_range() -> None:
    text = "Skip me. Keep this. And this. Skip too."
    spans = split_spans(text, "en", 9, 29)
    assert [text[s.start:s.end] for s in spans] == ["Keep this.", "And this."]
    assert spans[0].start == 9 and spans[-1].end == 29


def test_no_punctuation_gives_one_sentence_per_line() -> None:
    text = "\n".join(["没有标点的一行"] * 50)
    assert len(split_spans(text, "zh")) == 50


def test_overlong_line_is_cut_at_clause_marks_or_spaces() -> None:
    zh = "这是一个分句，" * 1000  # 7000 chars, no sentence end
    spans = split_spans(zh, "zh", max_chars=2000)
    assert len(spans) == 4
    assert all(len(s) <= 2000 and zh[s.end - 1] == "，" for s in spans)
    en = "word " * 20000
    spans = split_spans(en, "en")
    assert all(1000 <= len(s) <= 2000 for s in spans[:-1])
    assert all(en[s.start:s.end].endswith("word") for s in spans)
    solid = "字" * 100_000
    spans = split_spans(solid, "zh")
    assert [len(s) for s in spans] == [2000] * 50


def test_pathological_long_texts_split_in_order() -> None:
    # Inputs that made a backtracking splitter quadratic; they must still split into ordered,
    # non-overlapping spans capped at the maximum sentence length.
    texts_ = ["a" * 100_000, "Mr. A. b. 3.1 U.S. (x " * 10_000, "“(\"" * 30_000,
              "他说：“好。" * 20_000, "。" * 100_000]
    for t in texts_:
        for lang in ("zh", "en"):
            spans = split_spans(t, lang)
            assert spans
            assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
            assert all(0 <= s.start < s.end <= len(t) and len(s) <= 2000 for s in spans)


_ALPHABET = st.sampled_from(
    list("中文句子测试你好") + list("abcXYZ09") + list(" \t\n\u3000") + list("。！？!?；;….,，")
    + list("“”‘’「」（）()\"'《》") + ["Mr.", "U.S.", "3.14", "...", "……"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join), st.sampled_from(["zh", "en", "other"]),
       st.data())
def test_spans_partition_the_non_space_text(text: str, lang: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    max_chars = data.draw(st.sampled_from([5, 2000]))
    spans = split_spans(text, lang, start, end, max_chars=max_chars)
    covered = [0] * len(text)
    previous_end = start
    for s in spans:
        assert previous_end <= s.start < s.end <= end
        piece = text[s.start:s.end]
        assert piece == piece.strip() and len(piece) <= max_chars
        assert "\n" not in piece
        for i in range(s.start, s.end):
            covered[i] += 1
        previous_end = s.end
    for i, ch in enumerate(text):
        inside = start <= i < end
        assert covered[i] <= (1 if inside else 0)
        if inside and not ch.isspace():
            assert covered[i] == 1


# --- documents and presplit lines ---------------------------------------------

def test_split_document_numbers_offsets_and_spam() -> None:
    from align.documents.normalise import normalise

    text = "菜单\n會議召開。大家SPAM來了！\n页脚"
    doc = Document(path="x.txt", text=text, encoding="utf-8", language="zh",
                   body=[Span(3, 17)],
                   removals=[Removal("spam", 10, 14, "SPAM", "injected"),
                             Removal("menu", 0, 2, "菜单", "nav")])
    sents = split_document(doc)
    assert [(s.index, s.text, s.start, s.end, s.lang) for s in sents] == [
        (0, "會議召開。", 3, 8, "zh"), (1, "大家SPAM來了！", 8, 17, "zh")]
    assert all(text[s.start:s.end] == s.text for s in sents)
    assert sents[0].norm == normalise("會議召開。", "zh")
    assert sents[1].norm == normalise("大家來了！", "zh")
    assert "SPAM" not in sents[1].norm


def test_split_document_multiple_body_spans_keep_order() -> None:
    text = "First one. Second one.\nMENU\nThird one."
    doc = Document(path="d.txt", text=text, encoding="utf-8", language="en",
                   body=[Span(0, 22), Span(28, 38)])
    sents = split_document(doc)
    assert [s.index for s in sents] == [0, 1, 2]
    assert [s.text for s in sents] == ["First one.", "Second one.", "Third one."]
    assert sents[2].start == 28


def test_split_document_tags_sentences_in_the_other_script() -> None:
    text = "The meeting was held in Hohhot. 會議在呼和浩特召開。It ended at noon."
    doc = Document(path="e.txt", text=text, encoding="utf-8", language="en",
                   body=[Span(0, len(text))])
    sents = split_document(doc)
    assert [(s.text, s.lang) for s in sents] == [
        ("The meeting was held in Hohhot.", "en"), ("會議在呼和浩特召開。", "zh"),
        ("It ended at noon.", "en")]
    assert sents[1].norm == "会议在呼和浩特召开。"


def test_split_lines_keeps_line_numbering() -> None:
    from align.documents.normalise import normalise

    text = "第一句。\n\n  第三句。 \r\n最后一句\n"
    sents = split_lines(text, "zh")
    assert [s.index for s in sents] == [0, 1, 2, 3]
    assert [s.text for s in sents] == ["第一句。", "", "第三句。", "最后一句"]
    assert all(text[s.start:s.end] == s.text for s in sents)
    assert (sents[1].start, sents[1].end) == (5, 5)
    assert sents[2].start == 8
    assert sents[3].norm == normalise("最后一句", "zh")
    assert [s.text for s in split_lines("a\nb", "en")] == ["a", "b"]
    assert split_lines("", "en") == []
    assert [s.text for s in split_lines("a\n\n", "en")] == ["a", ""]


# --- seed files -----------------------------------------------------------------

def test_seed_english_mt() -> None:
    text = (SEEDS / "000_1eeb0bdcbd4fae13.txt").read_text(encoding="utf-8")
    got = texts(text, "en")
    assert 12 <= len(got) <= 30
    assert ("The conference was held in a video form, alliances and Manzhouli City, "
            "Doubletham City.") in got
    assert any(s.startswith("Shi Taifeng emphasizes that the majority of scientific and "
                            "technological workers") for s in got)
    assert "Allocate policies, strive to create innovative ecology of wind and water." in got
    # A byline line without end punctuation before its last word stays one sentence.
    assert got[-1] == ("(Inner Mongolia Daily News Media Reporter Liu Xiaodong) (Editor: Liu Ze, "
                       "Zhang Xue Dong) Sharing let more people see recommendation reading.")
    # "more enriched . At the meeting": a spaced-off period still ends the sentence.
    assert any(s.endswith("more and more technology, more enriched .") for s in got)
    assert all(len(s) < 2000 for s in got)


def test_seed_traditional_chinese() -> None:
    text = (SEEDS / "002_a14628910f49d145.txt").read_text(encoding="utf-8")
    got = texts(text, "zh")
    assert 35 <= len(got) <= 60
    i = got.index("會議以視頻形式召開,各盟市和滿洲裏市、二連浩特市設分會場。")
    assert got[i + 1] == "(記者 李晗)"
    assert got[0] == "原標題:自治區科學技術獎勵大會在呼召開"
    assert "我們要深入學習領會,以更加強烈的責任感和使命感推動科技創新取得更大突破,以實際行動堅定擁護“兩個確立”、堅決做到“兩個維護”。" in got
