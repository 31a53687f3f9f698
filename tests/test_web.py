"""The web chat and the HTTP API, driven by clients nobody here wrote: gradio_client, the
official openai SDK, and a real headless Chromium."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import browser_page, landscape_serve, uvicorn_thread
from typer.testing import CliRunner

from agent.pipeline import Agent
from index.corpus import Corpus
from index.errors import LoadError
from ui.feedback import FeedbackStore
from ui.services import Services, safe_upload_name

LUMA = "Luma AI 9月的访问量是多少？"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`landscape serve` on an empty data dir: it ingests the seeds, then serves."""
    data_dir = tmp_path_factory.mktemp("served") / "data"
    log = data_dir.parent / "serve.log"
    with landscape_serve(data_dir, log) as url:
        yield url, data_dir
    assert "first start: 2 added" in log.read_text()


def test_gradio_client_gets_a_streamed_answer_with_valid_citations(served) -> None:
    from gradio_client import Client

    url, data_dir = served
    client = Client(url + "/", verbose=False)
    job = client.submit(LUMA, [], 5, False, api_name="/ask")
    updates = list(job)
    chat, _, sources, _ = job.result()
    assert len(updates) >= 2  # the placeholder, then the answer
    answer = chat[-1]["content"]
    answer = answer if isinstance(answer, str) else answer[0]["text"]
    assert "1181万次" in answer and "[[1]](#src-1)" in answer
    assert "<mark>" in sources and "1181万次" in sources and "科技新知" in sources
    follow = client.predict("它在9月环比下跌了多少？", chat, 5, False, api_name="/ask")
    text = follow[0][-1]["content"]
    assert "38.49%" in (text if isinstance(text, str) else text[0]["text"])


def test_openai_client_against_v1(served) -> None:
    from openai import OpenAI

    url, _ = served
    client = OpenAI(base_url=url + "/v1", api_key="unused")
    completion = client.chat.completions.create(
        model="landscape", messages=[{"role": "user", "content": LUMA}]
    )
    assert "1181万次" in (completion.choices[0].message.content or "")
    extra = completion.model_extra or {}
    assert extra["refused"] is False and extra["citations"][0]["quote"]
    stream = client.chat.completions.create(
        model="landscape", stream=True,
        messages=[{"role": "user", "content": "What is the capital of Australia?"}],
    )
    text, last = "", None
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            text += chunk.choices[0].delta.content
        last = chunk
    assert text.startswith("The documents don't cover")
    assert last is not None and (last.model_extra or {})["refused"] is True
    assert urllib.request.urlopen(url + "/healthz").status == 200


