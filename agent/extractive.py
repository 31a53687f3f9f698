"""The no-LLM answer: the most relevant sentences of the retrieved passages, each cited.

It is the offline default and the fallback when the configured LLM fails. Sentences are quoted
verbatim, so every citation is valid by construction (and still goes through verification).
"""

from __future__ import annotations

import re
from itertools import pairwise

from agent.grounding import Citation, concept_coverage
from agent.labels import source_label
from agent.language import split_sentences
from agent.safety import looks_like_injection
from index.search import SearchResult
from index.tokenize import without_credits

MAX_SENTENCES = 3
PER_PASSAGE = 2  # an article's answer quotes this many sentences of a passage before a third
EXPLAIN_REACH = 2  # sentences after a quoted claim where a why-answer looks for its cause
MIN_SENTENCE_CHARS = 8
RELATIVE_CUTOFF = 0.5  # keep sentences scoring at least half the best one
MIN_COVERAGE = 0.1  # a sentence sharing less of the question than this is not quoted
PART_SENTENCES = 2  # an article's part asked for: its first (title, lead) or last two sentences

# what a question expects ("为什么" a reason, "多少" a figure): a sentence holding it scores
# KIND_WEIGHT more (chosen on tune: answer-key coverage 0.68 → 0.70 at 0.6, flat to 1.0)
_KIND_WORDS = {
    "reason": re.compile(r"因为|由于|原因|在于|所以|因此|因而|导致|为了|之所以|源于|毕竟|说明|"
                         r"意味着|\bbecause\b|\bdue to\b"),
    "number": re.compile(r"\d|[一二两三四五六七八九十百千万亿]+[余多]?"
                         r"(?:位|个|家|款|名|次|倍|部|项|亿|万|元|年)"),
    # who: a person named by a title or role (创新工场CEO李开复, 导演叶锦添)
    "person": re.compile(r"CEO|CTO|创始人|联合创始人|董事长|总裁|总经理|负责人|首席|主任|院长|教授|"
                         r"导演|专家|分析师|研究员|合伙人|\bfounder|\bchief\b|\bdirector\b",
                         re.IGNORECASE),
}
KIND_WEIGHT = 0.6
# a sentence that goes on from the one before it: spelling out what it introduced ("这个问题
# 是:", "这些功能包括:", "其内容如下:"), qualifying it ("但…", "However, …"), adding to it
# ("况且…", "此外…"), restating it ("简言之…", "用李彦宏的话来说…"), giving its example
# ("以Sora为例…"), its cause ("这是因为…", "原因就在于…") or what it shows ("可以看到…")
_GOES_ON = re.compile(r"\s*(?:(?:这|此|该|其)[^，,。！？!?：:]{0,8}(?:是|为|包括|如下)\s*[:：]|"
                      r"但是?|不过|然而|可是|只是|but\b|however\b|"
                      r"况且|而且|此外|另外|再者|并且|moreover\b|furthermore\b|in addition\b|"
                      r"简言之|换句话说|换言之|也就是说|总之|用[^，,。]{1,12}的话(?:来)?说|"
                      r"in other words\b|that is\b|"
                      r"以[^，,。]{1,12}为例|比如|例如|譬如|for (?:example|instance)\b|"
                      r"这是因为|这是由于|原因(?:就)?在于|this is because\b|"
                      # an observation on what was just shown ("首先测评的,是豆包。" "可以看到,
                      # …显得十分臃肿、凌乱")
                      r"可以看到|可以看出|不难看出|由此可见|as (?:we|you) can see\b)",
                      re.IGNORECASE)


# a sentence whose subject points back to the one before it ("这几乎是所有视频模型的通病。"
# after "…另一大短板,便是那股始终挥之不去的“AI”味。"): quoted alone it says nothing of what
# "this" is, so the sentence before it comes too
_POINTS_BACK = re.compile(r"\s*(?:这|此|这些|这种|这样|这一|上述|以上)[^，,。！？!?：:]{0,6}?"
                          r"(?:是|也|都|就|便|成了|让|使得?|说明|意味着|反映|表明|正是)")


# a sentence that gives the cause of the one before it ("这是因为,…", "原因就在于…")
_EXPLAINS = re.compile(r"\s*(?:这是因为|这是由于|这主要是因为|原因(?:就|主要)?在于|之所以如此|"
                       r"this is because\b|that is because\b)", re.IGNORECASE)


# a sentence setting another side against the one before ("相较之下,深度推理则属于基础认知
# 能力…" after "原因就在于,视频生成主要服务创意表达…"): a reason given as a contrast has both
_CONTRASTS = re.compile(r"\s*(?:相较之下|相比之下|与之相比|与此相比|反观|by contrast\b|"
                        r"in contrast\b)", re.IGNORECASE)


