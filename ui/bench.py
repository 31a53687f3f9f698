"""``landscape bench``: speed against what a user would build instead, in one run.

Corpora of about 1k, 10k and 100k chunks are the seeds plus the haystack distractors,
replicated under distinct paths (so distinct doc ids) to reach the size; they are cached in the
bench directory between runs. Prints a table and writes JSON.
"""

from __future__ import annotations

import html
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from agent.pipeline import Agent
from index.corpus import Corpus, make_embedder
from index.embeddings import EmbeddingCache
from index.evaluate import EvalCase, gold_rank, load_cases, retrieval_query
from index.ingest import ingest_paths
from index.search import hybrid_search
from index.settings import Settings, load_settings
from index.store import make_client
from index.tokenize import tokenize
from ui.localservers import wait_http

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
CHUNKS_PER_HAYSTACK_FILE = 6.5


def machine() -> dict[str, Any]:
    """What the numbers were measured on: CPU model, cores, memory."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    return {"cpu": cpu, "cores": os.cpu_count() or 0, "memory_gb": round(memory, 1)}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))
    return ordered[index]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def lay_out_files(target: int, root: Path, seeds: Path, haystack: Path) -> Path:
    """seeds/ plus enough haystack copies (rep0, rep1, ...) for about ``target`` chunks."""
    files = sorted(haystack.glob("*.md"))
    wanted = max(1, int(target / CHUNKS_PER_HAYSTACK_FILE))
    tree = root / "files"
    marker = tree / f".complete-{wanted}"
    if marker.exists():
        return tree
    shutil.rmtree(tree, ignore_errors=True)
    shutil.copytree(seeds, tree / "seeds")
    for n in range(wanted):
        replica, index = divmod(n, len(files))
        target_dir = tree / f"rep{replica}"
        target_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(files[index], target_dir / files[index].name)
    marker.touch()
    return tree


class LangChainEmbeddings:
    """The same sentence-transformers model, behind LangChain's Embeddings interface."""

    def __init__(self, corpus: Corpus) -> None:
        self.embedder = corpus.embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_documents(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text).tolist()


def stock_langchain_hybrid(corpus: Corpus, k: int) -> Any:
    """What a user would assemble: BM25Retriever (rank_bm25, with jieba, since the text is
    Chinese) + Chroma's vector-store retriever, fused by EnsembleRetriever."""
    from langchain_chroma import Chroma
    from langchain_classic.retrievers import EnsembleRetriever
    from langchain_community.retrievers import BM25Retriever
    from langchain_core.documents import Document

    documents = [Document(page_content=text or "", metadata={"id": cid})
                 for cid, _, text in corpus.store.iter_chunks()]
    bm25 = BM25Retriever.from_documents(documents, preprocess_func=lru_cache(None)(tokenize),
                                        k=k)
    vectors = Chroma(client=corpus.client, collection_name=corpus.store.chunks_name,
                     embedding_function=LangChainEmbeddings(corpus))  # type: ignore[arg-type]
    return EnsembleRetriever(retrievers=[bm25, vectors.as_retriever(search_kwargs={"k": k})],
                             weights=[0.5, 0.5])


