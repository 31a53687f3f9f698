"""The landscape as answers: list and aggregate questions ("哪些公司…", "which … mentioned",
"list all …", "what figures …") answered from the extracted entities (``index.entity_store``),
complete across documents, one cited row per entry; follow-ups that narrow the last list ("and
which of them are startups?"); and the players × topics matrix of the web UI's Landscape view.

A row is kept only when one sentence of the documents shows it: the relation's quote ("字节…推出了
两款最新的视频模型PixelDance"), or a sentence that names the entity and every other thing the
question asks about (a topic: 视频生成; a word: 数据; "quoted": a speech verb or a quotation).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from agent.grounding import Citation, Verification, token_set
from agent.language import detect_language
from index.corpus import Corpus
from index.entities import MARKUP
from index.entity_store import EntityIndex

MAX_ROWS = 40


@dataclass(frozen=True)
class Topic:
    label: str
    keywords: tuple[str, ...]

    def matches(self, text: str) -> bool:
        lowered = text.lower()
        return any(k in lowered for k in self.keywords)

    def keyword_in(self, text: str) -> str:
        """The longest of the topic's keywords in ``text`` (case-folded), or ""."""
        lowered = text.lower()
        return max((k for k in self.keywords if k in lowered), key=len, default="")


# The domain's usual strategy topics; LANDSCAPE_TOPICS replaces them.
DEFAULT_TOPICS = (
    Topic("video generation", ("视频生成", "视频模型", "视频大模型", "文生视频", "图生视频",
                               "视频赛道", "ai视频", "video generation", "video model",
                               "text-to-video")),
    Topic("deep reasoning", ("深度推理", "推理", "o1", "reasoning")),
    Topic("synthetic data", ("合成数据", "synthetic data")),
    Topic("agents", ("智能体", "agent")),
    Topic("pricing", ("定价", "价格", "降价", "低价", "便宜", "元/千tokens", "pricing", "price")),
    Topic("funding", ("融资", "投资", "估值", "烧钱", "funding", "investment", "valuation",
                      "raised")),
    Topic("organisation changes", ("分拆", "并入", "调整", "重组", "架构", "任命", "离职",
                                   "reorganization", "reorganisation", "restructur", "spin off",
                                   "spun off")),
)


def parse_topics(spec: str) -> tuple[Topic, ...]:
    """``"label=keyword|keyword;label2=keyword"`` → topics; empty → the defaults."""
    if not spec.strip():
        return DEFAULT_TOPICS
    topics = []
    for part in spec.split(";"):
        if not part.strip():
            continue
        label, _, words = part.partition("=")
        keywords = tuple(w.strip().lower() for w in words.split("|") if w.strip())
        if not label.strip() or not keywords:
            raise ValueError(f"LANDSCAPE_TOPICS: {part!r} is not label=word|word")
        topics.append(Topic(label.strip(), keywords))
    return tuple(topics)


# --- the matrix ------------------------------------------------------------------------------
@dataclass
class Matrix:
    topics: list[str]
    rows: list[dict[str, Any]]  # {"player", "type", "counts": [n per topic], "total"}


def _player_names(index: EntityIndex) -> dict[str, str]:
    """Each name that counts for a player: itself and the products it makes (by a relation in
    the documents, or the lexicon's maker) → the player."""
    owner: dict[str, str] = {}
    for r in index.relations("made_by"):
        owner.setdefault(r["head"], r["tail"])
    lexicon = index.lexicon
    for summary in index.entities("product"):
        entry = lexicon.entries.get(summary.name)
        if entry is not None and entry.parent and summary.name not in owner:
            owner[summary.name] = lexicon.resolve(entry.parent) or entry.parent
    return owner