# a list the article announces ("都存在两个难以掩盖的短板:") and goes through a passage at a
# time ("其一,是…" right after it, "另一大短板,便是…" three paragraphs on): its later items
_ANNOUNCED = re.compile(r"[两二三四五六七八九2-9](?:个|大|项|点|种|条|方面)[^，,。:：]{0,8}?"
                        r"(?P<noun>[\u4e00-\u9fff]{2})\s*[:：]")


def announced_noun(text: str) -> str:
    """The noun of the first list ``text`` announces ("两个…短板:" → 短板), or ""."""
    found = _ANNOUNCED.search(text)
    return found.group("noun") if found is not None else ""


def later_item(noun: str) -> re.Pattern[str]:
    """A sentence opening a later item of an announced list of ``noun``: "另一大短板",
    "第二个短板", "其二,"."""
    measure = "(?:大|个|项|点|种|条)?"
    return re.compile(rf"另一{measure}{noun}|第[二三四五六七八九]{measure}{noun}|"
                      r"其[二三四五][，,、:：]")


def _sentence_score(sentence: str, coverage: float, rank: int, expects: str = "any",
                    holders: set[str] | None = None) -> float:
    """``coverage``: the sentence's ``concept_coverage``; earlier passages break ties.
    ``holders``: the sentences known to hold the value asked for; else any sentence with the
    words of the expected kind (a figure, a causal connective) counts as one."""
    score = coverage / (1.0 + 0.1 * rank)
    if holders is not None:
        fits = _holds(holders, sentence)
    else:
        kind = _KIND_WORDS.get(expects)
        fits = kind is not None and bool(kind.search(sentence))
    if fits:
        score *= 1.0 + KIND_WEIGHT
    return score


def _holds(holders: set[str], sentence: str) -> bool:
    """Whether ``sentence`` is (or holds) one of the sentences known to hold the value."""
    return any(held in sentence or sentence.strip() in held for held in holders)


