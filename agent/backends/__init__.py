"""LLM backends, chosen by name (``LANDSCAPE_LLM``); imports are lazy so extras stay optional."""

from __future__ import annotations

from agent.backends.base import ChatBackend, Message
from index.errors import UnknownBackend
from index.settings import Settings

BACKENDS = ("extractive", "openai", "llamacpp")

__all__ = ["BACKENDS", "ChatBackend", "Message", "make_backend"]


def make_backend(name: str, settings: Settings) -> ChatBackend | None:
    """The backend called ``name``; None for ``extractive``, which answers without an LLM."""
    key = name.strip().lower()
    if key == "extractive":
        return None
    if key == "openai":
        from agent.backends.openai_compat import OpenAIBackend

        return OpenAIBackend.from_settings(settings)
    if key == "llamacpp":
        from agent.backends.llamacpp import LlamaCppBackend

        return LlamaCppBackend.from_settings(settings)
    raise UnknownBackend(
        f"unknown LLM backend {name!r}; choose one of: {', '.join(BACKENDS)} "
        "(set LANDSCAPE_LLM or pass --backend)"
    )
