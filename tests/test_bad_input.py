"""Bad input at every door: questions (agent, CLI, HTTP API, web chat; Slack in test_slack.py)
and files (CLI ingest, web upload). Each gets a clear, specific error; nothing else is lost or
changed; the server stays up."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from conftest import SEEDS
from sample_files import write_pdf
from servers import uvicorn_thread
from typer.testing import CliRunner

from agent.pipeline import Agent
from index.corpus import Corpus
from index.errors import BadQuestion
from index.ingest import ingest_paths
from index.search import hybrid_search
from ui.feedback import FeedbackStore
from ui.server import create_app
from ui.services import Services

BAD_QUESTIONS = {
    "empty": ("", "the question is empty"),
    "whitespace": (" \n\t\u3000 ", "the question is empty"),
    "control characters": ("\x00\x07\x1b\x7f", "the question is empty"),
    "100,000 characters": ("问" * 100_000, "is 100,000 characters long; please keep it under"),
    "emoji only": ("🤖🔥💯", "has no words to search for"),
    "punctuation only": ("？？！!...", "has no words to search for"),
}
ODD_BUT_FINE = {
    "control characters inside": ("Luma AI 9月的\x00访问量\x1b[0m是多少？", "1181万次"),
    "emoji around": ("🤖 快手推出的AI奇幻短剧叫什么？🎬", "山海奇镜"),
    "mixed scripts": ("Luma AI 的 traffic 在 9月 是多少？", "1181万次"),
}
GBK_TEXT = "# 内部简报\n\n作者丨王五\n\n腾讯混元大模型的视频生成功能在12月正式上线。"


def bad_files(folder: Path, huge: bool = True) -> dict[str, str]:
    """Writes one file per kind of trouble; returns name -> the reason its error must give."""
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / "whole.pdf"
    write_pdf(pdf, "Moonshot AI raised new funding for Kimi")
    whole = pdf.read_bytes()
    pdf.unlink()
    files: dict[str, tuple[bytes, str]] = {
        "empty.txt": (b"", "file is empty"),
        "blank.md": (b" \n\n\t \n", "no text could be extracted"),
        "binary.txt": (bytes(range(256)) * 40, "looks like a binary file"),
        "truncated.pdf": (whole[: len(whole) // 2], "not a readable PDF, perhaps truncated"),
        "report-really-a-pdf.txt": (whole, "its content is a PDF document; rename it to .pdf"),
        "notes-really-text.docx": ("这是纯文本。".encode(), "its content is plain text"),
        "photo-named.md": (b"\x89PNG\r\n\x1a\n" + bytes(300), "its content is a PNG image"),
        "huge.txt": (b"a" * (50 * 1024 * 1024), "52.4 MB, over the 50 MB limit"),
    }
    if not huge:
        del files["huge.txt"]
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    (folder / "gbk-brief.txt").write_bytes(GBK_TEXT.encode("gbk"))
    (folder / "tool.exe").write_bytes(b"MZ\x90\x00")
    return {name: reason for name, (_, reason) in files.items()}


def snapshot(corpus: Corpus) -> dict[str, Any]:
    return {d.doc_id: (d.content_hash, d.n_chunks) for d in corpus.store.list_documents()}


@pytest.fixture
def services(seeded: Corpus, make_settings) -> Services:
    settings = make_settings(data_dir=seeded.settings.data_dir, rate_limit_per_minute=0)
    return Services(settings, seeded, Agent(seeded, settings=settings),
                    FeedbackStore(settings.data_dir / "feedback.sqlite"))


def post_json(url: str, body: bytes | dict[str, Any]) -> tuple[int, dict[str, Any]]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_bad_questions_get_specific_errors_from_the_agent_and_the_cli(
    seeded: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.cli import app

    agent = Agent(seeded)
    monkeypatch.setenv("LANDSCAPE_DATA_DIR", str(seeded.settings.data_dir))
    for name, (question, reason) in BAD_QUESTIONS.items():
        with pytest.raises(BadQuestion) as caught:
            agent.answer(question)
        assert reason in str(caught.value), name
        result = CliRunner().invoke(app, ["ask", question])
        assert result.exit_code == 1 and reason in result.stderr, (name, result.output[-300:])
        assert "Traceback" not in result.output and len(result.stderr) < 300
    for name, (question, expected) in ODD_BUT_FINE.items():
        answer = agent.answer(question)
        assert not answer.refused and expected in answer.answer, (name, answer.answer)


def test_bad_questions_over_the_api_and_the_web_chat_leave_the_server_up(
    services: Services,
) -> None:
    from gradio_client import Client

    before = snapshot(services.corpus)
    with uvicorn_thread(create_app(services)) as url:
        api = url + "/v1/chat/completions"
        client = Client(url + "/", verbose=False)
        for name, (question, reason) in BAD_QUESTIONS.items():
            for stream in (False, True):
                status, body = post_json(api, {"model": "landscape", "stream": stream,
                                               "messages": [{"role": "user", "content": question}]})
                assert status == 400 and reason in body["error"]["message"], (name, body)
            if not question.strip():
                continue  # the web chat ignores an empty box, as chat boxes do
            chat, *_ = client.predict(question, [], 5, False, api_name="/ask")
            shown = [_text(m) for m in chat]
            assert shown[-1].startswith("⚠️") and reason in shown[-1], (name, shown[-1][:200])
            assert len(shown[0]) < 400  # an over-long paste is not echoed back in full
        for body, reason in [
            (b"{not json", "invalid request"),
            ({"messages": "hello"}, "invalid request: body.messages"),
            ({"messages": [{"content": "hi"}]}, "invalid request: body.messages.0.role"),
            ({"messages": [{"role": "user", "content": 42}]}, "invalid request"),
            ({"messages": [{"role": "system", "content": "only a system message"}]},
             "no user message"),
        ]:
            status, answer = post_json(api, body)
            assert status == 400 and reason in answer["error"]["message"], (body, answer)
        for name, (question, expected) in ODD_BUT_FINE.items():
            status, body = post_json(api, {"messages": [{"role": "user", "content": question}]})
            assert status == 200 and expected in body["choices"][0]["message"]["content"], name
        with urllib.request.urlopen(url + "/healthz", timeout=10) as response:
            health = json.loads(response.read())
    assert health["status"] == "ok" and health["documents"] == 2
    assert snapshot(services.corpus) == before


def _text(message: dict[str, Any]) -> str:
    content = message["content"]
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


def test_bad_files_through_the_cli_get_one_line_errors_and_lose_nothing(
    seeded: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.cli import app

    batch = tmp_path / "batch"
    expected = bad_files(batch)
    (batch / "good.md").write_text("# 好文档\n\n智谱清言发布了清影视频模型。", encoding="utf-8")
    before = snapshot(seeded)
    monkeypatch.setenv("LANDSCAPE_DATA_DIR", str(seeded.settings.data_dir))
    missing = tmp_path / "no-such-file.md"
    for attempt in range(2):  # a re-run meets the same errors and changes nothing more
        result = CliRunner().invoke(app, ["ingest", str(batch), str(missing), "--json"])
        assert result.exit_code == 1, result.output  # files failed: scripts can tell
        report = json.loads(result.stdout)
        reasons = {Path(f["path"]).name: f["reason"] for f in report["failed"]}
        for name, reason in expected.items():
            assert reason in reasons[name], (name, reasons.get(name))
        assert "no such file" in reasons["no-such-file.md"]
        assert [Path(p).name for p in report["ignored"]] == ["tool.exe"]  # named, not read
        assert all("\n" not in f["reason"] for f in report["failed"])
        assert "Traceback" not in result.output
        assert (report["added"], report["skipped"]) == ((2, 0) if attempt == 0 else (0, 2))
    after = snapshot(seeded)
    assert {k: v for k, v in after.items() if k in before} == before  # the seeds are untouched
    assert len(after) == len(before) + 2
    seeded.sync(now=True)  # the CLI wrote through its own Corpus
    hits = hybrid_search(seeded, "腾讯混元视频生成功能12月正式上线", k=3)
    assert any(hit.source.endswith("gbk-brief.txt") for hit in hits)  # GBK read correctly
    stats = json.loads(CliRunner().invoke(app, ["stats", "--json"]).stdout)
    assert stats["consistent"] and stats["documents"] == 4


def test_bad_uploads_through_the_web_are_refused_and_replace_nothing(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import httpx
    from gradio_client import Client, handle_file

    data_dir = services.settings.data_dir
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(data_dir / "gradio"))
    local = tmp_path / "local"
    expected = bad_files(local, huge=False)  # over Gradio's own upload limit: checked below
    brief = tmp_path / "first" / "brief.md"
    brief.parent.mkdir()
    brief.write_text("# 阶跃星辰简报\n\n阶跃星辰的Step-2模型定价为每百万tokens 38元。",
                     encoding="utf-8")
    with uvicorn_thread(create_app(services)) as url:
        client = Client(url + "/", verbose=False)
        status = client.predict([handle_file(str(brief))], api_name="/upload")
        assert "1 file(s) ready to search" in status
        kept = (data_dir / "uploads" / "brief.md").read_bytes()
        before = snapshot(services.corpus)

        broken = tmp_path / "again" / "brief.md"  # same name, unreadable content
        broken.parent.mkdir()
        broken.write_bytes(bytes(range(256)) * 10)
        uploads = [handle_file(str(p)) for p in [*sorted(local.iterdir()), broken]]
        status = client.predict(uploads, api_name="/upload")
        lines = status.splitlines()
        for name, reason in expected.items():
            assert any(line.startswith(f"- {name}: ") and reason in line for line in lines), \
                (name, status)
        assert any(line.startswith("- brief.md: ") and "binary" in line for line in lines)
        assert "1 file(s) ready to search" in status  # the GBK brief, and nothing else
        assert "Traceback" not in status

        names = ["../../escape.md", "/etc/cron.d/evil.md", "..\\..\\win.md"]
        response = httpx.post(url + "/gradio_api/upload", timeout=30, files=[
            ("files", (name, b"# t\n\n" + name.encode(), "text/markdown")) for name in names])
        assert response.status_code == 200
        received = [Path(p) for p in response.json()]
        for path in received:  # one fresh folder each, inside the data directory
            assert path.resolve().parent.parent == (data_dir / "gradio").resolve()
        status = client.predict([handle_file(str(p)) for p in received], api_name="/upload")
        assert "3 file(s) ready to search" in status
        too_big = httpx.post(url + "/gradio_api/upload", timeout=60, files=[
            ("files", ("huge.txt", b"a" * int(services.settings.upload_max_mb * 1_100_000),
                       "text/plain"))])
        assert too_big.status_code == 413 and "maximum allowed size" in too_big.text
        chat, *_ = client.predict("阶跃星辰的Step-2模型定价是多少？", [], 5, False, api_name="/ask")
        assert "38元" in _text(chat[-1])
    assert (data_dir / "uploads" / "brief.md").read_bytes() == kept
    assert sorted(p.name for p in (data_dir / "uploads").iterdir() if p.is_file()) == \
        ["brief.md", "escape.md", "evil.md", "gbk-brief.txt", "win.md"]
    after = snapshot(services.corpus)
    assert {k: v for k, v in after.items() if k in before} == before and len(after) == 7
    for name in ("escape.md", "evil.md", "win.md"):
        assert not (tmp_path.parent / name).exists() and not Path("/etc/cron.d", name).exists()


def test_seed_ingest_is_unaffected_by_a_failing_batch(make_corpus, tmp_path: Path) -> None:
    """The same bad batch through the library call; the seeds ingested after it are whole."""
    corpus = make_corpus()
    expected = bad_files(tmp_path / "batch")
    report = ingest_paths(corpus, [tmp_path / "batch", SEEDS])
    assert report.added == 3 and {Path(e.path).name for e in report.failed} == set(expected)
    assert "000_" in hybrid_search(corpus, "Luma AI 9月访问量", k=1)[0].source