def extractive_answer(
    language: str,
    evidence: list[SearchResult],
    concepts: list[dict[str, float]],
    idf: dict[str, float],
    limit: int = MAX_SENTENCES,
    per_article: bool = False,
    expects: str = "any",
    holders: set[str] | None = None,
) -> str:
    """Answer text with [n] markers (n = 1-based index into ``evidence``): at most ``limit``
    sentences; ``per_article``: the evidence is one article's, quoted without a preamble;
    ``holders``: the sentences that hold the value asked for, put first (``_sentence_score``).
    A sentence ending in a colon brings the one it announces, a question the article asks
    itself its answer, one that opens a quotation the rest of it, and one the next sentence
    goes on from (``_GOES_ON``: "这个问题是:", "但…", "况且…", "简言之…", "以…为例") that one;
    for a why-question (``expects`` "reason") the best sentence giving a reason brings the one
    after it."""
    candidates: list[tuple[float, int, int, int]] = []  # score, passage, start, end
    closest: list[tuple[float, int, int, int]] = []  # (per article: those below MIN_COVERAGE)
    following: dict[tuple[int, int], tuple[int, int]] = {}  # a sentence -> the one after it
    preceding: dict[tuple[int, int], tuple[int, int]] = {}  # a sentence -> the one before it
    for index, hit in enumerate(evidence):
        spans = split_sentences(hit.text)
        for (begin, end), (after, stop) in pairwise(spans):
            following[(index, hit.start + end)] = (hit.start + after, hit.start + stop)
            preceding[(index, hit.start + after)] = (hit.start + begin, hit.start + end)
        part = hit.signals.get("part")  # the part of an article the question asks for:
        edge = _edge(hit, spans, part)
        least = 1.0 if hit.signals.get("only") else MIN_COVERAGE  # (asked for nothing else:
        #                                       first, before the sentences sharing its words)
        for start, end in spans:
            sentence = hit.text[start:end]
            if (len(sentence) < MIN_SENTENCE_CHARS or sentence.startswith("#")
                    or looks_like_injection(sentence)):
                continue  # too short to inform, a heading, or an instruction planted for an AI
            coverage = concept_coverage(concepts, idf, sentence)
            if (start, end) in edge:  # quotable, whatever words the question says it in
                coverage = max(coverage, least)
            # (a sentence holding the value asked for is quotable whatever words it shares:
            # "综合来看,Kimi…显著优于豆包、智谱AI" answers who came first in the test)
            if coverage >= MIN_COVERAGE or holders and _holds(holders, sentence):
                candidates.append((_sentence_score(sentence, coverage, index, expects, holders),
                                   index,
                                   hit.start + start, hit.start + end))
            elif per_article and coverage > 0:
                closest.append((_sentence_score(sentence, coverage, index, expects, holders),
                                index, hit.start + start, hit.start + end))
    if not candidates and closest:  # a comparison asks what each article says: the one
        #  whose words are furthest from the question's still gives its closest sentence
        candidates = [max(closest, key=lambda c: c[0])]
    if not candidates:
        return ""
    candidates.sort(key=lambda c: -c[0])
    best = candidates[0][0]
    chosen: list[tuple[float, int, int, int]] = []
    deferred: list[tuple[float, int, int, int]] = []
    for candidate in candidates:
        _, index, start, end = candidate
        if candidate[0] < RELATIVE_CUTOFF * best or len(chosen) == limit:
            break
        if _overlaps(chosen, evidence, evidence[index].doc_id, start, end):
            continue  # (overlapping chunks repeat sentences)
        if per_article and sum(c[1] == index for c in chosen) >= PER_PASSAGE:
            deferred.append(candidate)  # what an article says of a subject runs over its
            continue  #                   passages: the next passage's best sentence first
        chosen.append(candidate)
    chosen += deferred[:limit - len(chosen)]
    if holders and not any(_holds(holders, _quoted(evidence, c)) for c in chosen):
        # a value asked for is in the answer: the best sentence holding it, in place of the
        # last chosen ("累计生成超6500万个视频" under three sentences that share more words)
        held = next((c for c in candidates if _holds(holders, _quoted(evidence, c))), None)
        if held is not None:
            chosen = [held, *(c for c in chosen if not _overlaps(
                [held], evidence, evidence[c[1]].doc_id, c[2], c[3]))][:limit]
    for _, index, start, _ in list(chosen):  # "这几乎是…的通病。" — and what "this" is
        before = preceding.get((index, start))
        if before is not None and _POINTS_BACK.match(evidence[index].text,
                                                     start - evidence[index].start):
            _add_sentence(chosen, evidence, index, *before)
    for candidate in list(chosen):  # "两个短板:" — and what the colon announces, the answer
        #    to a question the article asks itself ("…该怎样继续?" "…这个问题的答案,就是强化
        #    学习。"), the rest of a quotation, and a next sentence that goes on (_GOES_ON)
        _, index, _, end = candidate
        hit = evidence[index]
        then = following.get((index, end))
        sentence = _quoted(evidence, candidate)
        if sentence.rstrip().endswith((":", "：")) or _asks(sentence) or _open_quote(sentence) or (
                then and _GOES_ON.match(hit.text[then[0] - hit.start :])):
            _add_next(chosen, evidence, following, index, end)
    for candidate in list(chosen):  # "两个短板:" — and the later items of that list, in the
        #                              passages of the same document that go on with it
        noun = announced_noun(_quoted(evidence, candidate))
        if noun:
            _add_items(chosen, evidence, candidate[1], later_item(noun))
    if expects == "reason" and chosen:  # a reason runs on into the next sentence ("原因就在于,
        #                                 …还早着呢。" "用李彦宏的话来说,“10年、20年都可能…”")
        def reasoned(candidate: tuple[float, int, int, int]) -> bool:
            """It gives a cause, or the sentence after it does ("这是因为,…")."""
            hit, then = evidence[candidate[1]], following.get((candidate[1], candidate[3]))
            return gives_reason(_quoted(evidence, candidate)) or (
                then is not None and bool(_EXPLAINS.match(hit.text, then[0] - hit.start)))

        reasons = [c for c in chosen if gives_reason(_quoted(evidence, c))]
        _, index, _, end = max(reasons or chosen, key=lambda c: c[0])
        _add_next(chosen, evidence, following, index, end)
        # a claim quoted for the question, explained a sentence or two on ("…“绘画、视频、搜索
        # 都要一揽子拿下”的AI企业。" "但实际上,这种追求反映的是…" "这是因为,…意愿偏低")
        for claim in [c for c in chosen if c[0] > 0]:
            _add_explanation(chosen, evidence, following, claim)
        # a cause set against another side ("原因就在于,视频生成…" … "相较之下,深度推理…")
        for cause in [c for c in chosen if gives_reason(_quoted(evidence, c))]:
            _add_explanation(chosen, evidence, following, cause, _CONTRASTS)
        if not any(reasoned(c) for c in chosen):  # none quoted gives a cause: the best
            #                                      sentence that does joins them, with its next
            giving = next((c for c in candidates if reasoned(c) and not _overlaps(
                chosen, evidence, evidence[c[1]].doc_id, c[2], c[3])), None)
            if giving is not None:
                chosen.append(giving)
                _add_next(chosen, evidence, following, giving[1], giving[3])
    doc_order = {hit.doc_id: i for i, hit in reversed(list(enumerate(evidence)))}
    chosen.sort(key=lambda c: (doc_order[evidence[c[1]].doc_id], c[2]))
    parts = [_cite(_quoted(evidence, c), c[1] + 1, language) for c in chosen]
    return " ".join(parts) if language == "en" else "".join(parts)


