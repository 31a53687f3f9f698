"""Operators' view: JSON log lines carry the request id from the HTTP request through the
agent's own log lines; question text is logged only when allowed; /metrics counts what
happened (the fault load in tests/test_faults.py checks its totals)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from fake_llm import Fail, FakeLLM
from servers import uvicorn_thread

from agent.pipeline import Agent
from index.corpus import Corpus
from index.observe import configure_logging
from ui.feedback import FeedbackStore
from ui.server import create_app
from ui.services import Services

LUMA = "Luma AI 9月的访问量是多少？"


@pytest.fixture
def json_logs() -> Iterator[None]:
    configure_logging("json", "INFO")
    yield
    logger = logging.getLogger("landscape")
    logger.handlers, logger.propagate = [], True


@pytest.mark.parametrize("log_questions", [False, True])
def test_json_logs_carry_the_request_id_through_the_agent(
    json_logs: None, seeded: Corpus, make_settings, capfd, log_questions: bool
) -> None:
    import httpx

    with FakeLLM() as fake:
        fake.router = lambda body: Fail(401, "invalid api key")
        settings = make_settings(data_dir=seeded.settings.data_dir, llm="openai",
                                 openai_base_url=fake.base_url, log_questions=log_questions)
        services = Services(settings, seeded, Agent(seeded, settings=settings),
                            FeedbackStore(settings.data_dir / "feedback.sqlite"))
        configure_logging("json", "INFO")  # onto the captured stderr
        with uvicorn_thread(create_app(services)) as url:
            response = httpx.post(url + "/v1/chat/completions", timeout=60,
                                  headers={"X-Request-ID": "req-7f3a"},
                                  json={"model": "landscape", "messages": [
                                      {"role": "user", "content": LUMA},
                                      {"role": "assistant", "content": "1181万次"},
                                      {"role": "user", "content": "它在9月环比下跌了多少？"}]})
    assert response.status_code == 200 and response.headers["x-request-id"] == "req-7f3a"
    lines = [json.loads(line) for line in capfd.readouterr().err.splitlines()
             if line.startswith("{")]
    mine = [line for line in lines if line["request_id"] == "req-7f3a"]
    loggers = {line["logger"] for line in mine}
    assert "landscape" in loggers  # the agent's warning about the failed follow-up rewrite
    assert "landscape.requests" in loggers  # and the request's own line
    [request] = [line for line in mine if line["logger"] == "landscape.requests"]
    assert request["surface"] == "api" and request["outcome"] == "answered"
    assert request["ms"] > 0 and request["backend"] == "extractive (fallback)"
    logged = json.dumps(lines, ensure_ascii=False)
    assert ("环比下跌" in logged) == log_questions  # question text only when allowed
