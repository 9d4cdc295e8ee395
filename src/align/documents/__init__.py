"""Documents: read a file, identify its language and script, separate article from chrome."""
from __future__ import annotations

from align.documents.boilerplate import clean
from align.documents.langid import chinese_script, detect_language
from align.documents.normalise import normalise
from align.documents.reading import html_to_text, looks_like_html, read_text
from align.errors import InputError
from align.types import Document, Language

__all__ = ["detect_language", "load_document", "load_text", "normalise"]

_NAMES = {"zh": "Chinese", "en": "English"}


def load_document(path: str, expect: str | None = None) -> Document:
    """Read and clean the file at ``path``; with ``expect`` ("zh" or "en"), raise
    ``InputError`` when the document is in another language."""
    text, encoding, is_html, problems = read_text(path)
    return _build(path, text, encoding, is_html, expect, problems)


def load_text(text: str, name: str, expect: str | None = None) -> Document:
    """``load_document`` for text already in memory (stdin, tests); ``name`` stands in for
    the path."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    is_html = looks_like_html(text)
    if is_html:
        text = html_to_text(text)
    if not text.strip():
        raise InputError(f"{name}: the text is empty")
    return _build(name, text, "utf-8", is_html, expect)


def _build(path: str, text: str, encoding: str, is_html: bool, expect: str | None,
           problems: tuple[str, ...] = ()) -> Document:
    if expect not in (None, "zh", "en"):
        raise ValueError(f"expect must be 'zh', 'en' or None, not {expect!r}")
    # Chrome is in the page's language too, so the whole text decides how to clean; the
    # kept article then decides the language (an English article on a Chinese site is English).
    language = detect_language(text)
    body, removals = clean(text, language)
    if body:
        body_language = detect_language("\n".join(text[s.start:s.end] for s in body))
        if body_language != language:
            language = body_language
            body, removals = clean(text, language)
    if expect is not None and language != expect:
        looks = f"looks like {_NAMES[language]}" if language in _NAMES else "is neither Chinese nor English"
        raise InputError(f"{path} {looks}, but a{'n' if expect == 'en' else ''} {_NAMES[expect]} source was expected")
    kept = "\n".join(text[s.start:s.end] for s in body) or text
    script = chinese_script(kept) if language == Language.ZH else None
    return Document(path=path, text=text, encoding=encoding, language=language, script=script,
                    is_html=is_html, body=body, removals=removals, problems=problems)
