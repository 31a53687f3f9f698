"""Many questions through the HTTP API while the LLM fails at a set rate; what the users saw.

Used by tests/test_reliability.py, and runnable on its own for bigger numbers:

    python tests/fault_load.py --requests 1000 --rate 0.1 --timeout 30 --concurrency 8

A user-visible failure is any answer that is not a finished, grounded answer in time: an
HTTP error, an error chunk or no final chunk, a refusal, no citations, a citation that is not
verbatim in its document, a reply later than the timeout plus ``grace`` seconds, or a partial
stream left standing as the answer. A fallback to the extractive answer with a note is
counted as degraded, not failed: the user still gets a cited answer.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fake_llm import FakeLLM, FaultInjector, Reply, asked, is_answer_request

from agent.evaluate import citations_match
from agent.pipeline import FALLBACK_NOTE

# In-scope questions over the seed articles, with a grounded reply a good model would give and,
# for English questions, the translation it would return for the search.
CASES: dict[str, tuple[str, str]] = {
    "Luma AI 9月的访问量是多少？":
        ("据SimilarWeb统计，Luma AI网站在9月的总访问量仅为1181万次，环比下跌38.49%[1]。", ""),
    "Runway 9月的流量大约是ChatGPT的多少？":
        ("Runway在9月流量仅755.8万次，不及ChatGPT的1/400[1]。", ""),
    "智谱清言的清影生成一个5秒片段要多久？":
        ("用户用清影生成一个5秒的片段，照样要等3~5分钟[1]。", ""),
    "快手推出的AI奇幻短剧叫什么？":
        ("快手推出了AI奇幻短剧《山海奇镜之劈波斩浪》[1]。", ""),
    "可灵AI累计生成了多少视频和图片？":
        ("快手的可灵AI更新至1.6版本，累计生成超6500万个视频和超1.75亿张图片[1]。", ""),
    "1—9月国内原生AIGC App的月活规模是多少？":
        ("1—9月，国内原生AIGC App月活规模从3303万涨到7913万[1]。", ""),
    "How long does Zhipu's free video model take to generate a 5-second clip?":
        ("Zhipu's free model still takes 3~5 minutes for a 5-second clip[1].",
         "智谱清言的免费视频模型清影生成一个5秒片段需要多久？"),
}


def scripted_reply(body: dict[str, Any]) -> Reply:
    """What a well-behaved model answers: the case's reply, or its translation."""
    question = asked(body)
    reply, translation = CASES.get(question, ("", ""))
    return Reply(reply if is_answer_request(body) else translation or question)


@dataclass
class Outcome:
    question: str
    seconds: float
    failure: str = ""  # why the user saw a failure; "" when the answer was good
    degraded: bool = False  # the extractive fallback answered, with a note
    note: str = ""
    reset: bool = False  # streamed text was withdrawn


@dataclass
class FaultLoadReport:
    requests: int
    timeout: float
    faults: dict[str, int]
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.failure]

    def summary(self) -> dict[str, Any]:
        seconds = sorted(o.seconds for o in self.outcomes)
        llm_calls = sum(self.faults.values())
        injected = llm_calls - self.faults.get("ok", 0)
        return {
            "requests": self.requests,
            "llm_calls": llm_calls,
            "llm_faults_injected": injected,
            "llm_fault_rate": round(injected / max(llm_calls, 1), 3),
            "faults": {k: v for k, v in sorted(self.faults.items()) if k != "ok"},
            "user_visible_failures": len(self.failures),
            "user_failure_rate": round(len(self.failures) / max(len(self.outcomes), 1), 4),
            "degraded_to_extractive": sum(o.degraded for o in self.outcomes),
            "streams_withdrawn": sum(o.reset for o in self.outcomes),
            "timeout_s": self.timeout,
            "p50_s": round(statistics.median(seconds), 2) if seconds else None,
            "p95_s": round(seconds[int(0.95 * (len(seconds) - 1))], 2) if seconds else None,
            "max_s": round(seconds[-1], 2) if seconds else None,
            "failure_examples": [f"{o.question}: {o.failure}" for o in self.failures[:5]],
            "fallback_causes": dict(Counter(_cause(o.note) for o in self.outcomes if o.degraded)),
        }


def _cause(note: str) -> str:
    """The reason inside a fallback note, with addresses and numbers blurred for counting."""
    for prefix in FALLBACK_NOTE.values():
        note = note.removeprefix(prefix)
    return re.sub(r"http://\S+|\d+(\.\d+)?", "N", note.strip(" ()"))


