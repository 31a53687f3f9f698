"""Limits that keep one user or one document from taking the service down: a bounded queue in
the web chat, and a cap on the source text sent to the LLM. (Rate limits: test_web.py and
test_slack.py.)"""

from __future__ import annotations

import re

from fake_llm import FakeLLM, Reply
from servers import uvicorn_thread

from agent.pipeline import Agent
from index.corpus import Corpus
from ui.feedback import FeedbackStore
from ui.server import create_app
from ui.services import Services

LUMA = "Luma AI 9月的访问量是多少？"


def test_web_chat_queue_is_bounded_and_turns_extra_requests_away(
    seeded: Corpus, make_settings
) -> None:
    from gradio_client import Client

    slow = Reply("Luma AI网站在9月的总访问量仅为1181万次[1]。", token_delay=0.1, token_chars=2)
    with FakeLLM([slow]) as fake:
        settings = make_settings(data_dir=seeded.settings.data_dir, llm="openai",
                                 openai_base_url=fake.base_url, openai_model="slow",
                                 ui_concurrency=1, ui_queue_size=1)
        services = Services(settings, seeded, Agent(seeded, backend="openai", settings=settings),
                            FeedbackStore(settings.data_dir / "feedback.sqlite"))
        with uvicorn_thread(create_app(services)) as url:
            client = Client(url + "/", verbose=False)
            jobs = [client.submit(LUMA, [], 5, False, api_name="/ask") for _ in range(5)]
            answered, turned_away = 0, []
            for job in jobs:
                try:
                    chat, *_ = job.result(timeout=60)
                    answered += "1181万次" in str(chat[-1])
                except Exception as exc:  # noqa: BLE001 - the client's error for a full queue
                    turned_away.append(str(exc))
            assert answered == 2  # one computing, one waiting
            assert turned_away and all("Queue is full" in e for e in turned_away)
            chat, *_ = client.predict(LUMA, [], 5, False, api_name="/ask")  # room again
            assert "1181万次" in str(chat[-1])


def test_source_text_sent_to_the_llm_is_capped(seeded: Corpus, make_settings) -> None:
    with FakeLLM([Reply("Luma AI网站在9月的总访问量仅为1181万次[1]。")]) as fake:
        settings = make_settings(data_dir=seeded.settings.data_dir, llm="openai",
                                 openai_base_url=fake.base_url, openai_model="capped",
                                 max_context_chars=700, top_k=10)
        answer = Agent(seeded, backend="openai", settings=settings).answer(LUMA)
        user = fake.requests[-1]["messages"][-1]["content"]
    sources = user[user.index("<sources>") + len("<sources>") : user.index("</sources>")]
    assert len(sources.strip()) <= 700
    sent = len(re.findall(r'<source id="\d+"', sources))
    assert 1 <= sent < 10
    assert "1181万次" in answer.answer
    assert len(answer.retrieved) == sent  # what the model did not see cannot be cited
    assert {c.chunk_id for c in answer.citations} <= {r.chunk_id for r in answer.retrieved}
