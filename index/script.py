"""Chinese in traditional characters read as the simplified text it is searched against.

Staff in Taipei or Hong Kong write 繁體中文 with their own words for some things (影片 for
视频, 軟體 for 软件, 人工智慧 for 人工智能); the articles are in simplified characters. jieba,
the stopwords, the glossary and every pattern of the question's analysis are written in
simplified characters, so a traditional question shares few words with the passage that
answers it. OpenCC's Taiwan-to-mainland conversion with phrases (``tw2sp``) writes such text
as the mainland would: characters and regional words both. Text that is already simplified is
left alone: the phrase conversion would also rewrite a mainland word that Taiwan uses
differently (影片 "a film" is a word in both)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=2)
def _converter(config: str) -> Any:
    import opencc

    return opencc.OpenCC(f"{config}.json")


def is_traditional(text: str) -> bool:
    """Whether ``text`` holds a character that only traditional writing uses (one that
    OpenCC's character conversion changes)."""
    return any("\u3400" <= ch <= "\u9fff" for ch in text) and \
        _converter("t2s").convert(text) != text


# what Taiwan and Hong Kong call the mainland's is "domestic" (国内) in the mainland press:
# 陸企 (mainland firms) are the articles' 国内企业; OpenCC's phrase table lacks these
_MAINLAND = {"陆企": "国内企业", "陆厂": "国内厂商", "陆资": "国内资本", "陆媒": "国内媒体"}
# corner quotes (「」『』) are the mainland's “” and ‘’
_QUOTES = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})


def simplified(text: str) -> str:
    """``text`` in simplified characters with mainland words (``tw2sp``, ``_MAINLAND``) and
    quotation marks when it is written in traditional ones; otherwise unchanged."""
    if not is_traditional(text):
        return text
    text = _converter("tw2sp").convert(text).translate(_QUOTES)
    for word, mainland in _MAINLAND.items():
        text = text.replace(word, mainland)
    return text
