"""Where the bot's answers come from: the agent in this process, or a landscape server's
OpenAI-compatible API (``LANDSCAPE_SLACK_BACKEND_URL``). Both yield the same events."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from agent.pipeline import Agent, Turn
from index.errors import LLMUnavailable

Event = tuple[str, Any]  # ("token", text) | ("reset", None) | ("final", answer dict)


class LocalAnswerer:
    def __init__(self, agent: Agent) -> None:
        self.agent = agent

    def stream(self, question: str, history: list[Turn]) -> Iterator[Event]:
        for event in self.agent.stream(question, history):
            if event.kind == "final" and event.answer is not None:
                yield "final", {**event.answer.as_dict(), "question": event.answer.question}
            else:
                yield event.kind, event.text

    def entity_card(self, name: str) -> dict[str, Any] | None:
        card = self.agent.corpus.entities.card(name)
        return card.as_dict() if card is not None else None


class RemoteAnswerer:
    """Streams from ``/v1/chat/completions`` of a running ``landscape serve``."""

    def __init__(self, base_url: str, api_key: str = "", timeout: float = 120.0) -> None:
        from openai import OpenAI

        self.client = OpenAI(base_url=f"{base_url}/v1", api_key=api_key or "none",
                             timeout=timeout, max_retries=2)
        self.base_url, self.api_key = base_url, api_key or "none"

    def entity_card(self, name: str) -> dict[str, Any] | None:
        """The server's card for ``name`` (``GET /v1/landscape/entity``), None on a 404."""
        import httpx

        try:
            reply = httpx.get(f"{self.base_url}/v1/landscape/entity", params={"name": name},
                              headers={"Authorization": f"Bearer {self.api_key}"}, timeout=30)
            if reply.status_code == 404:
                return None
            reply.raise_for_status()
            card: dict[str, Any] = reply.json()
            return card
        except (httpx.HTTPError, ValueError) as exc:
            raise LLMUnavailable(f"the landscape server did not answer ({exc})") from None

    def stream(self, question: str, history: list[Turn]) -> Iterator[Event]:
        import openai

        messages = [{"role": t.role, "content": t.content} for t in history]
        messages.append({"role": "user", "content": question})
        try:
            chunks: Any = self.client.chat.completions.create(
                model="landscape", messages=messages, stream=True  # type: ignore[arg-type]
            )
            for chunk in chunks:
                extra = chunk.model_extra or {}
                if extra.get("reset"):
                    yield "reset", None
                if chunk.choices and chunk.choices[0].delta.content:
                    yield "token", chunk.choices[0].delta.content
                if "answer" in extra:
                    yield "final", {**extra, "question": question}
        except openai.OpenAIError as exc:
            raise LLMUnavailable(f"the landscape server did not answer ({exc})") from None
