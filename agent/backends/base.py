"""The contract every LLM backend fulfils: stream the reply to a list of chat messages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypedDict


class Message(TypedDict):
    role: str  # "system" | "user" | "assistant"
    content: str


class ChatBackend:
    """One method to implement. Raise ``LLMUnavailable`` for failures worth retrying or falling
    back from (unreachable, 5xx, timeout, dropped stream) and ``LLMError`` for the rest.

    ``deadline`` is a ``time.monotonic()`` value by which the whole reply must be in, retries
    included; a backend stops retrying or reading past it (the agent also enforces it)."""

    name = "base"

    def stream(
        self,
        messages: list[Message],
        *,
        max_tokens: int,
        temperature: float,
        deadline: float | None = None,
    ) -> Iterator[str]:
        raise NotImplementedError(f"{type(self).__name__} must implement stream()")

    def describe(self) -> str:
        """A short human description, e.g. for the UI's settings panel."""
        return self.name
