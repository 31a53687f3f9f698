"""Answering stays correct while documents are added: 20 streaming chats through ``/v1`` for 60 s
(``LOAD_TEST_SECONDS``) while 300 documents arrive in batches, half uploaded through the web
chat and half through ``landscape ingest`` (which sends them to the running server). No request
fails, every citation is verbatim in its document, and every new document is searchable as soon
as its ingest reports done. The counts are printed (``pytest -s`` shows them).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from fault_load import CASES
from servers import free_port, uvicorn_thread

from agent.evaluate import citations_match
from agent.pipeline import Agent
from index.corpus import Corpus
from index.owner import acquire
from ui.feedback import FeedbackStore
from ui.server import create_app
from ui.services import Services

SECONDS = float(os.environ.get("LOAD_TEST_SECONDS", "60"))
CHATS = 20
DOCUMENTS = 300
BATCH = 30
COMPANIES = ["字节跳动", "阿里巴巴", "腾讯", "百度", "快手", "智谱", "月之暗面", "MiniMax"]
TOPICS = ["视频生成", "深度推理", "合成数据", "智能体", "多模态理解", "代码生成"]


def write_briefs(folder: Path) -> list[Path]:
    folder.mkdir(parents=True)
    paths = []
    for i in range(DOCUMENTS):
        company, topic = COMPANIES[i % len(COMPANIES)], TOPICS[i % len(TOPICS)]
        path = folder / f"brief-{i:03d}.md"
        path.write_text(
            f"# 项目简报 {i}\n\n据内部消息，代号为Zorvex{i:03d}的大模型项目由{company}的团队负责，"
            f"计划在2025年第{i % 4 + 1}季度发布，参数规模为{100 + i}亿，主打{topic}。\n",
            encoding="utf-8")
        paths.append(path)
    return paths


def brief_question(i: int) -> str:
    return f"代号Zorvex{i:03d}的大模型项目由哪个公司的团队负责？"


class Tally:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.errors: list[str] = []
        self.lock = threading.Lock()

    def add(self, key: str, n: int = 1) -> None:
        with self.lock:
            self.counts[key] += n

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


def stream_chat(url: str, question: str) -> dict[str, Any]:
    """One streamed chat; the final chunk's extras, or an exception naming what went wrong."""
    import httpx

    final: dict[str, Any] | None = None
    body = {"model": "landscape", "stream": True,
            "messages": [{"role": "user", "content": question}]}
    with httpx.stream("POST", url + "/v1/chat/completions", json=body, timeout=120) as response:
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}: {response.read()[:200]!r}")
        for line in response.iter_lines():
            if not line.startswith("data: {"):
                continue
            chunk = json.loads(line[6:])
            if chunk.get("error"):
                raise RuntimeError(f"error chunk: {chunk['error']}")
            if "answer" in chunk:
                final = chunk
    if final is None:
        raise RuntimeError("the stream ended without a final answer")
    return final


def test_chats_stay_correct_while_300_documents_arrive(make_corpus, tmp_path: Path) -> None:
    from conftest import SEEDS
    from gradio_client import Client, handle_file

    from index.ingest import ingest_paths

    corpus: Corpus = make_corpus(rate_limit_per_minute=0)  # one address: limits are elsewhere
    ingest_paths(corpus, [SEEDS])
    settings = corpus.settings
    briefs = write_briefs(tmp_path / "briefs")
    services = Services(settings, corpus, Agent(corpus),
                        FeedbackStore(settings.data_dir / "feedback.sqlite"))
    tally = Tally()
    ready: list[int] = []  # briefs whose ingest reported done
    texts: dict[str, str | None] = {}

    def document_text(doc_id: str) -> str | None:
        if doc_id not in texts:
            texts[doc_id] = corpus.store.document_text(doc_id)
        return texts[doc_id]

    def judge(final: dict[str, Any]) -> None:
        tally.add("refused" if final["refused"] else "answered")
        tally.add("citations", len(final["citations"]))
        if not citations_match(final["answer"], final["citations"], document_text):
            tally.error(f"citation not verbatim: {final['citations']}")

    def chat(url: str, seed: int, until: float) -> None:
        rng = random.Random(seed)
        while time.monotonic() < until:
            if ready and rng.random() < 0.5:
                question = brief_question(rng.choice(ready))
            else:
                question = rng.choice(list(CASES))
            try:
                judge(stream_chat(url, question))
                tally.add("chats")
            except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
                tally.error(f"{question}: {type(exc).__name__}: {exc}")

    def check_searchable(url: str, batch: list[int], channel: str) -> None:
        """Right after a batch's ingest reports done: each document answers its question."""
        tally.add(f"documents via {channel}", len(batch))
        for i in batch:
            final = stream_chat(url, brief_question(i))
            judge(final)
            if not any(c["source"].endswith(f"brief-{i:03d}.md") for c in final["citations"]):
                tally.error(f"brief-{i:03d} not searchable after its ingest: {final['answer']}")
            tally.add("searchable checks")
        ready.extend(batch)

    def upload(url: str, batches: list[list[int]]) -> None:
        client = Client(url + "/", verbose=False)
        for batch in batches:
            status = client.predict([handle_file(str(briefs[i])) for i in batch],
                                    api_name="/upload")
            if f"{len(batch)} file(s) ready" not in status or "Not ingested" in status:
                tally.error(f"web upload: {status}")
            check_searchable(url, batch, "web upload")

    def cli(url: str, batches: list[list[int]]) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LANDSCAPE_")}
        env.update({"LANDSCAPE_DATA_DIR": str(settings.data_dir), "HF_HUB_OFFLINE": "1"})
        landscape = str(Path(sys.executable).parent / "landscape")
        for batch in batches:
            result = subprocess.run([landscape, "ingest", "--json", *(str(briefs[i])
                                                                       for i in batch)],
                                    env=env, capture_output=True, text=True, timeout=300)
            if result.returncode != 0 or "goes through it" not in result.stderr:
                tally.error(f"landscape ingest: {result.returncode} {result.stderr[-300:]}")
            elif json.loads(result.stdout)["added"] != len(batch):
                tally.error(f"landscape ingest added {result.stdout}")
            check_searchable(url, batch, "landscape ingest")

    batches = [list(range(start, start + BATCH)) for start in range(0, DOCUMENTS, BATCH)]
    started = time.monotonic()
    port = free_port()
    owner = acquire(settings.data_dir, "serve", url=f"http://127.0.0.1:{port}")
    try:
        app = create_app(services, owner_token=owner.info.token)
        with uvicorn_thread(app, port=port) as url:
            until = time.monotonic() + SECONDS
            workers = [threading.Thread(target=chat, args=(url, n, until)) for n in range(CHATS)]
            workers += [threading.Thread(target=upload, args=(url, batches[0::2])),
                        threading.Thread(target=cli, args=(url, batches[1::2]))]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join(timeout=SECONDS + 600)
    finally:
        owner.release()
    summary = {**dict(sorted(tally.counts.items())), "errors": len(tally.errors),
               "seconds": round(time.monotonic() - started, 1)}
    print("\nload test:", json.dumps(summary, ensure_ascii=False))
    assert tally.errors == [], tally.errors[:5]
    assert tally.counts["documents via web upload"] + tally.counts["documents via landscape "
                                                                   "ingest"] == DOCUMENTS
    assert tally.counts["searchable checks"] == DOCUMENTS
    assert tally.counts["chats"] >= CHATS  # every chat ran, most of them many times