def landscape_matrix(index: EntityIndex, topics: Sequence[Topic], limit: int = 25) -> Matrix:
    """Organisations × topics: per cell, the mentions of the player (or of its products) in a
    sentence about the topic."""
    owner = _player_names(index)
    counts: dict[str, list[int]] = {}
    seen: set[tuple[str, str, int, int]] = set()
    lexicon = index.lexicon
    orgs = {s.name for s in index.entities("org")  # the press reports on players, is not one
            if "media" not in getattr(lexicon.entries.get(s.name), "tags", ())}
    for m in index.mentions():
        player = m["name"] if m["name"] in orgs else owner.get(m["name"])
        if player is None or player not in orgs:
            continue
        c = m["citation"]
        key = (player, c["doc_id"], c["start"], c["end"])
        if key in seen:  # one sentence counts once per player
            continue
        seen.add(key)
        row = counts.setdefault(player, [0] * len(topics))
        for i, topic in enumerate(topics):
            if topic.matches(c["text"]):
                row[i] += 1
    ranked = sorted(((p, n) for p, n in counts.items() if sum(n)),
                    key=lambda pn: (-sum(pn[1]), pn[0]))
    rows: list[dict[str, Any]] = [{"player": p, "type": "org", "counts": n, "total": sum(n)}
                                  for p, n in ranked]
    return Matrix([t.label for t in topics], rows[:limit])


def cell_mentions(index: EntityIndex, player: str, topic: Topic | None) -> list[dict[str, Any]]:
    """The quotes behind one cell (or, with no topic, every mention of the player), with
    dates, oldest first; one per sentence."""
    owner = _player_names(index)
    names = [player] + [p for p, o in owner.items() if o == player]
    out, seen = [], set()
    for m in index.mentions(names):
        c = m["citation"]
        if (c["doc_id"], c["start"]) in seen or (
                topic is not None and not topic.matches(c["text"])):
            continue
        seen.add((c["doc_id"], c["start"]))
        out.append({"name": m["name"], **c})
    out.sort(key=lambda c: (c["date"] or "9999", c["title"], c["start"]))
    return out


def matrix_csv(matrix: Matrix) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["player", *matrix.topics, "total"])
    for row in matrix.rows:
        writer.writerow([_cell(row["player"]), *row["counts"], row["total"]])
    return buffer.getvalue()