def _edge(hit: SearchResult, spans: list[tuple[int, int]],
          part: str | None) -> set[tuple[int, int]]:
    """The sentences of the part of an article asked for: the first ``PART_SENTENCES`` of its
    lead (after the title, which the answer's heading names) or the last of how it ends; a
    sentence broken off by an ellipsis ("…尚未出现的超级应用……给这一年留下了遗憾") is one with
    what goes on from it."""
    def broken(span: tuple[int, int]) -> bool:
        return hit.text[span[0]:span[1]].rstrip().endswith(("…", "..."))

    if part == "lead":
        spans = [(a, b) for a, b in spans if hit.text[a:b].strip() != hit.title.strip()]
    elif part == "end":
        spans = spans[::-1]
    else:
        return set()
    edge: set[tuple[int, int]] = set()
    whole = 0
    for index, span in enumerate(spans):
        edge.add(span)
        # (read from the end, a sentence is whole where the one before it is not broken off)
        ends = not broken(span) if part == "lead" else (
            index + 1 == len(spans) or not broken(spans[index + 1]))
        whole += ends
        if whole == PART_SENTENCES:
            break
    return edge


def gives_reason(sentence: str) -> bool:
    """Whether a sentence gives a cause (a causal connective: 因为, 原因在于, because …)."""
    return bool(_KIND_WORDS["reason"].search(sentence))


def quotable(evidence: list[SearchResult], concepts: list[dict[str, float]],
             idf: dict[str, float], holders: set[str] | None = None) -> bool:
    """Whether a sentence of the passages shares enough of the question to be quoted as an
    answer (``MIN_COVERAGE``), or holds the value asked for; the part of an article asked
    for (its lead, how it ends) answers whatever words it shares."""
    if any(hit.signals.get("part") for hit in evidence):
        return True
    return any(concept_coverage(concepts, idf, hit.text[start:end]) >= MIN_COVERAGE
               or holders and _holds(holders, hit.text[start:end])
               for hit in evidence for start, end in split_sentences(hit.text))


def _asks(sentence: str) -> bool:
    """Whether the sentence is a question (not a link cut at its "?": "…见 http://x/y?d=…")."""
    words = sentence.split()
    return bool(words) and words[-1].endswith(("?", "？")) and not any(
        mark in words[-1] for mark in ("/", "=", "&"))


def _open_quote(sentence: str) -> bool:
    """Whether the sentence opens a quotation it does not close: the speaker's words go on
    (李开复预测,“相信六小虎都会找到…方向。 | 大厂有必须要做的事情,…”)."""
    return sentence.count("“") > sentence.count("”") or sentence.count("「") > sentence.count("」")


def _quoted(evidence: list[SearchResult], chosen: tuple[float, int, int, int]) -> str:
    _, index, start, end = chosen
    hit = evidence[index]
    return hit.text[start - hit.start : end - hit.start]


def _overlaps(chosen: list[tuple[float, int, int, int]], evidence: list[SearchResult],
              doc_id: str, start: int, end: int) -> bool:
    """Whether a chosen sentence of the same document overlaps ``start``..``end``."""
    return any(evidence[i].doc_id == doc_id and s < end and start < e for _, i, s, e in chosen)


def _add_next(chosen: list[tuple[float, int, int, int]], evidence: list[SearchResult],
              following: dict[tuple[int, int], tuple[int, int]], index: int, end: int) -> None:
    """The sentence after the one ending at ``end`` in passage ``index`` joins ``chosen``,
    unless it is short, an instruction planted for an AI, or quoted already."""
    if (index, end) in following:
        _add_sentence(chosen, evidence, index, *following[(index, end)])


