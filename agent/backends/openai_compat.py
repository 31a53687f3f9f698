"""Any OpenAI-compatible chat endpoint (OpenAI, DeepSeek, Qwen, Kimi, vLLM, Ollama, llama.cpp)
through the official ``openai`` SDK, streaming, with timeouts and retries with backoff."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

from agent.backends.base import ChatBackend, Message
from index.errors import ConfigError, LLMAuthError, LLMError, LLMUnavailable
from index.settings import Settings

_NO_KEY = "not-needed"  # local servers (vLLM, Ollama, llama.cpp) accept any key


class OpenAIBackend(ChatBackend):
    """Streams chat completions; retries only before the first token arrives, and only while
    the question's time budget (``timeout``, retries included) lasts."""

    name = "openai"

    def __init__(
        self,
        model: str,
        base_url: str | None,
        api_key: str,
        timeout: float,
        retries: int,
        backoff: float = 0.5,
    ) -> None:
        from openai import OpenAI

        self.model = model
        self.base_url = base_url
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.client = OpenAI(base_url=base_url, api_key=api_key, timeout=timeout, max_retries=0)

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenAIBackend:
        base_url = settings.openai_base_url
        if base_url:
            parsed = urlparse(base_url)
            if parsed.scheme not in ("http", "https") or not parsed.netloc:
                raise ConfigError(
                    f"LANDSCAPE_OPENAI_BASE_URL={base_url!r} is not an http(s) URL; use e.g. "
                    "http://127.0.0.1:8000/v1 or https://api.deepseek.com/v1"
                )
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else ""
        if not key and not base_url:
            raise ConfigError(
                "the openai backend needs an API key: set LANDSCAPE_OPENAI_API_KEY, or set "
                "LANDSCAPE_OPENAI_BASE_URL to a local OpenAI-compatible server"
            )
        return cls(
            model=settings.openai_model,
            base_url=base_url,
            api_key=key or _NO_KEY,
            timeout=settings.llm_timeout,
            retries=settings.llm_retries,
        )

    @property
    def where(self) -> str:
        return self.base_url or "api.openai.com"

    def describe(self) -> str:
        return f"openai-compatible · {self.model} @ {self.where}"

    def _translate(self, exc: Exception) -> Exception:
        import openai

        where = self.where
        if isinstance(exc, openai.AuthenticationError):
            return LLMAuthError(f"{where} refused the API key (401); check "
                                "LANDSCAPE_OPENAI_API_KEY")
        if isinstance(exc, openai.PermissionDeniedError):
            return LLMAuthError(f"{where} denied access (403); check LANDSCAPE_OPENAI_API_KEY")
        if isinstance(exc, openai.NotFoundError):
            return LLMError(
                f"{where} has no model {self.model!r} or no chat endpoint there (404); check "
                "LANDSCAPE_OPENAI_MODEL and LANDSCAPE_OPENAI_BASE_URL (it usually ends in /v1)"
            )
        if isinstance(exc, openai.RateLimitError):
            return LLMUnavailable(f"{where} is rate limiting requests (429)")
        if isinstance(exc, openai.APITimeoutError):
            return LLMUnavailable(self._late())
        if isinstance(exc, openai.APIConnectionError):
            return LLMUnavailable(f"cannot connect to {where}; check LANDSCAPE_OPENAI_BASE_URL")
        if isinstance(exc, openai.APIStatusError) and exc.status_code >= 500:
            return LLMUnavailable(f"{where} failed with HTTP {exc.status_code}")
        if isinstance(exc, openai.APIStatusError):
            return LLMError(f"{where} rejected the request (HTTP {exc.status_code}): "
                            f"{str(exc)[:200]}")
        if isinstance(exc, openai.OpenAIError | ValueError):
            return LLMUnavailable(f"{where} sent a malformed reply ({type(exc).__name__})")
        return exc

    def _open(
        self, messages: list[Message], max_tokens: int, temperature: float, timeout: float
    ) -> tuple[Any, Any, Any]:
        """Start the stream and read up to the first chunk, so retries cover the connection."""
        try:
            stream: Any = self.client.chat.completions.create(
                model=self.model,
                messages=messages,  # type: ignore[arg-type]
                max_tokens=max_tokens,
                temperature=temperature,
                stream=True,
                timeout=timeout,
            )
        except Exception as exc:  # noqa: BLE001 - mapped to our error tree
            raise self._translate(exc) from None
        try:
            iterator = iter(stream)
            first = next(iterator, None)
        except Exception as exc:  # noqa: BLE001
            stream.close()
            raise self._translate(exc) from None
        return stream, first, iterator

    def _open_with_retries(
        self, messages: list[Message], max_tokens: int, temperature: float, deadline: float
    ) -> tuple[Any, Any, Any]:
        """Retry failures worth retrying, with exponential backoff, while time is left."""
        attempt = 0
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise LLMUnavailable(self._late())
            if attempt == 0 and self.retries:
                left /= 2  # a first try that hangs leaves time for another
            try:
                return self._open(messages, max_tokens, temperature, left)
            except LLMUnavailable:
                attempt += 1
                pause = min(8.0, self.backoff * 2 ** (attempt - 1))
                if attempt > self.retries or time.monotonic() + pause >= deadline:
                    raise
                time.sleep(pause)

    def _late(self) -> str:
        return f"{self.where} did not finish within {self.timeout:g} s (LANDSCAPE_LLM_TIMEOUT)"

    def stream(
        self,
        messages: list[Message],
        *,
        max_tokens: int,
        temperature: float,
        deadline: float | None = None,
    ) -> Iterator[str]:
        if deadline is None:
            deadline = time.monotonic() + self.timeout
        stream, chunk, iterator = self._open_with_retries(
            messages, max_tokens, temperature, deadline
        )
        try:
            while chunk is not None:
                for choice in getattr(chunk, "choices", None) or []:
                    delta = getattr(choice, "delta", None)
                    text = getattr(delta, "content", None) if delta is not None else None
                    if text:
                        yield text
                if time.monotonic() > deadline:
                    raise LLMUnavailable(self._late())
                chunk = next(iterator, None)
        except LLMUnavailable:
            raise
        except Exception as exc:  # noqa: BLE001 - a dropped or garbled stream mid-answer
            error = self._translate(exc)
            if isinstance(error, LLMUnavailable) or not isinstance(error, LLMError):
                error = LLMUnavailable(f"the reply stream from {self.where} broke off "
                                       f"({type(exc).__name__})")
            raise error from None
        finally:
            stream.close()
