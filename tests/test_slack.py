"""The real Bolt app in HTTP mode on 127.0.0.1, receiving signed requests, with its Web API
pointed at a local fake Slack server (tests/fake_slack.py)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_llm import FakeLLM, Reply
from fake_slack import BOT_USER, FakeSlack
from servers import uvicorn_thread
from typer.testing import CliRunner

from agent.pipeline import Agent
from index.corpus import Corpus
from index.errors import ConfigError
from ui.feedback import FeedbackStore
from ui.slack.answerer import LocalAnswerer, RemoteAnswerer
from ui.slack.blocks import BLOCKS_PER_MESSAGE, SECTION_LIMIT, answer_blocks, split_messages
from ui.slack.bot import SlackBot, http_app
from ui.slack.config import SlackConfig
from ui.state import EventClaims

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
LUMA = "Luma AI 9月的访问量是多少？"


class Harness:
    def __init__(self, fake: FakeSlack, url: str, bot: SlackBot) -> None:
        self.fake, self.url, self.bot = fake, url, bot
        self.counter = 0

    def post(self, body: str, content_type: str = "application/json",
             timestamp: int | None = None, secret: str = SECRET,
             headers: dict[str, str] | None = None) -> int:
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        signature = "v0=" + hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(),
                                     hashlib.sha256).hexdigest()
        request = urllib.request.Request(
            self.url + "/slack/events", data=body.encode(), method="POST",
            headers={"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp,
                     "X-Slack-Signature": signature, **(headers or {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def event(self, text: str, channel: str = "C1", kind: str = "app_mention",
              thread_ts: str | None = None, extra: dict[str, Any] | None = None,
              event_id: str | None = None) -> tuple[str, dict[str, Any]]:
        message = self.fake.add_user_message(channel, text, thread_ts)
        self.counter += 1
        event = {"type": kind, "user": "U1", "text": text, "ts": message["ts"],
                 "channel": channel, "event_ts": message["ts"], **(extra or {})}
        if thread_ts:
            event["thread_ts"] = thread_ts
        body = {"token": "t", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
                "event": event, "event_id": event_id or f"Ev{time.time_ns()}",
                "event_time": int(time.time())}
        return json.dumps(body, ensure_ascii=False), event

    def mention(self, question: str, timeout: float = 60) -> dict[str, Any]:
        """Mention the bot with ``question`` in C1; its final reply in the thread."""
        body, event = self.event(f"<@{BOT_USER}> {question}")
        assert self.post(body) == 200
        return self.final_reply("C1", event["ts"], timeout=timeout)

    def final_reply(self, channel: str, thread_ts: str, timeout: float = 30) -> dict[str, Any]:
        """The bot's placeholder in that thread, once it carries the final blocks."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in list(self.fake.messages.get(channel, [])):
                if (message.get("bot_id") and message.get("thread_ts") == thread_ts
                        and message.get("blocks")):
                    return message
            time.sleep(0.1)
        raise AssertionError(f"no answer in thread {thread_ts}: {self.fake.calls[-5:]}")


def make_bot(fake: FakeSlack, answerer: LocalAnswerer | RemoteAnswerer, folder: Path,
             **config: Any) -> SlackBot:
    """A bot talking to the fake Slack API, with its own feedback and event stores."""
    config.setdefault("signing_secret", SECRET)
    settings = SlackConfig(bot_token="xoxb-test", api_url=fake.api_url, **config)
    return SlackBot(settings, answerer, FeedbackStore(folder / "feedback.sqlite"),
                    EventClaims(folder / "events.sqlite"))


@pytest.fixture
def slack(seeded: Corpus, tmp_path: Path) -> Iterator[Harness]:
    with FakeSlack() as fake:
        bot = make_bot(fake, LocalAnswerer(Agent(seeded)), tmp_path, update_every=0.2)
        with uvicorn_thread(http_app(bot)) as url:
            yield Harness(fake, url, bot)


def block_text(message: dict[str, Any]) -> str:
    parts = []
    for block in message["blocks"]:
        text = block.get("text")
        if isinstance(text, dict):
            parts.append(text["text"])
    return "\n".join(parts)


