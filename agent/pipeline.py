"""The answering pipeline: rewrite → retrieve → decide to refuse → generate → verify.

``Agent.stream`` yields events: text tokens as they arrive, a ``reset`` when text already shown
must be replaced (a stream that broke off), and one ``final`` event whose Answer carries the
verified text and citations. A partial stream is never presented as a finished answer.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from itertools import pairwise
from typing import Any, Literal, NamedTuple

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.output_parsers import StrOutputParser

from agent.answerability import (
    APPEARING,
    BEATS_V,
    LOOK_AHEAD,
    LOOK_BACK,
    SHORT_FORMS,
    Wanted,
    answerable,
    asked_part,
    asking_clause,
    event_words,
    holding_sentences,
    reason_subject,
    role_beside,
    role_of,
    says_about,
    sentences_of,
    terse_filled,
    versus,
    view_asked,
    wanted,
    wants,
)
from agent.backends import ChatBackend, make_backend
from agent.chain import BackendChatModel, HybridRetriever, to_results
from agent.extractive import (
    announced_noun,
    english_lead,
    extractive_answer,
    gives_reason,
    later_item,
    quotable,
)
from agent.grounding import (
    Citation,
    SupportScorer,
    Verification,
    concept_coverage,
    declines,
    evidence_score,
    idf_table,
    join_sections,
    verify_answer,
)
from agent.labels import source_label
from agent.landscape import ListAnswerer, parse_topics
from agent.language import detect_language, split_sentences
from agent.prompts import (
    ANSWER_PROMPT,
    CONDENSE_PROMPT,
    LANGUAGE_NAMES,
    MULTI_QUERY_PROMPT,
    escape_markup,
    format_context,
)
from agent.question import (
    QuestionShape,
    analyze,
    article_part,
    cited_as_data_source,
    cited_as_source,
    counted_few,
    full_years,
    gives_asked,
    items_counted,
    part_only,
    quiz_asked,
    respelled,
    respelled_names,
    role_called,
    strip_frame,
    unknown_names,
    without_article_topic,
)
from agent.ranking import (
    DENSE_WEIGHT,
    POOL_SIZE,
    Forms,
    chunks_of,
    diverse_top,
    document_coverage,
    focus_documents,
    interleave,
    joined_neighbours,
    names_share,
    newest_relevant,
    pick_articles,
    prefer_recent,
    rerank,
)
from agent.safety import InertStream, clean_question, sanitize_model_text
from agent.timescope import TimeScope, read_time, strip_time
from index.bridge import cedict_glosses
from index.corpus import Corpus
from index.entities import _tagged, word_breaks
from index.errors import BadQuestion, LLMAuthError, LLMError, LLMUnavailable
from index.observe import FALLBACKS, REFUSALS
from index.script import is_traditional, simplified
from index.search import (
    SearchFilters,
    SearchResult,
    edge_passage,
    hybrid_search,
    next_passage,
    query_terms,
    ranker_weights,
    synonym_concepts,
)
from index.settings import Settings
from index.tokenize import EN_STOPWORDS, STOPWORDS, has_cjk, latin_words, tokenize

log = logging.getLogger("landscape")
REFUSAL = {
    "zh": "文档中没有涉及这个问题的内容，无法根据现有资料回答。以下是最接近的资料。",
    "en": "The documents don't cover this question, so I can't answer it from them. "
          "The closest sources are listed as related.",
}
REFUSAL_NOTHING_RELATED = {
    "zh": "文档中没有涉及这个问题的内容，也没有找到相关的资料。",
    "en": "The documents don't cover this question, and nothing related was found in them.",
}
PARAPHRASE_BELOW = 0.6  # best passage coverage under which a model rewords the question
# the refusal score is the best coverage among the quoted passages and the search's first
# candidates (before the re-rank): an article's passages the re-rank puts first ("the first
# article's test") do not turn a question the documents hold into a refusal by pushing out
# the passage that holds most of its words
SCORED_CANDIDATES = 10
# the kinds of value that are figures or dates: a passage holding one is quoted, whatever
# other passages repeat more of the question's words (``focus_documents``)
FIGURE_KINDS = frozenset("count period money market duration when month year day change ratio "
                         "headcount score".split())
# a question asking which firms or products is answered first by a sentence naming this many
# of them (lexicon organisations and products): "对字节、智谱清言、月之暗面各自的大模型进行一番对比"
MAKERS_NAMED = 2
MAKER_KINDS = ("org", "product")
FOLLOW_UP_DEPTH = 2  # a follow-up's earlier question read as it stood, that far back
SEQUEL_AMONG = 2  # the best passages whose explanation running on past the cut is followed
SEQUEL_REACH = 2  # sentences at a passage's end (or its sequel's start) where an explanation
#                  runs across the cut between them
LIST_REACH = 4  # passages after one announcing a list where its later items are looked for
# a question asking for several items ("哪两个短板", "2 big weak spots", "three vendors")
_COUNTS_ITEMS = re.compile(r"[两二三四五六七八九2-9]\s*(?:个|大|项|点|种|条|方面|家|款)|哪[两几些]|"
                           r"\b(?:two|three|four|five|[2-5])\s+(?:\w+\s+){0,2}\w+s\b", re.I)
COMPARISON_HEADING = {"zh": "对比", "en": "Comparison"}
COMPARE_INSTRUCTION = ("(Now compare what the articles above say about this, in one or two "
                       "sentences, each citing its sources.)")
FALLBACK_NOTE = {
    "zh": "（语言模型暂时不可用，以下答案直接摘录自文档。）",
    "en": "(The language model is unavailable right now; this answer is quoted directly from "
          "the documents.)",
}
HELPER_AUTH_NOTE = {
    "zh": "（语言模型拒绝了API密钥，问题未经改写即检索：{error}）",
    "en": "(The language model refused the API key, so the question was searched as asked: "
          "{error})",
}
CLOSEST_ONLY_NOTE = {  # over an article's part of a comparison, when none of its sentences
    #                     shares enough of the question to be quoted as an answer
    "zh": "（在这篇文章里没有找到直接谈这一点的句子，以下是最接近的一句。）",
    "en": "(No sentence found in this article takes this up directly; the closest follows.)",
}
UNVERIFIED_NOTE = {
    "zh": "（模型的回答未能通过引用核验，以下答案直接摘录自文档。）",
    "en": "(The model's answer could not be verified against the sources; this answer is "
          "quoted directly from the documents.)",
}


class LLMBudget:
    """How long one question may wait on the language model, all calls together: the clock
    starts at the first call, so retrieval time is not taken from the model."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._deadline: float | None = None

    def deadline(self) -> float:
        """The ``time.monotonic()`` by which every LLM call of this question must be done."""
        if self._deadline is None:
            self._deadline = time.monotonic() + self.seconds
        return self._deadline

    def left(self) -> float:
        return self.deadline() - time.monotonic()


@dataclass
class Turn:
    """One earlier message of the conversation."""

    role: Literal["user", "assistant"]
    content: str


@dataclass
class Answer:
    """What the user gets: the ``ask --json`` contract."""

    question: str
    answer: str
    citations: list[Citation]
    refused: bool
    language: str
    timings: dict[str, float]
    related: list[dict[str, str]] = field(default_factory=list)
    backend: str = "extractive"
    note: str = ""
    standalone_question: str = ""
    evidence: float = 0.0
    retrieved: list[SearchResult] = field(default_factory=list)  # what the answer drew on
    searched: list[SearchResult] = field(default_factory=list)  # what retrieval returned

    def as_dict(self, debug: bool = False) -> dict[str, Any]:
        data = {
            "answer": self.answer,
            "citations": [c.as_dict() for c in self.citations],
            "refused": self.refused,
            "language": self.language,
            "timings": self.timings,
            "related": self.related,
            "backend": self.backend,
            "note": self.note,
        }
        if debug:
            data["standalone_question"] = self.standalone_question
            data["evidence"] = self.evidence
            data["retrieved"] = [asdict(r) for r in self.retrieved]
            data["searched"] = [asdict(r) for r in self.searched]
        return data


class _Searched(NamedTuple):
    question: str  # as checked
    language: str
    standalone: str
    shape: QuestionShape
    concepts: list[dict[str, float]]
    idf: dict[str, float]
    coverage: dict[str, float]
    evidence: list[SearchResult]
    scope: TimeScope | None  # the period the question asks about, or its wish for the newest
    anchors: list[frozenset[str]]  # the entities the question names, each as all its forms
    candidates: list[SearchResult]  # the search's first passages (for the refusal score)


@dataclass
class AnswerEvent:
    kind: Literal["token", "reset", "final"]
    text: str = ""
    answer: Answer | None = None


