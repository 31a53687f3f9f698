"""Time expressions in a question, read relative to today: a period to search in, or a wish
for the newest sources.

Chinese: 2024年3月, 2024年上半年/下半年, 2024年第三季度, 今年(以来), 去年, 本月, 上个月,
最近/近/过去 N 天/周/个月/年 (一, 两, 三… or digits), 最新 / 最近的 (newest first).
English: "in March 2024", "first/second half of 2024", "Q3 2024", "this year",
"last year", "this month", "last month", "last quarter", "since March", "since 2024",
"past/last N days/weeks/months", "latest", "most recent", "newest".

A question with a period is answered only from documents dated inside it, and from documents
whose date is unknown (nothing says they fall outside; the answer shows each source's date or
"date unknown"); "latest" questions prefer the newest dated sources and
the answer says "as of" the newest source's date. A bare year ("2024年的市场规模", "in 2024") is
not read as a period: it usually names what is asked about, not when it was published.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_ZH_NUMBERS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
               "九": 9, "十": 10, "半": 0}
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m} | {
    m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_MONTH_WORD = "|".join(sorted(_MONTHS, key=len, reverse=True))
MAX_DAYS = 36_500  # "近3000年" is not a period a date can hold
_UNIT_DAYS = {"天": 1, "日": 1, "周": 7, "星期": 7, "个月": 30, "月": 30, "年": 365,
              "day": 1, "week": 7, "month": 30, "year": 365}


@dataclass(frozen=True)
class TimeScope:
    date_from: str  # YYYY-MM-DD, "" when open
    date_to: str
    latest: bool  # prefer the newest sources

    @property
    def has_period(self) -> bool:
        return bool(self.date_from or self.date_to)

    def describe(self, language: str) -> str:
        """The period, as the answer states it."""
        start, end = self.date_from or "…", self.date_to or "…"
        if language == "zh":
            return f"时间范围：{start} 至 {end}（只引用这一时期发布的来源，以及日期不明的来源）。"
        return (f"Period covered: {start} to {end} (only sources published then, or of unknown "
                "date, are cited).")


def _iso(day: date) -> str:
    return day.isoformat()


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + _ZH_NUMBERS.get(text[1:], 0) if len(text) > 1 else 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _ZH_NUMBERS.get(tens, 1) * 10 + _ZH_NUMBERS.get(ones, 0)
    return _ZH_NUMBERS.get(text, 1)


def _quarter(year: int, q: int) -> tuple[date, date]:
    return date(year, 3 * q - 2, 1), _month_end(year, 3 * q)


# The words of the expressions above: they say when, not what, so they are not searched for.
_TIME_WORDS = re.compile(
    r"(?:最近|(?<![将接])近|过去)\s*[\d一两二三四五六七八九十半]+\s*(?:个月|个?星期|天|日|周|月|年)"
    r"(?:以来|来|内|里)?"
    r"|(?:19|20)\d{2}\s*年\s*(?:上|下)半年|(?:19|20)\d{2}\s*年\s*第?\s*[一二三四1-4]\s*季度"
    r"|(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:份)?|上个?季度|本季度|(?<!以)上个?月|本月|这个月|今年以来|今年"
    r"|去年"
    r"|最新的?|最近的"
    r"|\b(?:in\s+|during\s+)?(?:the\s+)?(?:past|last|previous|this)\s+(?:\d+\s+|a\s+|one\s+|two\s+"
    r"|three\s+|six\s+|twelve\s+)?(?:days?|weeks?|months?|years?|quarter)\b"
    r"|\bsince\s+(?:" + _MONTH_WORD + r"|(?:19|20)\d{2})\b(?:\s+(?:19|20)\d{2})?"
    r"|\b(?:in\s+|during\s+)?(?:the\s+)?(?:first|second)\s+half\s+of\s+(?:19|20)\d{2}\b"
    r"|\b(?:in\s+)?q[1-4]\s*(?:19|20)\d{2}\b|\byear to date\b"
    r"|\b(?:in\s+)?(?:" + _MONTH_WORD + r")\s+(?:19|20)\d{2}\b"
    r"|\b(?:the\s+)?(?:latest|newest|most recent)\b",
    re.IGNORECASE,
)


def strip_time(question: str) -> str:
    """The question without its time expressions (unchanged when nothing else is left)."""
    stripped = re.sub(r"\s+", " ", _TIME_WORDS.sub(" ", question)).strip()
    return stripped if re.search(r"\w", stripped) else question


def read_time(question: str, today: date) -> TimeScope | None:
    """The question's period and/or wish for the newest sources; None when it has neither."""
    q = question.lower()
    latest = bool(re.search(r"最新|最近的|\b(?:latest|newest|most recent|recent(?:ly)?)\b", q))
    period = _period(q, today)
    if period is None and not latest:
        return None
    start, end = period or (None, None)
    return TimeScope(_iso(start) if start else "", _iso(end) if end else "", latest)


