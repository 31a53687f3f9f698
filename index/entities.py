"""Who does what, extracted from a document offline: the organisations, products/models and people
it mentions, the relations between them (product → maker, person → organisation and role,
unit → group) and the figures it gives (entity, metric, value, unit, period). Every item keeps the
character offsets of its evidence, so each is a verbatim, checkable span of the stored text.

Sources, in order of trust: the domain lexicon (``index.lexicon``); patterns of news prose
("X推出Y", "X的Y", "X CEO Y", "X创始人Y", "名为X的", "短剧《X》", "据X统计", number + unit); jieba's
part-of-speech tags for the names after a role ("负责人凯撒"); pinyin for Latin spellings of the
Chinese names found (Kuaishou ↔ 快手). An LLM, when configured, can only add entries whose span is
verbatim in the text (``verbatim_entries``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from index.lexicon import Lexicon, fold

EXTRACTOR_VERSION = "2"

ROLES = (
    "联合创始人", "创始人", "董事长", "首席执行官", "首席科学家", "首席技术官", "首席运营官",
    "高级副总裁", "副总裁", "总裁", "总经理", "负责人", "副院长", "院长", "所长", "主任",
    "副教授", "教授", "讲师", "研究员", "导演", "总监", "合伙人", "董事", "分析师",
    "CEO", "CTO", "COO", "CFO", "President", "Founder", "co-founder",
)
_ROLE = "|".join(sorted(map(re.escape, ROLES), key=len, reverse=True))
_ROLE_CHAIN = re.compile(rf"(?:{_ROLE})(?:兼(?:{_ROLE}))*")
# a clause boundary: what cannot sit inside an organisation's name
_BOUNDARY = re.compile(r"[，,。！？!?；;：:、（）()“”\"《》\n]")
_LEADING_WORDS = re.compile(r"^(?:于是|而且|据悉|此外|同时|以及|和|与|跟|同|据|在|由|向|对|是|称|"
                            r"而|但|如|及|让|被|将|把|连)+")
UNIT_SUFFIXES = ("研究所", "研究院", "实验室", "学院", "事业群", "事业部", "工作室", "中心")
ORG_SUFFIXES = ("科技", "公司", "集团", "证券", "影业", "传媒", "大学", "学院", "研究院", "研究所",
                "实验室", "资本", "银行", "基金", "咨询", "事业群", "事业部", "工作室", "智能",
                "网络", "软件", "电子", "通信", "汽车", "控股", "信通院", "委员会")
_SPEECH = re.compile(r"告诉|表示|认为|指出|透露|介绍|说|提到|分析|称|直言|预测|判断|发问|坦言|"
                     r"says?|said|told|according to")
_SPEECH_CHARS = 40  # a speech verb this close after a name, or a quote in the sentence

# products: a category word then a name (quoted or Latin), works in 《》, "名为X的"
_CATEGORY = r"(?:大模型|模型|产品|应用|平台|功能|生成器|助手|工具|App|APP|app)"
_NAMED_PRODUCT = re.compile(
    rf"{_CATEGORY}\s*(?:“([^”\n]{{1,20}})”|\"([^\"\n]{{1,20}})\"|"
    r"([A-Z][A-Za-z0-9.\-]*(?: [A-Z][A-Za-z0-9.\-]*){0,2}))")
_CALLED = re.compile(r"名为\s*([A-Za-z0-9][A-Za-z0-9 .\-]{0,30}?[A-Za-z0-9]|[\u3400-\u9fff]{2,8})"
                     r"\s*的")
_WORK = re.compile(r"(?:作品|短片|短剧|电影|影片|动画|剧集|纪录片|游戏)《([^》\n]{1,30})》")
# organisations: "据X统计", "X的预测"
_REPORTED_BY = re.compile(
    r"据\s*([A-Z][A-Za-z0-9.&\-]*(?: [A-Z][A-Za-z0-9.&\-]*){0,2}|[\u3400-\u9fff]{2,12}?)\s*"
    r"(?:统计|数据|报告|调查|显示|测算|估计)")
_FORECAST_BY = re.compile(r"([\u3400-\u9fff]{2,10})的(?:预测|报告|统计|调研|数据显示)")
_LAUNCH = re.compile(r"推出|发布|上线|开放|更新|开源|launch(?:ed|es)?|releas(?:ed|es)")
_OWNED = re.compile(r"旗下")
_WITHIN = re.compile(r"^\s*(?:仍|已|将|正式)?(?:留在|隶属于?|属于|并入|归入|划归|整合进)")

# figures
_NUMBER = re.compile(
    r"(?<![A-Za-z0-9.])(\d+/\d+|\d+(?:\.\d+)?(?:\s*[~～—–\-]\s*\d+(?:\.\d+)?)?"
    r"|[一二两三四五六七八九十百千]*[十百千][一二三四五六七八九]?(?:余|多)?)"
    r"\s*(万亿|亿|万|千)?\s*(%|％)?")
_UNITS = ("元/千Tokens", "元/千tokens", "个视频", "张图片", "亿元", "万元", "美元", "元", "次",
          "个", "张", "分钟", "小时", "秒", "天", "倍", "人", "家", "位", "款", "部", "年",
          "tokens", "Tokens")
_MEASURE_WORDS = ("个", "张", "家", "位", "款", "部", "名", "条")
_MONEY_OR_TIME = ("元", "美元", "亿元", "万元", "分钟", "小时", "倍", "年")
_UNIT = re.compile("|".join(map(re.escape, sorted(_UNITS, key=len, reverse=True))))
METRICS = (
    "年复合增长率", "复合增长率", "增长率", "市场规模", "总访问量", "访问量", "流量", "月活",
    "日活", "用户数", "下载量", "营收", "收入", "利润", "融资", "估值", "定价", "价格", "成本",
    "费用", "花费", "消耗", "耗时", "累计生成", "生成时间", "时长", "环比", "同比", "份额",
    "市占率", "参数", "算力",
    "生成", "累计", "便宜", "下跌", "上涨", "增长", "涨", "降",
)
_CHANGE_WORDS = {"生成", "累计", "便宜", "下跌", "上涨", "增长", "涨", "降"}  # verbs: a last resort
_METRIC = re.compile("|".join(map(re.escape, METRICS)))
_PERIOD = re.compile(r"\d{4}年(?:\d{1,2}月)?(?:下半年|上半年|第[一二三四]季度)?|"
                     r"\d{1,2}\s*[—–\-~]\s*\d{1,2}月|\d{1,2}月(?:份)?|今年|去年|明年|前年|"
                     r"(?:19|20)\d\d|Q[1-4] \d{4}")
_ANAPHORA = re.compile(r"其|这样|这种|该")  # a sentence that refers back to what came before
_NOT_A_FIGURE_AFTER = re.compile(r"^(?:年代|年前|年来|月|日|号|岁|级|代|点|周年|之一|项|条)")


@dataclass
class Mention:
    name: str  # canonical
    type: str
    surface: str
    start: int
    end: int


@dataclass
class Relation:
    head: str
    relation: str  # made_by | works_at | role | part_of
    tail: str
    role: str
    start: int  # the quote that shows it
    end: int


@dataclass
class Figure:
    entity: str  # canonical name, "" when about a market rather than one entity
    metric: str
    value: str
    unit: str
    period: str
    start: int  # the number as written
    end: int
    quote_start: int  # its sentence
    quote_end: int


@dataclass
class Extraction:
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)  # canonical name -> type
    surfaces: dict[str, set[str]] = field(default_factory=dict)  # canonical -> forms seen

    def as_dict(self) -> dict[str, object]:
        return {"mentions": [asdict(m) for m in self.mentions],
                "relations": [asdict(r) for r in self.relations],
                "figures": [asdict(f) for f in self.figures]}


_MAX_SENTENCE = 400


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (a line, or up to 。！？；, not inside “…”: a quoted remark stays with
    its speaker, "“…数据没那么多了”，杨植麟说。"), trimmed of spaces."""
    spans = []
    start, depth = 0, 0
    for i, ch in enumerate(text):
        if ch == "“":
            depth += 1
        elif ch == "”":
            depth = max(0, depth - 1)
        end_here = ch == "\n" or (ch in "。！？!?；;" and (
            depth == 0 or i - start > _MAX_SENTENCE)) and not (
            i + 1 < len(text) and text[i + 1] in "。！？!?”")
        if end_here:
            spans.append((start, i + (ch != "\n")))
            start, depth = i + 1, 0 if ch == "\n" else depth
    spans.append((start, len(text)))
    trimmed = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            trimmed.append((a, b))
    return trimmed