class Agent:
    """Grounded question answering over one corpus with one (optional) LLM backend."""

    def __init__(
        self,
        corpus: Corpus,
        backend: ChatBackend | None | str = "",
        settings: Settings | None = None,
    ) -> None:
        self.corpus = corpus
        self.settings = settings or corpus.settings
        if isinstance(backend, str):
            backend = make_backend(backend or self.settings.llm, self.settings)
        self.backend = backend
        self.retriever = HybridRetriever(corpus=corpus, k=max(POOL_SIZE, self.settings.top_k))
        self.lists = ListAnswerer(corpus, lambda query: self._concepts(query)[0],
                                  parse_topics(self.settings.topics))
        self.model = (
            BackendChatModel(
                backend=backend,
                max_tokens=self.settings.llm_max_tokens,
                temperature=self.settings.llm_temperature,
                timeout=self.settings.llm_timeout,
            )
            if backend is not None
            else None
        )

    @property
    def backend_name(self) -> str:
        return self.backend.describe() if self.backend is not None else "extractive"

    # --- public API ----------------------------------------------------------------------------
    def answer(
        self, question: str, history: list[Turn] | None = None, k: int | None = None
    ) -> Answer:
        final: Answer | None = None
        for event in self.stream(question, history, k):
            if event.kind == "final":
                final = event.answer
        assert final is not None
        return final

    def stream(
        self, question: str, history: list[Turn] | None = None, k: int | None = None
    ) -> Iterator[AnswerEvent]:
        """Events for one question; ``k`` overrides how many passages are retrieved. A
        question in traditional characters is read as simplified text (``index.script``); its
        answer shows the question as it was written."""
        for event in self._stream(simplified(question), _simplified_turns(history or []), k):
            if event.kind == "final" and event.answer is not None and is_traditional(question):
                event.answer.question = self._check_question(question)
            yield event

    def _stream(
        self, question: str, history: list[Turn], k: int | None
    ) -> Iterator[AnswerEvent]:
        started = time.perf_counter()
        budget = LLMBudget(self.settings.llm_timeout)  # shared by every LLM call below
        listed = self._list_answer(question, history, started)
        if listed is not None:  # "哪些公司…", "list all …": a complete, cited list
            yield AnswerEvent("token", listed.answer)
            yield AnswerEvent("final", answer=listed)
            return
        helper_errors: list[LLMError] = []  # helper calls that failed (logged, and noted)
        question, language, standalone, shape, concepts, idf, coverage, evidence, scope, \
            anchors, candidates = self._search(question, history, k, budget, helper_errors)
        retrieved_at = time.perf_counter()
        score = evidence_score(concepts, idf, [r.text for r in evidence + candidates])
        if shape.per_article and evidence:  # a comparison's parts lie in different articles
            score = max(score, concept_coverage(concepts, idf, _joined(evidence)))
        if any(hit.signals.get("part") for hit in evidence):  # the part of an article asked
            #  for (its title, how it ends) is there, whatever words the question says it in
            score = max(score, self.settings.refusal_threshold)
        if unknown_names(self.corpus, shape.query):
            score = 0.0  # it asks about a name the documents never mention
        chunks = chunks_of(evidence)  # what is checked is read chunk by chunk, as retrieved
        #                               (a figure and a name two chunks apart are not one's)
        if score and not self._answerable(standalone, chunks, scope, shape.per_article):
            score = 0.0  # it asks for a day, an amount, a role… no passage gives
        if score and not all(any(names_share([forms], hit.text, hit.doc_id) for hit in chunks)
                             for forms in anchors):
            score = 0.0  # it asks about an entity no passage found names
        if score and not shape.per_article and len(anchors) > 1 and not any(
                names_share(anchors, hit.text, hit.doc_id) == 1.0 for hit in chunks):
            score = 0.0  # it asks how entities relate ("what did 杨植麟 say about Kimi's
            #              video plans"), and no passage names them together
        base = Answer(
            question=question, answer="", citations=[], refused=False, language=language,
            timings={}, backend=self.backend_name, standalone_question=standalone,
            evidence=round(score, 3), retrieved=evidence, searched=list(evidence),
        )
        refused_key = next((e for e in helper_errors if isinstance(e, LLMAuthError)), None)
        if refused_key is not None:
            base.note = HELPER_AUTH_NOTE[language].format(error=refused_key)
        if not evidence or score < self.settings.refusal_threshold:
            yield from self._refuse(base, evidence, started, retrieved_at)
            return
        everything = evidence
        if not shape.per_article:  # quote the documents that hold the question, not look-alikes
            held = self._holders(standalone, evidence, figures=True) or set()
            evidence = focus_documents(evidence, coverage, concepts, idf, anchors,
                                       self.corpus.published_documents()
                                       if shape.of_articles else None,
                                       {hit.chunk_id for hit in evidence
                                        if any(sentence in hit.text for sentence in held)})
            if scope is not None and scope.latest:  # the newest of the relevant sources
                evidence = newest_relevant(everything, concepts, idf) or evidence
            base.retrieved = evidence
        scorer = self._scorer()
        threshold = self.settings.support_threshold
        streamed = False  # whether model text has been shown and must be withdrawn on fallback
        verified = None
        cleaned = clean_question(question)  # (without the orders an injection wrapped it in)
        lead = f"{scope.describe(language)}\n\n" if scope is not None and scope.has_period \
            else ""  # the period, shown first however the answer is written
        if self.model is not None:
            try:
                if lead:
                    streamed = True
                    yield AnswerEvent("token", lead)
                asked = cleaned or standalone
                if shape.per_article and len({hit.doc_id for hit in evidence}) > 1:
                    streamed = True
                    verified = yield from self._model_sections(asked, history, language,
                                                               evidence, scorer, budget)
                    if verified is None:
                        base.note = UNVERIFIED_NOTE[language]
                else:
                    text = yield from self._model_text(asked, history, language, evidence,
                                                       budget)
                    streamed = True
                    if declines(text):  # the model read the sources and found no answer
                        yield AnswerEvent("reset")
                        yield from self._refuse(base, everything, started, retrieved_at)
                        return
                    verified = verify_answer(sanitize_model_text(text, _joined(evidence)),
                                             evidence, scorer, threshold)
                    if not verified.trustworthy:
                        base.note = UNVERIFIED_NOTE[language]
                        verified = None
            except LLMError as exc:
                base.note = f"{FALLBACK_NOTE[language]} ({exc})"
            if verified is None:
                base.backend = "extractive (fallback)"
                FALLBACKS.labels("unverified" if base.note.startswith(UNVERIFIED_NOTE[language])
                                 else "llm_error").inc()
        if verified is None:  # offline, or the model failed: quote the sources
            quoted = concepts
            if history and standalone != cleaned:  # a follow-up asks about its own words;
                #                  the earlier question's say about what: its own count twice
                own = self._concepts(analyze(cleaned).query)[0]
                quoted = concepts + [c for c in own if c in concepts]
            verified = self._extractive(shape, language, evidence, quoted, idf, scorer,
                                        self._answer_holders(shape, standalone, evidence))
            if not verified.citations and len(everything) > len(evidence):
                evidence = base.retrieved = everything  # nothing quotable in the focus
                verified = self._extractive(shape, language, evidence, quoted, idf, scorer,
                                            self._answer_holders(shape, standalone, evidence))
            if not verified.citations:
                if streamed:
                    yield AnswerEvent("reset")
                yield from self._refuse(base, evidence, started, retrieved_at)
                return
            if streamed:
                yield AnswerEvent("reset")
            if scope is not None:
                verified.text = _dated(verified.text, scope, verified.citations, language)
            prefix = f"{base.note}\n\n" if base.note else ""
            yield AnswerEvent("token", prefix + verified.text)
        elif scope is not None:  # the model's verified answer: the period and "as of" too
            dated = _dated(verified.text, scope, verified.citations, language)
            if tail := dated[len(lead) + len(verified.text):]:
                yield AnswerEvent("token", tail)
            verified.text = dated
        base.answer = verified.text
        base.citations = verified.citations
        base.related = self._related(everything, verified.citations)  # look-alikes included
        base.timings = self._timings(started, retrieved_at)
        yield AnswerEvent("final", answer=base)

    # --- steps ---------------------------------------------------------------------------------
    def _list_answer(self, question: str, history: list[Turn], started: float) -> Answer | None:
        """A list or aggregate question answered from the extracted entities, one cited row
        per entry across every document; None when the question is no such list, asks about
        a period, or no row holds up (the usual pipeline answers then)."""
        asked = clean_question(self._check_question(question))
        if not asked or read_time(asked, self._today()) is not None:
            return None
        earlier = [clean_question(t.content) for t in history if t.role == "user"]
        request = self.lists.request(asked, [e for e in earlier if e])
        if request is None:
            return None
        rows = self.lists.rows(request)
        if not rows:
            return None
        found_at = time.perf_counter()
        verified = self.lists.answer(request, rows)
        return Answer(question=question, answer=verified.text, citations=verified.citations,
                      refused=False, language=request.language,
                      timings=self._timings(started, found_at), backend="landscape",
                      standalone_question=asked, evidence=1.0)

    def _answerable(self, question: str, evidence: list[SearchResult],
                    scope: TimeScope | None, per_article: bool = False) -> bool:
        """Whether the passages can hold the kind of answer the question asks for
        (``agent.answerability``); a period the question names is the time filter's for
        dated passages, a sentence's for undated ones."""
        question = terse_filled(question)  # "o1 release date": when o1 was released
        asked = wants(question)  # each kind it asks for must be there ("多少集, 什么时候")
        if per_article:  # whether it pays, is free, open…: each article's view, in its words
            asked = [want for want in asked if want.kind != "attribute"]  # ("拿不到业务收益")
        if not asked and per_article:  # a comparison's views lie in different articles
            return True
        passages = self._with_lead_in(evidence)
        compared = None if per_article else versus(question)
        if compared is not None:  # "A和B哪个更便宜": a value for each
            groups = self._anchors(question)
            if len(groups) > 1 and not all(
                    answerable(question, passages, sorted(forms), want=compared)
                    for forms in groups):
                return False
        if not asked:  # a view is its holder's
            return self._says_about(question, passages)
        for want, args in self._value_checks(question, asked, passages):
            if scope is not None and want.kind == "period" and any(hit.date for hit in evidence):
                continue  # dated passages of that period passed the time filter
            if not answerable(question, passages, **args):
                return False
        return per_article or self._says_about(question, passages)

    def _value_checks(self, question: str, asked: list[Wanted],
                      passages: list[str]) -> list[tuple[Wanted, dict[str, Any]]]:
        """Each kind of value the question asks for (``asked``: its ``wants``) with the
        arguments ``answerable`` weighs it by: whom it must be about (the entities of the
        clause that asks it, or the question's topic), the counted thing's renderings, the
        other subjects a value may belong to instead, and the words of its event."""
        index = self.corpus.entities
        names, _ = index.named_in(without_article_topic(question))
        outlets = self.corpus.outlets()  # "according to the 科技新知 piece": no subject
        names = [name for name in names if not self._cited_outlet(name, outlets, question)]
        # a source of data the question cites beside its subject ("Luma AI's visits in
        # September according to SimilarWeb"): the value is the subject's
        sources = {name for name in names if self._cited_source(name, question)}
        if sources and len(sources) < len(names):
            names = [name for name in names if name not in sources]
        # a product named with its maker ("字节的PixelDance"): the value is the product's, not
        # one of another of the maker's products (字节跳动's 豆包 opening in 2025年1月)
        lineage = {name: index.lexicon.lineage(name) for name in names}
        names = [name for name in names
                 if not any(name in lineage[other] for other in names if other != name)]
        # … nor a topic the value must stand by (the news outlets, by any form of their
        # names: "the Keji Xinzhi article"; a Latin author's name may be any word)
        question = self._without_outlets(question, self._cited_outlets(question))
        asked_only = asked_part(without_article_topic(question))
        if asked_only != question:  # not the premise's ("可灵生成了6500万个视频,那即梦呢")
            asked_names = index.named_in(asked_only)[0]
            names = [name for name in names if name in asked_names] or names
        # 《三星堆:未来启示录》 too; and an organisation's own units ("ByteDance's cloud boss":
        # 火山引擎's president speaks for ByteDance)
        forms = sorted(self._forms(self._with_units(names)) | _titles(question))
        if not forms:  # no entity: the value must stand by the question's own topic
            forms = self._topic(asked_only, passages)
        elsewhere = self._other_subject(names) if names else None
        checks = []
        for want in asked:
            thing = want.detail if want.kind == "count" and want.detail != "%" else want.thing
            things = [form for word in thing.split("|") if word  # a label may be one character
                      for form in self._renderings(self._unglued(word, question),
                                                   short=want.kind == "member")]
            about, other = forms, elsewhere
            clause = asking_clause(asked_only, want)
            own = index.named_in(clause)[0] if clause != asked_only else []
            if want.kind == "reason":  # whose reason: not the rival it is compared with
                subject = reason_subject(asked_only)
                own = index.named_in(subject)[0] if subject != asked_only else []
            own = [name for name in own if name not in sources]  # (the source's clause:
            #                                                      the question's subject)
            if own and set(own) != set(names):  # the entities of the clause that asks it
                about = sorted(self._forms(own) | _titles(question))
                other = self._other_subject(own)
            # (a launch is a launch however written, of something named: with the topic's
            # words alone, any sentence with a month and 推出 would do)
            launch = APPEARING if names else frozenset()
            event = [sorted({*rendered, *(launch if word in launch else ())})
                     for word in event_words(asked_only, want)
                     if (rendered := self._renderings(word))]
            checks.append((want, {"about": about, "index": index, "things": things,
                                  "elsewhere": other, "want": want, "event": event}))
        return checks

    def _holders(self, question: str, evidence: list[SearchResult],
                 figures: bool = False) -> set[str] | None:
        """The sentences of the passages that hold a value the question asks for (a count of
        the counted thing, a date of its event …): what the quoted answer puts first. None
        when it asks for none or none is found. ``figures``: only figures and dates (not a
        name, a member or a pick, which a distractor's sentence may hold as well)."""
        asked = [want for want in wants(question) if want.kind != "reason"  # causes: by words
                 and (not figures or want.kind in FIGURE_KINDS)]
        few = counted_few(question)  # "哪两款模型": the sentence counting two of them
        if not asked and few is None:
            return None
        passages = self._with_lead_in(evidence)
        held = set(items_counted(few, (sentence for sentence, _ in sentences_of(passages)))
                   if few is not None else ())
        if not asked and not held:
            return None
        for want, args in self._value_checks(question, asked, passages):
            holding = holding_sentences(question, passages, **args) or []
            if want.kind == "pick":  # who did best: the verdict setting the rivals against
                #  each other ("Kimi…要显著优于豆包、智谱AI"), over a standing said of one
                #  ("字节…才硬挤上国内大模型排行榜的头部")
                holding = [sentence for sentence in holding if self._sets_against(sentence)] \
                    or holding
            held.update(holding)
        return {sentence.strip() for sentence in held if len(sentence.strip()) >= 6} or None

    def _sets_against(self, sentence: str) -> bool:
        """Whether a sentence ranks two or more named firms or products against each other."""
        named = {name for _, _, name in self.corpus.entities.lexicon.find(sentence, MAKER_KINDS)}
        return len(named) >= MAKERS_NAMED and bool(BEATS_V.search(sentence))

    def _answer_holders(self, shape: QuestionShape, question: str,
                        evidence: list[SearchResult]) -> set[str] | None:
        """The sentences the quoted answer puts first: those holding a value the question asks
        for (``_holders``); for a question asking which firms or products ("参赛的是哪几家的
        模型", "which companies' chatbots…"), those naming several of them."""
        held = self._holders(question, evidence)
        if held is not None or shape.expects != "makers":
            return held
        lexicon = self.corpus.entities.lexicon
        naming = {sentence.strip() for sentence, _ in sentences_of(hit.text for hit in evidence)
                  if len({name for _, _, name in lexicon.find(sentence, MAKER_KINDS)})
                  >= MAKERS_NAMED}
        return {sentence for sentence in naming if len(sentence) >= 6} or None

    def _topic(self, question: str, passages: list[str]) -> list[str]:
        """The Chinese words of a question that names no entity, among those the passages
        use: a place, a day or a figure answers it only beside one of them, not in any
        sentence of the passages (a weather API's "城市名称" is no answer to where a
        conference was held)."""
        text = "".join(passages)
        return sorted(w for w in set(tokenize(question))
                      if len(w) > 1 and has_cjk(w) and w in text)

    def _with_units(self, names: list[str]) -> list[str]:
        """The names and the organisations the lexicon places under an organisation among them
        (字节跳动: 火山引擎), not its products nor its people."""
        lexicon = self.corpus.entities.lexicon
        orgs = {name for name in names
                if (entry := lexicon.entries.get(name)) is not None and entry.type == "org"}
        if not orgs:
            return names
        units = sorted(name for name in lexicon.under(orgs) - orgs
                       if lexicon.entries[name].type == "org")
        return [*names, *units]

    def _forms(self, names: list[str]) -> set[str]:
        """Every form of these entities (``EntityIndex.forms``)."""
        return {form for name in names for form in self.corpus.entities.forms(name)}

    def _says_about(self, question: str, passages: list[str]) -> bool:
        """A question for someone's view of a topic ("李彦宏对数据墙怎么看") is answered only
        when a passage has them near the topic's words (``agent.answerability.says_about``);
        not judged when it names no known person or body, or no topic word the documents use."""
        asked = view_asked(question)
        if asked is None:
            return True
        names, _ = self.corpus.entities.named_in(asked.who)
        if not names:
            return True
        people = self._people()
        speakers = [name for name in names if name in people]
        names = speakers or names  # "Baichuan's 王小川"
        forms = sorted(self._forms(names))
        role = role_of(asked.who)  # "Runway's CEO": someone of the company in that role
        if role is not None and not speakers and not role_beside(passages, forms, role):
            return False
        bm25 = self.corpus.bm25
        words = _topic_words(asked.topic)
        renderings = []
        glossary = self.corpus.bridge.glossary
        at = 0
        while at < len(words):
            word = words[at]
            # an English term of the glossary is one topic word in its Chinese spelling
            # ("video generation" → 视频生成, not 生成 of 生成器 and 模型 of 大模型)
            term = next((n for n in (3, 2) if at + n <= len(words)
                         and " ".join(words[at:at + n]) in glossary), 0)
            if term and not has_cjk(word):
                found = [t for t in glossary[" ".join(words[at:at + term])] if has_cjk(t)]
                at += term
                if found:  # as many of the topic's words as it spells
                    renderings += [found] * term
                continue
            # … and so is a dictionary phrase the documents write ("first half" → 上半)
            phrase = next(((n, found) for n in (3, 2) if at + n <= len(words)
                           and not has_cjk(word) and (found := self._phrase(words[at:at + n]))),
                          None)
            if phrase is not None:
                renderings += [phrase[1]] * phrase[0]
                at += phrase[0]
                continue
            at += 1
            if has_cjk(word) and not bm25.document_frequency(word):
                continue  # a word the documents never use: the question's paraphrase
            found = self._renderings(word)
            if found:
                renderings.append(found)
        return not renderings or says_about(passages, forms, renderings, half=asked.yes_no)

    def _phrase(self, words: list[str]) -> list[str]:
        """The Chinese renderings the bridge gives these English words as one dictionary
        phrase ("first half": 上半), those the documents write; [] when it gives none."""
        if not self.settings.bridge_sources:
            return []
        phrase = " ".join(words)
        found = self.corpus.bridge.translate(phrase, self.settings.bridge_sources).concepts
        return ["".join(tokens) for tokens in found.get(phrase, {})
                if all(has_cjk(t) for t in tokens)]

    def _people(self) -> set[str]:
        """The names of people: those the documents name, and the lexicon's."""
        entities = self.corpus.entities
        return entities.people() | {e.name for e in entities.lexicon.entries.values()
                                    if e.type == "person"}

    def _other_subject(self, names: list[str]) -> Callable[..., bool]:
        """Whether a sentence names an entity (of the lexicon or the documents) other than
        ``names``, their parents and their units (a sentence about 可灵 is not about Sora; one
        naming 快手 may be about 可灵)."""
        lexicon = self.corpus.entities.lexicon
        related = set(names)
        for name in names:
            entry = lexicon.entries.get(name)
            if entry is not None and entry.parent:
                related.add(entry.parent)
        related = lexicon.under(related)  # (units at any depth: 谭待 of 火山引擎 of 字节跳动)

        surfaces, _ = self.corpus.entities.surface_tables()
        people = self._people()

        def elsewhere(sentence: str, kin: bool = False, persons: bool = True,
                      only_people: bool = False) -> bool:
            """``kin``: any known entity but the question's own counts, wherever it stands in
            a word (for a name: 快手的可灵, 字节的即梦); else one at jieba's word breaks that
            is not related to them. ``persons``: people count too; ``only_people``: only
            they do."""
            others = set(names) if kin else related
            if not persons:
                others = others | people
            if only_people:
                return any(name in people and name not in others
                           for _, _, name in lexicon.find(sentence)) or any(
                    person not in others and person in sentence for person in people)
            breaks = frozenset(range(len(sentence) + 1)) if kin else word_breaks(sentence)
            if any(name not in others and start in breaks and end in breaks
                   for start, end, name in lexicon.find(sentence)):
                return True
            return any(name not in others and i + n in breaks
                       for i in breaks for n in range(2, 9)
                       if (name := surfaces.get(sentence[i:i + n])) is not None)

        return elsewhere

    def _unglued(self, word: str, question: str) -> str:
        """A counted word as the documents write it when jieba glued the next verb onto the
        noun's last character ("月活涨到": 月 | 活涨 | 到, the thing counted is 月活): the
        character before it and its first, when no document writes the word itself and
        they do write that pair."""
        at = question.find(word)
        if at < 1 or len(word) != 2 or not has_cjk(question[at - 1]) or \
                self.corpus.bm25.document_frequency(word):
            return word
        pair = question[at - 1:at + 1]
        return pair if self.corpus.bm25.document_frequency(pair) else word

    def _renderings(self, word: str, short: bool = False) -> list[str]:
        """A counted thing as the passages may write it: a Chinese word as asked; an English
        word also in its Chinese renderings (the bridge), single characters left out unless
        ``short`` (见 for "views" would match nearly any sentence); [] for an English word
        with no Chinese rendering (the Chinese passages could not be checked for it); each
        with its dictionary synonyms (CC-CEDICT)."""
        if has_cjk(word):  # and the domain's other names for it (点数: 灵感值)
            found = {word, *SHORT_FORMS.get(word, ()), *self.corpus.bridge.siblings(word)}
            if not self.corpus.bm25.document_frequency(word):  # no document writes it: a
                #  homophone the pinyin keyboard offered (方问量 for 访问量, 月火 for 月活)
                found |= self.corpus.bridge.homophones(word)
        else:
            bridged = self.corpus.bridge.translate(word, self.settings.bridge_sources) \
                if self.settings.bridge_sources else None
            head = (word.split() or [word])[-1]
            # the noun and the phrases it ends ("paying enterprise clients": clients,
            # enterprise clients …), not its modifiers alone (企业 is no client)
            found = {t for concept, alternatives in (bridged.concepts.items() if bridged else [])
                     if concept.split()[-1:] == [head] for t in _whole_words(alternatives)
                     if (short or len(t) > 1) and has_cjk(t)}
            latin = {head, head[:-1] if head.endswith("s") and len(head) > 3 else head}
            # the glossary's Chinese terms whole (智能体 for "agent", which jieba cuts apart)
            found |= {t for t in self.corpus.bridge.glossary.get(word.lower(), ()) if has_cjk(t)}
            if not found and any(self.corpus.bm25.document_frequency(w) for w in latin):
                return sorted(latin)  # written in Latin letters in Chinese text too: GPU
            if not found:  # no Chinese rendering known: the question cannot be judged here
                return []
            found |= {form for t in found for form in SHORT_FORMS.get(t, ())}  # users: 月活
            found |= latin
        # and their dictionary synonyms: "images" is 图像, the article says 图片
        synonyms = synonym_concepts(self.corpus, {w: 1.0 for w in found if has_cjk(w)})
        found |= {t for options in synonyms.values() for tokens in options for t in tokens
                  if len(t) > 1}
        return sorted(found)

    def _with_lead_in(self, evidence: list[SearchResult]) -> list[str]:
        """Each passage with the text just before and after it in its document: a passage
        may start after the sentence that names its subject, or end before a quote's
        speaker."""
        texts = self.corpus.store.documents_text(sorted({hit.doc_id for hit in evidence}))
        passages = []
        for hit in evidence:
            document = texts.get(hit.doc_id)
            if document is not None and document[hit.start:hit.end] == hit.text:
                lead = document[max(0, hit.start - LOOK_BACK):hit.start]
                if hit.start > LOOK_BACK:  # from the first whole sentence: a sentence cut at
                    #                        its start may have lost its subject
                    cut = _SENTENCE_END.search(lead)
                    lead = lead[cut.end():] if cut else lead
                passages.append(lead + document[hit.start:hit.end + LOOK_AHEAD])
            else:
                passages.append(hit.text)
        return passages

    def _check_question(self, question: str) -> str:
        cleaned = "".join(ch for ch in question if ch.isprintable() or ch in "\n\t").strip()
        if not cleaned:
            raise BadQuestion("the question is empty; type a question about the AI industry")
        limit = self.settings.max_question_chars
        if len(cleaned) > limit:
            raise BadQuestion(
                f"the question is {len(cleaned):,} characters long; please keep it under "
                f"{limit:,} (LANDSCAPE_MAX_QUESTION_CHARS)"
            )
        if not _WORDS.search(cleaned):
            raise BadQuestion(
                f"the question {cleaned[:40]!r} has no words to search for; ask in Chinese or "
                "English"
            )
        return cleaned

    def _history_messages(self, history: list[Turn]) -> list[BaseMessage]:
        """The last turns for the model; earlier questions lose their instructions too."""
        messages: list[BaseMessage] = []
        for turn in history[-6:]:
            if turn.role == "assistant":
                messages.append(AIMessage(turn.content))
            elif cleaned := clean_question(turn.content):
                messages.append(HumanMessage(cleaned))
        return messages

    def _helper_model(self, budget: LLMBudget) -> Any:
        """The model for a short helper call: at most a third of the question's budget."""
        assert self.model is not None
        share = time.monotonic() + self.settings.llm_timeout / 3
        return self.model.bind(deadline=min(budget.deadline(), share))

    def _standalone(self, question: str, history: list[Turn], budget: LLMBudget,
                    errors: list[LLMError]) -> str:
        """A follow-up rewritten to stand alone (LLM), or carrying the earlier turns' names.
        A failed model call is logged and put in ``errors``; the offline rewrite takes over."""
        earlier = [t.content for t in history if t.role == "user"]
        if not earlier:
            return question
        if self.model is not None:
            try:
                chain = CONDENSE_PROMPT | self._helper_model(budget) | StrOutputParser()
                rewritten = chain.invoke(
                    {"history": self._history_messages(history), "question": question}
                ).strip()
                if rewritten and len(rewritten) < 4 * len(question) + 200:
                    return rewritten
            except LLMError as exc:
                log.warning("rewriting a follow-up with the model failed: %s", exc)
                errors.append(exc)
        return self._carrying(question, earlier)

    def _carrying(self, question: str, earlier: list[str], depth: int = 0) -> str:
        """The offline rewrite of a follow-up: the earlier question asked of a new subject
        ("那Kimi呢?"), or of the other article ("那另一篇呢?"), or the follow-up with the words
        of the earlier question it goes on from, that question itself first read as it stood
        (a follow-up of a follow-up: "增速多少?" after "预测到哪年能到多大规模?" after "哪篇文章
        提到了AI智能体的市场规模预测?" carries 智能体 too)."""
        swapped = self._swap_subject(question, earlier[-1])
        if swapped:
            return swapped  # "那Kimi呢?" after "豆包的定价是多少?": Kimi's price
        if len(earlier) > 1 and analyze(question).picks and not depth \
                and not self.corpus.entities.named_in(question)[0]:
            # which one did best, after turns asking of one subject and then another ("how
            # did Doubao do in the test?" "And Zhipu?"): among all of them, not the last
            turns = earlier[-(FOLLOW_UP_DEPTH + 1):]
            read = [turns[0], *(self._swap_subject(turn, before) or turn
                                for before, turn in pairwise(turns))]
            if len({name for turn in read
                    for name in self.corpus.entities.named_in(turn)[0]}) > 1:
                among = dict.fromkeys(
                    t for turn in read for t in tokenize(clean_question(turn))
                    if t not in self.corpus.common_terms and t not in question.lower())
                return " ".join([*among, question])
        switched, left = self._other_article(question, earlier)
        if switched and any(name.casefold() not in self.corpus.outlets()
                            for name in self.corpus.entities.named_in(switched)[0]):
            return switched  # "and the other article: what price does it quote for Doubao?"
        question = switched or question  # "那另一篇呢?" after one about 科技新知's: 北京商报's
        source = self._turn_meant(question, earlier)
        at = len(earlier) - 1 - earlier[::-1].index(source)
        if at and depth < FOLLOW_UP_DEPTH:
            source = self._carrying(source, earlier[:at], depth + 1)
        if not _refers_back(question, self.corpus) and not self._same_subject(question, source) \
                and not (depth and self._shared_words(question, source)):
            return question  # a new topic: earlier turns would only add noise (an earlier turn
            #                  goes on from the one before it where it repeats its words)
        view = view_asked(source)
        if view is not None and not view.yes_no and not _PERSON_BACK.search(question) and any(
                want.kind in FIGURE_KINDS for want in wants(terse_filled(question))):
            source = view.topic  # a figure after someone's view of a topic is the topic's ("How
            #                      big is that market?" after "What did Robin Li say about AI
            #                      agents?": the agents' market, not a passage on Robin Li),
            #                      unless the follow-up asks it of them ("那他觉得要多少年?")
        # a follow-up that asks a question of its own ("它跟夸克是个什么关系") does not carry
        # the earlier one's ask ("啥时候")
        own_ask = _OWN_ASK.search(question)
        carried = [
            t for t in dict.fromkeys(tokenize(clean_question(source)))
            if t not in self.corpus.common_terms and t not in question.lower() and t not in left
            and not (own_ask and _OWN_ASK.search(t) and wanted(t) is not None)
        ]
        return " ".join(carried + [question])

    def _other_article(self, question: str, earlier: list[str]) -> tuple[str, set[str]]:
        """A follow-up asking "the other article" (那另一篇呢, "and the other piece?") after a
        question naming one of the two news pieces by its outlet: the question with the other
        piece's outlet in its place ("北京商报那篇"), and the words of the outlet left (not
        carried over); ("", set()) when it asks no such thing or the earlier turns name no
        single outlet."""
        match = _OTHER_ARTICLE.search(question)
        outlets = sorted(self._news_outlets())
        if match is None or len(outlets) != 2:
            return "", set()
        for turn in reversed(earlier):
            named = [outlet for outlet in outlets if self._names_outlet(turn, outlet)]
            if len(named) == 1:
                other = outlets[1 - outlets.index(named[0])]
                label = f"{other}那篇" if has_cjk(question) else f"the {other} piece"
                return (question[:match.start()] + label + question[match.end():],
                        set(tokenize(named[0])))
        return "", set()

    def _names_outlet(self, text: str, outlet: str) -> bool:
        """Whether a text names an outlet, in any of its forms ("Beijing Business Today", and
        a Latin form's first two words: "the Beijing Business Daily piece")."""
        entity = self.corpus.entities.resolve(outlet)
        forms = {outlet, *(self.corpus.entities.forms(entity) if entity else ())}
        lowered = text.casefold()
        return any(form in lowered or (not has_cjk(form) and len(form.split()) > 2
                                       and " ".join(form.split()[:2]) in lowered)
                   for form in forms)

    def _shared_words(self, question: str, earlier: str) -> int:
        """How many distinctive words of a question an earlier one repeats (预测, 规模)."""
        own = {t for t in tokenize(clean_question(question)) if t not in self.corpus.common_terms}
        return len(own & set(tokenize(clean_question(earlier))))

    def _turn_meant(self, question: str, earlier: list[str]) -> str:
        """The earlier question a follow-up goes on from: of the last three, the one sharing
        the most of its distinctive words ("回到第一个被测的那家…" after a question on the first
        model tested and one on the second), the latest on a tie."""
        shared = [self._shared_words(question, turn) for turn in earlier[-3:]]
        best = max(shared)
        return earlier[-3:][len(shared) - 1 - shared[::-1].index(best)]

    def _same_subject(self, question: str, earlier: str) -> bool:
        """Whether a follow-up that names no entity goes on about the one the earlier
        question named ("效果咋样,能用吗" after a question about 智谱's video model)."""
        entities = self.corpus.entities
        return not entities.named_in(question)[0] and bool(entities.named_in(earlier)[0])

    def _swap_subject(self, question: str, earlier: str) -> str:
        """"What about X?" (那X呢, X呢, and X?) after a question about another entity: the
        earlier question asked of X ("豆包的定价是多少?" → "Kimi的定价是多少?"); "" when the
        follow-up is not of that form or either turn names no entity."""
        match = _WHAT_ABOUT.match(question.strip())
        if match is None:
            return ""
        subject = next(group for group in match.groups() if group).strip()
        entities = self.corpus.entities
        now, rest = entities.named_in(subject)
        if not now:
            return self._swap_topic(subject, earlier)
        before = [n for n in entities.named_in(earlier)[0] if n not in now]
        if not before or len(rest.strip(" 的'’s")) > 2:
            return ""  # not "what about <an entity>"
        lowered = earlier.lower()
        for name in before:  # the earlier subject as the earlier question writes it
            for form in sorted(entities.forms(name), key=len, reverse=True):
                at = lowered.find(form.lower())
                if len(form) > 1 and at >= 0:
                    return earlier[:at] + subject + earlier[at + len(form):]
        return ""

    def _swap_topic(self, subject: str, earlier: str) -> str:
        """"What about X?" where X is one of the domain's topics (``Landscape``'s: video
        generation, deep reasoning, pricing …) after a question about another: the earlier
        question asked of X ("按作者的说法,视频生成本质上更像什么?" then "那深度推理呢?" → "按作者
        的说法,深度推理本质上更像什么?"); "" when X is no topic, the earlier question names
        none, or names X's own or more than one other."""
        lowered, said = subject.lower(), earlier.lower()
        mine = [t for t in self.lists.topics if (k := t.keyword_in(lowered))
                and len(lowered.replace(k, "", 1).strip(" 的'’s")) <= 2]
        others = [(t, k) for t in self.lists.topics if (k := t.keyword_in(said))]
        if len(mine) != 1 or len(others) != 1 or others[0][0] == mine[0]:
            return ""
        at = said.find(others[0][1])
        return earlier[:at] + subject + earlier[at + len(others[0][1]):]

    def history_after(self, earlier: list[str]) -> list[Turn]:
        """A conversation of earlier questions, each answered in turn, as a chat would have
        it: the history for a follow-up asked after them."""
        history: list[Turn] = []
        for question in earlier:
            reply = self.answer(question, history)
            history += [Turn("user", question), Turn("assistant", reply.answer)]
        return history

    def retrieve(
        self, question: str, history: list[Turn] | None = None, k: int | None = None
    ) -> list[SearchResult]:
        """The passages an answer to ``question`` would be built from (evaluation, debugging):
        the same rewrite, question analysis and retrieval as ``stream``."""
        budget = LLMBudget(self.settings.llm_timeout)
        return self._search(simplified(question), _simplified_turns(history or []), k, budget,
                            []).evidence

    def _search(self, question: str, history: list[Turn], k: int | None, budget: LLMBudget,
                errors: list[LLMError]) -> _Searched:
        """The first steps of every answer: the question checked, rewritten to stand alone
        (failed helper calls go to ``errors``), analysed, and its passages retrieved."""
        question = self._check_question(question)
        language = detect_language(question)
        standalone = full_years(respelled_names(self.corpus, respelled(gives_asked(quiz_asked(
            clean_question(self._standalone(question, history, budget, errors)))))))
        scope = read_time(standalone, self._today())
        shape = analyze(strip_time(standalone) if scope is not None else standalone)
        asked = clean_question(question)  # (not the orders an injection wrapped it in)
        cited = self._cited_outlets(asked) or self._cited_outlets(standalone)
        if cited:  # "据北京商报报道…", "the Keji Xinzhi author": which article, not a topic
            shape = replace(shape, query=self._without_outlets(shape.query, cited))
        shape = replace(shape, query=self._role_holders(shape.query, language))
        concepts, idf = self._concepts(shape.query)
        coverage = document_coverage(self.corpus, concepts, idf)
        anchors = self._anchors(shape.query, standalone)
        if history and standalone != asked:  # a follow-up naming entities of its own is about
            #           them ("那百川的王小川想往哪个方向做?" after a question on 李开复)
            own = self._anchors(self._role_holders(analyze(asked).query, language), asked)
            anchors = own or anchors
        part = article_part(standalone)
        evidence, candidates = (self._retrieve(shape, concepts, idf, coverage, anchors,
                                               language, k or self.settings.top_k, budget,
                                               errors, scope, part,
                                               bool(part) and part_only(standalone), cited)
                                if standalone else ([], []))  # nothing left but instructions
        return _Searched(question, language, standalone, shape, concepts, idf, coverage,
                         evidence, scope, anchors, candidates)

    def _today(self) -> date:
        if self.settings.today:
            try:
                return date.fromisoformat(self.settings.today)
            except ValueError:
                raise BadQuestion(f"LANDSCAPE_TODAY={self.settings.today!r} is not a "
                                  "YYYY-MM-DD date") from None
        return date.today()

    def _retrieve(
        self, shape: QuestionShape, concepts: list[dict[str, float]], idf: dict[str, float],
        coverage: dict[str, float], anchors: list[frozenset[str]], language: str, k: int,
        budget: LLMBudget, errors: list[LLMError], scope: TimeScope | None = None,
        part: str = "", alone: bool = False, cited: set[str] | None = None,
    ) -> tuple[list[SearchResult], list[SearchResult]]:
        """A pool of hybrid-search candidates, re-ranked by what the question asks for, by
        ``coverage`` (``document_coverage``) and by the entities it names (``anchors``), then
        cut to ``k`` passages (per article for a comparison; ``part``: the part of the
        article asked for, ``article_part``, first, ``alone`` when nothing else is asked,
        ``part_only``; ``cited``: the outlet the question names
        as its source, whose passages come first); and the search's first
        ``SCORED_CANDIDATES`` passages, before the re-rank."""
        period = (SearchFilters(date_from=scope.date_from or None, date_to=scope.date_to or None,
                                undated=True)  # an unknown date is not outside the period
                  if scope is not None and scope.has_period else None)
        pool = to_results(self.retriever.invoke(shape.query, filters=period))
        # the article's own words are likelier in a rewording: asked when the question is in
        # English, or when no passage holds most of it (a call saved for the easy questions)
        if self.model is not None and (language == "en" or evidence_score(
                concepts, idf, [hit.text for hit in pool]) < PARAPHRASE_BELOW):
            paraphrases = self._paraphrases(shape.query, budget, errors)
            if paraphrases:
                pool = _fuse([pool, *(to_results(self.retriever.invoke(p, filters=period))
                                      for p in paraphrases)], POOL_SIZE, self.settings.rrf_k)
        pieces = self.corpus.published_documents()
        if pieces:  # staff ask about the published pieces (the industry news this product is
            #         for): their own best passages join the pool, however many manuals share
            #         the question's words ("the first article's test", "deep search")
            within = SearchFilters(date_from=period.date_from if period else None,
                                   date_to=period.date_to if period else None,
                                   undated=True, doc_ids=pieces)
            pool = _fuse([pool, hybrid_search(self.corpus, shape.query, k=POOL_SIZE,
                                              filters=within, dense=False)],
                         POOL_SIZE, self.settings.rrf_k)
        published = pieces if shape.of_articles else None
        for forms in anchors:  # where a loose form (字节: "byte") names the entity, at once
            if isinstance(forms, Forms):
                forms.learn(hit.doc_id for hit in pool)
        candidates = pool[:SCORED_CANDIDATES]
        phrases = self._phrases(shape.query)
        ranked = rerank(pool, shape, concepts, idf, coverage, anchors, published, phrases,
                        self._dense_weight(shape.query))
        if scope is not None and scope.latest:
            ranked = prefer_recent(ranked)
        if shape.per_article or part:
            among, cover = ranked, coverage
            if part and pieces:  # "两篇文章各自怎么收尾": the published pieces' ends, whatever
                #                 manual shares the word 结束
                among = [hit for hit in ranked if hit.doc_id in pieces]
                cover = {doc: coverage.get(doc, 0.0) for doc in pieces}
            articles = pick_articles(among, cover, shape.both_articles,
                                     self.corpus.domain_density(), pieces)
            if shape.per_article and len(articles) > 1:
                return interleave([self._with_part(part, alone, doc, self._within(
                    doc, shape, concepts, idf, period, anchors, phrases)) for doc in articles],
                    k), candidates
            if part and articles:  # "第一篇的结论是什么": that article's last passage first
                ranked = self._with_part(part, alone, articles[0], ranked)
                return diverse_top(ranked, k), candidates
        if cited and len(cited) == 1:  # "北京商报那篇里…", "according to the 科技新知 piece":
            #                             its passages first
            ranked = [hit for hit in ranked if hit.outlet.casefold() in cited] + [
                hit for hit in ranked if hit.outlet.casefold() not in cited]
        chosen = joined_neighbours(diverse_top(ranked, len(ranked)), k)
        if shape.expects == "reason":
            chosen = self._with_sequel(chosen)
        if shape.kind == "list" or _COUNTS_ITEMS.search(shape.query):
            chosen = self._with_rest_of_list(chosen)
        return chosen, candidates

    def _with_rest_of_list(self, hits: list[SearchResult]) -> list[SearchResult]:
        """``hits`` with the passage that goes on with a list one of them announces (the
        first passage, of the next few of its document, that opens a later item: "两个难以
        掩盖的短板:" — "其一,…" — three passages on, "另一大短板,便是…"), right after the
        announcing one, in place of the last."""
        for at, hit in enumerate(hits):
            noun = announced_noun(hit.text)
            if not noun:
                continue
            item, step = later_item(noun), hit
            for _ in range(LIST_REACH):
                after = next_passage(self.corpus, step)
                if after is None:
                    break
                step = after
                if item.search(step.text):  # (an item's opening ends no sentence)
                    if all(other.chunk_id != step.chunk_id for other in hits):
                        kept = [*hits[:at + 1], step, *hits[at + 1:]][:len(hits)]
                        return [replace(h, rank=rank) for rank, h in enumerate(kept, start=1)]
                    break
            break
        return hits

    def _with_sequel(self, hits: list[SearchResult]) -> list[SearchResult]:
        """``hits`` with the passage that follows the best one (or, when the best one's
        explanation ends within it, the second best) right after it: an explanation runs on
        past where a passage is cut ("原因就在于,视频生成主要服务创意表达…" ends one passage,
        "相较之下,深度推理则属于基础认知能力…" opens the next; the claim "这种'大而全'的追求,
        反映的是…'困兽犹斗'" ranks second, its "这是因为,…" opens the passage after it)."""
        for at, hit in enumerate(hits[:SEQUEL_AMONG]):
            sequel = next_passage(self.corpus, hit)
            if sequel is None or any(h.chunk_id == sequel.chunk_id for h in hits[:at + 2]):
                continue
            ending = split_sentences(hit.text)[-SEQUEL_REACH:]
            opening = split_sentences(sequel.text)[:SEQUEL_REACH]
            if not any(gives_reason(hit.text[a:b]) for a, b in ending) and not any(
                    gives_reason(sequel.text[a:b]) for a, b in opening):
                continue  # no explanation runs across the cut (a test's verdict goes on with
                #           "但从整体上来看…": its sequel would take the place of a passage
                #           that may give the reason)
            rest = [h for h in hits[at + 1:] if h.chunk_id != sequel.chunk_id]
            return [replace(h, rank=rank) for rank, h in
                    enumerate([*hits[:at + 1], sequel, *rest][:len(hits)], start=1)]
        return hits

    def _with_part(self, part: str, alone: bool, doc_id: str,
                   hits: list[SearchResult]) -> list[SearchResult]:
        """``hits`` with the part of the article the question asks for first (``article_part``:
        its first passage for its title or gist, its last for how it ends); asked for ``alone``
        ("两篇文章各自怎么收尾?"), its edge sentences are the answer's first (the signal "only")."""
        if not part:
            return hits
        edge = edge_passage(self.corpus, doc_id, last=part == "end")
        if edge is None:
            return hits
        if alone:
            edge.signals["only"] = True
        return [edge, *(hit for hit in hits if hit.chunk_id != edge.chunk_id)]

    def _phrases(self, query: str) -> list[frozenset[str]]:
        """The question's two-word phrases as a passage would hold them together, each the
        set of its forms: two Chinese words written one after the other ("深度推理", which
        jieba cuts in two), and English compounds in their Chinese renderings ("deep
        reasoning": 深度推理)."""
        words = [w for w in tokenize(query) if has_cjk(w) and len(w) > 1]
        pairs = {a + b for a, b in pairwise(words) if a + b in query}
        found = [frozenset([pair]) for pair in sorted(pairs) if pair not in words]
        if not self.settings.bridge_sources:
            return found
        bridged = self.corpus.bridge.translate(query, self.settings.bridge_sources)
        for concept, alternatives in bridged.concepts.items():
            if " " not in concept:
                continue
            forms = frozenset("".join(tokens) for tokens in alternatives
                              if len(tokens) > 1 and all(has_cjk(t) for t in tokens))
            if forms:
                found.append(forms)
        return found

    def summarize(self, evidence: list[SearchResult], language: str) -> Verification | None:
        """With a model: one or two sentences on what these passages (one document) say,
        every sentence verified against them and cited; None offline, when the call fails,
        or when the model's text does not hold up (the caller quotes the passages instead)."""
        if self.model is None or not evidence:
            return None
        evidence = list(evidence)
        try:
            text = "".join(self._generate(SUMMARY_QUESTION[language], [], language, evidence,
                                          LLMBudget(self.settings.llm_timeout)))
        except LLMError as exc:
            log.warning("summarizing for the digest failed: %s", exc)
            return None
        if declines(text):
            return None
        verified = verify_answer(sanitize_model_text(text, _joined(evidence)), evidence,
                                 self._scorer(), self.settings.support_threshold)
        return verified if verified.trustworthy and verified.citations else None

    def _paraphrases(self, query: str, budget: LLMBudget, errors: list[LLMError]) -> list[str]:
        """With a model: the question reworded in Chinese and in English (multi-query
        retrieval: the article's own words are likelier in one of them). A failed call is
        logged and put in ``errors``; the question is searched as asked."""
        try:
            chain = MULTI_QUERY_PROMPT | self._helper_model(budget) | StrOutputParser()
            reply = chain.invoke({"question": query})
        except LLMError as exc:
            log.warning("rewording the question with the model failed: %s", exc)
            errors.append(exc)
            return []
        lines = [clean_question(_LIST_MARK.sub("", line)) for line in reply.splitlines()]
        return [line for line in lines if line and line != query and len(line) < 300][:2]

    def _within(self, doc_id: str, shape: QuestionShape, concepts: list[dict[str, float]],
                idf: dict[str, float], period: SearchFilters | None = None,
                anchors: list[frozenset[str]] | None = None,
                phrases: list[frozenset[str]] | None = None) -> list[SearchResult]:
        """One article's passages for the question, best first (by what the whole search
        ranks by, ``phrases`` held together too, how often a passage names ``anchors``, and
        what the heading of its section covers)."""
        hits = hybrid_search(self.corpus, shape.query, k=POOL_SIZE, filters=SearchFilters(
            doc_id=doc_id, date_from=period.date_from if period else None,
            date_to=period.date_to if period else None, undated=True))
        return diverse_top(rerank(hits, shape, concepts, idf, anchors=anchors,
                                  phrases=phrases or (), dense=self._dense_weight(shape.query),
                                  salience=True, heading=self.corpus.heading_over), POOL_SIZE)

    def _dense_weight(self, query: str) -> float:
        """The dense cosine's weight in the re-rank: only for a model that reads Chinese, and
        as much less for English as its vote in the search (``ranker_weights``)."""
        if not self.corpus.embedder.reads_chinese:
            return 0.0
        return DENSE_WEIGHT * ranker_weights(self.corpus, query)[1]

    def _anchors(self, query: str, question: str = "") -> list[frozenset[str]]:
        """The entities the question names, each as every form the documents and the lexicon
        write it in (forms of one character are too ambiguous to count). A name and its
        ancestor in the lexicon are one subject, named by the narrower name ("ByteDance's
        Volcano Engine": a passage naming 火山引擎 names it, one naming only 字节 does not).
        An outlet the ``question`` cites as its source ("根据北京商报那篇报道") is no subject."""
        entities = self.corpus.entities
        names, _ = entities.named_in(query)
        if question:
            outlets = self.corpus.outlets()
            names = [n for n in names if not self._cited_outlet(n, outlets, question)]
        lineage = {name: entities.lexicon.lineage(name) for name in names}
        groups: list[set[str]] = []
        for name in names:
            joined = [g for g in groups
                      if g & lineage[name] or any(name in lineage[other] for other in g)]
            groups = [g for g in groups if g not in joined] + [{name}.union(*joined)]
        anchors: list[frozenset[str]] = []
        for group in groups:
            narrowest = {n: entities.forms(n) for n in group
                         if not any(n in lineage[o] for o in group if o != n)}
            forms = frozenset(f for written in narrowest.values() for f in written if len(f) >= 2)
            if forms:
                loose = {f for n, written in narrowest.items() for f in _loose_forms(n, written)}
                anchors.append(Forms(forms, loose, self._names_elsewhere(list(narrowest), loose)))
        return anchors

    def _news_outlets(self) -> set[str]:
        """The news outlets (case-folded) the documents were published by: their own Chinese
        names (北京商报), not a citation a manual's metadata was read as."""
        return {outlet for outlet in self.corpus.outlets() if _OUTLET_NAME.fullmatch(outlet)}

    def _cited_outlets(self, question: str) -> set[str]:
        """The news outlets (case-folded) a question names as the source of what it asks."""
        return {outlet for outlet in self._news_outlets()
                if self._cited_outlet(outlet, frozenset({outlet}), question)}

    def _without_outlets(self, query: str, outlets: set[str]) -> str:
        """``query`` without the names (any form) of the outlets it cites as its source;
        unchanged when nothing else would be left."""
        forms = {f for outlet in outlets
                 for f in self.corpus.entities.forms(outlet) | {outlet}}
        rest = query
        for form in sorted(forms, key=len, reverse=True):
            rest = re.sub(re.escape(form), " ", rest, flags=re.IGNORECASE)
        rest = re.sub(r"\s+", " ", rest).strip()
        return rest if tokenize(rest) else query

    def _role_holders(self, query: str, language: str) -> str:
        """``query`` with each person it calls by their role at a firm it names ("月之暗面的
        掌门人", "Moonshot's founder": ``role_called``) called by name, the one the documents
        give that role ("月之暗面创始人杨植麟": 杨植麟; in an English question their Latin
        name where the lexicon has one): the sentences about them name them, and seldom the
        firm ("…核心是高质量的数据没那么多了”,杨植麟说。"). Unchanged where the documents name
        no one so, or the question names them itself or asks who they are."""
        entities = self.corpus.entities
        named, _ = entities.named_in(query)
        spans: dict[tuple[int, int], list[str]] = {}
        for firm in named:
            for start, end, roles in role_called(query, entities.forms(firm) | {firm}):
                spans.setdefault((start, end), []).extend(
                    person for person, role in entities.holders(firm)
                    if re.search(roles, role, re.I) and person not in named)
        kept: list[tuple[int, int, list[str]]] = []
        for (start, end), people in sorted(spans.items(), key=lambda s: s[0][0] - s[0][1]):
            if people and not any(s < end and start < e for s, e, _ in kept):
                kept.append((start, end, list(dict.fromkeys(people))))  # the longest words
        for start, end, people in sorted(kept, reverse=True):
            names = []
            for person in people:
                entry = entities.lexicon.entries.get(person)
                latin = [a for a in (entry.aliases if entry else ()) if a.isascii()]
                names.append(latin[0] if language == "en" and latin else person)
            query = f"{query[:start]}{' '.join(names)}{query[end:]}"
        return query

    def _cited_source(self, name: str, question: str) -> bool:
        """Whether the question cites ``name``, in any form, as where a figure comes from."""
        return any(cited_as_data_source(question, form)
                   for form in self.corpus.entities.forms(name) | {name})

    def _cited_outlet(self, name: str, outlets: frozenset[str], question: str) -> bool:
        """Whether ``name`` is an outlet the question cites as its source, in any form."""
        forms = self.corpus.entities.forms(name) | {name}
        return bool(outlets & {f.casefold() for f in forms}) and any(
            cited_as_source(question, f) for f in forms)

    def _names_elsewhere(self, names: list[str],
                         loose: set[str]) -> Callable[[list[str]], dict[str, bool]]:
        """Whether a document names one of ``names`` by a form that is not loose, or one of
        their relatives (maker, products, units): there 字节 is ByteDance, not "byte"."""
        lexicon, entities = self.corpus.entities.lexicon, self.corpus.entities
        family = set(names)
        for name in names:
            entry = lexicon.entries.get(name)
            if entry is not None and entry.parent:
                family.add(lexicon.resolve(entry.parent) or entry.parent)
        family |= {e.name for e in lexicon.entries.values() if e.parent in names}
        strict: set[str] = set()
        for name in family:
            written = entities.forms(name)
            strict |= {f for f in written if len(f) >= 2} - loose - _loose_forms(name, written)
        named = [frozenset(strict)]

        def names_elsewhere(doc_ids: list[str]) -> dict[str, bool]:
            texts = self.corpus.store.documents_text(doc_ids)
            return {doc: names_share(named, texts.get(doc) or "") > 0 for doc in doc_ids}

        return names_elsewhere

    def _concepts(self, query: str) -> tuple[list[dict[str, float]], dict[str, float]]:
        """The question's concepts (each a set of tokens that express it) and their IDF."""
        self.corpus.sync()
        native, bridged = query_terms(self.corpus, query)
        synonyms = synonym_concepts(self.corpus, native)
        concepts: list[dict[str, float]] = []
        english = set(latin_words(query))
        for token in native:
            if token in english:
                continue
            concepts.append({t[0]: w for t, w in synonyms.get(token, {(token,): 1.0}).items()})
        for word in dict.fromkeys(latin_words(query)):
            if word in EN_STOPWORDS or (len(word) < 2 and not word.isdigit()):
                continue
            options = {word: 1.0}
            for concept, alternatives in bridged.concepts.items():
                parts = concept.split()
                if word in parts:
                    for tokens, weight in alternatives.items():
                        # a rendering word for word ("scaling law": 规模|定律) gives this word
                        # its own part, not the other's: a passage with "Strong Scaling" holds
                        # one of the two, not both
                        mine = ((tokens[parts.index(word)],) if len(tokens) == len(parts) > 1
                                else tokens)
                        options.update({t: max(options.get(t, 0.0), weight) for t in mine})
            concepts.append(options)
        bm25 = self.corpus.bm25.snapshot
        df = {t: bm25.document_frequency(t) for c in concepts for t in c}
        # a word jieba glued from an adverb and a verb ("快用完" → 快用|完), which no document
        # and no dictionary has and the tagger does not read as a name, is no concept: as an
        # unseen word it would weigh the most and refuse what the documents do say
        glued = {w for w in _glued_words(query) if not df.get(w) and not cedict_glosses().get(w)}
        concepts = [c for c in concepts if not (len(c) == 1 and set(c) <= glued)]
        # a word and the piece of it jieba's search mode also cuts, when the dictionary makes
        # each the other's synonym (天花板, 天花), are one concept: counted twice it would
        # outweigh the rest of the question
        unique: dict[frozenset[str], dict[str, float]] = {}
        for forms in concepts:
            same = unique.setdefault(frozenset(forms), forms)
            if same is not forms:
                for form, weight in forms.items():
                    same[form] = max(same[form], weight)
        return list(unique.values()), idf_table(df, len(bm25))

    def _generate(
        self, question: str, history: list[Turn], language: str, evidence: list[SearchResult],
        budget: LLMBudget,
    ) -> Iterator[str]:
        assert self.model is not None
        context, used = format_context(evidence, self.settings.max_context_chars)
        del evidence[used:]  # what the model did not see cannot be cited
        chain = ANSWER_PROMPT | self.model.bind(deadline=budget.deadline()) | StrOutputParser()
        yield from chain.stream(
            {
                "language": LANGUAGE_NAMES[language],
                "history": self._history_messages(history),
                "context": context,
                "question": escape_markup(question),
            }
        )

    def _model_text(
        self, question: str, history: list[Turn], language: str, evidence: list[SearchResult],
        budget: LLMBudget,
    ) -> Generator[AnswerEvent, None, str]:
        """The model's reply, streamed through ``InertStream`` (what is shown has passed the
        same rules as the final answer, a sentence at a time); the raw reply is returned for
        verification. Text shown from a stream that then fails is withdrawn (``reset``) before
        the error goes up; a stream that breaks off is asked for once more while a quarter of
        the budget is left (the backend already retried before the first token)."""
        for attempt in (1, 2):
            text = shown = ""
            inert = InertStream(lambda: _joined(evidence))  # evidence as trimmed for the model
            try:
                for token in self._generate(question, history, language, evidence, budget):
                    text += token
                    if safe := inert.feed(token):
                        shown += safe
                        yield AnswerEvent("token", safe)
                if safe := inert.finish():
                    yield AnswerEvent("token", safe)
                return text
            except LLMError as exc:
                if shown:
                    yield AnswerEvent("reset")
                retry = (bool(text) and attempt == 1 and isinstance(exc, LLMUnavailable)
                         and budget.left() > self.settings.llm_timeout / 4)
                if not retry:
                    raise
        raise AssertionError("unreachable")

    def _extractive(
        self, shape: QuestionShape, language: str, evidence: list[SearchResult],
        concepts: list[dict[str, float]], idf: dict[str, float], scorer: SupportScorer,
        holders: set[str] | None = None,
    ) -> Verification:
        """The quoted answer: one section per article for a comparison; for an English
        question, an English first sentence naming the sources and the entities found.
        ``holders``: the sentences holding a value the question asks for (``_holders``)."""
        threshold = self.settings.support_threshold
        articles = list(dict.fromkeys(hit.doc_id for hit in evidence))
        if shape.per_article and len(articles) > 1:
            sections = []
            for doc_id in articles:
                own = [hit for hit in evidence if hit.doc_id == doc_id]
                text = extractive_answer(language, own, concepts, idf, per_article=True,
                                         expects=shape.expects, holders=holders)
                part = verify_answer(text, own, scorer, threshold)
                if part.citations and not quotable(own, concepts, idf, holders):
                    part.text = f"{CLOSEST_ONLY_NOTE[language]}\n\n{part.text}"
                sections.append((source_label(own[0], language), part))
            verified = join_sections(sections)
        else:
            text = extractive_answer(language, evidence, concepts, idf,
                                     limit=5 if shape.kind == "list" else 3,
                                     expects=shape.expects, holders=holders)
            verified = verify_answer(text, evidence, scorer, threshold)
        if language == "en" and verified.citations:
            names = self.corpus.bridge.names(shape.query)
            lead = english_lead(verified.citations, names, verified.text)
            verified.text = f"{lead}\n\n{verified.text}"
        return verified

    def _model_sections(
        self, question: str, history: list[Turn], language: str, evidence: list[SearchResult],
        scorer: SupportScorer, budget: LLMBudget,
    ) -> Generator[AnswerEvent, None, Verification | None]:
        """A comparison answered by the model in parts: the question answered from each
        article's passages alone, under a heading naming the article, then a short comparison
        from all of them; each part verified against the passages it was given. None when no
        part survives verification."""
        threshold = self.settings.support_threshold
        sections: list[tuple[str, Verification]] = []
        seen: list[SearchResult] = []
        for doc_id in dict.fromkeys(hit.doc_id for hit in evidence):
            own = [hit for hit in evidence if hit.doc_id == doc_id]
            heading = source_label(own[0], language)
            yield AnswerEvent("token", f"**{heading}**\n\n")
            text = yield from self._model_text(question, history, language, own, budget)
            yield AnswerEvent("token", "\n\n")
            seen += own  # what the model saw (``_generate`` trims to the context budget)
            part = verify_answer(sanitize_model_text(text, _joined(own)), own, scorer, threshold)
            if not declines(text) and part.trustworthy:
                sections.append((heading, part))
        if len(sections) > 1:
            heading = COMPARISON_HEADING[language]
            yield AnswerEvent("token", f"**{heading}**\n\n")
            text = yield from self._model_text(f"{question}\n{COMPARE_INSTRUCTION}", history,
                                               language, seen, budget)
            part = verify_answer(sanitize_model_text(text, _joined(seen)), seen, scorer,
                                 threshold)
            if part.trustworthy:
                sections.append((heading, part))
        return join_sections(sections) if sections else None

    def _scorer(self) -> SupportScorer:
        return SupportScorer(self.corpus.bridge)

    def _refuse(
        self, base: Answer, evidence: list[SearchResult], started: float, retrieved_at: float
    ) -> Iterator[AnswerEvent]:
        REFUSALS.inc()
        base.refused = True
        base.related = self._related(evidence, [])
        if not base.related and base.standalone_question:  # the closest documents, loosely
            base.related = self._related(
                hybrid_search(self.corpus, strip_frame(base.standalone_question)), [])
        base.answer = (REFUSAL if base.related else REFUSAL_NOTHING_RELATED)[base.language]
        base.timings = self._timings(started, retrieved_at)
        yield AnswerEvent("token", base.answer)
        yield AnswerEvent("final", answer=base)

    @staticmethod
    def _related(evidence: list[SearchResult], citations: list[Citation]) -> list[dict[str, str]]:
        cited = {c.doc_id for c in citations}
        related: dict[str, dict[str, str]] = {}
        for hit in evidence:
            if hit.doc_id not in cited and hit.doc_id not in related:
                related[hit.doc_id] = {
                    "doc_id": hit.doc_id, "title": hit.title, "source": hit.source,
                    "outlet": hit.outlet, "date": hit.date,
                }
        return list(related.values())[:3]

    @staticmethod
    def _timings(started: float, retrieved_at: float) -> dict[str, float]:
        now = time.perf_counter()
        return {
            "retrieve_ms": round((retrieved_at - started) * 1000, 1),
            "generate_ms": round((now - retrieved_at) * 1000, 1),
            "total_ms": round((now - started) * 1000, 1),
        }


