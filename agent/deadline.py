"""A hard wall on how long one question waits for the language model.

A backend can block inside a socket read that no timeout of its own interrupts in time (a
server that stops mid-stream, tokens that trickle in). ``stream_until`` reads the backend in a
worker thread and gives up at the deadline, so the caller can fall back to the extractive
answer: no question waits longer than ``LANDSCAPE_LLM_TIMEOUT``.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator

from index.errors import LLMUnavailable

_DONE = object()


def stream_until(
    produce: Callable[[], Iterator[str]], deadline: float | None, limit: float
) -> Iterator[str]:
    """Tokens of ``produce()`` until they end or ``deadline`` (``time.monotonic()``) passes.

    The iterator is read in a daemon thread; its exceptions are re-raised here. At the
    deadline this raises ``LLMUnavailable`` naming ``limit`` (the configured timeout); the
    worker then closes the iterator after its next token, or when its own timeout fires.
    """
    if deadline is None:
        yield from produce()
        return
    tokens: queue.Queue[object] = queue.Queue()
    cancelled = threading.Event()

    def work() -> None:
        iterator = produce()
        try:
            for token in iterator:
                if cancelled.is_set():
                    return
                tokens.put(token)
        except BaseException as exc:  # noqa: BLE001 - handed over to the reading thread
            tokens.put(exc)
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()
            tokens.put(_DONE)

    threading.Thread(target=work, name="llm-stream", daemon=True).start()
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise LLMUnavailable(f"the language model did not finish within {limit:g} s "
                                     "(LANDSCAPE_LLM_TIMEOUT)")
            try:
                item = tokens.get(timeout=left)
            except queue.Empty:
                continue
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield str(item)
    finally:
        cancelled.set()
