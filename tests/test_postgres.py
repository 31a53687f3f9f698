"""Shared state on a real PostgreSQL (initdb in a temp dir, 127.0.0.1): what replicas share.

Each "replica" below has its own connection and objects, as separate processes would: a Slack
event delivered to two bots (and retried) is answered once; feedback given on both lands in one
export; a client's rate limit holds across them; replicas starting together migrate the schema
once; a PostgreSQL restart makes requests fail with a clear sentence, then they recover.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fake_slack import BOT_USER, FakeSlack
from servers import Postgres, postgres, uvicorn_thread
from test_slack import SECRET, Harness

from agent.pipeline import Agent
from index.corpus import Corpus
from ui.feedback import FeedbackStore
from ui.slack.answerer import LocalAnswerer
from ui.slack.bot import SlackBot, http_app
from ui.slack.config import SlackConfig
from ui.state import MIGRATIONS, Database, EventClaims, SharedRateLimiter, StateUnavailable

LUMA = "Luma AI 9月的访问量是多少？"


@pytest.fixture
def pg(tmp_path: Path) -> Iterator[Postgres]:
    with postgres(tmp_path / "pg") as server:
        yield server


def test_replicas_starting_together_migrate_the_schema_once(pg: Postgres) -> None:
    with ThreadPoolExecutor(4) as pool:
        replicas = list(pool.map(lambda _: Database(pg.url), range(4)))
    versions = [row["version"] for row in
                replicas[0].query("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == [int(p.name[:3]) for p in sorted(MIGRATIONS.glob("[0-9]*.sql"))]
    assert replicas[1].migrate() == []  # nothing left to apply


def test_replicas_share_event_claims_feedback_and_rate_limits(pg: Postgres,
                                                              tmp_path: Path) -> None:
    a, b = Database(pg.url), Database(pg.url)
    claims = [EventClaims(a), EventClaims(b)]
    for n in range(20):  # the same event reaching both replicas at once
        with ThreadPoolExecutor(2) as pool:
            firsts = list(pool.map(lambda c, n=n: c.first_time(f"Ev{n}"), claims))
        assert sorted(firsts) == [False, True]
    assert not claims[0].first_time("Ev3")  # Slack's retry, later

    FeedbackStore(a).record(channel="web", question="q1", answer="a1", rating=-1)
    FeedbackStore(b).record(channel="slack", question="q2", answer="a2", rating=-1)
    out = tmp_path / "cases.jsonl"
    assert FeedbackStore(Database(pg.url)).export_eval(out) == 2
    assert {json.loads(line)["channel"] for line in out.read_text().splitlines()} == \
        {"web", "slack"}

    limits = [SharedRateLimiter(a, per_minute=6), SharedRateLimiter(b, per_minute=6)]
    waits = [limits[i % 2].allow("key:research") for i in range(5)]  # the burst of 5
    assert waits == [0.0] * 5
    assert limits[0].allow("key:research") > 0 and limits[1].allow("key:research") > 0
    assert limits[1].allow("key:sales") == 0.0  # another client has its own bucket


def make_replica(fake: FakeSlack, agent: Agent, url: str) -> SlackBot:
    config = SlackConfig(bot_token="xoxb-test", api_url=fake.api_url, signing_secret=SECRET,
                         update_every=0.5)
    db = Database(url)
    return SlackBot(config, LocalAnswerer(agent), FeedbackStore(db), EventClaims(db))


def test_one_answer_when_both_slack_replicas_get_the_event(pg: Postgres, seeded: Corpus) -> None:
    agent = Agent(seeded)
    with FakeSlack() as fake:
        bots = [make_replica(fake, agent, pg.url) for _ in range(2)]
        with uvicorn_thread(http_app(bots[0])) as url_a, uvicorn_thread(http_app(bots[1])) as url_b:
            a, b = Harness(fake, url_a, bots[0]), Harness(fake, url_b, bots[1])
            body, event = a.event(f"<@{BOT_USER}> {LUMA}", event_id="EvShared1")
            with ThreadPoolExecutor(2) as pool:
                statuses = list(pool.map(lambda h: h.post(body), (a, b)))
            assert statuses == [200, 200]
            assert b.post(body, headers={"X-Slack-Retry-Num": "1",
                                         "X-Slack-Retry-Reason": "http_timeout"}) == 200
            reply = a.final_reply("C1", event["ts"])
            time.sleep(1.0)  # a second answer would have started by now
    assert "1181万次" in json.dumps(reply["blocks"], ensure_ascii=False)
    placeholders = [c for c in fake.calls_to("chat.postMessage") if c.get("thread_ts") ==
                    event["ts"]]
    assert len(placeholders) == 1, placeholders


def test_a_postgres_restart_fails_requests_clearly_then_they_recover(pg: Postgres,
                                                                     seeded: Corpus,
                                                                     make_settings) -> None:
    from openai import APIStatusError, OpenAI

    from ui.server import create_app
    from ui.services import Services

    settings = make_settings(data_dir=seeded.settings.data_dir, database_url=pg.url)
    services = Services(settings, seeded, Agent(seeded), FeedbackStore(Database(pg.url)))
    with uvicorn_thread(create_app(services)) as url:
        client = OpenAI(base_url=url + "/v1", api_key="unused", max_retries=0)

        def ask() -> str:
            reply = client.chat.completions.create(
                model="landscape", messages=[{"role": "user", "content": LUMA}])
            return reply.choices[0].message.content or ""

        assert "1181万次" in ask()
        pg.stop()
        with pytest.raises(APIStatusError) as caught:
            ask()
        assert caught.value.status_code == 503
        assert "shared database" in str(caught.value) and "not answering" in str(caught.value)
        with pytest.raises(StateUnavailable, match="not answering"):
            services.feedback.record(channel="web", question="q", answer="a", rating=1)
        pg.start()
        assert "1181万次" in ask()  # reconnected, no restart of the server
        services.feedback.record(channel="web", question="q", answer="a", rating=1)
        assert len(services.feedback.rows()) == 1


def test_source_state_and_digest_claims_live_in_postgres_and_one_replica_syncs(
        pg: Postgres, make_corpus, tmp_path: Path) -> None:
    """Two replicas (separate connections) on one PostgreSQL: the source registry and its sync
    state are shared, only one of them may run the due syncs at a time, and a digest period
    is claimed once."""
    from ui.sources import SCHEDULER_LOCK, Sources

    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.md").write_text("# 纪要\n\n北辰科技发布了推理芯片北辰一号。\n", encoding="utf-8")
    corpus: Corpus = make_corpus()
    a, b = Sources(Database(pg.url), corpus), Sources(Database(pg.url), corpus)
    a.add(str(folder), every="1h", name="notes")
    assert [r["name"] for r in b.list_sources()] == ["notes"]  # the other replica sees it
    with a.db.leader(SCHEDULER_LOCK) as leading, b.db.leader(SCHEDULER_LOCK) as second:
        assert (leading, second) == (True, False)
        assert b.run_due() == []  # not the leader: it does not sync
    [result] = a.run_due()
    assert result.added == 1 and b.list_sources()[0]["documents"] == 1 and b.due() == []
    claims = []
    for db in (a.db, b.db):
        with db.transaction() as cursor:
            claims.append(cursor.execute(
                "INSERT INTO digest_posts (channel, period, posted_at) VALUES (?, ?, ?) "
                "ON CONFLICT (channel, period) DO NOTHING", ("C1", "2026-11-23", 0.0)).rowcount)
    assert claims == [1, 0]