def _dated(text: str, scope: TimeScope, citations: list[Citation], language: str) -> str:
    """The answer with the period it covered first and, for "latest", the date it is as of."""
    if scope.has_period:
        text = f"{scope.describe(language)}\n\n{text}"
    dates = sorted(c.date for c in citations if c.date)
    if scope.latest and dates:
        text += (f"\n\n截至 {dates[-1]}（所引最新来源的日期）。" if language == "zh"
                 else f"\n\nAs of {dates[-1]} (the newest source cited).")
    return text


SUMMARY_QUESTION = {
    "zh": "用一两句话概括这些资料报道的最重要的新事实，每句注明出处。",
    "en": "In one or two sentences, what are the most important new facts these sources "
          "report? Cite each sentence.",
}


_OWN_ASK = re.compile(r"什么|啥|怎么|怎样|如何|哪|谁|多少|几|为何|为什么|是否|"
                      r"\b(?:what|which|who|whom|how|why|when|where)\b", re.I)


def _simplified_turns(history: list[Turn]) -> list[Turn]:
    """The asker's earlier questions in simplified characters (``index.script``)."""
    return [Turn(turn.role, simplified(turn.content)) if turn.role == "user" else turn
            for turn in history]


def _joined(evidence: list[SearchResult]) -> str:
    return "\n".join(hit.text for hit in evidence)