def test_mention_is_answered_in_thread_with_valid_citations(slack: Harness, seeded) -> None:
    body, event = slack.event(f"<@{BOT_USER}> {LUMA}")
    assert slack.post(body) == 200
    reply = slack.final_reply("C1", event["ts"])
    text = block_text(reply)
    assert "1181万次" in text and "Sources" in text
    seeds_text = "".join(seeded.store.document_text(d.doc_id) or ""
                         for d in seeded.store.list_documents())
    quotes = [line[2:] for line in text.splitlines() if line.startswith("> ")]
    assert quotes and all(q in seeds_text for q in quotes)
    actions = [b for b in reply["blocks"] if b["type"] == "actions"]
    assert {e["action_id"] for e in actions[0]["elements"]} == {"feedback_up", "feedback_down"}
    [placeholder] = slack.fake.calls_to("chat.postMessage")
    assert placeholder["thread_ts"] == event["ts"]


def test_bad_questions_get_one_polite_message_and_the_bot_stays_up(slack: Harness) -> None:
    cases = [
        ("", "ask me a question about the AI industry"),
        ("\x00\x07\x1b", "the question is empty"),
        ("问" * 100_000, "is 100,000 characters long"),
        ("🤖🔥💯", "has no words to search for"),
    ]
    for question, reason in cases:
        body, event = slack.event(f"<@{BOT_USER}> {question}")
        assert slack.post(body) == 200
        deadline = time.monotonic() + 30
        replies: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            replies = [m for m in slack.fake.messages["C1"]
                       if m.get("bot_id") and m.get("thread_ts") == event["ts"]]
            if replies and replies[0]["text"].startswith("⚠️"):
                break
            time.sleep(0.1)
        assert len(replies) == 1 and reason in replies[0]["text"], (reason, replies)
        assert len(replies[0]["text"]) < 300 and "Traceback" not in replies[0]["text"]
    body, event = slack.event(f"<@{BOT_USER}> {LUMA}")  # still answering
    assert slack.post(body) == 200
    assert "1181万次" in block_text(slack.final_reply("C1", event["ts"]))
    for post in slack.fake.calls_to("chat.postMessage"):  # links are never fetched by Slack
        assert str(post["unfurl_links"]).lower() in ("false", "0")
        assert str(post["unfurl_media"]).lower() in ("false", "0")


def test_bad_signature_and_stale_timestamp_are_rejected(slack: Harness) -> None:
    body, _ = slack.event(f"<@{BOT_USER}> {LUMA}")
    assert slack.post(body, secret="0" * 32) == 401
    assert slack.post(body, timestamp=int(time.time()) - 6 * 60) == 401
    time.sleep(0.5)
    assert slack.fake.calls_to("chat.postMessage") == []


def test_redeliveries_never_answer_twice(slack: Harness) -> None:
    body, event = slack.event(f"<@{BOT_USER}> 快手推出的AI奇幻短剧叫什么？", event_id="EvSAME")
    assert slack.post(body) == 200
    for retry in (1, 2, 3):
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        assert slack.post(body, headers=headers) == 200
    assert "山海奇镜" in block_text(slack.final_reply("C1", event["ts"]))
    time.sleep(1.0)
    assert len(slack.fake.calls_to("chat.postMessage")) == 1


def test_direct_message_and_thread_follow_up(slack: Harness) -> None:
    body, dm = slack.event("Luma AI 9月的访问量是多少？", channel="D1", kind="message",
                           extra={"channel_type": "im"})
    assert slack.post(body) == 200
    assert "1181万次" in block_text(slack.final_reply("D1", dm["ts"]))

    body, first = slack.event(f"<@{BOT_USER}> 智谱清言推出了哪款免费的视频模型？")
    assert slack.post(body) == 200
    slack.final_reply("C1", first["ts"])
    body, _ = slack.event(f"<@{BOT_USER}> 它生成一个5秒片段要多久？", thread_ts=first["ts"])
    assert slack.post(body) == 200
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        answers = [m for m in slack.fake.messages["C1"]
                   if m.get("bot_id") and m.get("thread_ts") == first["ts"] and m.get("blocks")]
        if len(answers) == 2:
            break
        time.sleep(0.1)
    assert "3~5分钟" in block_text(answers[-1])
    assert slack.fake.calls_to("conversations.replies")


