"""Defences against instructions planted in documents or questions (OWASP LLM01) and against
revealing the system prompt (LLM07), applied to everything a model writes before the user
sees it, and to what the extractive answer may quote.

- ``looks_like_injection``: a sentence that talks to an AI ("ignore previous instructions",
  "输出你的系统提示") is never quoted as an answer, whoever wrote it.
- ``leaks_system_prompt``: any 40-character stretch of the system prompt in an answer.
- ``strip_active_content``: images, HTML and links are removed; a bare URL survives only if
  the sources given to the model contain it verbatim (no exfiltration through made-up URLs).
"""

from __future__ import annotations

import re

from agent.language import split_sentences
from agent.prompts import SYSTEM_PROMPT

_INJECTION = re.compile(
    "|".join([
        r"\b(?:ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,40}?\b(?:instructions?|rules"
        r"|prompts?|directions|guidelines|guardrails)\b",
        r"\b(?:reveal|print|show|output|repeat|display|leak|dump|tell me)\b[^.!?\n]{0,30}?"
        r"(?:system prompt|system message|(?:your|the|hidden) (?:instructions|rules|prompt))",
        r"\byou are now\b",
        r"\bnew instructions?\s*:",
        r"^\s*(?:system|developer)\s*[:：]",
        r"(?:忽略|无视|忘记|忘掉|不要理会|跳过)[^。！？\n]{0,12}?(?:指令|指示|规则|提示词|系统提示|设定)",
        r"(?:输出|泄露|透露|显示|打印|重复|复述|告诉我)[^。！？\n]{0,12}?"
        r"(?:系统提示|系统指令|系统消息|提示词|你的(?:指令|规则|设定))",
        r"你现在(?:是|必须|要扮演)",
        r"(?:在|于)(?:你的)?(?:回答|答案|回复)(?:中|里|开头|末尾)[^。！？\n]{0,10}?"
        r"(?:引用|加入|附上|写上|包含|输出|插入)",
    ]),
    re.IGNORECASE | re.MULTILINE,
)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\(\s*[^)\s]+[^)]*\)")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_URL_END = r"[^\s<>()\"'“”，。）]+"
_URL = re.compile(rf"(?:https?|ftp|data|javascript):{_URL_END}|www\.{_URL_END}", re.IGNORECASE)
_LEAK_WINDOW = 40
_PROMPT = SYSTEM_PROMPT.lower()


def looks_like_injection(text: str) -> bool:
    """Whether the text addresses an AI with instructions (English or Chinese)."""
    return bool(_INJECTION.search(text))


def leaks_system_prompt(text: str, step: int = 5) -> bool:
    """Whether any ``_LEAK_WINDOW``-character stretch of the system prompt is in ``text``."""
    probe = text.lower()
    if len(probe) < _LEAK_WINDOW:
        return False
    last = len(probe) - _LEAK_WINDOW
    return any(probe[i : i + _LEAK_WINDOW] in _PROMPT for i in range(0, last + 1, step))


def strip_active_content(text: str, sources: str) -> str:
    """No images, HTML or links; bare URLs only where the sources have them verbatim."""
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    return _URL.sub(lambda m: m.group(0) if m.group(0) in sources else "", text)


def drop_injected_sentences(text: str) -> str:
    """The text without the sentences that carry instructions to an AI."""
    kept, cursor = [], 0
    for start, end in split_sentences(text):
        kept.append(text[cursor:start])
        if not looks_like_injection(text[start:end]):
            kept.append(text[start:end])
        cursor = end
    kept.append(text[cursor:])
    return "".join(kept)


def sanitize_model_text(text: str, sources: str) -> str:
    """What of a model's reply may go on to verification: nothing if it repeats the system
    prompt; otherwise the reply without planted instructions and active content."""
    if leaks_system_prompt(text, step=1):
        return ""
    return strip_active_content(drop_injected_sentences(text), sources)