def _period(q: str, today: date) -> tuple[date | None, date | None] | None:
    year = today.year
    # relative spans: 最近一个月, 近三天, 过去两周, past 30 days, last 3 months
    if "今年" in q and "去年" in q:  # 今年和去年相比: both years
        return date(year - 1, 1, 1), today
    if m := re.search(r"(?:最近|(?<![将接])近|过去)\s*([\d一两二三四五六七八九十半]+)\s*"
                      r"(个月|个?星期|天|日|周|月|年)", q):
        days_per = _UNIT_DAYS[m.group(2).removeprefix("个") if m.group(2) != "个月" else "个月"]
        count = 0.5 if m.group(1) == "半" else _number(m.group(1))
        return today - timedelta(days=min(count * days_per, MAX_DAYS)), today
    if m := re.search(r"\b(past|last|previous)\s+(\d+|a|one|two|three|six|twelve)?\s*"
                      r"(day|week|month|year)s?\b", q):
        word, number, span = m.group(1), m.group(2), m.group(3)
        count = {"a": 1, "one": 1, "two": 2, "three": 3, "six": 6, "twelve": 12}.get(
            number or "a", None) or int(number)
        if number is None and word != "past" and span in ("month", "year"):  # calendar
            if span == "month":
                first = today.replace(day=1) - timedelta(days=1)
                return first.replace(day=1), first
            return date(year - 1, 1, 1), date(year - 1, 12, 31)
        if not (number is None and span == "day"):  # "the last day of WAIC" is no period
            return today - timedelta(days=min(count * _UNIT_DAYS[span], MAX_DAYS)), today
    if re.search(r"\blast quarter\b|上个?季度", q):
        current = (today.month - 1) // 3 + 1
        y, qq = (year, current - 1) if current > 1 else (year - 1, 4)
        return _quarter(y, qq)
    if re.search(r"\bthis quarter\b|本季度", q):
        return _quarter(year, (today.month - 1) // 3 + 1)[0], today
    if re.search(r"(?<!以)上个?月", q):
        first = today.replace(day=1) - timedelta(days=1)
        return first.replace(day=1), first
    if re.search(r"本月|这个月|\bthis month\b", q):
        return today.replace(day=1), today
    if re.search(r"今年以来|今年|\bthis year\b|\byear to date\b", q):
        return date(year, 1, 1), today
    if re.search(r"去年|\blast year\b", q):
        return date(year - 1, 1, 1), date(year - 1, 12, 31)
    if m := re.search(r"\bsince\s+(" + _MONTH_WORD + r")\b(?:\s+(\d{4}))?", q):
        month = _MONTHS[m.group(1)]
        y = int(m.group(2)) if m.group(2) else (year if month <= today.month else year - 1)
        return date(y, month, 1), today
    if m := re.search(r"\bsince\s+((?:19|20)\d{2})\b", q):
        return date(int(m.group(1)), 1, 1), today
    if m := re.search(r"((?:19|20)\d{2})\s*年\s*(上|下)半年", q):
        y = int(m.group(1))
        return (date(y, 1, 1), date(y, 6, 30)) if m.group(2) == "上" else \
            (date(y, 7, 1), date(y, 12, 31))
    if m := re.search(r"\b(first|second) half of ((?:19|20)\d{2})\b", q):
        y = int(m.group(2))
        return (date(y, 1, 1), date(y, 6, 30)) if m.group(1) == "first" else \
            (date(y, 7, 1), date(y, 12, 31))
    if m := re.search(r"((?:19|20)\d{2})\s*年\s*第?\s*([一二三四1-4])\s*季度", q):
        return _quarter(int(m.group(1)), _number(m.group(2)))
    if m := re.search(r"\bq([1-4])\s*((?:19|20)\d{2})\b", q):
        return _quarter(int(m.group(2)), int(m.group(1)))
    if m := re.search(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月", q):
        y, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            return date(y, month, 1), _month_end(y, month)
    if m := re.search(r"\b(?:in\s+)?(" + _MONTH_WORD + r")\s+((?:19|20)\d{2})\b", q):
        y, month = int(m.group(2)), _MONTHS[m.group(1)]
        return date(y, month, 1), _month_end(y, month)
    return None  # a bare year ("2024年的市场规模") names what is asked about, not a period