class Extractor:
    """Extraction for one lexicon; ``extract(text)`` is pure and safe across threads."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    def extract(self, text: str, proposals: Iterable[dict[str, Any]] = ()) -> Extraction:
        """``proposals``: entries another extractor (an LLM) suggests, ``{"name", "type"}``;
        only those whose name is verbatim in the text are kept."""
        found: dict[str, str] = {}  # surface (folded) -> canonical, discovered in this text
        types: dict[str, str] = {}
        relations: list[Relation] = []
        spans = sentences(text)
        known = [(a, b) for a, b, _ in self.lexicon.find(text)]
        for name, kind in verbatim_entries(text, proposals):
            if self.lexicon.resolve(name) is not None or re.fullmatch(_CATEGORY, name) or any(
                    a <= m.start() and m.end() <= b and b - a > len(name)
                    for m in re.finditer(re.escape(name), text) for a, b in known):
                continue  # the lexicon's names come first; a category word names nothing
            self._add(name, kind, found, types)
        for start, end in spans:
            self._people(text, start, end, found, types, relations)
            self._products(text, start, end, found, types)
            self._organisations(text, start, end, found, types)
        mentions = self._mentions(text, found, types)
        self._pinyin_names(text, mentions, types)
        mentions.sort(key=lambda m: m.start)
        relations += self._related(text, spans, mentions)
        mentions.sort(key=lambda m: (m.start, -m.end))
        for m in mentions:
            types.setdefault(m.name, m.type)
        figures = self._figures(text, spans, mentions)
        surfaces: dict[str, set[str]] = {}
        for m in mentions:
            surfaces.setdefault(m.name, set()).add(m.surface)
        seen = {m.name for m in mentions}
        return Extraction(mentions, _unique(r for r in relations if r.head in seen
                                            and (not r.tail or r.tail in seen)),
                          figures, {n: types[n] for n in seen}, surfaces)

    # --- entities -----------------------------------------------------------------------------
    def _canonical(self, surface: str, found: dict[str, str]) -> str:
        return self.lexicon.resolve(surface) or found.get(fold(surface)) or surface

    def _add(self, surface: str, kind: str, found: dict[str, str], types: dict[str, str]) -> str:
        surface = surface.strip()
        name = self._canonical(surface, found)
        entry = self.lexicon.entries.get(name)
        types.setdefault(name, entry.type if entry else kind)
        if self.lexicon.resolve(surface) is None:
            found.setdefault(fold(surface), name)
        return name

    def _people(self, text: str, start: int, end: int, found: dict[str, str],
                types: dict[str, str], relations: list[Relation]) -> None:
        sentence = text[start:end]
        for match in _ROLE_CHAIN.finditer(sentence):
            name = _name_after(sentence, match.end())
            if name is None:
                continue
            person_start = start + sentence.index(name, match.end())  # after any space
            person = self._add(name, "person", found, types)
            if types.get(person) != "person":
                continue
            # "猎豹移动董事长兼CEO、猎户星空董事长傅盛": every organisation + role before the name
            end_of_name = person_start + len(name)
            pos, role = match.start(), match.group(0)
            employers = 0
            while True:
                org = self._organisation_before(sentence, pos, found, types)
                if org is None:
                    break
                name_org, org_start, descriptor = org
                employers += 1
                relations.append(Relation(person, "works_at", name_org, descriptor + role,
                                          start + org_start, end_of_name))
                before = sentence[:org_start].rstrip()
                previous = None
                for m in _ROLE_CHAIN.finditer(before[:-1]) if before.endswith("、") else ():
                    previous = m
                if previous is None or previous.end() != len(before) - 1:
                    break
                pos, role = previous.start(), previous.group(0)
            if employers:
                continue
            employer = self._employer(person, text, start, end, found)
            if employer is not None:  # "百度更不用说,创始人李彦宏": the lexicon's employer, named
                relations.append(Relation(person, "works_at", employer[0], role,
                                          start + min(employer[1], match.start()), end_of_name))
            else:
                relations.append(Relation(person, "role", "", role, start + match.start(),
                                          end_of_name))

    def _employer(self, person: str, text: str, start: int, end: int,
                  found: dict[str, str]) -> tuple[str, int] | None:
        """The lexicon's employer of a person when the same sentence names it: (name, offset
        in the sentence)."""
        entry = self.lexicon.entries.get(person)
        if entry is None or not entry.parent:
            return None
        employer = self.lexicon.resolve(entry.parent) or entry.parent
        for a, _, name in self.lexicon.find(text[start:end], ("org",)):
            if name == employer:
                return name, a
        return None

    def _organisation_before(self, sentence: str, role_start: int, found: dict[str, str],
                             types: dict[str, str]) -> tuple[str, int, str] | None:
        """(canonical, where it starts in the sentence, descriptor) of the organisation named
        right before a role: "腾讯混元多模态生成技术负责人" → 腾讯, with "混元多模态生成技术"
        describing the role; a unit ("…研究所所长") is itself the organisation."""
        left = sentence[:role_start].rstrip()
        if left.endswith("的"):
            left = left[:-1].rstrip()
        cut = max((m.end() for m in _BOUNDARY.finditer(left)), default=0)
        lead = _LEADING_WORDS.match(left[cut:])
        cut += lead.end() if lead else 0
        span = left[cut:]
        if len(span) < 2 or span.endswith("记者"):
            return None
        orgs = list(self.lexicon.find(span, ("org",)))
        if orgs:
            a, b, name = orgs[-1]
            descriptor = span[b:]
            if len(descriptor) > 12:
                return None
            if descriptor and self._is_unit(span[a:]):
                return self._add(span[a:], "org", found, types), cut + a, ""
            return name, cut + a, descriptor
        if span.endswith(ORG_SUFFIXES) and len(span) <= 16 or re.fullmatch(
                r"[A-Z][A-Za-z0-9.&\- ]{1,30}", span):
            return self._add(span, "org", found, types), cut, ""
        return None

    @staticmethod
    def _is_unit(name: str) -> bool:
        return name.endswith(UNIT_SUFFIXES)

    def _products(self, text: str, start: int, end: int, found: dict[str, str],
                  types: dict[str, str]) -> None:
        sentence = text[start:end]
        for match in _NAMED_PRODUCT.finditer(sentence):
            name = next(g for g in match.groups() if g)
            name = re.sub(r"(?<=[a-z])\d$", "", name.strip())  # "PixelDance1": a footnote mark
            quoted = match.group(1) or match.group(2)
            if _good_name(name) and not (quoted and _not_a_name(name, sentence[match.end():])):
                self._add(name, "product", found, types)
        for pattern in (_CALLED, _WORK):
            for match in pattern.finditer(sentence):
                if _good_name(match.group(1)):
                    self._add(match.group(1), "product", found, types)

    def _organisations(self, text: str, start: int, end: int, found: dict[str, str],
                       types: dict[str, str]) -> None:
        sentence = text[start:end]
        for pattern in (_REPORTED_BY, _FORECAST_BY):
            for match in pattern.finditer(sentence):
                name = _LEADING_WORDS.sub("", match.group(1).strip())
                known = self.lexicon.resolve(name)
                if known or (name[:1].isascii() and name[:1].isupper()) \
                        or name.endswith(ORG_SUFFIXES):
                    self._add(name, "org", found, types)
        for match in re.finditer(r"([\u3400-\u9fff]{2,6})(?:与|和)[\u3400-\u9fffA-Za-z]{2,8}合作",
                                 sentence):
            name = _LEADING_WORDS.sub("", match.group(1))
            if name.endswith(ORG_SUFFIXES):
                self._add(name, "org", found, types)

    def _mentions(self, text: str, found: dict[str, str], types: dict[str, str]) -> list[Mention]:
        """Every occurrence of a discovered name, then the lexicon's names outside them."""
        mentions: list[Mention] = []
        taken = bytearray(len(text))
        for surface in sorted(found, key=len, reverse=True):
            name = found[surface]
            for match in re.finditer(re.escape(surface), text, re.IGNORECASE):
                a, b = match.span()
                if any(taken[a:b]):
                    continue
                taken[a:b] = b"\x01" * (b - a)
                mentions.append(Mention(name, types[name], text[a:b], a, b))
        for a, b, name in self.lexicon.find(text):
            if any(taken[a:b]) or (_cjk(text[a]) or _cjk(text[b - 1])) and not _a_word(text, a, b):
                continue  # "三星" inside "三星堆": not where jieba ends a word
            entry = self.lexicon.entries[name]
            types.setdefault(name, entry.type)
            mentions.append(Mention(name, entry.type, text[a:b], a, b))
        return mentions

    def _pinyin_names(self, text: str, mentions: list[Mention], types: dict[str, str]) -> None:
        """A Latin word that spells the pinyin of a Chinese name found here (Kuaishou, 快手)."""
        chinese = {m.surface for m in mentions if re.fullmatch(r"[\u3400-\u9fff]{2,6}", m.surface)}
        if not chinese or not re.search(r"[A-Z][a-z]{3,}", text):
            return
        from index.bridge import pinyin_readings

        by_reading: dict[str, str] = {}
        names = {m.surface: m.name for m in mentions}
        for surface, reading in pinyin_readings(sorted(chinese)).items():
            by_reading.setdefault(reading, names[surface])
        taken = {(m.start, m.end) for m in mentions}
        for match in re.finditer(r"(?<![A-Za-z])([A-Z][a-z]+(?: ?[A-Z]?[a-z]+)?)(?![A-Za-z])",
                                 text):
            reading = match.group(1).replace(" ", "").lower()
            name = by_reading.get(reading)
            if name and match.span() not in taken:
                mentions.append(Mention(name, types[name], match.group(1), *match.span()))

    # --- relations ----------------------------------------------------------------------------
    def _related(self, text: str, spans: list[tuple[int, int]],
                 mentions: list[Mention]) -> list[Relation]:
        """Product → maker and unit → group, each from one clause that shows it: "快手的可灵",
        "快手推出…《X》", "阿里旗下的…“通义”", or the lexicon's maker named in the same clause."""
        relations = self._nested(mentions)
        outer = _outermost(mentions)
        for start, end in _clauses(text, spans):
            inside = [m for m in outer if start <= m.start and m.end <= end]
            for i, m in enumerate(inside):
                if m.type not in ("product", "org"):
                    continue
                for other in inside[:i]:
                    if other.type != "org" or other.name == m.name:
                        continue
                    between = text[other.end:m.start]
                    entry = self.lexicon.entries.get(m.name)
                    known_parent = entry is not None and _same(self.lexicon, entry.parent,
                                                               other.name)
                    direct = re.fullmatch(r"\s*(?:的|旗下的?|旗下的[^，,。]{0,12})\s*", between)
                    if m.type == "product" and (known_parent or direct):
                        relations.append(Relation(m.name, "made_by", other.name, "",
                                                  other.start, m.end))
                    elif m.type == "org" and (_OWNED.search(between) and len(between) < 12):
                        relations.append(Relation(m.name, "part_of", other.name, "",
                                                  other.start, m.end))
                    elif m.type == "org" and _WITHIN.match(between):
                        relations.append(Relation(other.name, "part_of", m.name, "",
                                                  other.start, m.end))
        for start, end in spans:  # "字节…,推出了两款最新的视频模型PixelDance1和Seaweed2"
            inside = [m for m in outer if start <= m.start and m.end <= end]
            for i, m in enumerate(inside):
                if m.type != "product":
                    continue
                maker = next((o for o in reversed(inside[:i])
                              if o.type == "org" and o.end <= m.start), None)
                if maker is None or maker.name == m.name:
                    continue
                between = text[maker.end:m.start]
                verb = _LAUNCH.search(between)
                if verb is None or len(between) > 40 or re.search(r"[。；;]", between):
                    continue
                verb_at = maker.end + verb.start()
                listed = [o for o in inside if maker.end <= o.start and o.end <= m.start]
                if any(o.start < verb_at for o in listed) and not _PARTNER.fullmatch(
                        text[maker.end:verb_at]):
                    continue  # something else is named between the maker and its verb
                listed = [o for o in listed if o.start > verb_at]
                chain = [*listed, m]
                gaps = [text[x.end:y.start] for x, y in zip(chain[:-1], chain[1:], strict=True)]
                if all(o.type == "product" for o in listed) and all(
                        re.fullmatch(r"\d?\s*(?:和|、|与|及|以及|,|，)\s*", g) for g in gaps):
                    relations.append(Relation(m.name, "made_by", maker.name, "",
                                              maker.start, m.end))
        return relations

    def _nested(self, mentions: list[Mention]) -> list[Relation]:
        """A name that begins with its organisation's: "腾讯混元大模型" is made by 腾讯,
        "北京师范大学艺术与传媒学院" is part of 北京师范大学 (which it mentions too)."""
        relations = []
        for m in list(mentions):
            if m.type not in ("product", "org") or len(m.surface) < 3:
                continue
            for cut in range(len(m.surface) - 1, 1, -1):
                name = self.lexicon.resolve(m.surface[:cut])
                if name is None or name == m.name or self.lexicon.entries[name].type != "org" \
                        or m.surface[cut - 1].isascii() and m.surface[cut].isascii():
                    continue
                if not word_boundary(m.surface, cut):
                    break  # "三星堆" is not 三星's
                entry = self.lexicon.entries.get(m.name)
                if m.type == "product":
                    relations.append(Relation(m.name, "made_by", name, "", m.start, m.end))
                elif self._is_unit(m.surface) or entry is not None and _same(
                        self.lexicon, entry.parent, name):
                    relations.append(Relation(m.name, "part_of", name, "", m.start, m.end))
                else:
                    break
                mentions.append(Mention(name, "org", m.surface[:cut], m.start, m.start + cut))
                break
        return relations

    # --- figures ------------------------------------------------------------------------------
    def _figures(self, text: str, spans: list[tuple[int, int]],
                 mentions: list[Mention]) -> list[Figure]:
        figures = []
        for start, end in spans:
            sentence = text[start:end]
            inside = [m for m in mentions if start <= m.start and m.end <= end]
            for match in _NUMBER.finditer(sentence):
                number, magnitude, percent = match.group(1), match.group(2), match.group(3)
                after = sentence[match.end():]
                if _NOT_A_FIGURE_AFTER.match(after) or _is_date(sentence, match):
                    continue
                unit_match = None if percent else _UNIT.match(after)
                fraction = "/" in number
                chinese = not number[0].isdigit()
                if chinese and (unit_match is None or unit_match.group(0) not in _MONEY_OR_TIME
                                or magnitude or percent):
                    continue  # 十余元, 三十多亿元: spelled-out amounts of money or time only
                bare = magnitude is not None and unit_match is None  # 月活…3303万
                if not (percent or fraction or bare) and unit_match is None:
                    continue
                unit = unit_match.group(0) if unit_match else ""
                if unit in _MEASURE_WORDS:  # "10个灵感值": the measure word and what it counts
                    unit += _counted(after[len(unit):])
                if unit == "年" and not re.match(r"年(?:内|后|间)?[^代前来]", after):
                    continue
                if unit and after[len(unit):len(unit) + 1] in ("的", "=", "＝"):
                    continue  # "一个5秒的视频", "1灵感值=1元": what is measured, not a figure
                value = number + (magnitude or "") + ("%" if percent else "")
                a = start + match.start()
                b = start + match.end() + len(unit)
                left = sentence[max(0, match.start() - 24):match.start()]
                right = sentence[match.end():match.end() + 12]
                found = _METRIC.findall(left)[::-1] + _METRIC.findall(right)
                metrics = [m for m in found if m not in _CHANGE_WORDS][:1] or found[:1]
                clause = _clause_around(sentence, match.start())
                period = _PERIOD.search(clause) or _PERIOD.search(sentence[:match.start()])
                period_text = period.group(0) if period and period.group(0) not in value else ""
                entity = _subject(inside, a, sentence, start) or (
                    _referent(mentions, start)
                    if _ANAPHORA.search(sentence[:match.start()]) else "")
                if not metrics and not entity or bare and not metrics:
                    continue
                figures.append(Figure(entity, metrics[0] if metrics else unit, value, unit,
                                      period_text, a, b, start, end))
        return figures