def _add_explanation(chosen: list[tuple[float, int, int, int]], evidence: list[SearchResult],
                     following: dict[tuple[int, int], tuple[int, int]],
                     claim: tuple[float, int, int, int],
                     goes_on: re.Pattern[str] = _EXPLAINS) -> None:
    """The sentence giving the cause of ``claim`` (``_EXPLAINS``: "这是因为…"; or what
    ``goes_on`` matches) within ``EXPLAIN_REACH`` sentences after it joins ``chosen``, with
    those between (an image's credit line is no sentence); past its passage's end, read on in
    the passage of its document that goes on from there."""
    _, index, _, end = claim
    between: list[tuple[int, int, int]] = []
    while len(between) < EXPLAIN_REACH:
        then = following.get((index, end))
        if then is None:
            index, then = _read_on(evidence, index, end)
            if then is None:
                return
        hit = evidence[index]
        end = then[1]
        if not without_credits(hit.text[then[0] - hit.start : end - hit.start]).strip():
            continue
        if goes_on.match(hit.text, then[0] - hit.start):
            for at, start, stop in [*between, (index, *then)]:
                _add_sentence(chosen, evidence, at, start, stop)
            return
        if not _overlaps(chosen, evidence, hit.doc_id, *then):
            between.append((index, *then))  # (a sentence quoted already is no step on:
            #  "与字节类似,…的路线。" "简言之,…的AI企业。" [quoted, as it goes on] "但实际上,
            #  …" "这是因为,…")


def _read_on(evidence: list[SearchResult], index: int,
             end: int) -> tuple[int, tuple[int, int] | None]:
    """The first sentence after document offset ``end`` in another passage of the document of
    passage ``index`` that holds that offset or begins a paragraph break after it (the next
    chunk), with that passage's index."""
    doc = evidence[index].doc_id
    for other, hit in enumerate(evidence):
        if other != index and hit.doc_id == doc and hit.start <= end + 4 and end < hit.end:
            for start, stop in split_sentences(hit.text):
                if hit.start + start >= end:
                    return other, (hit.start + start, hit.start + stop)
    return index, None


def _add_sentence(chosen: list[tuple[float, int, int, int]], evidence: list[SearchResult],
                  index: int, start: int, stop: int) -> None:
    """The sentence at ``start``..``stop`` of passage ``index`` joins ``chosen``, unless it is
    short, an instruction planted for an AI, or quoted already."""
    hit = evidence[index]
    sentence = hit.text[start - hit.start : stop - hit.start]
    if len(sentence) >= MIN_SENTENCE_CHARS and not looks_like_injection(sentence) and \
            not _overlaps(chosen, evidence, hit.doc_id, start, stop):
        chosen.append((0.0, index, start, stop))


def _add_items(chosen: list[tuple[float, int, int, int]], evidence: list[SearchResult],
               index: int, item: re.Pattern[str]) -> None:
    """The sentences opening later items of a list announced in passage ``index``
    (``later_item``), from the passages of its document, join ``chosen``."""
    doc_id = evidence[index].doc_id
    for at, hit in enumerate(evidence):
        if hit.doc_id != doc_id:
            continue
        for start, end in split_sentences(hit.text):
            if item.search(hit.text[start:end]) and not _overlaps(
                    chosen, evidence, doc_id, hit.start + start, hit.start + end):
                chosen.append((0.0, at, hit.start + start, hit.start + end))


def english_lead(citations: list[Citation], names: dict[str, str], quoted: str) -> str:
    """The first sentence of an English answer over Chinese quotes: which sources, and which
    of the question's names they mention, with the Chinese spelling ("Kuaishou (快手)"), as the
    answer's ``quoted`` sentences spell them (a citation's quote is one of its sentences)."""
    labels = list(dict.fromkeys(source_label(c, "en") for c in citations))
    found = []
    for english, chinese in names.items():
        at = quoted.lower().find(chinese.lower())
        if at >= 0:  # as the source spells it: 可灵AI
            found.append(f"{english} ({quoted[at : at + len(chinese)]})")
    noun = "source" if len(labels) == 1 else "sources"
    if found:
        verb = "mentions" if len(labels) == 1 else "mention"
        return (f"The {noun} {_and_list(labels)} {verb} {_and_list(found)}; "
                "the passages below are quoted in the original Chinese.")
    return f"From the {noun} {_and_list(labels)}, quoted in the original Chinese:"


def _and_list(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


_ENDINGS = "。！？!?；;…"  # what ends a quoted sentence


def _cite(sentence: str, n: int, language: str) -> str:
    if language == "en":  # (a quote that does not end a sentence, a title or "…短板:", still
        #                   ends one: else it and the next are read as one claim and dropped)
        ended = sentence.rstrip().endswith(tuple(_ENDINGS))
        return f"“{sentence}” [{n}]" + ("" if ended else ".")
    trimmed = sentence.rstrip(_ENDINGS)
    ending = sentence[len(trimmed):] or "。"
    return f"{trimmed}[{n}]{ending}"