def _loose_forms(name: str, forms: Iterable[str]) -> set[str]:
    """An entity's Chinese forms that are also ordinary words: the dictionary (CC-CEDICT) knows
    them, and none of its senses is the entity (字节 "byte" for 字节跳动; 百度's sense names
    Baidu, 快手's Kuaishou), when the entity has another name too."""
    from index.bridge import cedict_glosses

    glosses = cedict_glosses()
    forms = set(forms)
    latin = {f for f in forms if f.isascii()} | ({name.casefold()} if name.isascii() else set())
    loose = set()
    for form in forms:
        if form.isascii() or len(form) > 2:
            continue
        senses = glosses.get(form)
        if senses and not any(word in sense for sense in senses for word in latin):
            loose.add(form)
    # an entity known only by such a word (凯撒, a person the articles name) keeps it
    return loose if forms - loose else set()


def _glued_words(text: str) -> set[str]:
    """Two-character words the tagger reads as adverbs or verbs, not names (快用 in 快用完), and
    words only the search-mode cut makes, which the tagger's own cut does not (快见 of 快见底:
    快|见|底; 帮人出: 帮|人|出; 更唱衰: 更|唱|衰)."""
    tagged = _tagged(text)
    words = {t.word for t in tagged}
    return {t.word for t in tagged if len(t.word) == 2 and has_cjk(t.word)
            and t.flag in ("d", "v", "ad", "vd")} | {
        w for w in tokenize(text) if len(w) >= 2 and has_cjk(w) and w not in words}


