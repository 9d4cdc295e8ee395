"""The words of both languages, shared by the alignment cues and the quality checks.

``cedict`` (the CC-CEDICT dictionary), ``chinese`` (jieba segmentation and tags,
script, pinyin), ``english`` (tokens, word frequencies, stems) and ``names`` (the
names of a Chinese text with their expected English forms, the name-like phrases of
an English one) load their data on first use, never at import; parsed dictionaries
are kept under the per-user cache (``store``). The alignment cue's bags of gloss
stems are exported here.
"""
from align.lexicon.bags import en_bag, zh_bag

__all__ = ["en_bag", "zh_bag"]
