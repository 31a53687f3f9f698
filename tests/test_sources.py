"""Synced sources against a real HTTP server on 127.0.0.1 that generates pages and feeds:
a 200-item feed, re-syncs that do nothing, changed and new items, every kind of bad page, and
syndicated copies of one story."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from index.corpus import Corpus
from index.search import SearchFilters, hybrid_search
from ui.cli import app
from ui.sources import Sources
from ui.state import Database

STORY = ("据多家媒体报道，星河智能今天发布了新一代视频生成模型星河-2，"
         "可以一次生成二十秒的高清视频。"
         "公司创始人表示，新模型在运镜控制和人物一致性上明显提升，生成一个五秒片段只需要三十秒。"
         "分析人士认为，视频生成赛道的竞争正在从拼参数转向拼产品体验和成本控制。") * 2


def _article(title: str, body: str, date: str, charset_meta: bool = True) -> str:
    meta = '<meta charset="utf-8">' if charset_meta else ""
    return (f"<html><head>{meta}<title>{title}</title>"
            f'<meta property="article:published_time" content="{date}T08:00:00+08:00">'
            f'<meta property="og:site_name" content="测试新闻网"></head><body>'
            f"<nav>首页 | 科技 | 财经</nav><article><h1>{title}</h1><p>{body}</p></article>"
            "<footer>版权所有</footer></body></html>")


class Site:
    """What the test server serves; tests change it between syncs."""

    def __init__(self) -> None:
        self.items: dict[int, tuple[str, str]] = {}  # i -> (body, date)
        self.requests: list[str] = []
        self.feed_etag = "v1"

    def item_body(self, i: int) -> str:
        return self.items[i][0]

    def feed(self, base: str) -> str:
        entries = []
        for i, (_, date) in sorted(self.items.items()):
            stamp = format_datetime(datetime(int(date[:4]), int(date[5:7]), int(date[8:10]), 8,
                                             tzinfo=UTC))
            entries.append(f"<item><title>条目 {i}</title><link>{base}/item/{i}</link>"
                           f"<guid>item-{i}</guid><pubDate>{stamp}</pubDate>"
                           f"<description>摘要 {i}</description></item>")
        return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                f"<title>测试源</title>{''.join(entries)}</channel></rss>")


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers do

        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, body: bytes, kind: str = "text/html; charset=utf-8",
                  headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            if kind:
                self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            site.requests.append(self.path)
            base = f"http://{self.headers['Host']}"
            path = self.path
            if path == "/robots.txt":
                self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
            elif path == "/feed.xml":
                etag = f'"{site.feed_etag}"'
                if self.headers.get("If-None-Match") == etag:
                    self._send(304, b"", "")
                    return
                self._send(200, site.feed(base).encode(), "application/rss+xml",
                           {"ETag": etag})
            elif path.startswith("/item/"):
                i = int(path.rsplit("/", 1)[1])
                body, date = site.items[i]
                self._send(200, _article(f"条目 {i}", body, date).encode())
            elif path == "/bad.xml":
                links = ["/missing", "/hang", "/huge", "/gbk", "/loop", "/private/page",
                         "/synd/a", "/synd/b", "/synd/c", "/item/0", "/trickle", "/doubled",
                         "/report.pdf"]
                port = self.headers["Host"].rsplit(":", 1)[1]
                urls = [base + link for link in links] + [f"http://localhost:{port}/item/0"]
                entries = "".join(f"<item><title>t{n}</title><link>{url}</link>"
                                  f"<guid>{url}</guid></item>" for n, url in enumerate(urls))
                self._send(200, ('<?xml version="1.0"?><rss version="2.0"><channel><title>b'
                                 f"</title>{entries}</channel></rss>").encode(),
                           "application/rss+xml")
            elif path == "/missing":
                self._send(404, b"not here " * 500)  # a body the next request must not read
            elif path == "/trickle":  # a byte at a time: never a whole read, never a timeout
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "1000")
                self.end_headers()
                for _ in range(40):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.2)
            elif path == "/doubled":  # a doubled Content-Length header ("205, 205")
                page = _article("重复头",
                                "这是一篇服务器把长度头发了两遍的文章，讲的是端侧大模型。" * 5,
                                "2024-04-04").encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)
            elif path == "/report.pdf":
                self._send(200, b"%PDF-1.4 not a page", "application/pdf")
            elif path == "/hang":
                time.sleep(3)
                self._send(200, _article("慢", STORY, "2024-01-01").encode())
            elif path == "/huge":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(60_000_000))
                self.end_headers()
                self.wfile.write(b"<html>" + b" " * 65536)
            elif path == "/gbk":
                page = _article("国标编码页面",
                                "这是一篇用国标码编写的文章，讲的是昆仑芯片的量产进度。" * 6,
                                "2024-03-05", charset_meta=False)
                self._send(200, page.encode("gbk"), "text/html")
            elif path in ("/loop", "/loop2"):
                self._send(302, b"", "", {"Location": "/loop2" if path == "/loop" else "/loop"})
            elif path.startswith("/synd/"):
                outlet = path[-1]
                body = f"（来源：{outlet}网）" + STORY + f"责任编辑：{outlet}编"
                self._send(200, _article(f"星河智能发布星河-2（{outlet}网）", body,
                                         "2024-06-01").encode())
            else:
                self._send(404, b"")

    return Handler


@pytest.fixture
def site() -> Iterator[tuple[Site, str]]:
    state = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _sources(corpus: Corpus, tmp_path: Path) -> Sources:
    return Sources(Database(f"sqlite:///{tmp_path / 'state.sqlite'}"), corpus)


def _unique(i: int) -> str:
    return f"quorvex{i:03d}"


def test_a_feed_of_200_items_syncs_resyncs_for_free_and_follows_changes(
        make_corpus: Any, tmp_path: Path, site: tuple[Site, str]) -> None:
    state, base = site
    for i in range(200):
        month = 1 + i % 12
        state.items[i] = (f"第{i}条新闻：{_unique(i)} 公司发布了第{i}代推理芯片，"
                          f"性能提升{i % 9 + 1}倍。"
                          "业内人士认为这会改变算力市场的格局。" * 2, f"2024-{month:02d}-15")
    corpus = make_corpus(fetch_delay_s=0.0)
    sources = _sources(corpus, tmp_path)
    sources.add(f"{base}/feed.xml", every="6h", name="news")

    first = sources.sync()[0]
    assert (first.added, first.updated, first.failed, first.error) == (200, 0, [], "")
    assert first.embedded > 0
    for i in range(200):  # every item searchable, with the date its page states
        hits = hybrid_search(corpus, _unique(i), k=1)
        assert hits and _unique(i) in hits[0].text, i
        assert hits[0].date == state.items[i][1], i
        assert hits[0].source == f"{base}/item/{i}"

    fetched = len(state.requests)
    started = time.perf_counter()
    second = sources.sync()[0]
    seconds = time.perf_counter() - started
    print(f"\nsecond sync of 200 unchanged items: {seconds:.3f} s, "
          f"{len(state.requests) - fetched} request(s), {second.embedded} chunks embedded")
    assert (second.added, second.updated, second.unchanged, second.embedded) == (0, 0, 200, 0)
    # robots.txt (read once per sync), then one conditional request, answered 304
    assert state.requests[fetched:] == ["/robots.txt", "/feed.xml"]

    old = state.items[7][0]
    # a changed item: its page and its feed entry (a new date) change
    state.items[7] = (f"更正：{_unique(7)} 公司的芯片推迟到明年量产。" * 3, "2024-08-20")
    state.items[200] = (f"新条目：{_unique(200)} 发布了开源模型。" * 3, "2024-12-15")
    state.feed_etag = "v2"
    third = sources.sync()[0]
    assert (third.added, third.updated, third.unchanged) == (1, 1, 199)
    assert third.embedded <= 4  # only the two documents' chunks
    hit = hybrid_search(corpus, _unique(7), k=1)[0]
    assert "推迟到明年量产" in hit.text and hit.date == "2024-08-20"
    assert not any(old[:20] in h.text for h in hybrid_search(corpus, "推理芯片 性能提升", k=50)
                   if h.source.endswith("/item/7"))
    assert hybrid_search(corpus, _unique(200), k=1)[0].date == "2024-12-15"
    listed = sources.list_sources()[0]
    assert listed["documents"] == 201 and listed["last_error"] == ""
    dated = hybrid_search(corpus, "推理芯片", k=50,
                          filters=SearchFilters(date_from="2024-12-01", date_to="2024-12-31"))
    assert dated and all(h.date.startswith("2024-12") for h in dated)


def test_bad_pages_each_get_a_reason_and_syndicated_copies_become_one_document(
        make_corpus: Any, tmp_path: Path, site: tuple[Site, str]) -> None:
    state, base = site
    state.items[0] = (f"{_unique(0)} 一条正常的新闻，讲的是大模型价格战。" * 3, "2024-02-02")
    corpus = make_corpus(fetch_delay_s=0.0, fetch_timeout_s=1.0, fetch_max_mb=20.0)
    sources = _sources(corpus, tmp_path)
    sources.add(f"{base}/bad.xml", name="mixed")
    result = sources.sync()[0]
    reasons = {f["url"].removeprefix(base): f["reason"] for f in result.failed}
    port = base.rsplit(":", 1)[1]
    assert reasons == {
        "/missing": "HTTP 404",
        "/hang": "timed out after 1 s",
        "/huge": "larger than 20 MB (60 MB)",
        "/loop": "redirects in a loop",
        "/private/page": "disallowed by robots.txt",
        "/trickle": "timed out after 3 s (still downloading)",
        "/report.pdf": "not a web page or feed (application/pdf)",
        # a feed's link to another local host: no server-side request forgery
        f"http://localhost:{port}/item/0": "refused: localhost is a private or local address",
    }
    assert (result.added, result.aliases) == (4, 2)  # gbk, doubled, one story, the normal item
    assert "端侧大模型" in hybrid_search(corpus, "端侧大模型", k=1)[0].text
    gbk = hybrid_search(corpus, "昆仑芯片 量产", k=1)[0]
    assert "国标码" in gbk.text and gbk.date == "2024-03-05"
    story = [h for h in hybrid_search(corpus, "星河智能 星河-2 视频生成模型", k=10)
             if "星河" in h.text]
    assert len({h.doc_id for h in story}) == 1  # one document, cited once
    record = next(r for r in corpus.store.list_documents() if r.doc_id == story[0].doc_id)
    aliases = record.alias_list()  # every outlet's URL, the first one's included
    assert len(aliases) == 3 and record.url in {a["url"] for a in aliases}
    assert {a["url"] for a in aliases} == {f"{base}/synd/a", f"{base}/synd/b", f"{base}/synd/c"}
    assert sources.list_sources()[0]["last_error"].count("HTTP 404") == 1

    # a failing source keeps what it ingested: the feed itself now 404s
    sources.add(f"{base}/gone.xml", name="gone")
    before = len(corpus.store.list_documents())
    gone = sources.sync(["gone"])[0]
    assert gone.error == "HTTP 404" and len(corpus.store.list_documents()) == before


def test_cli_sources_and_sync_json(make_settings: Any, tmp_path: Path, monkeypatch: Any,
                                   site: tuple[Site, str]) -> None:
    state, base = site
    state.items[1] = (f"{_unique(1)} 命令行同步的一条新闻，关于智能体平台。" * 3, "2024-05-05")
    settings = make_settings(fetch_delay_s=0.0)
    monkeypatch.setenv("LANDSCAPE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("LANDSCAPE_FETCH_DELAY_S", "0")
    runner = CliRunner()
    added = runner.invoke(app, ["sources", "add", f"{base}/item/1", "--every", "1d",
                                "--name", "one"])
    assert added.exit_code == 0, added.output
    synced = runner.invoke(app, ["sync", "--json"])
    assert synced.exit_code == 0, synced.output
    result = json.loads(synced.stdout)[0]
    assert {k: result[k] for k in ("name", "added", "updated", "unchanged", "failed")} == \
        {"name": "one", "added": 1, "updated": 0, "unchanged": 0, "failed": []}
    assert result["embedded"] > 0
    found = runner.invoke(app, ["search", _unique(1), "--json", "-k", "1"])
    assert json.loads(found.stdout)["results"][0]["date"] == "2024-05-05"
    listed = json.loads(runner.invoke(app, ["sources", "list", "--json"]).stdout)
    assert listed[0]["name"] == "one" and listed[0]["documents"] == 1
    bad = runner.invoke(app, ["sources", "add", "ftp://example"])
    assert bad.exit_code == 1 and "neither an http(s) URL nor a folder" in bad.output
    removed = runner.invoke(app, ["sources", "remove", "one"])
    assert removed.exit_code == 0 and "1 of its documents" in removed.output


def test_the_scheduler_syncs_due_sources_shown_in_healthz_and_the_web_panel(
        make_corpus: Any, tmp_path: Path, site: tuple[Site, str]) -> None:
    import httpx
    from servers import browser_page, uvicorn_thread

    from agent.pipeline import Agent
    from ui.feedback import FeedbackStore
    from ui.server import create_app
    from ui.services import Services
    from ui.sources import SyncScheduler

    state, base = site
    state.items[3] = (f"{_unique(3)} 定时同步的一条新闻，关于多模态大模型。" * 3, "2024-09-09")
    corpus = make_corpus(fetch_delay_s=0.0)
    services = Services(corpus.settings, corpus, Agent(corpus),
                        FeedbackStore(Database(f"sqlite:///{tmp_path / 'state.sqlite'}")))
    services.sources.add(f"{base}/feed.xml", every="1h", name="news")
    scheduler = SyncScheduler(services.sources, every_s=0.2).start()
    try:
        deadline = time.monotonic() + 30
        while not services.sources.list_sources()[0]["last_sync"] and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        scheduler.stop()
    assert services.sources.due() == []  # synced, next due in an hour
    assert hybrid_search(corpus, _unique(3), k=1)[0].date == "2024-09-09"

    state.items[4] = (f"{_unique(4)} 第二条新闻，关于开源模型的许可证。" * 3, "2024-09-10")
    state.feed_etag = "v2"
    with uvicorn_thread(create_app(services)) as url:
        health = httpx.get(f"{url}/healthz", timeout=10).json()
        [news] = health["sources"]
        assert news["name"] == "news" and news["documents"] == 1 and news["last_error"] == ""
        with browser_page(url + "/") as page:
            page.get_by_text("Synced sources", exact=True).click()
            page.wait_for_function(  # the table lists the source, synced
                "() => { const t = document.querySelector('#source-table');"
                " return t && t.textContent.includes('news')"
                " && t.textContent.includes('feed'); }", timeout=30_000)
            page.click("#sync-now")
            page.locator("#sync-status").get_by_text("1 added").wait_for(timeout=30_000)
            assert "Traceback" not in page.locator("body").inner_text()
        assert httpx.get(f"{url}/healthz", timeout=10).json()["sources"][0]["documents"] == 2


def test_sync_beside_serve_goes_through_it_and_folders_are_rescanned(
        tmp_path: Path, site: tuple[Site, str]) -> None:
    """`landscape sync` while `landscape serve` holds the data directory: the server syncs
    (one writer) and answers from the new documents at once; a folder source picks up new
    files and drops deleted ones."""
    from openai import OpenAI
    from servers import landscape_serve, run_cli

    state, base = site
    state.items[5] = (f"{_unique(5)} 服务器代为同步的新闻：灵犀科技发布了编程智能体灵犀码。" * 3,
                      "2024-10-10")
    folder = tmp_path / "shared-folder"
    folder.mkdir()
    (folder / "memo.md").write_text("# 备忘\n\n星辰科技的客服大模型已在三家银行上线。\n",
                                    encoding="utf-8")
    data_dir = tmp_path / "data"
    env = {"LANDSCAPE_FETCH_DELAY_S": "0", "LANDSCAPE_SYNC_SCHEDULER": "false"}
    with landscape_serve(data_dir, tmp_path / "serve.log", **env) as url:
        for args in (("sources", "add", f"{base}/item/5", "--name", "page"),
                     ("sources", "add", str(folder), "--name", "folder", "--every", "1d")):
            added = run_cli(*args, data_dir=data_dir, **env)
            assert added.returncode == 0, added.stderr
        synced = run_cli("sync", "--json", data_dir=data_dir, **env)
        assert synced.returncode == 0, synced.stderr
        assert "goes through it" in synced.stderr
        results = {r["name"]: r for r in json.loads(synced.stdout)}
        assert results["page"]["added"] == 1 and results["folder"]["added"] == 1
        reply = OpenAI(base_url=url + "/v1", api_key="unused").chat.completions.create(
            model="landscape",
            messages=[{"role": "user", "content": "灵犀科技发布了什么编程智能体？"}])
        assert any(c["source"] == f"{base}/item/5" for c in (reply.model_extra or {})["citations"])

        (folder / "memo.md").unlink()
        (folder / "note.txt").write_text("月影科技发布了开源的语音模型月影一号。", encoding="utf-8")
        again = json.loads(run_cli("sync", "folder", "--json", data_dir=data_dir, **env).stdout)
        assert (again[0]["added"], again[0]["unchanged"]) == (1, 0)
        listed = json.loads(run_cli("sources", "list", "--json", data_dir=data_dir, **env).stdout)
        assert {r["name"]: r["documents"] for r in listed} == {"page": 1, "folder": 1}


def test_an_empty_folder_source_keeps_its_documents(make_corpus: Any, tmp_path: Path) -> None:
    """A shared folder that comes back empty (an unmounted share) removes nothing."""
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "a.md").write_text("# 纪要\n\n北辰科技发布了推理芯片北辰一号。\n", encoding="utf-8")
    (folder / "b.md").write_text("# 纪要\n\n南山科技发布了语音模型南山一号。\n", encoding="utf-8")
    corpus = make_corpus()
    sources = _sources(corpus, tmp_path)
    sources.add(str(folder), name="share")
    assert sources.sync()[0].added == 2
    (folder / "b.md").unlink()  # a file deleted on purpose goes
    assert sources.sync()[0].error == "" and sources.list_sources()[0]["documents"] == 1
    (folder / "a.md").rename(tmp_path / "a.md")  # the share comes back empty
    emptied = sources.sync()[0]
    assert "is empty (not mounted?)" in emptied.error
    assert len(corpus.store.list_documents()) == 1
