"""The quality checks on hand-made pairs and on the seeds (no encoder needed)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from align.documents import load_document
from align.quality.checks import CHECKS, PairText, check_pairs
from align.quality.checks.boilerplate import BoilerplateCheck
from align.quality.checks.casing import CasingCheck
from align.quality.checks.coverage import CoverageCheck
from align.quality.checks.antonym import AntonymCheck
from align.quality.checks.gender import GenderCheck
from align.quality.checks.names import NameCheck
from align.quality.checks.negation import NegationCheck
from align.quality.checks.numbers import NumberCheck
from align.quality.checks.order import OrderCheck
from align.quality.checks.reference import ReferenceCheck
from align.quality.checks.repetition import RepetitionCheck
from align.quality.checks.spelling import SpellingCheck
from align.quality.checks.untranslated import UntranslatedCheck
from align.quality.numerals import en_quantities, parse_zh_number, zh_quantities
from align.quality.reference import document_scores
from align.sentences import split_document
from align.types import Severity

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
ENGLISH_ONLY = (UntranslatedCheck(), RepetitionCheck(), SpellingCheck(), CasingCheck(), BoilerplateCheck(),
                OrderCheck())


def flags(check, zh: str, en: str, ref: str | None = None):
    return check.run(PairText(zh, en, ref)).flags


def seed_sentences(prefix: str) -> list[str]:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return [s.text for s in split_document(load_document(str(path)))]


def seed_sentence(prefix: str, words: str) -> str:
    return next(s for s in seed_sentences(prefix) if words in s)


# --- numerals --------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("48.2亿", 4.82e9), ("三千五百万", 3.5e7), ("1.2万", 12000), ("百分之五", 5), ("二〇二一", 2021),
    ("十二", 12), ("二十", 20), ("三亿五千万", 3.5e8), ("5万亿", 5e12), ("三点五", 3.5), ("三成", 30),
    ("一千零五", 1005), ("一万零五百", 10500), ("一万二", 12000), ("三千五", 3500), ("一亿二", 1.2e8),
])
def test_chinese_numbers_parse(text, value):
    assert parse_zh_number(text) == pytest.approx(value)


def test_chinese_quantities_in_text():
    found = [(q.text, q.value, q.salient) for q in zh_quantities("2021年11月27日，投资48.2亿元，这十分重要")]
    assert found == [("2021年", 2021, True), ("11月", 11, True), ("27日", 27, True),
                     ("48.2亿元", 4.82e9, True), ("十分", 10, False)]
    assert [q.value for q in zh_quantities("十四五规划")] == [14, 5]  # two numbers, not 145


def test_english_quantities():
    found = {q.text: q.values for q in en_quantities(
        "On November 27, 2021, 4.82 billion yuan, thirty-five million people, 5% and the 25th; COVID-19 and 5G")}
    assert found["4.82 billion"] == (4.82e9,)
    assert found["thirty-five million"] == (3.5e7,)
    assert found["November"] == (11,) and found["25th"] == (25,) and found["5%"] == (5,)
    assert "19" not in found and "5" not in found  # parts of names, not quantities


# --- each check, firing and silent -------------------------------------------------------

def test_a_counted_two_changed_into_another_number_word():
    zh = "小型飞机上两名乘客遇难。"
    found = flags(NumberCheck(), zh, "Six passengers on the small plane died.")
    assert [(f.severity, f.reason) for f in found] == [("major", "两名 (2) rendered as Six")]
    assert flags(NumberCheck(), "一名两岁儿童受伤。", "A six-year-old child was hurt.")[0].reason == "两岁 (2) rendered as six"
    # a two is not demanded ("both", "a couple"), a number word alone is no number the Chinese must have,
    # and a numeral inside a word (十分 "very") is no count
    for zh, en in ((zh, "Two passengers on the small plane died."), (zh, "Both passengers on the small plane died."),
                   ("他是其中一员。", "He is one of them."), ("这十分重要，半年来最严重。", "It is the worst in six months."),
                   ("两名学生见面了。", "The pair met for the third time."), ("两名学生见面了。", "The pair met in March.")):
        assert flags(NumberCheck(), zh, en) == (), en


def test_number_changed_missing_and_matched():
    zh = "全区投入48.2亿元。"
    changed = flags(NumberCheck(), zh, "The region invested 48.2 million yuan.")
    assert [(f.severity, f.reason) for f in changed] == [
        ("major", "48.2亿元 (4.82 billion) rendered as 48.2 million")]
    assert flags(NumberCheck(), zh, "The region invested 4.82 billion yuan.") == ()
    missing = flags(NumberCheck(), "增长百分之五。", "It grew.")
    assert missing[0].side == "zh" and "missing" in missing[0].reason
    assert flags(NumberCheck(), "", "In 2021 it grew 5%.") == ()  # English-only pairs: silent


def test_names_expected_forms_and_wrong_renderings():
    zh = "王莉霞强调，要增强政治意识。"
    assert flags(NameCheck(), zh, "Wang Lixia stressed the need to enhance political awareness.") == ()
    wrong = flags(NameCheck(), zh, "Wang Lixa stressed the need to enhance political awareness.")
    assert [(f.severity, f.reason) for f in wrong] == [("major", "王莉霞 (Wang Lixia) rendered as 'Wang Lixa'")]
    good = "The meeting was held by video, with branch venues in the leagues and cities, Manzhouli and Erenhot."
    assert flags(NameCheck(), "会议以视频形式召开，各盟市和满洲里市、二连浩特市设分会场。", good) == ()


def test_names_own_romanisations_and_other_readings_are_not_wrong():
    """Western-order names people abroad write themselves, Wade-Giles, transliterations jieba
    cut short, places jieba tags as people, demonyms, acronyms and pinyin of other words."""
    zh = "当天，美国运输部长赵小兰、美联邦众议员孟昭文以及国际领袖基金会创会会长董继玲等分别在会上发言。"
    en = ("Elaine Chao, US Department of Transportation Secretary, Grace Meng, a member of the House of "
          "Representatives, and Chiling Tong, founding president of the International Leadership Foundation, "
          "each spoke at the meeting.")
    assert flags(NameCheck(), zh, en) == ()
    assert flags(NameCheck(), "到2007年、2008年，龙溪河变成臭水沟。", "By 2008, the Longxi River became a ditch.") == ()
    assert flags(NameCheck(), "按计划，杜特尔特将在位于奎松市的菲律宾国会大楼发表讲话。",
                 "Duterte will speak at the Philippine Congress building in Quezon City.") == ()


@pytest.mark.parametrize("zh, en", [
    ("比利时3岁女童死于新冠病毒感染-新华网", "Belgian 3-year-old girl dies of COVID-19 infection-Xinhuanet"),
    ("新华社西宁7月26日电（记者王金金周喆）", "XINING, July 26 (Xinhua) (Journalist: Wang Jinjin, Zhou Zhe)"),
    ("国务委员兼外长王毅正在阅读有关联合国可持续发展的报告。",
     "Yi Wang, the State Councilor and Foreign Minister, was reading the UN report."),
    ("深入推进长江流域禁捕退捕工作。", "We will ban fishing in the Yangtze River basin."),
    ("中新网7月26日电，法国南特大教堂受损。", "July 26 (Ecns.cn) The cathedral of Nantes was damaged."),
])
def test_names_dictionary_names_in_their_other_forms(zh, en):
    """Demonyms, a multi-word name's distinctive word, acronyms, CC-CEDICT's "or" alternatives;
    a web address is no name."""
    assert flags(NameCheck(), zh, en) == ()


def test_names_near_misses_still_flagged():
    """The Chinese order and a pinyin-shaped wrong name stay wrong; a near miss goes to the
    name it resembles."""
    zh = "当天，美国运输部长赵小兰、美联邦众议员孟昭文以及国际领袖基金会创会会长董继玲等分别在会上发言。"
    en = ("Elaine Chao, US Department of Transportation Secretary, Meng Zhaowei, a member of the House of "
          "Representatives, and Chiling Tong, founding president of the International Leadership Foundation, "
          "each spoke at the meeting.")
    assert [f.reason for f in flags(NameCheck(), zh, en)] == ["孟昭文 (Meng Zhaowen) rendered as 'Meng Zhaowei'"]
    wrong = flags(NameCheck(), "（记者聂青）", "(Reporter Zou Qing)")
    assert [f.reason for f in wrong] == ["聂青 (Nie Qing) rendered as 'Zou Qing'"]  # the title is no part of the name
    wrong = flags(NameCheck(), "南仁东是首席科学家。", "Nanren Dong is the chief scientist.")
    assert [f.reason for f in wrong] == ["南仁东 (Nan Rendong) rendered as 'Nanren Dong'"]


def test_names_a_well_known_place_standing_for_another():
    """Common names (Paris, Shanghai) are names to the check too: CC-CEDICT's glosses only write
    them capitalised, even at the start of a sentence; a country jieba keeps with its title
    (德国总理) is a name of its own."""
    zh = "他昨天在北京参加了会议。"
    assert flags(NameCheck(), zh, "He attended the meeting in Beijing yesterday.") == ()
    wrong = flags(NameCheck(), zh, "He attended the meeting in Paris yesterday.")
    assert [(f.severity, f.reason) for f in wrong] == [("major", "北京 (Beijing) rendered as 'Paris'")]
    wrong = flags(NameCheck(), "中国的经验表明，投资卫生系统非常重要。", "Berlin's experience shows that health systems matter.")
    assert [f.reason for f in wrong] == ["中国 (China) rendered as 'Berlin'"]
    wrong = flags(NameCheck(), "江西省财政厅下达了救灾资金。", "The Berlin Provincial Finance Department issued relief funds.")
    assert [f.reason for f in wrong] == ["江西 (Jiangxi) rendered as 'Berlin'"]  # inside a long run
    zh = "中国投资了研究，这使中国准备得更好。"
    assert flags(NameCheck(), zh, "China invested in research, which left it better prepared.") == ()
    wrong = flags(NameCheck(), zh, "Shanghai invested in research, which left China better prepared.")
    assert [f.reason for f in wrong] == ["中国 (China) rendered as 'Shanghai'"]  # one of two mentions
    zh = "习近平在北京会见了德国总理。"
    assert flags(NameCheck(), zh, "Xi Jinping met the German chancellor in Beijing.") == ()
    wrong = flags(NameCheck(), zh, "Xi Jinping met the French chancellor in Beijing.")
    assert [f.reason for f in wrong] == ["德国 (Germany) rendered as 'French'"]


@pytest.mark.parametrize("zh, en", [
    ("美国国民饮食中最大的改善就是糖分降低。", "The biggest improvement in the American diet is less sugar."),
    ("理由是，这两个旅游胜地的感染率远低于英国本土。", "The infection rate there is much lower than on the British mainland."),
    ("西班牙政府将设法说服英国政府。", "The Spanish government will try to persuade the British government."),
    ("中新网7月26日电，法国南特大教堂受损。", "July 26 The cathedral of Nantes was damaged."),
    # a person's second mention (jieba cuts 杜特|尔特) is no place for a well-known name to stand in
    ("杜特尔特总统将说明政府如何带领菲律宾应对疫情；杜特尔特还将说明其他计划。",
     "President Duterte will explain how the government will lead the Philippines through the epidemic; "
     "he will also explain other plans."),
])
def test_names_well_known_names_the_chinese_accounts_for(zh, en):
    """An adjective the glosses of the country's characters or of its people give (美 "America",
    西班牙人 "Spanish"), and a month, stand for no missing name."""
    assert flags(NameCheck(), zh, en) == ()


@pytest.mark.parametrize("zh, en", [
    # the adjective CC-CEDICT gives the country's people renders the country, however many names follow
    ("据英国《地铁报》消息，英国公主比阿特丽斯和莫齐订婚。",
     "According to the British newspaper Metro, British Princess Beatrice and Mozzi were engaged."),
    ("在美国的单边主义越发凸显的当下，希拉克的思考具有启示意义。",
     "At a time when American unilateralism is rising, Mr. Chirac's thinking is enlightening."),
    # two places named together, in either order and either form
    ("美中贸谈代表传8月会面", "Sino-US trade negotiators to meet in August"),
    ("由于美中关系不佳，新一轮贸易谈判不太可能进行。", "Due to poor US-China relations, new talks are unlikely."),
    # a name that is also a common word, rendered as that word
    ("光大集团将运用现代科技思维和手段。", "Everbright Group will use modern technological thinking and means."),
])
def test_names_places_as_adjectives_pairs_and_common_words(zh, en):
    assert flags(NameCheck(), zh, en) == ()


def test_names_pairs_and_adjectives_still_catch_a_wrong_place():
    wrong = flags(NameCheck(), "由于美中关系不佳，新一轮贸易谈判不太可能进行。", "Due to poor Sino-Japanese relations, "
                  "new talks are unlikely.")
    assert [f.reason for f in wrong] == ["美中 (USA-China) rendered as 'Sino-Japanese'"]
    wrong = flags(NameCheck(), "在美国的单边主义越发凸显的当下，希拉克的思考具有启示意义。",
                  "At a time when French unilateralism is rising, Mr. Chirac's thinking is enlightening.")
    assert [f.reason for f in wrong] == ["美国 (United States) rendered as 'French'"]


def test_names_inconsistent_across_an_article():
    pairs = [PairText("王莉霞强调，要增强政治意识。", "Wang Lixia stressed political awareness."),
             PairText("王莉霞出席会议。", "Wang Lixia attended the meeting."),
             PairText("王莉霞讲话。", "Lixia Wang spoke.")]
    found = NameCheck().run_all(pairs)
    assert found[0].flags == () and found[1].flags == ()
    assert found[2].flags[0].reason == "王莉霞 rendered as 'Lixia Wang' here but 'Wang Lixia' elsewhere"


def test_untranslated_and_chinese_punctuation():
    found = flags(UntranslatedCheck(), "", "The 内蒙古 conference opened，with “quotes” kept.")
    assert [(f.severity, f.reason) for f in found] == [
        ("major", "'内蒙古' left untranslated"), ("minor", "Chinese punctuation '，' in the English")]
    assert flags(UntranslatedCheck(), "", "He said “innovation is key”…") == ()
    # Han beyond the common block (𠮷 of Extension B, 㐂 of Extension A) is Chinese left in too;
    # kana and Yijing hexagrams are not.
    assert [f.reason for f in flags(UntranslatedCheck(), "", "The 𠮷野家 and 㐂 shops opened.")] == [
        "'𠮷野家' left untranslated", "'㐂' left untranslated"]
    assert flags(UntranslatedCheck(), "", "The ラーメン shop and the ䷀ sign opened.") == ()


def test_repetition():
    found = flags(RepetitionCheck(), "", "the new the new the new plan")
    assert found[0].severity == "major" and "'the new' repeated 3 times" in found[0].reason
    assert flags(RepetitionCheck(), "", "It had had a win-win effect on China, China's partners.") == ()


def test_spelling_flags_listed_slips_for_frequent_words():
    """wordfreq lists frequent misspellings; a rare one a slip away from a far more frequent
    word is flagged, real rare words and names are not."""
    found = flags(SpellingCheck(), "", "We must strenghten the building of research integrity.")
    assert [(f.severity, f.reason) for f in found] == [
        ("minor", "'strenghten' looks like a misspelling of 'strengthen'")]
    assert [f.reason for f in flags(SpellingCheck(), "", "It was offically opened.")] == [
        "'offically' looks like a misspelling of 'officially'"]
    # Real rare words near frequent ones: planing (刨, not planning), overage, sharers, loots.
    real = "The overage workers were planing boards; the knowledge sharers saw loots and litters."
    assert flags(SpellingCheck(), "", real) == ()
    assert flags(SpellingCheck(), "", "Ordos and Erenhot built the Strenghten Hall.") == ()  # names


def test_spelling_suggests_a_correction():
    found = flags(SpellingCheck(), "", "They are concentrateing power on xyzzyqq.")
    assert [f.reason for f in found] == ["'concentrateing' is not an English word (concentrating?)",
                                         "'xyzzyqq' is not an English word"]
    assert flags(SpellingCheck(), "", "Visit www.xinhuanet.com, said Erenhot officials.") == ()


def test_casing():
    assert flags(CasingCheck(), "", "The Ministry of Science and Technology met the Party on Article 26.") == ()
    found = flags(CasingCheck(), "", "We will support Various innovative platforms in the region.")
    assert [(f.severity, f.reason) for f in found] == [("minor", "'Various' is capitalised mid-sentence")]


def test_casing_of_a_name_written_in_lower_case():
    found = flags(CasingCheck(), "", "Talks were held in beijing with the chinese side.")
    assert [(f.severity, f.reason) for f in found] == [("minor", "'beijing' is a name written in lower case"),
                                                       ("minor", "'chinese' is a name written in lower case")]
    # words the glosses also write in lower case, few capitalised ones, addresses, and "internet"
    for en in ("He ate a turkey.", "The god of the sea.", "See www.china.org.cn for more.", "It is on the internet."):
        assert flags(CasingCheck(), "", en) == (), en


def test_casing_fragment_of_capitalised_words_at_a_clause_end():
    found = flags(CasingCheck(), "", "We must let the driving force of technological innovation Get Strong.")
    assert [(f.severity, f.reason) for f in found] == [("major", "'Get Strong' is a fragment capitalised mid-sentence")]
    found = flags(CasingCheck(), "", "We must push industry toward high-end, intelligent and green Make It.")
    assert [f.reason for f in found] == ["'Make It' is a fragment capitalised mid-sentence"]
    # Titles end clauses too: nouns, joined by connectors or after "the"; a name with a verb-like word.
    for title in ("China will promote the Belt and Road Initiative.", "China will promote Belt and Road Initiative.",
                  "The theme is Gathering Light Valley and Enjoy the Future.",
                  "He set aside money in the Prevention and Control Fund.",
                  "During the meeting, Do Tiensy, secretary of the committee, spoke."):
        assert flags(CasingCheck(), "", title) == (), title


def test_coverage_addition_despite_a_stray_gloss_match():
    zh = "11月27日,自治区科学技术奖励大会在呼和浩特召开。"
    en = ("On November 27, the regional science and technology award conference was held in Hohhot, where heavy "
          "snow had closed the airport for three days and many delegates arrived late by train.")
    found = flags(CoverageCheck(), zh, en)  # "days" glosses 日, by chance
    assert [(f.name, en[f.start:f.end]) for f in found] == [
        ("addition", "where heavy snow had closed the airport for three days and many delegates arrived late by train")]
    faithful = "On November 27, the regional science and technology award conference was held in Hohhot."
    assert flags(CoverageCheck(), zh, faithful) == ()
    # A transliterated name covers its English (奥尼尔 "O'Neal"), and 5.792 is one number, not two clauses.
    assert flags(CoverageCheck(), "奥尼尔在NBA球星中，罚球命中率很低。",
                 "Among all NBA stars, Shaquille O'Neal has a low free throw percentage.") == ()
    assert flags(CoverageCheck(), "伊利股份已支付57.92亿元用于股份回购。",
                 "Yili has paid RMB 5.792 billion for share repurchases.") == ()


@pytest.mark.parametrize("en", ["The meeting opened at 9 a.m. and closed at 5 p.m.",
                                "The meeting opened at 9am and closed at 5pm.",
                                "The meeting opened at 9 am and closed at 5 pm."])
def test_a_clock_times_am_and_pm_render_the_part_of_the_day_and_its_hour(en):
    zh = "会议于上午9时开幕，下午5时闭幕。"
    assert [f.name for c in (CoverageCheck(), NumberCheck(), OrderCheck()) for f in flags(c, zh, en)] == []
    assert [f.name for f in flags(CoverageCheck(), zh, "The meeting opened.")] == ["omission"]
    assert flags(NumberCheck(), "会议于上午9时30分开幕。", "It opened at 9:30am.") == ()
    assert [f.reason for f in flags(NumberCheck(), "会议于上午9时30分开幕。", "It opened at 9:35am.")] == [
        "30分 is missing from the English"]


def test_coverage_omission_addition_unrelated():
    zh = "会议强调，要加快科技创新，推动产业转型升级，加强人才培养。"
    full = ("The meeting stressed the need to accelerate scientific and technological innovation, promote "
            "industrial transformation and upgrading, and strengthen the training of talent.")
    assert flags(CoverageCheck(), zh, full) == ()
    cut = flags(CoverageCheck(), zh, "The meeting stressed the need to accelerate")
    assert cut[0].name == "omission" and cut[0].side == "zh"
    other = flags(CoverageCheck(), zh, "Heavy rain flooded several villages and farmers lost their crops overnight.")
    assert other[0].name == "unrelated" and other[0].severity == "critical"
    assert flags(CoverageCheck(), "", "Anything at all.") == ()


def test_coverage_reports_english_too_short_and_too_long_as_separate_signals():
    zh = "会议强调，要加快科技创新，推动产业转型升级，加强人才培养。"
    short = CoverageCheck().run(PairText(zh, "The meeting stressed innovation.")).signals
    long = CoverageCheck().run(PairText(zh, "The meeting, which was long and was held in the big hall of the "
                                            "city, stressed again and again and at great length that the need "
                                            "to accelerate scientific and technological innovation is urgent, "
                                            "and that industrial upgrading and the training of talent matter.")).signals
    assert short["coverage.length_z"] < 0 < long["coverage.length_z"]
    assert short["coverage.short_z"] == -short["coverage.length_z"] and short["coverage.long_z"] == 0
    assert long["coverage.long_z"] == long["coverage.length_z"] and long["coverage.short_z"] == 0


def test_negation():
    zh = "这个问题没有解决。"
    assert flags(NegationCheck(), zh, "The problem has not been solved.") == ()
    assert flags(NegationCheck(), zh, "The problem has been solved.")[0].side == "zh"
    added = flags(NegationCheck(), "问题已经解决。", "The problem has not been solved.")
    assert added[0].reason == "'not' negates what the Chinese does not"
    assert flags(NegationCheck(), "他能不能来？", "Can he come?") == ()  # A-not-A is a question


def test_a_lost_negation_is_seen_past_words_that_only_look_negative():
    zh = "他没有参加这次国际会议。"
    # in-, im-, dis- open many plain words: they do not stand for the 没有
    for en in ("He attended this important international meeting.", "He discussed the information at the meeting."):
        assert [f.name for f in flags(NegationCheck(), zh, en)] == ["negation"], en
    # a word negated by its prefix renders the Chinese negation
    for en in ("He was unable to attend the international meeting.", "His attendance was illegal.",
               "He was absent from the international meeting.", "It was an unprecedented meeting."):
        assert flags(NegationCheck(), zh, en) == (), en
    assert flags(NegationCheck(), "非方赞赏中国的作用。", "Africa appreciates China's role.") == ()  # 非: Africa


def test_gender():
    zh = "她说，这个问题已经解决了。"
    assert flags(GenderCheck(), zh, "She said the problem had been solved.") == ()
    swapped = flags(GenderCheck(), zh, "He said the problem had been solved.")
    assert [(f.reason, f.severity.value, f.start) for f in swapped] == [("'He' where the Chinese says 她 (she)", "minor", 0)]
    assert flags(GenderCheck(), "他的女儿说。", "Her daughter said.")[0].reason == "'Her' where the Chinese says 他 (he)"
    assert flags(GenderCheck(), "其他人说。", "She said.") == ()  # 其他 "other" is no pronoun
    assert flags(GenderCheck(), "他对她说。", "She told him.") == ()  # both in both: nothing to settle
    assert flags(GenderCheck(), "会议结束了。", "She left after the meeting.") == ()  # a subject left out
    # both genders in the English, the Chinese of one only: the other needs a word of its gender
    mixed = flags(GenderCheck(), "他已承认，是自己在教堂里点火。", "He has admitted that she set the fire in the church.")
    assert [f.reason for f in mixed] == ["'she' where the Chinese says 他 (he)"]
    assert flags(GenderCheck(), "他感谢了王女士的帮助。", "He thanked Ms Wang for her help.") == ()
    assert not check_pairs([PairText(zh, "He said so.", partial=True)])[0].flags  # another report's sentence


def test_antonym():
    zh = "今年一季度出口大幅增加。"
    assert flags(AntonymCheck(), zh, "Exports increased sharply in the first quarter.") == ()
    reversed_ = flags(AntonymCheck(), zh, "Exports decreased sharply in the first quarter.")
    assert [(f.reason, f.severity.value, f.start) for f in reversed_] == [
        ("'decreased' where the Chinese says 增加, which means its opposite", "minor", 8)]
    assert flags(AntonymCheck(), "股价上涨了5%。", "The share price fell 5%.")[0].end == 20
    # 不容易 "not easy": "difficult" renders it, and so does "not easy"
    assert flags(AntonymCheck(), "找到正确的道路不容易。", "Finding the right path is difficult.") == ()
    assert flags(AntonymCheck(), "价格很高。", "The price is not low.") == ()  # a negated opposite renders it
    assert flags(AntonymCheck(), "中国新闻网报道。", "The Old Town News reported.") == ()  # a name, not a word
    # the English uses both words: the opposite is there, nothing is reversed
    assert flags(AntonymCheck(), "出口增加。", "Exports increased as imports decreased.") == ()
    # 了 is a particle ("to finish" is another of its senses): "began" reverses nothing
    assert flags(AntonymCheck(), "训练开展了。", "The training began.") == ()
    assert not check_pairs([PairText(zh, "Exports fell.", partial=True)])[0].flags  # another report's sentence
    # a compound's short sense ("high temperature", "end of the month") and a localizer (后 "after")
    assert flags(AntonymCheck(), "北京出现高温。", "Beijing saw low temperatures.")[0].reason.endswith(
        "says 高温, which means its opposite")
    assert flags(AntonymCheck(), "会议在月底举行。", "The meeting was held at the start of the month.")[0].start == 28
    assert flags(AntonymCheck(), "签署协定后进入市场。", "Enter the market before signing the agreement.")
    assert flags(AntonymCheck(), "签署协定后进入市场。", "Enter the market after signing the agreement.") == ()
    # a sense opening on a qualifier or negated says something else: 依然 "as before" is "still";
    # 陆续 "one after another" renders the "after" of an idiom; 下 of 情况下 is no "below"
    assert flags(AntonymCheck(), "马来西亚依然致力于合作。", "Malaysia is committed to cooperation after all.") == ()
    assert flags(AntonymCheck(), "此前迁徙的藏羚羊陆续返回。", "Antelopes return one after another.") == ()
    assert flags(AntonymCheck(), "在这种情况下落后4分。", "Four points above the leaders in this case.") == ()
    # "defeated" Genoa is a win
    assert flags(AntonymCheck(), "国际米兰完胜热那亚。", "Inter Milan defeated Genoa.") == ()


def test_order():
    assert flags(OrderCheck(), "", "The meeting was held in the city of Hohhot.") == ()
    assert flags(OrderCheck(), "", "meeting held the of was city in the Hohhot.")[0].name == "order"


@pytest.mark.parametrize("en", [
    "The exhibition will be open from 9 a.m. to 11 p.m. on holidays as usual.",  # was 'a', 'm. to', 'm. on'
    "Analysts believe that the U.S. economy will continue to slow down.",  # was 'S. economy' twice
    "The overall valuation of the A-share market is low, and the A-share companies buy back.",
    "The ministry made an in-depth study of the have-nots and a to-do list.",
    "Ping An of China disclosed the progress, and Lumeng An in Hohhot reported it.",  # the surname An
    "The will of the people is a must; they fought with all your might.",
    "They trade in Serie A.",
])
def test_order_and_lost_words_leave_abbreviations_compounds_and_names_alone(en):
    assert flags(OrderCheck(), "", en) == ()


@pytest.mark.parametrize("en, reason", [
    ("The article emphasizes that the government and its must respect science.",
     "'its' is followed by 'must': a word is missing after it"),
    ("Sanchez, who came off the, also contributed a goal.",
     "'the' is followed by the end of the clause: a word is missing after it"),
    ("The party and its and its coalition partners have a close alliance.",
     "'its' is followed by 'and': a word is missing after it"),
    ("It improves the of the membrane.", "'the' is followed by 'of': a word is missing after it"),
])
def test_a_determiner_with_nothing_to_determine_is_a_lost_word(en, reason):
    found = flags(OrderCheck(), "", en)
    assert [(f.name, f.severity, f.reason) for f in found] == [("grammar", Severity.MINOR, reason)]
    assert en[found[0].start:found[0].end] in ("its", "the")


def test_boilerplate():
    found = flags(BoilerplateCheck(), "", "Sharing let more people see recommendation reading.")
    assert found[0].severity == "major"
    assert flags(BoilerplateCheck(), "", "Readers shared their views on the new policy.") == ()


def test_reference_scores():
    finding = ReferenceCheck().run(PairText("", "The cat sat on the mat.", "The cat sat on the mat."))
    assert finding.flags == () and finding.signals["reference.chrf"] == pytest.approx(100)
    far = ReferenceCheck().run(PairText("", "Stocks fell sharply in Tokyo.", "The cat sat on the mat."))
    assert far.flags[0].name == "reference"
    assert ReferenceCheck().run(PairText("", "No reference here.")).signals == {}
    doc = document_scores(["The cat sat on the mat.", "x"], ["The cat sat on the mat.", None])
    assert doc == {"chrf": 100.0, "bleu": 100.0, "pairs": 1.0}
    assert document_scores(["a"], [None]) is None


def test_check_pairs_runs_every_check_and_names_signals():
    found = check_pairs([PairText("全区投入48.2亿元。", "The region invested 48.2 million yuan.")])
    assert {f.name for f in found[0].flags} >= {"number"}
    assert all("." in key for key in found[0].signals)
    assert len({c.name for c in CHECKS}) == len(CHECKS)


def test_check_pairs_in_chunks_finds_what_it_finds_whole(monkeypatch: pytest.MonkeyPatch):
    """Chunks keep a long article's texts in the lexicon caches; they must not change a finding, and
    a check of the whole article (one name spelt two ways) still sees every pair."""
    import align.quality.checks as checks

    pairs = [PairText("王莉霞强调，要增强政治意识。", "Wang Lixia stressed political awareness."),
             PairText("全区投入48.2亿元。", "The region invested 48.2 million yuan."),
             PairText("王莉霞出席会议。", "Wang Lixia attended the meeting."),
             PairText("", "the creative creative creative love"),
             PairText("王莉霞讲话。", "Lixia Wang spoke.")]
    whole = check_pairs(pairs)
    monkeypatch.setattr(checks, "_CHUNK", 2)
    assert check_pairs(pairs) == whole
    assert sum(bool(f.flags) for f in whole) == 3  # the number, the loop, and ...
    assert "elsewhere" in whole[4].flags[0].reason  # ... across chunks: 'Lixia Wang' against 'Wang Lixia'


# --- the seeds -------------------------------------------------------------------------

def test_seed_000_garbles_flagged_with_the_right_reason():
    zh = seed_sentence("002", "二連浩特")
    en = seed_sentence("000", "Doubletham City")
    reasons = {(f.name, f.reason) for f in check_pairs([PairText(zh, en)])[0].flags}
    assert ("name", "二连浩特 (Erenhot) rendered as 'Doubletham City'") in reasons
    assert ("name", "盟 (league, an administrative division) rendered as 'alliances'") in reasons

    english = " ".join(seed_sentences("000"))
    found = {(f.name, english[f.start:f.end], f.reason) for f in check_pairs([PairText("", english)])[0].flags}
    expected = {
        ("repetition", "creative creative creative", "'creative' repeated 3 times in a row"),
        ("repetition", "Enterprise Enterprises", "duplicated word: 'Enterprise Enterprises'"),
        ("spelling", "concentrateing", "'concentrateing' is not an English word (concentrating?)"),
        ("casing", "Get up", "'Get up' is a fragment capitalised mid-sentence"),
        ("casing", "Make it", "'Make it' is a fragment capitalised mid-sentence"),
        ("boilerplate", "Sharing let more people see recommendation reading",
         "'Sharing let more people see recommendation reading' is translated page chrome "
         "(share/reading widgets), not article text"),
    }
    assert expected <= found


def test_seed_004_clean_english_is_not_flagged():
    """A clean translation: no flag at all, not even a minor one, from the English-side checks."""
    found = [(f.reason, sentence) for sentence in seed_sentences("004") for check in ENGLISH_ONLY
             for f in flags(check, "", sentence)]
    assert found == []


def test_resources_load_lazily_and_quietly(tmp_path: Path):
    """Importing the checks loads nothing; jieba's first use prints nothing (an empty cache
    folder, so that jieba really runs)."""
    code = ("import sys; import align.quality.checks; "
            "assert not {'jieba', 'pypinyin', 'wordfreq', 'sacrebleu'} & set(sys.modules); "
            "from align.lexicon.chinese import words; words('二连浩特市设分会场'); "
            "assert 'jieba' in sys.modules")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(SEEDS.parent.parent / "src"),
                               "ALIGN_HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


# --- comparable pairs: the Chinese is another report's sentence ------------------------------------

SPEECH = ("王偉中在講話中充分肯定了近年來全區科技創新工作取得的新進展新成效,向全區廣大科技工作者致以崇高敬意。",
          "Shi Taifeng first represented a warm congratulations to all the winners, and worshiped their respect "
          "for science and technology workers.")


def found(zh: str, en: str, partial: bool):
    return check_pairs([PairText(zh, en, partial=partial)])[0]


def test_three_character_names_are_not_cut_to_two() -> None:
    from align.lexicon.chinese import words

    assert [w.text for w in words("王偉中在講話中")][:2] == ["王伟中", "在讲话中"]
    assert [w.text for w in words("黄溪连说")] == ["黄溪连", "说"]
    # a name of two, then a word of its own: left alone
    assert [w.text for w in words("王伟说")] == ["王伟", "说"]
    assert [w.text for w in words("李明中午到达")][:2] == ["李明", "中午"]


def test_another_reports_speaker_is_a_note_not_a_flag() -> None:
    as_translation = found(*SPEECH, partial=False)
    assert "王伟中 (Wang Weizhong) rendered as 'Shi Taifeng'" in [f.reason for f in as_translation.flags]
    other = found(*SPEECH, partial=True)
    assert not [f for f in other.flags if f.name in ("name", "number", "omission", "negation")]
    assert [n.reason for n in other.notes] == ["the other report names 王偉中 (Wang Weizhong) here; "
                                               "the English names 'Shi Taifeng'"]
    editor = found("(記者 李晗)", "(Editor: Liu Ze, Zhang Xue Dong) Sharing let more people see it.", partial=True)
    assert not [f for f in editor.flags if f.name == "name"] and len(editor.notes) == 1
    # another place the English names in its own spelling is information too
    place = found("普京总统今天访问了圣彼得堡。", "President Putin visited Kronstadt today.", partial=True)
    assert not place.flags and "names 圣彼得堡 (Saint Petersburg) here" in place.notes[0].reason
    # one of the same surname is another person too; a misspelling of this very name is not
    assert found("中心总经理刘威说。", "(Editor: Liu Ze)", partial=True).notes
    assert [f.reason for f in found("厅长王莉霞主持会议。", "Wang Lixa presided.", partial=True).flags] == [
        "王莉霞 (Wang Lixia) rendered as 'Wang Lixa'"]


def test_a_garbled_rendering_of_the_term_both_sides_use_stays_a_flag() -> None:
    other = found("會議以視頻形式召開,各盟市和滿洲裏市、二連浩特市設分會場。",
                  "The conference was held in a video form, alliances and Manzhouli City, Doubletham City.", True)
    assert [f.reason for f in other.flags] == ["二连浩特 (Erenhot) rendered as 'Doubletham City'",
                                               "盟 (league, an administrative division) rendered as 'alliances'"]


def test_numbers_and_negation_on_comparable_pairs() -> None:
    idiom = ("冯家举指出,当今世界正经历百年未有之大变局。", "We must recognize the situation and face the problem.")
    assert [f.name for f in found(*idiom, partial=False).flags].count("number") == 1
    assert not found(*idiom, partial=True).flags  # what only the other report states proves nothing
    changed = found("全区技术合同成交额达48.2亿元。", "The turnover of technology contracts reached 4.82 million yuan.",
                    partial=True)
    assert not changed.flags
    assert [n.reason for n in changed.notes] == ["the other report states 48.2亿元 (4.82 billion) here; "
                                                 "the English says 4.82 million"]
    negated = ("会议没有取消。", "The meeting was cancelled.")
    assert [f.name for f in found(*negated, partial=False).flags] == ["negation"]
    other = found(*negated, partial=True)
    assert not other.flags and other.signals["negation.zh"] == 1.0  # the score still reads the signal