_PARTNER = re.compile(r"\s*(?:与|和|联合|携手)[^，,。；;]{1,16}?合作\s*")


def _outermost(mentions: list[Mention]) -> list[Mention]:
    """Mentions not inside a longer one ("腾讯" inside "腾讯混元大模型" is left out)."""
    ordered = sorted(mentions, key=lambda m: (m.start, -m.end))
    kept: list[Mention] = []
    for m in ordered:
        if kept and m.start >= kept[-1].start and m.end <= kept[-1].end and m is not kept[-1]:
            continue
        kept.append(m)
    return kept


def _cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


def _a_word(text: str, start: int, end: int, reach: int = 8) -> bool:
    """Whether jieba, reading the text around it, starts a word at ``start`` and ends one at
    ``end``."""
    from index.tokenize import _jieba

    jieba: Any = _jieba()
    left = max(0, start - reach)
    cuts, position = {left, min(len(text), end + reach)}, left
    for word in jieba.cut(text[left:end + reach], HMM=False):
        position += len(word)
        cuts.add(position)
    return start in cuts and end in cuts


def word_boundary(text: str, cut: int) -> bool:
    """Whether jieba's segmentation of ``text`` has a word break at ``cut``."""
    return cut in word_breaks(text)


@lru_cache(maxsize=4096)
def word_breaks(text: str) -> frozenset[int]:
    """Every offset of ``text`` where a word may start or end: the ends of the text, either
    side of an ASCII character, and jieba's word breaks (one segmentation per text, cached:
    callers test many offsets of the same sentence)."""
    from index.tokenize import _jieba

    jieba: Any = _jieba()
    breaks = {0, len(text)}
    breaks |= {i for i, ch in enumerate(text) if ch.isascii()}
    breaks |= {i + 1 for i, ch in enumerate(text) if ch.isascii()}
    position = 0
    for word in jieba.cut(text, HMM=False):
        position += len(word)
        breaks.add(position)
    return frozenset(b for b in breaks if 0 <= b <= len(text))


