"""Replicas on real parts, all on 127.0.0.1: PostgreSQL (initdb in a temp dir), `chroma run`,
two `landscape serve` replicas and one `landscape slack --http`, as separate processes.

The same Slack event delivered to every replica, and retried, is answered once; feedback given
on both replicas lands in one export; a document uploaded to replica A answers a question on
replica B; kill -9 of a replica mid-stream leaves the other answering; a PostgreSQL restart
makes requests fail with a clear sentence for its duration, and they recover after.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import httpx
from conftest import SEEDS
from fake_llm import FakeLLM, Reply, is_answer_request
from fake_slack import BOT_USER, FakeSlack
from servers import Postgres, free_port, postgres
from test_slack import SECRET, Harness

from ui.localservers import chroma_server, running

LANDSCAPE = str(Path(sys.executable).parent / "landscape")
LUMA = "Luma AI 9月的访问量是多少？"
GOOD = "据SimilarWeb统计，Luma AI网站在9月的总访问量仅为1181万次[1]。"


def ask(url: str, question: str = LUMA) -> httpx.Response:
    return httpx.post(url + "/v1/chat/completions", timeout=60,
                      json={"model": "landscape", "messages": [{"role": "user",
                                                                "content": question}]})


def test_replicas_on_postgres_and_a_chroma_server(tmp_path: Path) -> None:
    from gradio_client import Client, handle_file

    with ExitStack() as stack:
        pg: Postgres = stack.enter_context(postgres(tmp_path / "pg"))
        chroma_port = stack.enter_context(chroma_server(tmp_path / "chroma",
                                                        tmp_path / "chroma.log"))
        llm = stack.enter_context(FakeLLM())
        llm.router = lambda body: Reply(GOOD, token_delay=0.15, token_chars=2) \
            if is_answer_request(body) else Reply("")
        slack_api = stack.enter_context(FakeSlack())

        def env(name: str) -> dict[str, str]:
            environment = {k: v for k, v in os.environ.items()
                           if not k.startswith(("LANDSCAPE_", "SLACK_"))}
            environment.update({
                "HF_HUB_OFFLINE": "1", "LANDSCAPE_DATA_DIR": str(tmp_path / name),
                "LANDSCAPE_CHROMA_HOST": "127.0.0.1", "LANDSCAPE_CHROMA_PORT": str(chroma_port),
                "LANDSCAPE_DATABASE_URL": pg.url, "LANDSCAPE_LLM": "openai",
                "LANDSCAPE_OPENAI_BASE_URL": llm.base_url, "LANDSCAPE_LLM_TIMEOUT": "20",
                "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SECRET,
                "LANDSCAPE_SLACK_API_URL": slack_api.api_url,
            })
            return environment

        subprocess.run([LANDSCAPE, "ingest", str(SEEDS)], env=env("seed"), check=True,
                       capture_output=True)
        urls, procs = [], []
        for name in ("a", "b"):
            port = free_port()
            procs.append(stack.enter_context(running(
                [LANDSCAPE, "serve", "--host", "127.0.0.1", "--port", str(port)],
                tmp_path / f"{name}.log", f"http://127.0.0.1:{port}/healthz", env(name))))
            urls.append(f"http://127.0.0.1:{port}")
        slack_port = free_port()
        stack.enter_context(running(
            [LANDSCAPE, "slack", "--http", "--host", "127.0.0.1", "--port", str(slack_port)],
            tmp_path / "c.log", f"http://127.0.0.1:{slack_port}/healthz", env("c")))
        a, b = urls

        # one Slack event, delivered to every replica at once, then retried: one answer
        receivers = [Harness(slack_api, url, None) for url in
                     (a, b, f"http://127.0.0.1:{slack_port}")]  # type: ignore[arg-type]
        body, event = receivers[0].event(f"<@{BOT_USER}> {LUMA}", event_id="EvReplicated")
        threads = [threading.Thread(target=r.post, args=(body,)) for r in receivers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert receivers[1].post(body, headers={"X-Slack-Retry-Num": "1",
                                                "X-Slack-Retry-Reason": "http_timeout"}) == 200
        reply = receivers[0].final_reply("C1", event["ts"], timeout=90)
        time.sleep(2)
        assert "1181万次" in json.dumps(reply["blocks"], ensure_ascii=False)
        answers = [c for c in slack_api.calls_to("chat.postMessage")
                   if c.get("thread_ts") == event["ts"]]
        assert len(answers) == 1, answers

        # feedback on both replicas: one export holds both
        for url in (a, b):
            client = Client(url + "/", verbose=False)
            client.predict(LUMA, [], 5, False, api_name="/ask")
            client.predict("", api_name="/thumbs_down")
        out = tmp_path / "cases.jsonl"
        exported = subprocess.run([LANDSCAPE, "feedback", "export", "--out", str(out)],
                                  env=env("export"), capture_output=True, text=True)
        assert exported.returncode == 0, exported.stderr
        assert len(out.read_text().splitlines()) == 2

        # a document uploaded to A answers on B within seconds
        brief = tmp_path / "replica-brief.md"
        brief.write_text("# 内部简报\n\n阶跃星辰在2024年12月发布了Step-2万亿参数模型，"
                         "定价为每百万tokens 38元。\n", encoding="utf-8")
        status = Client(a + "/", verbose=False).predict([handle_file(str(brief))],
                                                        api_name="/upload")
        assert "1 file(s) ready" in status
        llm.router = lambda body: Reply("Step-2模型的定价为每百万tokens 38元[1]。")
        deadline = time.monotonic() + 15
        while True:
            extra = ask(b, "阶跃星辰的Step-2模型定价是多少？").json()
            if any(c["source"].endswith("replica-brief.md") for c in extra["citations"]):
                break
            assert time.monotonic() < deadline, extra
            time.sleep(1)

        # kill -9 of replica A mid-stream: B keeps answering
        llm.router = lambda body: Reply(GOOD * 3, token_delay=0.2, token_chars=2) \
            if is_answer_request(body) else Reply("")
        got_first = threading.Event()

        def stream_from_a() -> None:
            try:
                with httpx.stream("POST", a + "/v1/chat/completions", timeout=60, json={
                        "model": "landscape", "stream": True,
                        "messages": [{"role": "user", "content": LUMA}]}) as response:
                    for line in response.iter_lines():
                        if '"content": "' in line and '"content": ""' not in line:
                            got_first.set()
            except httpx.HTTPError:
                pass  # the replica died under it: the client sees a cut stream

        streaming = threading.Thread(target=stream_from_a)
        streaming.start()
        assert got_first.wait(30)
        procs[0].send_signal(signal.SIGKILL)
        streaming.join(timeout=30)
        reply_b = ask(b)
        assert reply_b.status_code == 200
        assert "1181万次" in reply_b.json()["choices"][0]["message"]["content"]

        # PostgreSQL restart: a clear 503 while it is down, answers again after
        pg.stop()
        down = ask(b)
        assert down.status_code == 503
        assert "shared database" in down.json()["error"]["message"]
        pg.start()
        deadline = time.monotonic() + 15  # the pool reconnects within its back-off
        while (status := ask(b).status_code) != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert status == 200