def _cell(text: str) -> str:
    """A name as a spreadsheet cell that cannot run as a formula (=, +, -, @ first)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# --- list questions --------------------------------------------------------------------------
_ZH_LIST = re.compile(r"哪些|哪几|列出|列举|有谁|都有谁|几家|盘点|名单|所有|全部|都有什么")
_NOUNS = r"(?:companies|firms|players|startups|products|models|apps|people|figures|numbers)"
_EN_LIST = re.compile(rf"\b(?:which|list|name (?:the|all|every)|all (?:the )?{_NOUNS}|"
                      r"every (?:company|firm|player|startup|product|model|app|person|figure)|"
                      rf"what (?:are|were) (?:the|all) {_NOUNS}|"
                      r"what (?:figures|numbers|data|statistics|companies|firms|products|models"
                      r"|people|players)|who (?:are|were))\b", re.I)
_REASON = re.compile(r"为什么|为何|原因|怎么看|如何看|\bwhy\b|\bhow come\b|\bhow do(?:es)?\b",
                     re.I)  # an explanation is not a list
_TARGETS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("person", re.compile(r"人物|哪些人|哪位|哪几位|什么人|谁|大佬|高管|专家|导演|创始人|"
                          r"\bpeople\b|\bpersons?\b|\bwho\b|\bexecutives?\b|\bexperts?\b|"
                          r"\bdirectors\b|\bfounders\b|\bceos\b", re.I)),
    ("figure", re.compile(r"数字|数值|(?:哪些|什么|所有|全部)数据|多少|\bfigures?\b|\bnumbers\b|"
                          r"\bstatistics\b|\bstats\b|\bmetrics\b|\bdata points\b", re.I)),
    ("product", re.compile(r"模型|产品|应用|工具|平台|短剧|作品|\bmodels?\b|\bproducts?\b|"
                           r"\bapps?\b|"
                           r"\btools?\b|\bplatforms?\b|\blaunch(?:ed|es)?\b|\breleased?\b|推出|发布|"
                           r"上线", re.I)),
    ("org", re.compile(r"公司|企业|厂商|大厂|玩家|机构|品牌|\bcompan(?:y|ies)\b|\bfirms?\b|"
                       r"\bplayers?\b|\bstartups?\b|\borgani[sz]ations?\b|\bvendors?\b|"
                       r"\bbrands?\b", re.I)),
)
# a kind of product narrower than "products": the evidence must say it (a list of 短剧 is not
# every product the documents name)
_NARROWER = re.compile(r"短剧|短片|影片|电影|作品|\bshort (?:dramas?|films?)\b|\bfilms?\b|"
                       r"\bmovies?\b", re.I)


def _target(question: str) -> str | None:
    """What the list is of: the target word nearest after the list word ("哪些国内大厂推出了
    视频模型" lists companies, "列出视频模型" models), else the first one named."""
    asked = _ZH_LIST.search(question) or _EN_LIST.search(question)
    after = asked.end() if asked else 0
    best: tuple[int, str] | None = None
    for target, pattern in _TARGETS:
        for match in pattern.finditer(question):
            if match.start() >= after:
                if best is None or match.start() < best[0]:
                    best = (match.start(), target)
                break
    if best is not None:
        return best[1]
    return next((t for t, pattern in _TARGETS if pattern.search(question)), None)


_SPEECH_Q = re.compile(r"说过|谈到|谈及|谈过|表示|发言|引用|quoted|\bsaid\b|\bsay\b|\bsays\b|"
                       r"\btalk(?:ed|s)?\b|\bspoke\b|\bcomment(?:ed)?\b", re.I)
_SPEECH = re.compile(r"“|\"|告诉|表示|认为|指出|透露|介绍|说|提到|分析|称|直言|预测|判断|发问|坦言|"
                     r"\bsaid\b|\bsays\b|\btold\b")
_FOLLOW_UP = re.compile(r"其中|它们|他们|这些|那些|以上|上述|\bof (?:them|these|those)\b|"
                        r"\bamong (?:them|these|those)\b|\bthose\b|\bthese\b", re.I)
TAGS = {  # a narrowing follow-up's attribute: the words that show it in a text, then its tag
    "startup": (re.compile(r"创业|初创|startup|start-up", re.I),
                re.compile(r"创业公司|初创|六小虎|独立大模型|startup")),
    "bigtech": (re.compile(r"大厂|巨头|big tech|tech giant|giants?", re.I),
                re.compile(r"大厂|巨头|big tech|tech giant")),
}
def _describes(citation: dict[str, Any], at: tuple[int, int], words: re.Pattern[str]) -> bool:
    """Whether the sentence gives the mention at ``at`` the attribute ``words`` show: right
    before it ("“AI六小虎”之一的智谱清言") or said of it ("智谱是一家创业公司")."""
    text, offset = citation["text"], citation["start"]
    start, end = at[0] - offset, at[1] - offset
    for match in words.finditer(text):
        if match.end() <= start and re.fullmatch(r"[”\"’'\s]*(?:之一)?的?[^，,。；;、]{0,4}",
                                                 text[match.end():start]):
            return True
        if match.start() >= end and re.fullmatch(r"\s*(?:是|为|作为|属于|is|was)[^，,。；;]{0,6}",
                                                 text[end:match.start()]):
            return True
    return False


# words that only frame a list question (no content of their own)
_FRAME = re.compile(
    r"文中|文章|两篇|种子|资料|文档|提到|提及|提过|说到|出现|涉及|所有|全部|哪些|哪几[位家个款]?|列出|"
    r"列举|都有|有哪|什么|分别|各自|一下|请|我们|\b(?:which|what|list|name|all|every|the|of|in|"
    r"do|does|did|we|have|has|had|are|is|were|was|that|mentioned|named|documents?|articles?|"
    r"seeds?|sources?|about|on|any|there|and|by|for|give|me|show|know)\b", re.I)


ROW_LABEL = {"zh": {"org": "公司/机构", "product": "产品/模型", "person": "人物", "figure": "数据"},
             "en": {"org": "companies/organisations", "product": "products/models",
                    "person": "people", "figure": "figures"}}


@dataclass
class ListRequest:
    target: str  # org | product | person | figure
    about: list[str]  # canonical names the question names
    topics: list[Topic]
    concepts: list[dict[str, float]]  # other content the evidence must hold
    speech: bool
    tag: str = ""  # a follow-up's narrowing attribute
    language: str = "zh"
    makes: bool = False  # companies that make such products ("哪些公司推出了视频模型")
    works: bool = False  # titled works (短剧, films): the names the quotes title in 《》


@dataclass
class Row:
    name: str
    detail: str
    citation: dict[str, Any]  # a Quote as a dict
    extra: dict[str, Any] = field(default_factory=dict)


class ListAnswerer:
    """Reads list questions and answers them from the entity index of one corpus."""

    def __init__(self, corpus: Corpus, concepts: Callable[[str], list[dict[str, float]]],
                 topics: Sequence[Topic] = DEFAULT_TOPICS) -> None:
        self.corpus = corpus
        self.concepts_of = concepts
        self.topics = tuple(topics)

    # --- reading the question -----------------------------------------------------------------
    def request(self, question: str, earlier: Sequence[str] = ()) -> ListRequest | None:
        """The list this question asks for, or None (then the usual pipeline answers)."""
        language = detect_language(question)
        for name, (asks, _) in TAGS.items():
            if asks.search(question) and _FOLLOW_UP.search(question) and earlier:
                previous = self.request(earlier[-1], earlier[:-1])
                if previous is not None:
                    previous.tag, previous.language = name, language
                    return previous
        if not (_ZH_LIST.search(question) or _EN_LIST.search(question)) \
                or _REASON.search(question):
            return None
        target = _target(question)
        if target is None:
            return None
        index = self.corpus.entities
        about, rest = index.named_in(question)
        if target == "org" and about and not re.search(r"公司|企业|compan|firm|startup|player",
                                                       question, re.I):
            return None
        topics = [t for t in self.topics if t.matches(rest)]
        for topic in topics:
            for keyword in sorted(topic.keywords, key=len, reverse=True):
                rest = re.sub(re.escape(keyword), " ", rest, flags=re.I)
        speech = bool(_SPEECH_Q.search(rest))
        rest = _SPEECH_Q.sub(" ", rest)
        makes = target == "org" and bool(dict(_TARGETS)["product"].search(rest))  # "…models"
        if makes:
            rest = re.sub(r"自己的?|自家的?|各自的?|\b(?:own|their|its)\b", " ", rest, flags=re.I)
        narrower = " ".join(_NARROWER.findall(rest))  # "哪些AI短剧": short dramas, not products
        for _, pattern in _TARGETS:
            rest = pattern.sub(" ", rest)
        rest = f"{rest} {narrower}"
        if target == "figure":
            rest = re.sub(r"数据|\bdata\b", " ", rest, flags=re.I)
        rest = _ZH_LIST.sub(" ", rest)
        rest = _FRAME.sub(" ", rest)
        concepts = self.concepts_of(rest) if re.search(r"[\w\u3400-\u9fff]{2,}", rest) else []
        return ListRequest(target, about, topics, concepts, speech, "", language, makes,
                           works=target == "product" and bool(narrower))

    # --- answering ----------------------------------------------------------------------------
    def rows(self, request: ListRequest) -> list[Row]:
        index = self.corpus.entities
        candidates = self._candidates(index, request)
        kept: list[Row] = []
        for name, detail, evidence in candidates:
            quote = next((q for q in evidence if self._passes(q["text"], request)), None)
            if quote is None:
                continue
            if request.works and f"《{name}》" not in quote["text"]:
                continue  # "哪些短剧": 《山海奇镜》, not 抖音 named beside it
            kept.append(Row(name, detail, quote))
        if request.tag:
            kept = self._narrow(index, kept, request.tag)
        unique: dict[tuple[str, str], Row] = {}
        for row in kept:
            unique.setdefault((row.name, row.detail), row)
        rows = self._verbatim(list(unique.values()))
        rows.sort(key=lambda r: (r.citation["date"] or "9999", r.citation["doc_id"],
                                 r.citation["start"]))
        return rows

    def _verbatim(self, rows: list[Row]) -> list[Row]:
        """The rows whose quote is still the stored text at its offsets (a document changed
        since its extraction is left out until the index catches up)."""
        texts = self.corpus.store.documents_text(sorted({r.citation["doc_id"] for r in rows}))
        return [r for r in rows if (texts.get(r.citation["doc_id"]) or "")[
            r.citation["start"]:r.citation["end"]] == r.citation["text"]]

    def _passes(self, text: str, request: ListRequest) -> bool:
        if request.topics and not any(t.matches(text) for t in request.topics):
            return False
        if request.speech and not _SPEECH.search(text):
            return False
        if request.concepts:
            tokens = token_set(text)
            lowered = text.lower()
            for concept in request.concepts:
                if not any(t in tokens or (len(t) > 1 and t in lowered) for t in concept):
                    return False
        return True

    def _candidates(self, index: EntityIndex,
                    request: ListRequest) -> list[tuple[str, str, list[dict[str, Any]]]]:
        """(name, detail, evidence quotes, best first) for every entry of the target type."""
        about = set(request.about)
        sentences: dict[str, list[dict[str, Any]]] = {}
        needed = "product" if request.makes else None if request.target == "figure" or about \
            else request.target
        for m in index.mentions(kind=needed) if request.target != "figure" else ():
            sentences.setdefault(m["name"], []).append(m["citation"])
        out: list[tuple[str, str, list[dict[str, Any]]]] = []
        if request.target == "figure":
            names = about | {r["head"] for r in index.relations("made_by") if r["tail"] in about}
            for f in index.figures():
                if about and f["entity"] not in names:
                    continue
                detail = " ".join(x for x in (f["metric"], f["period"]) if x)
                out.append((f"{f['value']}{f['unit']}", f"{f['entity']}|{detail}",
                            [f["citation"]]))
            return out
        kinds = {"org": "org", "product": "product", "person": "person"}
        wanted = kinds[request.target]
        if about:
            relation = {"product": "made_by", "person": "works_at", "org": "made_by"}[wanted]
            for r in index.relations(relation):
                if wanted == "org" and r["head"] in about:
                    out.append((r["tail"], "", [r["citation"], *sentences.get(r["tail"], [])]))
                elif wanted != "org" and r["tail"] in about:
                    detail = r["role"] if wanted == "person" else r["tail"]
                    evidence = [r["citation"], *sentences.get(r["head"], [])]
                    out.append((r["head"], detail, evidence))
            if wanted == "person":  # people named in the same sentence as the organisation
                for m in index.mentions(list(about)):
                    for p in index.mentions_in(m["citation"]["doc_id"], m["citation"]["start"]):
                        if p["type"] == "person":
                            out.append((p["name"], "", [m["citation"]]))
            return out
        if request.makes:  # the makers of products the evidence shows are of that kind
            for r in index.relations("made_by"):
                out.append((r["tail"], r["head"], [r["citation"], *sentences.get(r["head"], [])]))
            return out
        for summary in index.entities(wanted):
            out.append((summary.name, "", sentences.get(summary.name, [])))
        return out

    def _narrow(self, index: EntityIndex, rows: list[Row], tag: str) -> list[Row]:
        """The rows the documents (or, failing that, the lexicon) give the tag, each cited with
        the sentence that says so when there is one."""
        _, shows = TAGS[tag]
        kept = []
        for row in rows:
            said = [m["citation"] for m in index.mentions([row.name])
                    if _describes(m["citation"], m["at"], shows)]
            entry = index.lexicon.entries.get(row.name)
            if said:
                kept.append(Row(row.name, row.detail, said[0]))
            elif entry is not None and tag in entry.tags:
                kept.append(Row(row.name, row.detail, row.citation, {"from_lexicon": True}))
        return kept

    def answer(self, request: ListRequest, rows: list[Row]) -> Verification:
        """The list as text with one [n] per row, and its verified citations."""
        citations: list[Citation] = []
        numbers: dict[tuple[str, int, int], int] = {}
        lines = []
        zh = request.language == "zh"
        for row in rows[:MAX_ROWS]:
            c = row.citation
            key = (c["doc_id"], c["start"], c["end"])
            if key not in numbers:
                numbers[key] = len(citations) + 1
                citations.append(self._citation(numbers[key], c))
            lines.append(f"- {self._label(row, request)} [{numbers[key]}]")
        what = ROW_LABEL["zh" if zh else "en"][request.target]
        scope = self._describe(request)
        if zh:
            head = f"文档中{scope}的{what}（共 {len(rows)} 项，每项附出处）："
        else:
            head = f"The {what}{scope} in the documents ({len(rows)}, each cited):"
        if len(rows) > MAX_ROWS:
            lines.append(f"- …（另有 {len(rows) - MAX_ROWS} 项）" if zh
                         else f"- … and {len(rows) - MAX_ROWS} more")
        if any(r.extra.get("from_lexicon") for r in rows):
            lines.append("（标 * 的一项由领域词表归类，原文未直接说明）" if zh else
                         "(* classed by the domain lexicon; the text does not say so itself)")
        return Verification("\n".join([head, *lines]), citations)

    def _describe(self, request: ListRequest) -> str:
        zh = request.language == "zh"
        parts = []
        if request.about:
            parts.append("、".join(request.about) if zh else " / ".join(request.about))
        if request.topics:
            parts.append("、".join(t.label for t in request.topics))
        if request.tag:
            parts.append({"startup": "创业公司" if zh else "startups",
                          "bigtech": "大厂" if zh else "big tech"}[request.tag])
        if not parts:
            return ""
        return ("（" + "；".join(parts) + "）") if zh else f" ({'; '.join(parts)})"

    def _display(self, name: str, language: str) -> str:
        """A name as an English reader knows it, with the documents' Chinese: "Kuaishou (快手)"."""
        entry = self.corpus.entities.lexicon.entries.get(name)
        if language != "en" or entry is None:
            return name
        latin = next((a for a in (name, *entry.aliases) if a.isascii()), "")
        return f"{latin} ({name})" if latin and latin != name else name

    def _label(self, row: Row, request: ListRequest) -> str:
        mark = " *" if row.extra.get("from_lexicon") else ""
        label = MARKUP.sub("", self._display(row.name, request.language))
        if request.target == "figure":
            entity, _, detail = row.detail.partition("|")
            entity = self._display(entity, request.language) if entity else ""
            return f"{label}: {entity + ' · ' if entity else ''}{detail}{mark}"
        if row.detail:
            joiner = "，" if request.language == "zh" else ", "
            detail = self._display(row.detail, request.language)
            return f"{label}{joiner}{detail}{mark}"
        return label + mark

    def _citation(self, n: int, quote: dict[str, Any]) -> Citation:
        chunk_id = self.corpus.store.chunk_containing(quote["doc_id"], quote["start"],
                                                      quote["end"])
        return Citation(n, quote["doc_id"], chunk_id, quote["title"], quote["source"],
                        quote["outlet"], quote["date"], quote["text"], quote["start"],
                        quote["end"])