# an English suffix making a name an adjective of likeness ("Sora-style", "ChatGPT-like"): the
# topic is the name's kind of thing, and "style" no word an article writes it with (Sora类)
_LIKE_SUFFIX = re.compile(r"(?<=\w)-(?:style|like|type|esque|ish)\b", re.I)


def _topic_words(topic: str) -> list[str]:
    """The content words of a topic: jieba's words of two or more characters and Latin words,
    minus stopwords."""
    from index.tokenize import _jieba

    topic = _LIKE_SUFFIX.sub("", topic)  # "Sora-style video": Sora's kind of video
    words = [str(w).strip().lower() for w in _jieba().cut(topic)]  # type: ignore[attr-defined]
    return list(dict.fromkeys(
        w for w in words if w and w not in STOPWORDS and (len(w) > 1 if has_cjk(w) else
                                                          w.isalnum() and len(w) > 2)))


_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_TITLED = re.compile(r"《([^》]{1,40})》")


def _titles(question: str) -> set[str]:
    """The works a question names in 《》, by the title's head (《三星堆:未来启示录》 → 三星堆:
    a reader may shorten the subtitle away)."""
    heads = (re.split(r"[:：·—\s]", title.strip())[0] for title in _TITLED.findall(question))
    return {head for head in heads if len(head) > 1}


