"""The accepted pairs as TMX 1.4, the translation-memory format localization tools read.

A pair is accepted when it is linked (it has a Chinese side) and its quality was
assessed and is not garbled: a garbled rendering must not enter a translation
memory. Chinese is the source language. Each unit carries the pair number (from 1) as
``tuid`` and the source report, alignment confidence, score and any remaining
(minor) flags as ``prop`` elements, so tools can filter further.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from align import __version__
from align.report.safe import BIDI, safe_name
from align.report.summary import describe_timings, pair_number
from align.types import Language, Pair, Report

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters XML 1.0 forbids even when escaped, and the other controls no translation holds
# (DEL, C1, bidirectional overrides, which would act on whoever views the memory).
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff" + BIDI + "]")
_LANG = {"simplified": "zh-CN", "traditional": "zh-TW"}


def accepted(pairs: Sequence[Pair]) -> list[Pair]:
    return [p for p in pairs if p.source >= 0 and p.zh_text.strip() and p.en_text.strip()
            and p.quality is not None and not p.quality.garbled]


def _segment(text: str, lang: str) -> str:
    """One line of text: line breaks inside a multi-sentence bead go (Chinese does not
    space its sentences), other runs of whitespace become one space."""
    text = _INVALID.sub("", text)
    if lang != Language.EN:
        text = re.sub(r"\s*\n\s*", "", text)
    return re.sub(r"\s+", " ", text).strip()


def render_tmx(report: Report) -> str:
    units = accepted(report.pairs)
    zh_lang = {p.index: _LANG.get(report.sources[p.source].script or "", "zh") for p in units}
    srclangs = set(zh_lang.values())
    root = ET.Element("tmx", version="1.4")
    header = ET.SubElement(root, "header", {
        "creationtool": "align", "creationtoolversion": __version__, "segtype": "sentence",
        "o-tmf": "align", "adminlang": "en", "datatype": "plaintext",
        # One source language for the file when every unit shares it; TMX's "*all*" otherwise.
        "srclang": srclangs.pop() if len(srclangs) == 1 else "*all*",
    })
    ET.SubElement(header, "prop", type="x-align-signature").text = safe_name(report.signature)
    ET.SubElement(header, "prop", type="x-align-english").text = safe_name(report.en.name)
    if timings := describe_timings(report.timings):
        ET.SubElement(header, "prop", type="x-align-timings").text = timings
    body = ET.SubElement(root, "body")
    for p in units:
        tu = ET.SubElement(body, "tu", tuid=str(pair_number(p)))
        props = {"x-source": safe_name(report.multi.names[p.source]), "x-confidence": f"{p.confidence:.4f}"}
        if p.quality.score is not None:
            props["x-score"] = f"{p.quality.score:.1f}"
        if p.quality.flags:
            props["x-flags"] = safe_name(",".join(f"{f.name}:{f.severity}" for f in p.quality.flags))
        for kind, value in props.items():
            ET.SubElement(tu, "prop", type=kind).text = value
        for lang, text in ((zh_lang[p.index], p.zh_text), ("en", p.en_text)):
            tuv = ET.SubElement(tu, "tuv", {_XML_LANG: lang})
            ET.SubElement(tuv, "seg").text = _segment(text, lang)
    ET.indent(root)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
            + ET.tostring(root, encoding="unicode") + "\n")
