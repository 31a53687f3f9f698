"""The digest of a period cites only that period's documents; the scheduled Slack post arrives
once per period in the fake Slack API, never twice across a restart."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fake_llm import FakeLLM, Reply
from fake_slack import FakeSlack
from slack_sdk import WebClient
from typer.testing import CliRunner

from index.ingest import ingest_paths
from ui.cli import app
from ui.digest import DigestPoster, build_digest
from ui.state import Database

TODAY = date(2026, 11, 25)


def _dated_corpus(make_corpus: Any, tmp_path: Path) -> Any:
    docs = tmp_path / "news"
    docs.mkdir()
    items = {
        "old": ("2026-10-01", "旧闻：松果智能在十月初发布了语音大模型松果一号，面向客服场景。"),
        "week-a": ("2026-11-20", "本周：松果智能发布了视频生成模型松果影像，"
                                 "可以生成十秒高清视频。"),
        "week-b": ("2026-11-23", "本周：青柠科技完成新一轮融资，估值达到二十亿元，"
                                 "资金用于推理芯片研发。"),
    }
    for name, (when, text) in items.items():
        (docs / f"{name}.txt").write_text(text, encoding="utf-8")
        (docs / f"{name}.meta.json").write_text(json.dumps({"date": when, "outlet": "测试报"}),
                                                encoding="utf-8")
    corpus = make_corpus(today=TODAY.isoformat())
    ingest_paths(corpus, [docs])
    return corpus


def test_the_digest_of_a_period_cites_only_that_period(make_corpus: Any, tmp_path: Path,
                                                       monkeypatch: Any) -> None:
    corpus = _dated_corpus(make_corpus, tmp_path)
    week = build_digest(corpus, 7 * 86400, today=TODAY)
    assert (week.date_from, week.date_to) == ("2026-11-19", "2026-11-25")  # 7 days
    assert [item.date for item in week.items] == ["2026-11-23", "2026-11-20"]  # newest first
    text = week.markdown()
    assert "青柠科技完成新一轮融资" in text and "松果影像" in text and "松果一号" not in text
    assert "[1]" in text and "[2]" in text and "Sources:" in text
    for item in week.items:  # every quote is verbatim in its document
        doc = next(r for r in corpus.store.list_documents() if r.source == item.source)
        assert item.quote in (corpus.store.document_text(doc.doc_id) or "")
    topical = build_digest(corpus, 7 * 86400, topic="融资", today=TODAY)
    assert [item.date for item in topical.items][0] == "2026-11-23"
    assert "估值达到二十亿元" in topical.items[0].quote

    monkeypatch.setenv("LANDSCAPE_DATA_DIR", str(corpus.settings.data_dir))
    monkeypatch.setenv("LANDSCAPE_TODAY", TODAY.isoformat())
    run = CliRunner().invoke(app, ["digest", "--since", "7d", "--format", "slack"])
    assert run.exit_code == 0, run.output
    assert "青柠科技" in run.stdout and "松果一号" not in run.stdout and "*Digest" in run.stdout


def test_the_scheduled_digest_is_posted_once_per_period_across_a_restart(
        make_corpus: Any, tmp_path: Path) -> None:
    corpus = _dated_corpus(make_corpus, tmp_path)
    state = f"sqlite:///{tmp_path / 'state.sqlite'}"
    now = datetime(2026, 11, 25, 9, 0).timestamp()
    with FakeSlack() as fake:
        client = WebClient(token="xoxb-test", base_url=fake.api_url)
        first = DigestPoster(Database(state), corpus, client, "C-DIGEST", 7 * 86400)
        assert first.post_if_due(now) is True
        assert first.post_if_due(now + 60) is False  # the same period
        restarted = DigestPoster(Database(state), corpus, client, "C-DIGEST", 7 * 86400)
        assert restarted.post_if_due(now + 120) is False  # a restart: still posted once
        posts = fake.calls_to("chat.postMessage")
        assert len(posts) == 1 and posts[0]["channel"] == "C-DIGEST"
        assert "青柠科技" in posts[0]["text"] or "松果" in posts[0]["text"]
        assert restarted.post_if_due(now + 7 * 86400) is True  # the next period
        assert len(fake.calls_to("chat.postMessage")) == 2


def test_with_a_model_each_line_is_its_verified_summary_and_an_invented_one_is_quoted_instead(
        make_corpus: Any, make_settings: Any, tmp_path: Path) -> None:
    from agent.pipeline import Agent

    corpus = _dated_corpus(make_corpus, tmp_path)
    replies = [Reply("青柠科技完成新一轮融资，估值达到二十亿元[1]。"),  # the newest document
               Reply("松果智能宣布已被苹果公司以五百亿美元收购[1]。")]  # invented: not kept
    with FakeLLM(replies) as fake:
        settings = make_settings(data_dir=corpus.settings.data_dir, llm="openai",
                                 openai_base_url=fake.base_url, openai_model="scripted")
        agent = Agent(corpus, backend="openai", settings=settings)
        week = build_digest(corpus, 7 * 86400, today=TODAY, agent=agent)
    newest, older = week.items
    assert newest.summary == "青柠科技完成新一轮融资，估值达到二十亿元。"
    assert older.summary == "" and "松果影像" in older.quote  # quoted, not the invention
    text = week.markdown()
    assert "估值达到二十亿元。 [1]" in text and "苹果" not in text
