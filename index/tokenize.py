"""Word tokens for BM25 and lexical support scores: jieba for Chinese, lower-cased Latin words."""

from __future__ import annotations

import hashlib
import logging
import re
from functools import lru_cache

from index.lexicon import LEXICON_PATH, parse_lexicon

_WORD = re.compile(r"[0-9]+(?:\.[0-9]+)?|[a-z][a-z0-9\-_.]*[a-z0-9]|[a-z]|[\u3400-\u9fff]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_SPACES = re.compile(r"\s+")

# bump when tokenization changes: cached tokens are then redone (the packaged lexicon's names
# are jieba words, so its digest is part of the version)
TOKENIZER_VERSION = "13-" + hashlib.sha256(LEXICON_PATH.read_bytes()).hexdigest()[:8]

# Stopwords are justified by the language alone: function words and interrogatives, never a
# word taken from an evaluation question. Words that refer to the documents themselves (文章,
# 两篇, 提到, "article") are not stopwords: ``agent.question`` treats them as the frame of a
# question about the documents. Categories (Modern Chinese grammar):
_ZH_FUNCTION_WORDS = {
    "particles": "的 地 得 了 着 过 吗 呢 吧 啊 呀 哦 嘛 么 之 所",
    "pronouns": "我 你 您 他 她 它 我们 你们 他们 她们 它们 咱们 自己 这 那 这个 那个 这些 那些 "
                "这样 那样 其 此 该 各 每 某 一些 一个 个 这边 那边 这里 那里 这儿 那儿",
    # a demonstrative or 一 with a measure word is a determiner ("这件事", "这种玩法",
    # "一张图片"): rare enough to look distinctive, it names nothing
    "determiners": "这种 那种 这类 那类 这件 那件 这位 那位 这家 那家 这款 那款 这次 那次 "
                   "这项 那项 这篇 那篇 这条 那条 这张 那张 这段 那段 这部 那部 这只 那只 "
                   "这场 那场 这轮 那轮 这波 那波 一种 一款 一位 一家 一次 一张 一项 一篇 "
                   "一条 一段 一部 一场 一轮 一波 一件",
    "light nouns": "事 事儿 事情",
    "prepositions": "在 于 对 从 到 向 把 被 让 给 为 与 和 及 以及 跟 同 关于 有关 对于 由",
    "conjunctions": "而 或 或者 并 并且 但 但是 可是 因为 所以 如果 虽然 因此 然后 而且 还是",
    "adverbs": "也 都 就 还 又 很 更 最 已 已经 再 才 只 仅 曾 正 将 不 没 没有 不是 大约 大概 "
               "分别 到底 究竟",
    "auxiliaries and light verbs": "是 有 会 能 可以 要 应该 来 去 说 做 进行",
    # (时 as in "变慢时": "when", a clause's time, not a topic)
    "localizers and time units": "上 下 中 里 内 外 后 前 时 年 月 日",
    "interrogatives": "什么 哪 哪个 哪些 哪里 哪儿 哪款 哪家 哪位 哪种 哪几 谁 何 何时 为何 "
                      "为什么 怎么 怎样 怎么样 如何 多少 多久 多长 多长时间 多大 几 几个 "
                      "是否 是不是 什么样 请问 "
                      # colloquial: 啥 = 什么, 为啥 = 为什么, 咋 = 怎么, 干嘛 = 做什么, 几时 = 何时
                      "啥 为啥 咋 咋样 干嘛 干啥 几时 "
                      # A-not-A questions ("你记不记得", "知不知道"): a yes-no frame
                      "记不记得 知不知道 能不能 会不会 对不对 有没有",
    # spoken Chinese (a question dictated or typed as said): sentence-final particles (来着:
    # "what was it again"), interjections, and discourse markers that frame what is said
    # ("就是说", "对吧", "反正", "好像", "其实") without adding to it
    "spoken particles and discourse markers": "来着 呗 啦 嘞 哈 呃 嗯 哎 诶 唉 喔 就是 就是说 对吧 "
                                              "反正 好像 其实 话说 那啥 一下 挺",
    # written Chinese (书面语: a memo's or a report's register, "据报道…该公司…原因何在"): its
    # prepositions, adverbs and conjunctions (据 = 根据, 较 = 比, 若 = 如果, 均 = 都, 亦 = 也,
    # 之所以), its determiners (此类 = 这类, 该类, 此种) and pronouns (二者 = 两者),
    # interrogatives (何种 = 什么样的, 何在 = 在哪里, 作何 = 做什么样的, 有何 = 有什么, 何为 =
    # 什么是) and 若干 (= 几个); 一事 = 这件事
    "written register": "据 较 若 均 亦 皆 乃 即 之所以 此类 该类 此种 该种 此项 该项 此次 "
                        "该次 此事 二者 何种 何在 作何 有何 何为 何处 若干 一事",
    # 几 with a measure word is how many when asked ("几年会被用光") and "a few" when told
    # ("近几年"): a number not given, like 几个, never what a passage is about
    "indefinite numerals": "几年 几天 几月 几个月 几周 几小时 几分钟 几秒 几次 几家 几款 几位 "
                           "几种 几倍 几成 几岁 几号 几点 几名 几部 几条 几项 几轮 几篇 几张 "
                           "几十 几百 几千 几万 几亿 几十年 几句 几步 几遍 几回 几代 几期 几集 "
                           "几块 几元 几本",
}
ZH_STOPWORDS = frozenset(w for words in _ZH_FUNCTION_WORDS.values() for w in words.split())
EN_STOPWORDS = frozenset(
    # articles, pronouns, prepositions, conjunctions, auxiliaries, interrogatives, quantifiers
    "a an the of to in on for and or but is are was were be been being has have had do does "
    "did what which who whom whose when where why how that this these those with by from at as "
    "it its their there they them he she his her we our you your i me my about into than then "
    "so such can could would should will shall may might must not no yes if any all some each "
    "many much more most other over after before between both two one per vs also "
    "".split()
)
STOPWORDS = ZH_STOPWORDS | EN_STOPWORDS


@lru_cache(maxsize=1)
def _jieba() -> object:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    for name, kind in _lexicon_words():
        # with the frequency that keeps it whole; a person is tagged one, a name jieba does
        # not know a proper noun, and a word it knows keeps its tag (北师大: an abbreviation)
        known = name in jieba.dt.FREQ
        jieba.add_word(name, tag="nr" if kind == "person" else None if known else "nz")
    for word in _SPOKEN_WHOLE:  # jieba cuts them apart ("来|着", "亿来|着", "对|吧")
        jieba.add_word(word, tag="y")
    return jieba


# spoken function words jieba's dictionary lacks: kept whole so that they are stopwords
_SPOKEN_WHOLE = ("来着", "记不记得", "对吧", "那啥")


def _lexicon_words() -> list[tuple[str, str]]:
    """The Chinese names of the packaged domain lexicon (companies, products, people). jieba
    does not know most of them and cuts them apart or glues a neighbour on ("以快|手", "可灵出",
    "即|梦"), so a question and a passage naming the same product share no token. Only the
    packaged file: a deployment's own lexicon must not change how stored text was tokenized
    (``TOKENIZER_VERSION`` carries the file's digest)."""
    words: dict[str, tuple[str, str]] = {}  # word -> (entry type, entry name)
    for entry in parse_lexicon(LEXICON_PATH.read_text(encoding="utf-8"), str(LEXICON_PATH)):
        for word in (entry.name, *entry.aliases):
            if len(word) > 1 and all("\u4e00" <= ch <= "\u9fff" for ch in word):
                words.setdefault(word, (entry.type, entry.name))
    # a name that opens with another entity's (腾讯混元大模型: 腾讯's product) stays in its
    # parts, so that a mention of the maker is a word of its own
    return sorted((word, kind) for word, (kind, name) in words.items()
                  if not any(word.startswith(other) and other_name != name
                             for other, (_, other_name) in words.items() if other != word))


def squash_spaces(text: str) -> str:
    """Text without any whitespace, for verbatim checks that ignore line wrapping."""
    return _SPACES.sub("", text)


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


_IRREGULAR = re.compile(r"\b(won|can|shan)['’]t\b")
_NEGATION = re.compile(r"n['’]t\b")
_IRREGULAR_FULL = {"won": "will not", "can": "can not", "shan": "shall not"}
# typed without the apostrophe ("didnt", "isnt"): only auxiliaries, which no English word
# spells so (wont and cant are words)
_BARE_NEGATION = re.compile(r"\b(do|does|did|is|are|was|were|has|have|had|should|would|could|"
                            r"must|need)nt\b")


def expand_contractions(text: str) -> str:
    """English contractions written out ("won't" → "will not", "isn't" and "isnt" → "is
    not"), so that "won't" is not read as the word "won"; a lower-cased text is expected."""
    text = _BARE_NEGATION.sub(r"\1 not", text)
    if "'" not in text and "’" not in text:
        return text
    text = _IRREGULAR.sub(lambda m: _IRREGULAR_FULL[m.group(1)], text)
    return _NEGATION.sub(" not", text)


# an image's credit line ("图源:可灵", "图片来源：Wei等人（2022）"): who made the picture, not what
# the passage says; indexed, it made every passage beside a 可灵 screenshot a passage on 可灵
_CREDIT_LINE = re.compile(r"(?m)^[ \t]*(?:图源|图片来源|图片出处|图片来自|配图来源|"
                          r"image (?:source|credit)|photo credit)\s*[:：][^\n]*$", re.I)


def without_credits(text: str) -> str:
    """The text without its image credit lines."""
    return _CREDIT_LINE.sub(" ", text)


def tokenize(text: str) -> list[str]:
    """Search-mode jieba tokens (long words also yield their parts), minus stopwords and
    image credit lines."""
    jieba = _jieba()
    tokens: list[str] = []
    text = without_credits(text)
    for piece in jieba.cut_for_search(expand_contractions(text.lower())):  # type: ignore[attr-defined]
        for word in _WORD.findall(piece):
            if word not in STOPWORDS and (len(word) > 1 or word.isdigit() or has_cjk(word)):
                tokens.append(word)
    return tokens


def latin_words(text: str) -> list[str]:
    """Lower-cased Latin words and numbers of a text, in order (for the English bridge)."""
    return [w for w in _WORD.findall(expand_contractions(text.lower()).replace("-", " "))
            if not _CJK.match(w)]
