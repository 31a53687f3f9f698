"""The Bolt app: mentions and DMs answered in threads, streamed by updating a placeholder,
finished with Block Kit sources and feedback buttons. Slack's redeliveries never answer twice."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import OrderedDict
from typing import Any

from fastapi import Request

from agent.pipeline import Turn
from index.errors import BadQuestion, LandscapeError
from index.observe import RequestLog, new_request_id
from ui.feedback import FeedbackStore
from ui.ratelimit import limiter_for
from ui.slack.answerer import LocalAnswerer, RemoteAnswerer
from ui.slack.blocks import (
    FEEDBACK_DOWN,
    FEEDBACK_UP,
    answer_blocks,
    entity_blocks,
    escape,
    split_messages,
)
from ui.slack.config import SlackConfig
from ui.state import ConversationStore, Database, EventClaims

log = logging.getLogger("landscape.slack")
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
PLACEHOLDER = "🔎 正在查找资料… / Looking through the documents…"
NO_UNFURL = {"unfurl_links": False, "unfurl_media": False}  # links in answers are not fetched
KEPT_ANSWERS = 2000  # answers remembered for their feedback buttons (older: the message text)
SORRY = ("Sorry, something went wrong while answering; it has been logged. Please try again. "
         "/ 抱歉，回答时出了问题，已记录，请稍后再试。")


class SlackBot:
    """Everything the listeners need; ``app`` is the Bolt app."""

    def __init__(
        self,
        config: SlackConfig,
        answerer: LocalAnswerer | RemoteAnswerer,
        feedback: FeedbackStore,
        events: EventClaims,
    ) -> None:
        from slack_bolt import App
        from slack_sdk import WebClient

        self.config = config
        self.answerer = answerer
        self.feedback = feedback
        self.events = events
        self.log_questions = config.log_questions
        self.conversations = ConversationStore(feedback.db)
        self.answers: OrderedDict[str, dict[str, Any]] = OrderedDict()  # feedback key -> answer
        self._answers_lock = threading.Lock()
        self.limiter = limiter_for(feedback.db, config.per_user_per_minute)
        client = WebClient(token=config.bot_token, base_url=config.api_url)
        self.app = App(
            token=config.bot_token,
            signing_secret=config.signing_secret or None,
            client=client,
            ignoring_self_events_enabled=True,
        )
        self.app.middleware(self._deduplicate)
        self.app.event("app_mention")(self._on_mention)
        self.app.event("message")(self._on_message)
        self.app.command("/landscape")(self._on_command)
        self.app.action(FEEDBACK_UP)(self._on_feedback)
        self.app.action(FEEDBACK_DOWN)(self._on_feedback)

    # --- middleware and listeners ------------------------------------------------------------
    def _deduplicate(self, body: dict[str, Any], next: Any) -> Any:  # noqa: A002 - Bolt's name
        event_id = body.get("event_id")
        if event_id and not self.events.first_time(str(event_id)):
            log.info("ignoring redelivery of %s", event_id)
            from slack_bolt import BoltResponse

            return BoltResponse(status=200, body="")
        return next()

    def _from_bot(self, event: dict[str, Any]) -> bool:
        return bool(event.get("bot_id") or event.get("subtype") == "bot_message")

    def _on_mention(self, event: dict[str, Any], client: Any, context: Any) -> None:
        if self._from_bot(event) and not self.config.allow_bots:
            return
        self.answer(event, client, context.get("bot_user_id"))

    def _on_message(self, event: dict[str, Any], client: Any, context: Any) -> None:
        if event.get("channel_type") != "im" or event.get("subtype"):
            return  # channel messages are answered only when the bot is mentioned
        if self._from_bot(event) and not self.config.allow_bots:
            return
        self.answer(event, client, context.get("bot_user_id"))

    def _on_feedback(self, ack: Any, body: dict[str, Any], client: Any) -> None:
        ack()
        action = body["actions"][0]
        answer = self.answers.get(action.get("value", ""), {})
        message = body.get("message", {})
        try:
            self.feedback.record(
                channel="slack",
                question=answer.get("question", ""),
                answer=answer.get("answer", message.get("text", "")),
                rating=1 if action["action_id"] == FEEDBACK_UP else -1,
                history=answer.get("history", []),
                citations=answer.get("citations", []),
                language=answer.get("language", "zh"),
                refused=bool(answer.get("refused")),
            )
            thanks = "Thanks for the feedback! / 感谢反馈！"
        except LandscapeError as exc:
            log.warning("feedback not saved: %s", exc)
            thanks = f"⚠️ Feedback not saved ({exc}) / 反馈未能保存"
        channel = body.get("channel", {}).get("id")
        user = body.get("user", {}).get("id")
        if channel and user:
            client.chat_postEphemeral(channel=channel, user=user, text=thanks)

    def _on_command(self, ack: Any, command: dict[str, Any], client: Any) -> None:
        """``/landscape entity NAME``: the entity's card, posted in the channel."""
        ack()
        channel = command.get("channel_id", "")
        user = command.get("user_id", "")
        verb, _, name = str(command.get("text", "")).strip().partition(" ")
        name = name.strip()

        def tell(text: str) -> None:
            client.chat_postEphemeral(channel=channel, user=user, text=text)

        if verb.lower() != "entity" or not name:
            tell("Usage: `/landscape entity NAME` (a company, product or person: 字节, Kling, "
                 "李开复) / 用法：`/landscape entity 名称`")
            return
        if wait := self.limiter.allow(user):
            tell(f"⏳ You're asking faster than I can answer; try again in {max(1, round(wait))} "
                 "s. / 提问太频繁，请稍后再试。")
            return
        try:
            card = self.answerer.entity_card(name[:200])
        except LandscapeError as exc:
            tell(f"⚠️ {escape(str(exc))}")
            return
        except Exception:  # never a traceback in Slack
            log.exception("entity card for %r failed", name)
            tell(SORRY)
            return
        if card is None:
            tell(f"No entity named “{escape(name[:200])}” in the documents. / 文档中没有名为"
                 f"“{escape(name[:200])}”的实体。")
            return
        for blocks in split_messages(entity_blocks(card)):
            client.chat_postMessage(channel=channel, blocks=blocks, text=card["name"],
                                    **NO_UNFURL)

    # --- answering ----------------------------------------------------------------------------
    def history(self, client: Any, event: dict[str, Any], bot_user: str | None) -> list[Turn]:
        """The thread's earlier turns (for a follow-up inside a thread)."""
        thread_ts = event.get("thread_ts")
        if not thread_ts:
            return []
        replies = client.conversations_replies(channel=event["channel"], ts=thread_ts, limit=50)
        turns: list[Turn] = []
        for message in replies.get("messages", []):
            if message.get("ts") == event.get("ts"):
                continue
            text = message.get("text", "")
            if message.get("bot_id") or (bot_user and message.get("user") == bot_user):
                if text and text != PLACEHOLDER:
                    turns.append(Turn("assistant", text))
            elif text:
                turns.append(Turn("user", _MENTION.sub("", text).strip()))
        return turns

    def answer(self, event: dict[str, Any], client: Any, bot_user: str | None) -> None:
        channel = event["channel"]
        thread_ts = event.get("thread_ts") or event["ts"]
        question = _MENTION.sub("", event.get("text", "")).strip()
        new_request_id(f"slack-{event.get('event_ts') or event.get('ts', '')}")
        record = RequestLog("slack", self.log_questions, question)
        wait = self.limiter.allow(str(event.get("user", "")))
        if wait:
            record.outcome("rate_limited")
            client.chat_postMessage(
                channel=channel, thread_ts=thread_ts,
                text=f"⏳ You're asking faster than I can answer; try again in "
                     f"{max(1, round(wait))} s. / 提问太频繁，请稍后再试。")
            return
        placeholder = client.chat_postMessage(channel=channel, thread_ts=thread_ts,
                                              text=PLACEHOLDER, **NO_UNFURL)
        ts = placeholder["ts"]
        try:
            if not question:
                raise BadQuestion("ask me a question about the AI industry, in Chinese or "
                                  "English / 请直接提问")
            history = self.history(client, event, bot_user)
            final = self._stream(client, channel, ts, question, history)
        except LandscapeError as exc:
            record.outcome("bad_request" if isinstance(exc, BadQuestion) else "error")
            client.chat_update(channel=channel, ts=ts, text=f"⚠️ {escape(str(exc))}")
            return
        except Exception:  # noqa: BLE001 - one polite message in the thread, details in the log
            record.outcome("error")
            log.exception("answering a Slack question failed")
            client.chat_update(channel=channel, ts=ts, text=SORRY)
            return
        record.answered(bool(final.get("refused")), str(final.get("backend")),
                        len(final.get("citations") or []))
        key = f"{channel}:{ts}"
        web_link = self._continue_in_web(channel, thread_ts, history, question, final)
        with self._answers_lock:
            self.answers[key] = {**final, "history": [t.content for t in history
                                                       if t.role == "user"]}
            while len(self.answers) > KEPT_ANSWERS:
                self.answers.popitem(last=False)
        blocks = answer_blocks(final, key)
        if web_link:
            blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": (
                f"<{web_link}|Continue in the web chat / 在网页中继续>")}]})
        messages = split_messages(blocks)
        summary = escape(final["answer"])[:300]
        client.chat_update(channel=channel, ts=ts, text=summary, blocks=messages[0])
        for blocks in messages[1:]:
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=summary,
                                    blocks=blocks, **NO_UNFURL)

    def _continue_in_web(self, channel: str, thread_ts: str, history: list[Turn],
                         question: str, final: dict[str, Any]) -> str:
        """With LANDSCAPE_PUBLIC_URL: the thread saved as a conversation, and its web link."""
        if not self.config.public_url:
            return ""
        from ui.conversations import slack_conversation_id

        secret = self.config.signing_secret or self.config.bot_token
        conversation_id = slack_conversation_id(secret, channel, thread_ts)
        turns = [*history, Turn("user", question), Turn("assistant", final["answer"])]
        try:
            self.conversations.save(conversation_id, "slack", turns[0].content[:60],
                                    [{"role": t.role, "content": t.content} for t in turns])
        except LandscapeError as exc:
            log.warning("thread not saved for the web chat: %s", exc)
            return ""
        return f"{self.config.public_url}/?conversation={conversation_id}"

    def _stream(self, client: Any, channel: str, ts: str, question: str,
                history: list[Turn]) -> dict[str, Any]:
        text = ""
        last_update = time.monotonic()
        final: dict[str, Any] | None = None
        for kind, value in self.answerer.stream(question, history):
            if kind == "token":
                text += value
                if time.monotonic() - last_update >= self.config.update_every:
                    client.chat_update(channel=channel, ts=ts, text=escape(text[-3500:]) + " …")
                    last_update = time.monotonic()
            elif kind == "reset":
                text = ""
            elif kind == "final":
                final = value
        if final is None:
            raise LandscapeError("the answer stream ended early; please ask again")
        return final


