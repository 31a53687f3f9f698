"""Which language a question is in, and sentence splitting that keeps offsets."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
# A sentence ends at Chinese or Latin terminal punctuation (with closing quotes) or a line break.
_SENTENCE_END = re.compile(r"[。！？!?；;…]+[”’」』\"')）]*|(?<=[a-z0-9%)\]])\.(?=\s|$)|\n+")
# A pause in dictated Chinese, written as a space between two characters: where a spoken
# sentence or clause breaks ("清影 一天最多能生成几次 就是有没有次数上限").
SPOKEN_PAUSE = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
# The words that make a text a question (a terse query, a clause, an order's tail): a
# question mark, an interrogative, a modal asked about.
ASKING = re.compile(r"[?？]|什么|多少|几|吗|呢|哪|谁|怎|如何|为何|为什么|啥|是否|有没有|能否|"
                    r"\b(?:what|how|when|where|who|whom|which|why|whose|is|are|was|were|does|do|"
                    r"did|can|could|will|would|should|has|have)\b", re.I)


# where a Latin word meets Chinese with no space between ("AIGD平台的pricing是怎么定的"): Python's
# \b sees no boundary there (的 and p are both word characters), so an English word a staff
# member drops into a Chinese question is spaced off before the English patterns read it; one
# or two letters stay ("C端", "B站", "AI视频", "PC端": parts of a Chinese word, which the
# Chinese patterns read as written: "海外AI视频网站" describes the sites, asks nothing abroad)
_SCRIPT_SEAM = re.compile(r"(?<=[\u4e00-\u9fff])(?=[A-Za-z]{3})"
                          r"|(?<=[A-Za-z]{3})(?=[\u4e00-\u9fff])")


def spaced_scripts(text: str) -> str:
    """``text`` with a space wherever a Latin word of three or more letters meets a Chinese
    character."""
    return _SCRIPT_SEAM.sub(" ", text)


def detect_language(text: str) -> str:
    """'zh' when Chinese characters carry the text, else 'en'."""
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    return "zh" if cjk and cjk * 3 >= latin else "en"


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of ``text``, terminators included, blanks skipped."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        _append(text, start, end, spans)
        start = end
    _append(text, start, len(text), spans)
    return spans


def _append(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


# a spoken self-repair: what was said, a break, then "不对"/"不是" standing alone and the
# correction ("前年和去年——哦不对,准确说是2023和2024", "R开头……不是,L开头"): the words taken
# back run from the last clause break before the marker
_REPAIR = re.compile(
    r"[^，,。？?！!；;：:…—]*(?:……|…|——|—|–|，|,)\s*(?:哦|呃|啊|嗯)?\s*"
    r"(?:不对|不是|不不|说错了|口误)\s*(?:[，,—–…]+|\s+)\s*"
    r"(?:准确(?:地|点|来)?说(?:是|的话)?|应该是|我是说|是)?[，,:：\s]*")


# the same in English: "the baidu guy no wait the tencent hunyuan guy", "Baidu, sorry, I mean
# Tencent" (not "no wait time")
_REPAIR_EN = re.compile(
    r"[,\s]*\b(?:no,? wait(?!\s+(?:time|times|list|lists|period|periods|queue)\b)|wait,? no|"
    r"sorry,? i mean|no,? i mean|actually,? no|scratch that|or rather|no,? sorry|sorry,? no)"
    r"\b[,\s]*", re.I)


def _without_en_repairs(text: str) -> str:
    """What was taken back is the words the correction replaces: back to the last word the
    correction opens with ("the baidu guy no wait the tencent…"), else the last word
    ("Baidu, sorry, I mean Tencent"), never past a clause break."""
    while (marker := _REPAIR_EN.search(text)) is not None:
        before, after = text[:marker.start()], text[marker.end():]
        clause = max(before.rfind(p) for p in ",.;:?!—–…") + 1
        words = list(re.finditer(r"\S+", before[clause:]))
        opening = after.split()[0].lower() if after.split() else ""
        same = [w for w in words if w.group(0).lower() == opening]
        cut = clause + (same[-1].start() if same else words[-1].start() if words else 0)
        text = f"{before[:cut]}{after}" if after else before
    return text


def without_repairs(question: str) -> str:
    """The question without what the asker took back as they spoke ("去年——哦不对,2024"
    asks about 2024); unchanged when nothing is left."""
    repaired = _without_en_repairs(_REPAIR.sub("", question)).strip()
    return repaired if re.search(r"\w", repaired) else question