_LIST_MARK = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)、])\s+|^\s+")
_WORDS = re.compile(r"[^\W_]", re.UNICODE)  # a letter, digit or CJK character
_ZH_REFERENCES = ("它", "他", "她", "其", "这", "那", "该", "此", "上述", "前者", "后者", "同样")
_EN_REFERENCES = {"it", "its", "they", "them", "their", "this", "that", "these", "those", "he",
                  "she", "his", "her", "there", "same"}


# a question that opens by going on from the last one: "And which one came off the worst?",
# "跟ChatGPT比差了多少?" (compared with ChatGPT: whose figure is the earlier question's)
_FOLLOWS_ON = re.compile(r"(?:and|so|but|also|then)\b[\s,]|还有|另外|再"
                      r"|(?:跟|和|与|同|比起|相比|相较)[^，,。？?]{1,20}?(?:比|相比|比较|对比|比起来)",
                      re.I)


# "what about X?": the earlier question, asked of X
# "the other article" of a follow-up (not the second of "一篇…另一篇…", a comparison)
_OTHER_ARTICLE = re.compile(r"(?<!一篇)(?<!一篇[说讲])(?:另一篇|另外一篇|另外那篇)"
                            r"(?:文章|报道|稿子)?|"
                            r"\bthe other (?:article|piece|report|story|write-up|one)\b", re.I)