def time_calls(fn: Callable[[str], list[str]], cases: list[EvalCase], repeats: int,
               k: int) -> dict[str, float]:
    """Latency percentiles (ms) and recall@k of ``fn(query) -> texts``."""
    latencies: list[float] = []
    hits = scored = 0
    for repeat in range(repeats):
        for case in cases:
            started = time.perf_counter()
            texts = fn(retrieval_query(case))
            latencies.append((time.perf_counter() - started) * 1000)
            if repeat == 0 and case.gold:
                scored += 1
                rank = gold_rank(case.gold, texts[:k])
                hits += rank is not None and rank <= k
    return {
        "p50_ms": round(percentile(latencies, 50), 2),
        "p95_ms": round(percentile(latencies, 95), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        f"recall@{k}": round(hits / scored, 4) if scored else float("nan"),
    }


class InstantLLM:
    """An OpenAI-compatible server that streams a one-sentence reply at once."""

    REPLY = "据SimilarWeb统计,Luma AI网站在9月的总访问量仅为1181万次[1]。"

    def __init__(self) -> None:
        reply = self.REPLY

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                chunks = [{"choices": [{"index": 0, "delta": {"content": reply}}]},
                          {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}]
                body = "".join(
                    "data: " + json.dumps({"id": "x", "object": "chat.completion.chunk",
                                           "created": 0, "model": "instant", **c}) + "\n\n"
                    for c in chunks
                ) + "data: [DONE]\n\n"
                payload = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def agent_overhead(corpus: Corpus, settings: Settings, cases: list[EvalCase],
                   repeats: int) -> dict[str, float]:
    llm = InstantLLM()
    try:
        llm_settings = settings.model_copy(update={"llm": "openai",
                                                   "openai_base_url": llm.base_url})
        agent = Agent(corpus, backend="openai", settings=llm_settings)
        offline = Agent(corpus, backend="extractive", settings=settings)
        first_token: list[float] = []
        extractive: list[float] = []
        for _ in range(repeats):
            for case in cases:
                started = time.perf_counter()
                for event in agent.stream(case.question):
                    if event.kind == "token":
                        first_token.append((time.perf_counter() - started) * 1000)
                        break
                started = time.perf_counter()
                offline.answer(case.question)
                extractive.append((time.perf_counter() - started) * 1000)
    finally:
        llm.close()
    return {
        "first_token_p50_ms": round(percentile(first_token, 50), 1),
        "first_token_p95_ms": round(percentile(first_token, 95), 1),
        "extractive_p50_ms": round(percentile(extractive, 50), 1),
        "extractive_p95_ms": round(percentile(extractive, 95), 1),
    }


def _serve(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANDSCAPE_")}
    env.update({"LANDSCAPE_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1",
                "LANDSCAPE_RATE_LIMIT_PER_MINUTE": "0"})  # a load test is one client
    landscape = Path(sys.executable).parent / "landscape"
    return subprocess.Popen([str(landscape), "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def serve_checks(data_dir: Path, cases: list[EvalCase], repeats: int,
                 concurrency: int = 20) -> dict[str, float]:
    """Cold start of `landscape serve` to a ready page; concurrent streaming chats via /v1."""
    from openai import OpenAI

    port = 17860
    starts = []
    for _ in range(repeats):
        started = time.perf_counter()
        proc = _serve(data_dir, port)
        try:
            wait_http(f"http://127.0.0.1:{port}/", 120, every=0.05)  # cold start, to 50 ms
            starts.append(time.perf_counter() - started)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    proc = _serve(data_dir, port)
    latencies: list[float] = []
    failures = 0
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", 120, every=0.05)
        client = OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="bench", timeout=60)
        client.chat.completions.create(  # the server warms up in the background; wait for it
            model="landscape", messages=[{"role": "user", "content": "warm up Luma AI"}])
        lock = threading.Lock()

        def chat(question: str) -> None:
            nonlocal failures
            started = time.perf_counter()
            try:
                text = ""
                for chunk in client.chat.completions.create(
                    model="landscape", stream=True,
                    messages=[{"role": "user", "content": question}],
                ):
                    if chunk.choices and chunk.choices[0].delta.content:
                        text += chunk.choices[0].delta.content
                ok = bool(text)
            except Exception:  # noqa: BLE001 - counted, not raised
                ok = False
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
                failures += not ok

        threads = [threading.Thread(target=chat, args=(cases[i % len(cases)].question,))
                   for i in range(concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        serve_rss = _peak_rss_of(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return {
        "cold_start_s": round(statistics.median(starts), 2),
        "concurrent_chats": concurrency,
        "concurrent_failures": failures,
        "concurrent_p95_ms": round(percentile(latencies, 95), 1),
        "serve_peak_rss_mb": serve_rss,
    }


def _peak_rss_of(pid: int) -> float:
    """Peak resident memory (VmHWM) of a running process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 0)
    return float("nan")


def _loaded_corpus(settings: Settings, cache: Path) -> Corpus:
    """A corpus whose embedding model is loaded before any clock starts."""
    embedder = make_embedder(settings, EmbeddingCache(cache), make_client(settings))
    embedder.embed_query("load the model before the clock starts")
    return Corpus(settings, embedder=embedder)


def bench_size(label: str, root: Path, seeds: Path, haystack: Path, cases: list[EvalCase],
               repeats: int, k: int, with_serve: bool) -> dict[str, Any]:
    target = SIZES[label]
    settings = load_settings(data_dir=root / label / "data")
    tree = lay_out_files(target, root / label, seeds, haystack)
    corpus = _loaded_corpus(settings, root / "embedding-cache.sqlite")
    build_file = root / label / "ingest.json"
    if build_file.exists() and corpus.store.count_chunks():
        build = json.loads(build_file.read_text())
    else:
        started_rss = peak_rss_mb()
        report = ingest_paths(corpus, [tree])
        build = {
            "chunks": report.chunks, "documents": report.added,
            "ingest_chunks_per_s": round(report.chunks / report.seconds, 1),
            "ingest_embed_share": round(report.embed_seconds / report.seconds, 3),
            "ingest_embedded": report.embedded, "ingest_seconds": round(report.seconds, 1),
            "rss_before_mb": round(started_rss, 0),
        }
        build_file.write_text(json.dumps(build))
    again = ingest_paths(corpus, [tree])
    documents = again.skipped
    result: dict[str, Any] = {"size": label, **build,
                              "chunks_in_store": corpus.store.count_chunks(),
                              "reingest_s_per_1000_docs": round(again.seconds / documents * 1000,
                                                                3)}
    corpus.sync(now=True)
    for warm in ("warm up 豆包", "warm up Kling images"):  # dictionaries load once per process
        hybrid_search(corpus, warm, k=k)
    ours = time_calls(lambda q: [r.text for r in hybrid_search(corpus, q, k=k)], cases, repeats,
                      k)
    stock_retriever = stock_langchain_hybrid(corpus, k)
    stock = time_calls(lambda q: [d.page_content for d in stock_retriever.invoke(q)], cases,
                       repeats, k)
    result["ours"] = ours
    result["langchain"] = stock
    result["speedup_p50"] = round(stock["p50_ms"] / ours["p50_ms"], 1)
    result.update(agent_overhead(corpus, settings, cases, repeats))
    if with_serve:
        result.update(serve_checks(settings.data_dir, cases, repeats))
    result["peak_rss_mb"] = round(peak_rss_mb(), 0)
    return result


def run(sizes: list[str], root: Path, out: Path, repeats: int, k: int,
        shared: Path) -> Iterator[dict[str, Any]]:
    seeds = load_settings().seeds_dir
    cases = load_cases(shared / "eval" / "dev.jsonl")
    for position, label in enumerate(sizes):
        yield bench_size(label, root, seeds, shared / "corpus" / "haystack", cases, repeats, k,
                         with_serve=position == len(sizes) - 1 or label == "10k")


def table(rows: list[dict[str, Any]]) -> str:
    columns = [
        ("size", lambda r: r["size"]),
        ("chunks", lambda r: r["chunks_in_store"]),
        ("ingest/s", lambda r: r["ingest_chunks_per_s"]),
        ("embed%", lambda r: f"{r['ingest_embed_share'] * 100:.0f}"),
        ("reingest s/1k docs", lambda r: r["reingest_s_per_1000_docs"]),
        ("ours p50/p95/p99 ms", lambda r: "/".join(str(r["ours"][x]) for x in
                                                    ("p50_ms", "p95_ms", "p99_ms"))),
        ("LangChain p50/p95/p99 ms", lambda r: "/".join(str(r["langchain"][x]) for x in
                                                         ("p50_ms", "p95_ms", "p99_ms"))),
        ("speed-up", lambda r: f"{r['speedup_p50']}x"),
        ("recall@5 ours/LC", lambda r: f"{r['ours']['recall@5']}/{r['langchain']['recall@5']}"),
        ("1st token p95 ms", lambda r: r["first_token_p95_ms"]),
        ("extractive p50 ms", lambda r: r["extractive_p50_ms"]),
        ("cold start s", lambda r: r.get("cold_start_s", "-")),
        ("20 chats fail/p95 ms", lambda r: f"{r['concurrent_failures']}/"
         f"{r['concurrent_p95_ms']}" if "concurrent_failures" in r else "-"),
        ("serve RSS MB", lambda r: r.get("serve_peak_rss_mb", "-")),
    ]
    lines = ["| " + " | ".join(name for name, _ in columns) + " |",
             "|" + "---|" * len(columns)]
    for row in rows:
        lines.append("| " + " | ".join(str(get(row)) for _, get in columns) + " |")
    return "\n".join(lines)


def _stream_chat(url: str, question: str) -> bool:
    """One streamed chat through /v1; whether it ended with a final answer."""
    import httpx

    body = {"model": "landscape", "stream": True,
            "messages": [{"role": "user", "content": question}]}
    try:
        with httpx.stream("POST", f"{url}/v1/chat/completions", json=body,
                          timeout=120) as response:
            return response.status_code == 200 and any(
                '"answer"' in line for line in response.iter_lines())
    except httpx.HTTPError:
        return False


def _load(urls: list[str], questions: list[str], chats: int, rounds: int) -> dict[str, float]:
    """``chats`` concurrent streaming chats, each asking ``rounds`` questions, spread over the
    replicas round-robin: answers per second, p50/p95 latency, failures."""
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()

    def client(n: int) -> None:
        nonlocal failures
        for r in range(rounds):
            url = urls[(n + r) % len(urls)]
            started = time.perf_counter()
            ok = _stream_chat(url, questions[(n * rounds + r) % len(questions)])
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
                failures += not ok

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(chats)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {"answers_per_s": round(len(latencies) / wall, 1),
            "p50_ms": round(percentile(latencies, 50), 1),
            "p95_ms": round(percentile(latencies, 95), 1), "failures": failures}


def replica_scenario(root: Path, seeds: Path, haystack: Path, cases: list[EvalCase],
                     chats: int = 40, rounds: int = 3, documents: int = 300) -> dict[str, Any]:
    """1 replica, then 2, of `landscape serve` on one `chroma run` and one PostgreSQL (both
    started here on 127.0.0.1): throughput and p95 of ``chats`` concurrent streaming chats."""
    from ui.localservers import LocalPostgres, chroma_server, free_port

    root.mkdir(parents=True, exist_ok=True)
    landscape = str(Path(sys.executable).parent / "landscape")
    replicas: list[subprocess.Popen[bytes]] = []
    pg = LocalPostgres(root / "pg")
    try:
        with chroma_server(root / "chroma", root / "chroma.log") as chroma_port:

            def env(name: str) -> dict[str, str]:
                environment = {k: v for k, v in os.environ.items()
                               if not k.startswith("LANDSCAPE_")}
                environment.update({"LANDSCAPE_DATA_DIR": str(root / name),
                                    "HF_HUB_OFFLINE": "1", "LANDSCAPE_CHROMA_HOST": "127.0.0.1",
                                    "LANDSCAPE_CHROMA_PORT": str(chroma_port),
                                    "LANDSCAPE_DATABASE_URL": pg.url,
                                    "LANDSCAPE_RATE_LIMIT_PER_MINUTE": "0"})
                return environment

            files = sorted(haystack.glob("*.md"))[:documents]
            subprocess.run([landscape, "ingest", str(seeds), *map(str, files)],
                           env=env("ingest"), check=True, capture_output=True)
            urls: list[str] = []
            results: dict[str, Any] = {"chats": chats, "rounds": rounds,
                                       "documents": documents + 2}
            questions = [case.question for case in cases]
            for n in (1, 2):
                port = free_port()
                replicas.append(subprocess.Popen(
                    [landscape, "serve", "--host", "127.0.0.1", "--port", str(port)],
                    env=env(f"replica{n}"), stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL))
                urls.append(f"http://127.0.0.1:{port}")
                wait_http(f"{urls[-1]}/healthz", 180, replicas[-1])
                _stream_chat(urls[-1], "warm up Luma AI")
                results[f"replicas_{n}"] = _load(urls, questions, chats, rounds)
            for proc in replicas:  # before the Chroma server they use goes away
                proc.terminate()
                proc.wait(timeout=20)
            return results
    finally:
        for proc in replicas:
            if proc.poll() is None:
                proc.kill()
        pg.close()


def sync_scenario(root: Path, haystack: Path, items: int = 200) -> dict[str, Any]:
    """A feed of ``items`` pages (haystack texts) on a local HTTP server: the first sync, then
    a second one with nothing new, with and without the server's ETag support."""
    from datetime import UTC, datetime
    from email.utils import format_datetime

    from index.settings import load_settings
    from ui.sources import Sources
    from ui.state import Database

    texts = [p.read_text(encoding="utf-8") for p in sorted(haystack.glob("*.md"))[:items]]
    etag = {"on": True}
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, body: bytes, kind: str, extra: dict[str, str]) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for key, value in extra.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802
            requests.append(self.path)
            base = f"http://{self.headers['Host']}"
            if self.path == "/feed.xml":
                if etag["on"] and self.headers.get("If-None-Match") == '"v1"':
                    self._send(304, b"", "application/rss+xml", {})
                    return
                stamp = format_datetime(datetime(2024, 6, 1, tzinfo=UTC))
                entries = "".join(
                    f"<item><title>item {i}</title><link>{base}/item/{i}</link>"
                    f"<guid>{i}</guid><pubDate>{stamp}</pubDate></item>"
                    for i in range(len(texts)))
                body = ('<?xml version="1.0"?><rss version="2.0"><channel><title>bench</title>'
                        f"{entries}</channel></rss>").encode()
                self._send(200, body, "application/rss+xml",
                           {"ETag": '"v1"'} if etag["on"] else {})
            elif self.path.startswith("/item/"):
                text = texts[int(self.path.rsplit("/", 1)[1])]
                paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n"))
                body = (f"<html><head><meta charset='utf-8'><title>item</title></head><body>"
                        f"<article>{paragraphs}</article></body></html>").encode()
                self._send(200, body, "text/html; charset=utf-8", {})
            else:
                self._send(404, b"", "text/plain", {})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    data = root / "sync"
    shutil.rmtree(data, ignore_errors=True)
    try:
        settings = load_settings(data_dir=data, fetch_delay_s=0.0)
        sources = Sources(Database(f"sqlite:///{data / 'state.sqlite'}"), Corpus(settings))
        sources.add(f"http://127.0.0.1:{server.server_address[1]}/feed.xml", name="bench")
        rows: dict[str, Any] = {"items": len(texts)}
        for label in ("first", "second (ETag: 304)", "second (no ETag: same bytes)"):
            etag["on"] = "no ETag" not in label
            before = len(requests)
            started = time.perf_counter()
            [result] = sources.sync()
            rows[label] = {"seconds": round(time.perf_counter() - started, 3),
                           "requests": len(requests) - before, "added": result.added,
                           "embedded": result.embedded, "unchanged": result.unchanged}
        return rows
    finally:
        server.shutdown()
        server.server_close()


def entity_scenario(root: Path, seeds: Path, haystack: Path, repeats: int = 5
                    ) -> dict[str, Any]:
    """The seeds and the whole haystack ingested into a fresh store with a fresh embedding
    cache: how much entity extraction adds to ingest time, then `landscape entity` latency
    (the card of each of the 50 most-mentioned entities, by name and by an alias)."""
    shutil.rmtree(root, ignore_errors=True)
    tree = root / "files"
    shutil.copytree(seeds, tree / "seeds")
    shutil.copytree(haystack, tree / "haystack")
    settings = load_settings(data_dir=root / "data")
    corpus = _loaded_corpus(settings, root / "embedding-cache.sqlite")
    report = ingest_paths(corpus, [tree])
    without = report.seconds - report.entity_seconds
    index = corpus.entity_index()
    names: list[str] = []
    for summary in index.entities(limit=50):
        names += [summary.name, *summary.aliases[:1]]
    timings = []
    for _ in range(repeats):
        for name in names:
            started = time.perf_counter()
            index.card(name)
            timings.append((time.perf_counter() - started) * 1000)
    stats = index.stats()
    return {
        "documents": report.added, "chunks": report.chunks,
        "ingest_seconds": round(report.seconds, 1),
        "extraction_seconds": round(report.entity_seconds, 1),
        "extraction_adds_pct": round(report.entity_seconds / without * 100, 1),
        "mentions": stats["mentions"], "relations": stats["relations"],
        "figures": stats["figures"],
        "entity_card_p50_ms": round(percentile(timings, 50), 1),
        "entity_card_p95_ms": round(percentile(timings, 95), 1),
        "entity_cards": len(timings),
    }