def verbatim_entries(text: str, proposals: Iterable[dict[str, Any]]) -> list[tuple[str, str]]:
    """(name, type) of each proposed entry whose name the text holds verbatim: a model's
    suggestion never becomes an entry the documents cannot show."""
    kept = []
    for proposal in proposals:
        if not isinstance(proposal, dict):
            continue
        name, kind = str(proposal.get("name", "")).strip(), str(proposal.get("type", ""))
        if kind in ("org", "product", "person") and "\n" not in name and len(name) <= 40 \
                and _good_name(name) and name in text:
            kept.append((name, kind))
    return kept


def _same(lexicon: Lexicon, a: str, b: str) -> bool:
    return bool(a) and (a == b or lexicon.resolve(a) == b)


def _subject(inside: list[Mention], position: int, sentence: str = "", offset: int = 0) -> str:
    """The entity a figure is about: the last one named before it in its sentence (a product
    over the organisation that makes it: "快手的可灵…10个灵感值"), but not the base of a ratio
    ("Runway…不及ChatGPT的1/400": Runway's figure)."""
    before = [m for m in inside if m.end <= position and m.type in ("org", "product")]
    if len(before) > 1 and sentence and re.fullmatch(
            r"的", sentence[before[-1].end - offset:position - offset].strip()):
        before.pop()
    return before[-1].name if before else ""