def test_bot_messages_are_ignored(slack: Harness) -> None:
    body, _ = slack.event(f"<@{BOT_USER}> {LUMA}", extra={"bot_id": "BOTHER"})
    assert slack.post(body) == 200
    body, _ = slack.event("plain channel chatter", kind="message",
                          extra={"channel_type": "channel"})
    assert slack.post(body) == 200
    time.sleep(1.0)
    assert slack.fake.calls_to("chat.postMessage") == []


def test_feedback_button_is_stored(slack: Harness, tmp_path: Path) -> None:
    body, event = slack.event(f"<@{BOT_USER}> {LUMA}")
    slack.post(body)
    reply = slack.final_reply("C1", event["ts"])
    button = [b for b in reply["blocks"] if b["type"] == "actions"][0]["elements"][1]
    payload = {"type": "block_actions", "user": {"id": "U1"}, "team": {"id": "T1"},
               "channel": {"id": "C1"}, "message": reply, "trigger_id": "1",
               "actions": [{"action_id": button["action_id"], "value": button["value"],
                            "type": "button", "block_id": "b"}], "api_app_id": "A1",
               "token": "t", "container": {"type": "message", "message_ts": reply["ts"]}}
    form = urllib.parse.urlencode({"payload": json.dumps(payload, ensure_ascii=False)})
    assert slack.post(form, content_type="application/x-www-form-urlencoded") == 200
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not slack.bot.feedback.rows():
        time.sleep(0.1)
    [row] = slack.bot.feedback.rows()
    assert row["rating"] == -1 and row["channel"] == "slack" and row["question"] == LUMA