def check_citations(final: dict[str, Any], document_text: Any) -> str:
    """'' when every [n] has a citation and every quote is verbatim in its document."""
    answer = final.get("answer") or ""
    citations = final.get("citations") or []
    if not answer.strip():
        return "empty answer"
    if final.get("refused"):
        return "refused an in-scope question"
    if not citations:
        return "no citations"
    if not citations_match(answer, citations, document_text):
        return "a marker without its citation, or a quote not verbatim in its document"
    return ""


def ask_once(base_url: str, question: str, timeout: float, grace: float,
             document_text: Any) -> Outcome:
    """One streamed question through the openai SDK, judged as the user would see it."""
    from openai import OpenAI, OpenAIError

    client = OpenAI(base_url=base_url + "/v1", api_key="load", max_retries=0,
                    timeout=timeout + 60)
    started = time.monotonic()
    shown, final, reset = "", None, False
    try:
        stream = client.chat.completions.create(
            model="landscape", stream=True, messages=[{"role": "user", "content": question}])
        for chunk in stream:
            extra = chunk.model_extra or {}
            if extra.get("reset"):
                shown, reset = "", True
            if chunk.choices and chunk.choices[0].delta.content:
                shown += chunk.choices[0].delta.content
            if extra.get("error"):
                return Outcome(question, time.monotonic() - started,
                               f"error chunk: {extra['error']}")
            if "answer" in extra:
                final = extra
    except OpenAIError as exc:
        return Outcome(question, time.monotonic() - started, f"{type(exc).__name__}: {exc}")
    seconds = time.monotonic() - started
    outcome = Outcome(question, seconds, reset=reset)
    if final is None:
        outcome.failure = "the stream ended without a final answer"
        return outcome
    outcome.degraded = "fallback" in str(final.get("backend"))
    outcome.note = str(final.get("note") or "")
    outcome.failure = check_citations(final, document_text)
    if not outcome.failure and seconds > timeout + grace:
        outcome.failure = f"took {seconds:.1f} s (timeout {timeout:g} s)"
    if not outcome.failure:
        expected = CASES[question][0]
        if outcome.degraded and not shown.endswith(final["answer"]):
            outcome.failure = "fallback answer not what was left on screen"
        elif not outcome.degraded and shown != expected:
            outcome.failure = f"a partial or altered stream was accepted: {shown!r}"
    return outcome


def run_fault_load(base_url: str, injector: FaultInjector, document_text: Any, requests: int,
                   timeout: float, concurrency: int = 8, grace: float = 1.5) -> FaultLoadReport:
    questions = [list(CASES)[i % len(CASES)] for i in range(requests)]
    with ThreadPoolExecutor(concurrency) as pool:
        outcomes = list(pool.map(
            lambda q: ask_once(base_url, q, timeout, grace, document_text), questions))
    return FaultLoadReport(requests, timeout, dict(injector.counts), outcomes)


def main() -> None:
    """A standalone run on a fresh data directory holding the seeds."""
    import tempfile

    from conftest import SEEDS
    from servers import uvicorn_thread

    from agent.pipeline import Agent
    from index.corpus import Corpus
    from index.ingest import ingest_paths
    from index.settings import load_settings
    from ui.feedback import FeedbackStore
    from ui.server import create_app
    from ui.services import Services

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--rate", type=float, default=0.1)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--hang", type=float, default=0.0, help="default: 2 x timeout")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, FakeLLM() as fake:
        injector = FaultInjector(scripted_reply, args.rate, hang=args.hang or 2 * args.timeout,
                                 max_token_delay=args.timeout / 10)
        fake.router = injector
        settings = load_settings(data_dir=Path(folder), llm="openai", openai_base_url=fake.base_url,
                                 openai_model="scripted", llm_timeout=args.timeout,
                                 rate_limit_per_minute=0)
        corpus = Corpus(settings)
        ingest_paths(corpus, [SEEDS])
        services = Services(settings, corpus, Agent(corpus, backend="openai", settings=settings),
                            FeedbackStore(Path(folder) / "feedback.sqlite"))
        Agent(corpus, backend="extractive").answer("warm up: Luma AI")  # as `serve` does
        with uvicorn_thread(create_app(services)) as url:
            report = run_fault_load(url, injector, corpus.store.document_text, args.requests,
                                    args.timeout, args.concurrency)
    print(json.dumps(report.summary(), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