_NOT_IN_A_NOUN = set("cpudxmrvf")  # jieba tags that end a noun phrase: conjunctions, verbs…


def _tagged(text: str) -> list[Any]:
    """jieba's words of ``text`` with their part-of-speech tags (``.word``, ``.flag``)."""
    from index.tokenize import _jieba

    _jieba()
    import jieba.posseg as posseg

    return list(posseg.cut(text))


def _counted(text: str) -> str:
    """The noun a measure word counts ("个|灵感值", "张|图片"), or ""."""
    head = re.match(r"[\u3400-\u9fff]{1,6}", text)
    if head is None:
        return ""
    words: list[Any] = []
    for word in _tagged(head.group(0)):
        if word.flag[:1] in _NOT_IN_A_NOUN or sum(len(w.word) for w in words) + len(word.word) > 4:
            break
        words.append(word)
    while words and not words[-1].flag.startswith("n"):
        words.pop()  # a noun phrase ends in a noun: "灵感|值"
    return "".join(w.word for w in words)


def _clause_around(sentence: str, position: int) -> str:
    """The clause of a sentence (between commas, semicolons, colons) holding ``position``."""
    cuts = [m.end() for m in re.finditer(r"[，,；;：:]", sentence)]
    start = max((c for c in cuts if c <= position), default=0)
    end = min((c - 1 for c in cuts if c > position), default=len(sentence))
    return sentence[start:end]


