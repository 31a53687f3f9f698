"""Settings, exit codes and writers tell the truth: a misspelt variable is an error naming the
nearest setting, `landscape ingest` fails loudly when a file failed, a second writer beside
`landscape serve` goes through it (and the server sees the change without a restart), helper
calls that fail are logged and a refused key is noted, and warming up asks no paid LLM."""

from __future__ import annotations

import json
import logging
import time
import urllib.request
from pathlib import Path

from fake_llm import Fail, FakeLLM, Reply
from servers import landscape_serve, run_cli

from agent.pipeline import Agent, Turn
from index.corpus import Corpus
from ui.feedback import FeedbackStore
from ui.services import Services

LUMA = "Luma AI 9月的访问量是多少？"


def test_a_misspelt_environment_variable_is_an_error_naming_the_setting(tmp_path: Path) -> None:
    result = run_cli("stats", data_dir=tmp_path / "data", LANDSCAPE_TOPK="3")
    assert result.returncode == 1
    assert "LANDSCAPE_TOPK is not a setting (did you mean LANDSCAPE_TOP_K?)" in result.stderr
    assert "Traceback" not in result.stderr
    fine = run_cli("stats", "--json", data_dir=tmp_path / "data", LANDSCAPE_TOP_K="3")
    assert fine.returncode == 0, fine.stderr


def test_ingest_exit_codes_say_what_happened(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type")
    good = tmp_path / "note.md"
    good.write_text("# 简报\n\n阶跃星辰发布了Step-2万亿参数模型。\n", encoding="utf-8")

    all_failed = run_cli("ingest", str(broken), str(tmp_path / "missing.txt"), data_dir=data_dir)
    assert all_failed.returncode == 1
    assert "2 file(s) not ingested" in all_failed.stderr
    assert "broken.pdf" in all_failed.stderr and "missing.txt" in all_failed.stderr

    some_failed = run_cli("ingest", str(good), str(broken), "--json", data_dir=data_dir)
    assert some_failed.returncode == 1
    report = json.loads(some_failed.stdout)
    assert report["added"] == 1 and [f["path"] for f in report["failed"]] == [str(broken)]

    assert run_cli("ingest", str(good), data_dir=data_dir).returncode == 0  # skipped: fine
    assert run_cli("ingest", "--no-such-flag", data_dir=data_dir).returncode == 2


def test_a_second_writer_beside_serve_goes_through_the_server(tmp_path: Path) -> None:
    """`landscape ingest` and `reindex` while `landscape serve` holds the embedded store: the
    work is sent to the server, which answers from it at once; a second `serve`, or a Slack bot
    that would open the same store, stops with a message naming the first."""
    from openai import OpenAI

    data_dir = tmp_path / "data"
    brief = tmp_path / "brief.md"
    brief.write_text("# 内部简报\n\n月之暗面的Kimi在2024年11月发布了k0-math数学推理模型，"
                     "对标OpenAI的o1系列。\n", encoding="utf-8")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    with landscape_serve(data_dir, tmp_path / "serve.log") as url:
        result = run_cli("ingest", str(brief), "--json", data_dir=data_dir)
        assert result.returncode == 0, result.stderr
        assert "goes through it" in result.stderr and url.split("//")[1] in result.stderr
        assert json.loads(result.stdout)["added"] == 1

        client = OpenAI(base_url=url + "/v1", api_key="unused")
        question = "Kimi发布的数学推理模型叫什么？"
        reply = client.chat.completions.create(
            model="landscape", messages=[{"role": "user", "content": question}])
        extra = reply.model_extra or {}
        assert "k0-math" in (reply.choices[0].message.content or "")
        assert any(c["source"].endswith("brief.md") for c in extra["citations"])

        asked = run_cli("ask", question, "--json", data_dir=data_dir)  # answered by serve
        assert asked.returncode == 0, asked.stderr
        assert any(c["source"].endswith("brief.md") for c in json.loads(asked.stdout)["citations"])
        metrics = urllib.request.urlopen(url + "/metrics").read().decode()
        assert 'landscape_requests_total{outcome="answered",surface="api"} 2.0' in metrics

        failed = run_cli("ingest", str(broken), data_dir=data_dir)
        assert failed.returncode == 1 and "broken.docx" in failed.stderr

        reindexed = run_cli("reindex", data_dir=data_dir)
        assert reindexed.returncode == 0, reindexed.stderr
        assert "re-embedded by landscape serve" in reindexed.stdout

        bot = run_cli("slack", "--http", data_dir=data_dir, SLACK_BOT_TOKEN="xoxb-1",
                      SLACK_SIGNING_SECRET="8f742231b10e8888abcd99yyyzzz85a5")
        assert bot.returncode == 1 and f"LANDSCAPE_SLACK_BACKEND_URL={url}" in bot.stderr

        second = run_cli("serve", "--port", "1", data_dir=data_dir)
        assert second.returncode == 1
        assert "already served by landscape serve" in second.stderr

        stats = json.loads(run_cli("stats", "--json", data_dir=data_dir).stdout)
        assert stats["documents"] == 3 and stats["consistent"], stats


def test_helper_failures_are_logged_and_a_refused_key_is_noted(seeded: Corpus, make_settings,
                                                               caplog) -> None:
    with FakeLLM([Fail(401, "invalid api key")]) as fake:
        fake.router = lambda body: Fail(401, "invalid api key")
        settings = make_settings(data_dir=seeded.settings.data_dir, llm="openai",
                                 openai_base_url=fake.base_url, openai_model="scripted")
        agent = Agent(seeded, backend="openai", settings=settings)
        with caplog.at_level(logging.WARNING, logger="landscape"):
            answer = agent.answer("它在9月环比下跌了多少？",
                                  [Turn("user", LUMA), Turn("assistant", "1181万次")])
    assert any("rewriting a follow-up with the model failed" in r.getMessage()
               and "401" in r.getMessage() for r in caplog.records)
    assert "refused the API key" in answer.note and "38.49%" in answer.answer


def test_warm_up_asks_no_llm_unless_told(seeded: Corpus, make_settings) -> None:
    with FakeLLM([Reply("Luma AI网站在9月的总访问量仅为1181万次[1]。")]) as fake:
        for warmup_llm, expected in ((False, 0), (True, 1)):
            settings = make_settings(data_dir=seeded.settings.data_dir, llm="openai",
                                     openai_base_url=fake.base_url, openai_model="scripted",
                                     warmup_llm=warmup_llm)
            services = Services(settings, seeded, Agent(seeded, settings=settings),
                                FeedbackStore(settings.data_dir / "feedback.sqlite"))
            before = fake.answer_requests
            services.warm_up().join(timeout=60)
            time.sleep(0.1)
            assert fake.answer_requests - before == expected
