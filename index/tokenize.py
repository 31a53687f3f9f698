"""Word tokens for BM25 and lexical support scores: jieba for Chinese, lower-cased Latin words."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

_WORD = re.compile(r"[0-9]+(?:\.[0-9]+)?|[a-z][a-z0-9\-_.]*[a-z0-9]|[a-z]|[\u3400-\u9fff]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_SPACES = re.compile(r"\s+")

TOKENIZER_VERSION = "2"  # bump when tokenization changes: cached tokens are then redone

ZH_STOPWORDS = frozenset(
    "的 了 是 在 和 与 及 也 都 就 而 着 或 等 这 那 之 其 于 为 被 把 让 对 从 到 向 个 一个 "
    "我们 你们 他们 它们 我 你 他 她 它 吗 呢 吧 啊 么 什么 哪些 哪 怎么 怎样 如何 多少 有 没有 "
    "还 又 但 但是 因为 所以 如果 这个 那个 这些 那些 一些 以及 并 很 更 最 已 已经 会 能 可以 "
    "要 上 下 中 里 后 前 来 去 说 年 月 日 分别 提到 文章 两篇 关于 有关 哪 哪个 哪些 请问 "
    "大约 大概 哪款 哪家 哪位 哪种 哪里 哪儿 多久 多长 多长时间 几 几个 多大 怎么样 为什么 为何 "
    "是否 是不是 谁 何时 什么样 怎样才能 呀 哦 嘛".split()
)
EN_STOPWORDS = frozenset(
    "a an the of to in on for and or but is are was were be been being has have had do does "
    "did what which who whom whose when where why how that this these those with by from at as "
    "it its their there they them he she his her we our you your i me my about into than then "
    "so such can could would should will shall may might must not no yes if any all some each "
    "many much more most other over after before between both two one per vs also did does "
    "".split()
)
STOPWORDS = ZH_STOPWORDS | EN_STOPWORDS


@lru_cache(maxsize=1)
def _jieba() -> object:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def squash_spaces(text: str) -> str:
    """Text without any whitespace, for verbatim checks that ignore line wrapping."""
    return _SPACES.sub("", text)


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def tokenize(text: str) -> list[str]:
    """Search-mode jieba tokens (long words also yield their parts), minus stopwords."""
    jieba = _jieba()
    tokens: list[str] = []
    for piece in jieba.cut_for_search(text.lower()):  # type: ignore[attr-defined]
        for word in _WORD.findall(piece):
            if word not in STOPWORDS and (len(word) > 1 or word.isdigit() or has_cjk(word)):
                tokens.append(word)
    return tokens


def latin_words(text: str) -> list[str]:
    """Lower-cased Latin words and numbers of a text, in order (for the English bridge)."""
    return [w for w in _WORD.findall(text.lower().replace("-", " ")) if not _CJK.match(w)]