def _referent(mentions: list[Mention], position: int, reach: int = 300) -> str:
    """What "其" (its) refers to in a sentence that names nothing: the last product or
    organisation named shortly before it."""
    before = [m for m in mentions if m.end <= position and position - m.end <= reach
              and m.type in ("org", "product")]
    return before[-1].name if before else ""


def _is_date(sentence: str, match: re.Match[str]) -> bool:
    after = sentence[match.end():match.end() + 1]
    number = match.group(1)
    return bool(re.fullmatch(r"(?:19|20)\d\d", number) and after in ("年", "")) or after == "月"


def _clauses(text: str, spans: list[tuple[int, int]]) -> Iterable[tuple[int, int]]:
    for start, end in spans:
        cut = start
        for match in re.finditer(r"[，,；;：:]", text[start:end]):
            yield cut, start + match.start()
            cut = start + match.end()
        yield cut, end


def _name_after(sentence: str, position: int) -> str | None:
    """The person's name right after a role: jieba's name tags (nr, nrt, nrfg), a surname
    followed by one or two more characters ("毛"+"木子"), or a capitalised Latin name."""
    window = sentence[position:position + 12]
    latin = re.match(r"\s*([A-Z][a-z]+(?: [A-Z][a-z]+){1,2})", window)
    if latin:
        return latin.group(1)
    if not window or not re.match(r"[\u3400-\u9fff]", window):
        return None
    words = [(w.word, w.flag) for w in _tagged(window)]
    if not words:
        return None
    word, flag = words[0]
    if flag in ("nr", "nrt", "nrfg") and 2 <= len(word) <= 4:
        if len(word) == 2 and len(words) > 1 and len(words[1][0]) == 1 \
                and words[1][1] in ("zg", "nr", "n", "ng") and word[0] in _SURNAMES:
            return word + words[1][0]  # "王廷" + "轩"
        return word
    if flag == "nr" and len(word) == 1 and len(words) > 1 and word in _SURNAMES:
        rest, rest_flag = words[1]
        if 1 <= len(rest) <= 2 and rest_flag not in ("v", "p", "u", "uj", "d", "c", "r", "x"):
            return word + rest
    return None