def test_long_answer_is_split_within_slack_limits(seeded: Corpus, make_settings, tmp_path):
    sentence = "据SimilarWeb统计,Luma AI网站在9月的总访问量仅为1181万次[1]。"
    long_reply = sentence * (10_000 // len(sentence) + 1)
    assert len(long_reply) >= 10_000
    with FakeLLM([Reply(long_reply, token_chars=400)]) as llm, FakeSlack() as fake:
        settings = make_settings(data_dir=seeded.settings.data_dir, llm="openai",
                                 openai_base_url=llm.base_url, llm_max_tokens=8000)
        agent = Agent(seeded, backend="openai", settings=settings)
        bot = make_bot(fake, LocalAnswerer(agent), tmp_path, update_every=0.0)
        with uvicorn_thread(http_app(bot)) as url:
            reply = Harness(fake, url, bot).mention(LUMA)
        sections = [b["text"]["text"] for b in reply["blocks"] if b["type"] == "section"]
        assert sum(len(s) for s in sections) >= 10_000
        assert all(len(s) <= SECTION_LIMIT for s in sections)
        for update in fake.calls_to("chat.update"):
            assert len(update.get("text", "")) <= 4000
    many = {"answer": "长" * 200_000, "citations": [], "refused": False}
    messages = split_messages(answer_blocks(many, "k"))
    assert len(messages) > 1 and all(len(m) <= BLOCKS_PER_MESSAGE for m in messages)
    assert all(len(b["text"]["text"]) <= SECTION_LIMIT for m in messages for b in m
               if b["type"] == "section")


def test_mrkdwn_is_escaped() -> None:
    blocks = answer_blocks({"answer": "A <b> & <@U1> > C", "citations": [
        {"n": 1, "title": "T<x>", "outlet": "", "date": "", "quote": "q & <q>"}]}, "k")
    text = json.dumps(blocks, ensure_ascii=False)
    assert "&lt;b&gt; &amp; &lt;@U1&gt; &gt; C" in text and "q &amp; &lt;q&gt;" in text


def test_socket_mode_handler_processes_an_envelope(seeded: Corpus, tmp_path: Path) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from slack_sdk.socket_mode.request import SocketModeRequest

    with FakeSlack() as fake:
        bot = make_bot(fake, LocalAnswerer(Agent(seeded)), tmp_path, signing_secret="",
                       app_token="xapp-1-test")
        handler = SocketModeHandler(bot.app, bot.config.app_token)
        acks: list[Any] = []

        class Client:
            logger = logging.getLogger("socket-mode-test")

            def send_socket_mode_response(self, response: Any) -> None:
                acks.append(response)

        harness = Harness(fake, "", bot)
        body, event = harness.event(f"<@{BOT_USER}> {LUMA}")
        request = SocketModeRequest(type="events_api", envelope_id="env-1",
                                    payload=json.loads(body))
        handler.handle(Client(), request)  # type: ignore[arg-type]
        assert acks and acks[0].envelope_id == "env-1"
        assert "1181万次" in block_text(harness.final_reply("C1", event["ts"]))


def test_slack_settings_name_the_variable(make_settings) -> None:
    def config(mode: str, **values: str) -> SlackConfig:
        return SlackConfig.from_settings(make_settings(**values), mode)

    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN is not set"):
        config("http")
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN looks malformed"):
        config("http", slack_bot_token="xapp-123")
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET is not set"):
        config("http", slack_bot_token="xoxb-1")
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN looks malformed"):
        config("socket", slack_bot_token="xoxb-1", slack_app_token="xoxb")
    assert config("http", slack_bot_token="xoxb-1",
                  slack_signing_secret=SECRET).signing_secret == SECRET


def test_slack_settings_come_from_dotenv_like_every_other_setting(tmp_path: Path,
                                                                  monkeypatch) -> None:
    """Slack variables in .env are read (they used to make every command fail), by the one
    settings model that every command uses."""
    from ui.cli import app

    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(
        f"SLACK_BOT_TOKEN=xoxb-from-dotenv\nSLACK_SIGNING_SECRET={SECRET}\n"
        "LANDSCAPE_SLACK_BACKEND_URL=http://127.0.0.1:9/\nLANDSCAPE_SLACK_ALLOW_BOTS=true\n"
        f"LANDSCAPE_DATA_DIR={tmp_path / 'data'}\n", encoding="utf-8")
    from index.settings import load_settings

    config = SlackConfig.from_settings(load_settings(), "http")
    assert config.bot_token == "xoxb-from-dotenv" and config.signing_secret == SECRET
    assert config.backend_url == "http://127.0.0.1:9" and config.allow_bots
    result = CliRunner().invoke(app, ["stats", "--json"])  # other commands still work
    assert result.exit_code == 0, result.output


def test_bot_can_answer_through_a_landscape_server(seeded: Corpus, tmp_path: Path) -> None:
    """LANDSCAPE_SLACK_BACKEND_URL: the bot streams answers from /v1 of `landscape serve`."""
    from ui.server import create_app
    from ui.services import Services

    services = Services(seeded.settings, seeded, Agent(seeded),
                        FeedbackStore(tmp_path / "server-feedback.sqlite"))
    with uvicorn_thread(create_app(services)) as server, FakeSlack() as fake:
        bot = make_bot(fake, RemoteAnswerer(server), tmp_path, backend_url=server)
        with uvicorn_thread(http_app(bot)) as url:
            harness = Harness(fake, url, bot)
            body, event = harness.event(f"<@{BOT_USER}> 2024年国内大模型市场规模增长到了多少？")
            assert harness.post(body) == 200
            text = block_text(harness.final_reply("C1", event["ts"]))
    assert "120亿元" in text and "Sources" in text


def test_slack_users_are_rate_limited(seeded: Corpus, tmp_path: Path) -> None:
    with FakeSlack() as fake:
        bot = make_bot(fake, LocalAnswerer(Agent(seeded)), tmp_path, per_user_per_minute=1)
        with uvicorn_thread(http_app(bot)) as url:
            harness = Harness(fake, url, bot)
            events = []
            for _ in range(6):
                body, event = harness.event(f"<@{BOT_USER}> {LUMA}")
                assert harness.post(body) == 200
                events.append(event)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and len(fake.calls_to("chat.postMessage")) < 6:
                time.sleep(0.1)
        posts = fake.calls_to("chat.postMessage")
    assert len(posts) == 6
    assert sum("asking faster" in p.get("text", "") for p in posts) == 1