_OUTLET_NAME = re.compile(r"[\u4e00-\u9fff]{2,8}")  # a news outlet's own name (北京商报), not a
#                                                      citation a manual's metadata was read as
_WHAT_ABOUT = re.compile(r"(?:那么?|那)?\s*(.{1,24}?)\s*呢\s*[？?]?$|"
                         r"(?:and |so )?(?:what|how) about (.{1,40}?)\s*\??$|and (.{1,40}?)\s*\?$",
                         re.I)


def _whole_words(alternatives: Iterable[tuple[str, ...]]) -> set[str]:
    """The words of a concept's renderings as a sentence writes them: a rendering the corpus
    tokenizes into parts (使用者 → 使用, 用者) is the whole word, not each part (使用 "to use"
    is no user); parts are joined only where no whole rendering exists."""
    alternatives = list(alternatives)
    whole = {tokens[0] for tokens in alternatives if len(tokens) == 1}
    return whole or {"".join(tokens) for tokens in alternatives}


# a follow-up that points back to a person ("那他觉得…", "did he say")
_PERSON_BACK = re.compile(r"[他她]|\b(?:he|she|his|her|him)\b", re.I)


def _refers_back(question: str, corpus: Corpus) -> bool:
    """Offline guess whether a question leans on the conversation: a pronoun, or too few
    distinctive words of its own to stand alone."""
    if any(mark in question for mark in _ZH_REFERENCES) or _FOLLOWS_ON.match(question.strip()):
        return True
    if _EN_REFERENCES & set(latin_words(question)):
        return True
    corpus.sync()
    own = [t for t in tokenize(question) if t not in corpus.common_terms]
    return len(own) < 2


def _fuse(lists: list[list[SearchResult]], k: int, rrf_k: int) -> list[SearchResult]:
    scores: dict[str, float] = {}
    by_id: dict[str, SearchResult] = {}
    for results in lists:
        for rank, hit in enumerate(results, start=1):
            scores[hit.chunk_id] = scores.get(hit.chunk_id, 0.0) + 1.0 / (rrf_k + rank)
            by_id.setdefault(hit.chunk_id, hit)
    ordered = sorted(scores, key=lambda cid: -round(scores[cid], 12))[:k]
    return [replace(by_id[cid], rank=rank, score=scores[cid])
            for rank, cid in enumerate(ordered, start=1)]