_GROUP_AFTER = re.compile(r"^[”\"]?\s*(?:之一|[（(]包括|等)")
_GROUP_NAME = re.compile(r"^(?:AI|大模型)?[一二两三四五六七八九十]+[小大]")


def _not_a_name(quoted: str, after: str) -> bool:
    """A quoted phrase after a category word that names no product: an idiom ("功能“姗姗
    来迟”", jieba's i/l tags), a verb or adjective ("模型“思考”"), or a group ("“六小虎”
    （包括…）", "…之一")."""
    if _GROUP_AFTER.match(after) or _GROUP_NAME.match(quoted):
        return True
    if not re.fullmatch(r"[\u3400-\u9fff]{2,4}", quoted):
        return False
    words = _tagged(quoted)
    if len(words) != 1:
        return False
    if words[0].flag in ("i", "l"):
        return True
    # a scare-quoted common verb or adjective ("让模型“思考”", "更“聪明”"): a product is named by
    # a noun or a coinage (剪映, which jieba's dictionary lacks, stays a name)
    from index.tokenize import _jieba

    common = (_jieba().dt.FREQ.get(quoted) or 0) >= _COMMON_WORD  # type: ignore[attr-defined]
    return words[0].flag in _NOT_NOUN and common


_NOT_NOUN = frozenset("v vd a ad d".split())  # jieba's verbs, adjectives, adverbs
_COMMON_WORD = 100  # jieba's dictionary frequency of an everyday word (思考 2216, 推理 614)


# generic English words of software that follow a category word without naming anything
# ("平台 Hub", "模型 ID", "应用 API")
_GENERIC_WORDS = {"ai", "app", "apps", "api", "apis", "sdk", "id", "ids", "hub", "the", "agent",
                  "agents", "model", "models", "token", "tokens", "prompt", "prompts", "gpu",
                  "cpu", "url", "json", "python", "demo", "web", "chat", "bot", "plugin"}


MARKUP = re.compile(r"[\[\]<>`*|\\]|://")  # a name holds no Markdown, HTML or link


def _good_name(name: str) -> bool:
    name = name.strip()
    return 2 <= len(name) <= 30 and not re.fullmatch(r"[\d.\s]+", name) \
        and name.lower() not in _GENERIC_WORDS and not MARKUP.search(name)


def _unique(relations: Iterable[Relation]) -> list[Relation]:
    seen: set[tuple[str, str, str, str]] = set()
    kept = []
    for r in relations:
        key = (r.head, r.relation, r.tail, r.role)
        if key not in seen:
            seen.add(key)
            kept.append(r)
    return kept


# The commonest Chinese surnames (over 90% of the population): a one-character jieba "name"
# followed by one or two characters is a full name only after one of these.
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝傅谈")