def test_api_rejects_bad_requests_with_openai_errors(served) -> None:
    url, _ = served
    for body, status, text in [
        ({"model": "x", "messages": [{"role": "user", "content": "问" * 3000}]}, 400, "under"),
        ({"model": "x", "messages": [{"role": "user", "content": "  "}]}, 400, "empty"),
        ({"model": "x", "messages": []}, 400, "messages"),
        ({"model": "x"}, 400, "messages"),
    ]:
        request = urllib.request.Request(
            url + "/v1/chat/completions", data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(request)
        assert caught.value.code == status
        assert text in json.loads(caught.value.read())["error"]["message"]


def test_gradio_serves_no_file_outside_the_data_dir(served) -> None:
    url, _ = served
    readme = Path(__file__).resolve().parent.parent / "README.md"
    for path in ("/etc/passwd", str(readme)):
        for route in ("/gradio_api/file=", "/file="):
            try:
                with urllib.request.urlopen(url + route + path) as response:
                    body = response.read()
                    assert b"root:" not in body and b"landscape" not in body[:200]
            except urllib.error.HTTPError as error:
                assert error.code in (403, 404)


def test_browser_chat_sources_and_upload(served, tmp_path: Path) -> None:
    url, _ = served
    note = tmp_path / "internal-brief.md"
    note.write_text(
        "# 内部简报：阶跃星辰\n\n阶跃星辰在2024年12月发布了Step-2万亿参数模型，"
        "主打长文本推理，定价为每百万tokens 38元。\n",
        encoding="utf-8",
    )
    with browser_page(url + "/") as page:
        page.fill("#question textarea", LUMA)
        page.click("#send")
        page.locator("#chat").get_by_text("1181万次").first.wait_for(timeout=60_000)
        page.screenshot(path=str(tmp_path / "answer.png"), full_page=True)
        panel = page.locator("#sources")
        if not panel.is_visible():
            page.get_by_text("Sources", exact=True).first.click()
        panel.locator("mark").first.wait_for(timeout=10_000)
        assert "1181万次" in panel.locator("mark").first.inner_text()
        page.screenshot(path=str(tmp_path / "sources.png"), full_page=True)

        page.get_by_text("Upload documents", exact=True).click()
        page.locator("#upload input[type=file]").set_input_files(str(note))
        page.wait_for_timeout(1000)
        page.click("#ingest")
        page.locator("#upload-status").get_by_text("ready to search").wait_for(
            timeout=60_000)
        page.fill("#question textarea", "阶跃星辰的Step-2模型定价是多少？")
        page.click("#send")
        page.locator("#chat").get_by_text("38元").first.wait_for(timeout=60_000)
        page.locator("#sources").get_by_text("internal-brief.md").first.wait_for(
            timeout=10_000)
        page.screenshot(path=str(tmp_path / "upload.png"), full_page=True)
    assert (tmp_path / "answer.png").stat().st_size > 10_000


def test_browser_shows_bad_input_as_sentences(served, tmp_path: Path) -> None:
    url, _ = served
    too_big = tmp_path / "too-big.md"
    too_big.write_bytes(b"a" * 25_000_000)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type")
    with browser_page(url + "/") as page:
        page.fill("#question textarea", "🤖🔥💯")
        page.click("#send")
        page.locator("#chat").get_by_text("has no words to search for").first.wait_for(
            timeout=30_000)
        page.get_by_text("Upload documents", exact=True).click()
        page.locator("#upload input[type=file]").set_input_files(str(too_big))
        page.get_by_text("exceed the maximum allowed size").first.wait_for(timeout=30_000)
        page.reload()
        page.wait_for_selector("#question textarea", timeout=30_000)
        page.get_by_text("Upload documents", exact=True).click()
        page.locator("#upload input[type=file]").set_input_files(str(broken))
        page.wait_for_timeout(1000)
        page.click("#ingest")
        status = page.locator("#upload-status")
        status.get_by_text("not a readable PDF, perhaps truncated").wait_for(timeout=30_000)
        assert "Traceback" not in page.locator("body").inner_text()


def test_uploads_are_checked_and_kept_in_the_data_dir(make_corpus, tmp_path: Path) -> None:
    corpus: Corpus = make_corpus()
    services = Services(corpus.settings, corpus, Agent(corpus),
                        FeedbackStore(corpus.settings.data_dir / "feedback.sqlite"))
    assert safe_upload_name("../../etc/passwd") == "passwd"
    assert safe_upload_name("/abs/path/报告 2024.md") == "报告_2024.md"
    good = tmp_path / "x.md"
    good.write_text("# t\n\n内容", encoding="utf-8")
    stored = services.store_upload(good, "../../escape.md")
    assert stored.parent == corpus.settings.data_dir / "uploads" and stored.name == "escape.md"
    with pytest.raises(LoadError, match="unsupported file type '.exe'"):
        services.store_upload(good, "tool.exe")
    big = tmp_path / "big.md"
    big.write_bytes(b"a" * 21_000_001)
    with pytest.raises(LoadError, match="over the 20 MB upload limit"):
        services.store_upload(big, "big.md")


def test_api_key_and_feedback_export_round_trip(make_corpus, tmp_path: Path, monkeypatch):
    from openai import AuthenticationError, OpenAI

    from ui.cli import app
    from ui.server import create_app

    corpus: Corpus = make_corpus(api_key="s3cret")
    from conftest import SEEDS

    from index.ingest import ingest_paths

    ingest_paths(corpus, [SEEDS])
    feedback = FeedbackStore(corpus.settings.data_dir / "feedback.sqlite")
    services = Services(corpus.settings, corpus, Agent(corpus), feedback)
    with uvicorn_thread(create_app(services)) as url:
        with pytest.raises(AuthenticationError):
            OpenAI(base_url=url + "/v1", api_key="wrong").chat.completions.create(
                model="landscape", messages=[{"role": "user", "content": LUMA}])
        good = OpenAI(base_url=url + "/v1", api_key="s3cret").chat.completions.create(
            model="landscape", messages=[{"role": "user", "content": LUMA}])
        assert "1181万次" in (good.choices[0].message.content or "")

    answer = services.agent.answer("李少红导演的AI短片叫什么名字？")
    feedback.record(channel="web", question=answer.question, answer=answer.answer, rating=-1,
                    language=answer.language, comment="should name the film")
    feedback.record(channel="web", question=LUMA, answer="fine", rating=1)
    monkeypatch.setenv("LANDSCAPE_DATA_DIR", str(corpus.settings.data_dir))
    out = tmp_path / "regressions.jsonl"
    result = CliRunner().invoke(app, ["feedback", "export", "--out", str(out)])
    assert result.exit_code == 0 and "1 thumbs-down case" in result.stdout
    [case] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert case["question"] == "李少红导演的AI短片叫什么名字？"
    evaluated = CliRunner().invoke(
        app, ["eval", "--questions", str(out), "--backend", "extractive", "--json"]
    )
    assert evaluated.exit_code == 0, evaluated.output
    metrics = json.loads(evaluated.stdout)["metrics"]
    assert metrics["citation_validity"] == 1.0 and metrics["false_refusal"] == 0.0


def test_unreachable_llm_gives_a_friendly_note_and_login_is_enforced(make_corpus, make_settings):
    from conftest import SEEDS
    from gradio_client import Client
    from servers import free_port

    from index.ingest import ingest_paths
    from ui.server import create_app

    corpus: Corpus = make_corpus()
    ingest_paths(corpus, [SEEDS])
    dead = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    settings = make_settings(data_dir=corpus.settings.data_dir, llm="openai",
                             openai_base_url=dead, llm_retries=0, ui_auth="staff:pa55word")
    services = Services(settings, corpus, Agent(corpus, backend="openai", settings=settings),
                        FeedbackStore(settings.data_dir / "feedback.sqlite"))
    with uvicorn_thread(create_app(services)) as url:
        with pytest.raises(Exception):  # noqa: B017 - the client's own error for a login wall
            Client(url + "/", verbose=False)
        client = Client(url + "/", auth=("staff", "pa55word"), verbose=False)
        chat, *_ = client.predict(LUMA, [], 5, False, api_name="/ask")
    text = chat[-1]["content"]
    text = text if isinstance(text, str) else text[0]["text"]
    assert "语言模型暂时不可用" in text and "cannot connect" in text
    assert "1181万次" in text and "Traceback" not in text


def _ask(url: str, key: str) -> None:
    from openai import OpenAI

    OpenAI(base_url=url + "/v1", api_key=key, max_retries=0).chat.completions.create(
        model="landscape", messages=[{"role": "user", "content": LUMA}])


def test_api_rate_limits_each_identity_not_each_bearer_value(make_corpus, make_settings) -> None:
    """Without keys a client is its address: a made-up bearer value earns no new bucket. With
    named keys (LANDSCAPE_API_KEYS) each key is one client with a bucket of its own."""
    from openai import AuthenticationError, RateLimitError

    from ui.server import create_app

    corpus: Corpus = make_corpus(rate_limit_per_minute=6)
    services = Services(corpus.settings, corpus, Agent(corpus),
                        FeedbackStore(corpus.settings.data_dir / "feedback.sqlite"))
    with uvicorn_thread(create_app(services)) as url:
        for i in range(5):  # the burst, each request with a fresh random bearer value
            _ask(url, f"random-{i}")
        with pytest.raises(RateLimitError) as caught:
            _ask(url, "yet-another-random-value")
        assert int(caught.value.response.headers["Retry-After"]) >= 1

    settings = make_settings(data_dir=corpus.settings.data_dir, rate_limit_per_minute=6,
                             api_keys="research:key-research-1,sales:key-sales-22")
    services = Services(settings, corpus, Agent(corpus, settings=settings),
                        FeedbackStore(settings.data_dir / "feedback.sqlite"))
    with uvicorn_thread(create_app(services)) as url:
        for _ in range(5):
            _ask(url, "key-research-1")
        with pytest.raises(RateLimitError):
            _ask(url, "key-research-1")
        _ask(url, "key-sales-22")  # another team's key: its own bucket
        with pytest.raises(AuthenticationError):
            _ask(url, "key-research-2")  # near miss of a real key


def test_rate_limit_buckets_are_bounded_and_refilled_ones_evicted() -> None:
    from ui.ratelimit import RateLimiter

    limiter = RateLimiter(per_minute=60_000, burst=5, max_clients=100)
    for i in range(1000):
        assert limiter.allow(f"client-{i}") == 0.0
    assert len(limiter) <= 100  # never more buckets than the bound
    slow = RateLimiter(per_minute=1, burst=2, max_clients=3)
    for name in ("a", "a", "b", "c", "d"):
        slow.allow(name)
    assert len(slow) == 3 and slow.allow("a") == 0.0  # "a" was the least recent: evicted