def build_bot(config: SlackConfig, db: Database, services: Any | None = None) -> SlackBot:
    """The bot over the in-process agent, or over a remote landscape server; feedback and
    event claims in the shared-state database."""
    answerer: LocalAnswerer | RemoteAnswerer
    if config.backend_url:
        answerer = RemoteAnswerer(config.backend_url, config.backend_key)
    else:
        assert services is not None
        answerer = LocalAnswerer(services.agent)
    return SlackBot(config, answerer, FeedbackStore(db), EventClaims(db))


async def dispatch_events(bot_app: Any, request: Request) -> Any:
    """One Events API request to the Bolt app, off the event loop: the listeners and the
    event-claim middleware block (the shared database, Slack's Web API), and a blocked loop
    would stall every other request of the server."""
    from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
    from starlette.concurrency import run_in_threadpool

    body = await request.body()
    response = await run_in_threadpool(bot_app.dispatch, to_bolt_request(request, body))
    return to_starlette_response(response)


def http_app(bot: SlackBot) -> Any:
    """Events API over HTTP: POST /slack/events (signatures checked by Bolt)."""
    from fastapi import FastAPI

    app = FastAPI(docs_url=None, redoc_url=None)

    @app.post("/slack/events")
    async def events(request: Request) -> Any:
        return await dispatch_events(bot.app, request)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def manifest(name: str = "Landscape", request_url: str | None = None) -> dict[str, Any]:
    """A Slack app manifest: bot scopes, events, Socket Mode on (or an Events API URL)."""
    settings: dict[str, Any] = {
        "event_subscriptions": {"bot_events": ["app_mention", "message.im"]},
        "interactivity": {"is_enabled": True},
        "org_deploy_enabled": False,
        "socket_mode_enabled": request_url is None,
        "token_rotation_enabled": False,
    }
    if request_url:
        settings["event_subscriptions"]["request_url"] = request_url
        settings["interactivity"]["request_url"] = request_url
    return {
        "display_information": {
            "name": name,
            "description": "Answers questions about the AI strategy landscape, with sources.",
        },
        "features": {
            "bot_user": {"display_name": name, "always_online": True},
            "slash_commands": [{
                "command": "/landscape", "usage_hint": "entity NAME",
                "description": "A company, product or person's card, every item cited",
                "should_escape": False, **({"url": request_url} if request_url else {}),
            }],
            "app_home": {"messages_tab_enabled": True, "messages_tab_read_only_enabled": False},
        },
        "oauth_config": {
            "scopes": {
                "bot": ["app_mentions:read", "chat:write", "commands", "channels:history",
                        "groups:history",
                        "im:history", "im:read", "im:write", "mpim:history"]
            }
        },
        "settings": settings,
    }
