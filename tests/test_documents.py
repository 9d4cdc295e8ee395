"""Reading, language identification, normalisation and boilerplate removal on the seeds."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.documents import detect_language, load_document, load_text, normalise
from align.documents.boilerplate import clean
from align.documents.langid import chinese_script
from align.documents.normalise import fold_width, to_simplified
from align.documents.reading import read_text
from align.errors import InputError
from align.types import Document

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
EN_MT, ZH_SPAM, ZH_TRAD, ZH_TWICE, EN_OTHER = sorted(str(p) for p in SEEDS.glob("*.txt"))


def body_text(doc: Document) -> str:
    return "\n".join(doc.text[s.start:s.end] for s in doc.body)


def kinds(doc: Document) -> set[str]:
    return {r.kind for r in doc.removals}


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return {path: load_document(path) for path in (EN_MT, ZH_SPAM, ZH_TRAD, ZH_TWICE, EN_OTHER)}


# --- reading ---------------------------------------------------------------------------


def _big5_safe(text: str) -> str:
    """The characters of ``text`` that Big5 can encode (002 uses a few variants it lacks)."""
    out = []
    for ch in text:
        try:
            ch.encode("big5")
        except UnicodeEncodeError:
            continue
        out.append(ch)
    return "".join(out)


@pytest.mark.parametrize(
    ("seed", "codec", "expected"),
    [
        (ZH_SPAM, "gb18030", "gb18030"),
        (ZH_TWICE, "gb18030", "gb18030"),
        (ZH_TRAD, "gb18030", "gb18030"),
        (ZH_TRAD, "big5", "big5"),
        (ZH_SPAM, "utf-16", "utf-16-le"),
        (ZH_TRAD, "utf-16-be", "utf-16-be"),
        (ZH_SPAM, "utf-8-sig", "utf-8-sig"),
        (EN_MT, "utf-16-le", "utf-16-le"),
    ],
)
def test_encodings_are_detected_from_bytes(tmp_path: Path, seed: str, codec: str, expected: str) -> None:
    original = Path(seed).read_text(encoding="utf-8")
    if codec == "big5":
        original = _big5_safe(original)
    copy = tmp_path / "copy.txt"  # the extension says nothing about the encoding
    copy.write_bytes(original.encode(codec))
    text, encoding, is_html, _ = read_text(str(copy))
    assert text == original
    assert encoding == expected
    assert not is_html


def test_big5_is_not_read_as_gb18030_mojibake(tmp_path: Path) -> None:
    # A short Big5 line decodes without error as GB18030 too; plausibility must pick Big5.
    line = "會議以視頻形式召開，各盟市設分會場。"
    path = tmp_path / "short.txt"
    path.write_bytes(line.encode("big5"))
    assert read_text(str(path))[:2] == (line, "big5")


def test_newlines_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes("第一行。\r\n第二行。\r第三行。\n".encode("gb18030"))
    assert read_text(str(path))[0] == "第一行。\n第二行。\n第三行。\n"


def test_html_is_turned_into_text(tmp_path: Path) -> None:
    page = (
        "<!DOCTYPE html><html><head><title>会议召开</title><style>p {color: red}</style>"
        "<script>var x = '<p>不要</p>';</script></head><body><div>科技工作会议&nbsp;召开</div>"
        "<p>会议总结了&ldquo;十三五&rdquo;工作 &amp; 成绩。</p><noscript>请启用脚本</noscript>"
        "<ul><li>首页</li><li>新闻</li></ul></body></html>"
    )
    path = tmp_path / "page.txt"
    path.write_text(page, encoding="utf-8")
    text, encoding, is_html, _ = read_text(str(path))
    assert is_html and encoding == "utf-8"
    assert "<" not in text and "color" not in text and "不要" not in text and "请启用脚本" not in text
    lines = text.splitlines()
    assert "会议召开" in lines and "会议总结了“十三五”工作 & 成绩。" in lines
    assert "首页" in lines and "新闻" in lines  # list items become lines of their own


def test_tag_dense_fragment_is_html_but_plain_text_is_not(tmp_path: Path) -> None:
    fragment = tmp_path / "fragment.txt"
    fragment.write_text("<div><p>One paragraph.</p><p>Two <b>bold</b> words.</p><br><span>x</span></div>", encoding="utf-8")
    text, _, is_html, _ = read_text(str(fragment))
    assert is_html and [ln for ln in text.splitlines() if ln] == ["One paragraph.", "Two bold words.", "x"]
    assert read_text(EN_MT)[2] is False


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b" \n\t\r\n \xe3\x80\x80\n", "only whitespace"),
        (bytes(range(256)) * 8, "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary"),
    ],
)
def test_unreadable_files_raise_input_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_text(str(path))


def test_missing_file_and_directory_raise_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_document(str(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="directory"):
        load_document(str(tmp_path))


# --- language and script -----------------------------------------------------------------


def test_document_languages_and_scripts(docs: dict[str, Document]) -> None:
    got = {Path(p).name[:3]: (d.language, d.script) for p, d in docs.items()}
    assert got == {
        "000": ("en", None),
        "001": ("zh", "simplified"),
        "002": ("zh", "traditional"),
        "003": ("zh", "simplified"),
        "004": ("en", None),
    }


@pytest.mark.parametrize(
    ("sentence", "language"),
    [
        ("The meeting was held today.", "en"),
        ("Innovation drives economic growth now.", "en"),
        ("Science conference opens in Hohhot", "en"),
        ("会议以视频形式召开。", "zh"),
        ("會議以視頻形式召開。", "zh"),
        ("超纯凯时KB88金属绿色化制备", "zh"),
        ("Le chat est sur la table.", "other"),
        ("Der Hund ist nicht hier.", "other"),
        ("El perro está en la casa.", "other"),
        ("Привет, как дела у тебя?", "other"),
        ("東京で会議が開かれました。", "other"),
        ("서울에서 회의가 열렸다.", "other"),
        ("2023-04-17 12:00", "other"),
    ],
)
def test_short_sentence_language(sentence: str, language: str) -> None:
    assert detect_language(sentence) == language


def test_chinese_script() -> None:
    assert chinese_script("自治區黨委書記王偉中出席會議並講話") == "traditional"
    assert chinese_script("自治区党委书记王伟中出席会议并讲话") == "simplified"


def test_expected_language_mismatch_names_the_file() -> None:
    with pytest.raises(InputError, match=r"004_.*looks like English, but a Chinese source was expected"):
        load_document(EN_OTHER, expect="zh")
    with pytest.raises(InputError, match=r"002_.*looks like Chinese, but an English source was expected"):
        load_document(ZH_TRAD, expect="en")
    assert load_document(ZH_TRAD, expect="zh").language == "zh"


# --- normalisation -----------------------------------------------------------------------


def test_normalise_traditional_and_width() -> None:
    assert to_simplified("會議以視頻形式召開") == "会议以视频形式召开"
    assert fold_width("ＫＢ８８，ＡＢＣ：１２３！\u3000“好”。") == "KB88,ABC:123! “好”。"
    assert normalise(" 把論文寫在  大地上，\u3000ＯＫ。 ", "zh") == "把论文写在大地上,OK。"
    assert normalise("Ｆｕｘｉｎ\u3000 News\n Network ", "en") == "Fuxin News Network"


def _converted(text: str) -> str:
    from align.documents.normalise import _t2s

    return _t2s().convert(text)


def test_text_left_unconverted_is_text_the_converter_would_leave_as_it_is() -> None:
    # to_simplified skips texts without a character t2s would act on: the same output as
    # converting every text, on every line of the seeds (traditional 002 among them)
    lines = [line for path in SEEDS.glob("*.txt") for line in read_text(str(path)).text.splitlines() if line.strip()]
    assert lines and [to_simplified(line) for line in lines] == [_converted(line) for line in lines]
    assert to_simplified("沈默是金") == "沉默是金"  # a phrase whose characters the character table keeps


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="沈默船乾於隆著们會議有序是金的了一abc ，。", max_size=12))
def test_to_simplified_matches_the_converter_on_mixed_characters(text: str) -> None:
    assert to_simplified(text) == _converted(text)


def test_fold_width_keeps_length() -> None:
    text = "（ＡＩ）人工智能，、。“”"
    assert len(fold_width(text)) == len(text)


# --- boilerplate ---------------------------------------------------------------------------


def _assert_coverage(doc: Document) -> None:
    covered = [False] * len(doc.text)
    previous_end = 0
    for span in doc.body:
        assert previous_end <= span.start < span.end <= len(doc.text)
        previous_end = span.end
        covered[span.start:span.end] = [True] * len(span)
    for removal in doc.removals:
        assert removal.text == doc.text[removal.start:removal.end] and removal.reason
        if removal.kind == "spam":
            assert any(s.start <= removal.start and removal.end <= s.end for s in doc.body)
        else:
            covered[removal.start:removal.end] = [True] * (removal.end - removal.start)
    assert all(c.isspace() or ok for c, ok in zip(doc.text, covered))


def test_every_character_is_kept_or_accounted_for(docs: dict[str, Document]) -> None:
    for doc in docs.values():
        _assert_coverage(doc)


def test_003_loses_menus_and_second_copy(docs: dict[str, Document]) -> None:
    doc = docs[ZH_TWICE]
    body = body_text(doc)
    for opening in ("创新驱动是调结构", "姜宝林表示,落实《意见》要求", "从“一块煤”到“一匹布”", "11月29日,我区申报的",
                    "转盘式挤奶机。", "目标——", "聚焦“五大任务” 推动高质量发展"):
        assert body.count(opening) == 1, opening
    for chrome in ("发展和改革委员会", "当前位置", "上一篇", "下一篇", "蒙ICP备", "字体", "分享到", "打印本页",
                   "微信公众号", "呼伦贝尔市", "黑龙江", "传真", "网站地图"):
        assert chrome not in body, chrome
    assert {"duplicate", "menu", "footer", "widget", "pager"} <= kinds(doc)
    duplicate = next(r for r in doc.removals if r.kind == "duplicate" and len(r.text) > 1000)
    assert "already kept at lines" in duplicate.reason
    assert "spam" not in kinds(doc)  # menu labels that recur in the article are not spam


def test_002_copyright_footer_removed(docs: dict[str, Document]) -> None:
    body = body_text(docs[ZH_TRAD])
    assert "國際在線" not in body and "版權" not in body
    assert "會議以視頻形式召開" in body and "把論文寫在大地上" in body
    assert body.startswith("原標題:自治區科學技術獎勵大會在呼召開")
    assert {r.kind for r in docs[ZH_TRAD].removals} == {"footer"}


def test_001_spam_brand_reported_inside_body(docs: dict[str, Document]) -> None:
    doc = docs[ZH_SPAM]
    spam = [r for r in doc.removals if r.kind == "spam"]
    assert [r.text for r in spam] == ["凯时KB88"]
    assert "超纯凯时KB88金属" in doc.text[spam[0].start - 2:spam[0].end + 2]
    body = body_text(doc)
    assert body.count("凯时KB88") == 1  # the in-sentence occurrence; header and footer are gone
    assert "版权所有" not in body and "当前您所在的位置" not in body and "友情链接" not in body
    assert "2021年全区科技工作会议在呼召开" in body and "受疫情影响" in body


def test_generic_spam_without_latin_letters() -> None:
    text = (
        "金沙娱乐城官方网站\n网站首页 新闻中心 关于我们 联系我们\n当前位置:首页 > 新闻\n"
        "全区科技工作会议在呼和浩特召开，会议总结了过去一年的科技创新工作。\n"
        "会议指出，要加快推进金沙娱乐城关键核心技术攻关，提升创新能力和水平。\n"
        "版权所有 金沙娱乐城有限公司 蒙ICP备12345678号\n"
    )
    doc = load_text(text, "memory.txt")
    _assert_coverage(doc)
    assert [(r.kind, r.text) for r in doc.removals if r.kind == "spam"] == [("spam", "金沙娱乐城")]
    assert "会议总结了过去一年" in body_text(doc)


@pytest.mark.parametrize("seed", [EN_MT, EN_OTHER])
def test_english_seeds_keep_their_text(docs: dict[str, Document], seed: str) -> None:
    doc = docs[seed]
    visible = sum(not c.isspace() for c in doc.text)
    kept = sum(not c.isspace() for c in body_text(doc))
    assert kept >= 0.97 * visible
    assert not doc.removals or all(r.kind != "duplicate" for r in doc.removals)


def test_english_translated_widget_line_is_kept(docs: dict[str, Document]) -> None:
    body = body_text(docs[EN_MT])
    assert "Sharing let more people see recommendation reading." in body
    assert "Fuxin News Network" in body_text(docs[EN_OTHER])


def test_english_obvious_chrome_is_removed() -> None:
    text = (
        "Home > News > Science\n"
        "The city held its annual science and technology work conference on Friday morning.\n"
        "Officials said the new policies would support local companies and universities.\n"
        "Share to:\n"
        "Copyright © 2023 Fuxin News Network. All rights reserved.\n"
    )
    doc = load_text(text, "en.txt", expect="en")
    assert body_text(doc).splitlines() == text.splitlines()[1:3]
    assert {r.kind for r in doc.removals} == {"menu", "widget", "footer"}


def test_load_text_rejects_blank_text() -> None:
    with pytest.raises(InputError, match="empty"):
        load_text(" \n ", "stdin")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([
    "会议总结了过去一年的科技创新工作，安排部署了今年的重点任务。", "• 首页", "当前位置: 首页 > 新闻", "版权所有 某某网",
    "目标——", "北京 天津 河北 山西 辽宁", "", "  ", "上一篇: 某某", "The meeting was held in Hohhot.", "打印本页",
]), max_size=25), st.sampled_from(["zh", "en"]))
def test_clean_accounts_for_every_character(parts: list[str], language: str) -> None:
    text = "\n".join(parts)
    body, removals = clean(text, language)
    doc = Document(path="x", text=text, encoding="utf-8", language=language, body=body, removals=removals)
    _assert_coverage(doc)


def test_western_code_page_is_not_misread(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Le café est très bon, à côté de la gare. It’s “fine”.\n".encode("cp1252"))
    assert read_text(str(path))[0] == "Le café est très bon, à côté de la gare. It’s “fine”.\n"


def test_load_text_strips_html() -> None:
    doc = load_text("<html><body><p>会议总结了过去一年的科技创新工作，安排部署了今年的重点任务。</p></body></html>", "page")
    assert doc.is_html and body_text(doc) == "会议总结了过去一年的科技创新工作，安排部署了今年的重点任务。"
