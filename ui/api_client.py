"""Evaluation through the HTTP API: each case is asked over ``/v1/chat/completions`` with the
official ``openai`` client, exactly as an integration would (a follow-up's earlier turn is asked
first and sent back as history)."""

from __future__ import annotations

from typing import Any

from index.evaluate import EvalCase


def api_asker(base_url: str, api_key: str, k: int) -> Any:
    from openai import OpenAI

    client = OpenAI(base_url=base_url, api_key=api_key, max_retries=5, timeout=120)

    def complete(messages: list[dict[str, str]]) -> dict[str, Any]:
        reply = client.chat.completions.create(
            model="landscape", messages=messages,  # type: ignore[arg-type]
            extra_body={"debug": True, "k": k},
        )
        extras = dict(reply.model_extra or {})
        return {**extras, "answer": reply.choices[0].message.content or ""}

    def ask(case: EvalCase) -> dict[str, Any]:
        messages: list[dict[str, str]] = []
        for earlier in case.history:
            messages.append({"role": "user", "content": earlier})
            messages.append({"role": "assistant", "content": complete(messages)["answer"]})
        messages.append({"role": "user", "content": case.question})
        return complete(messages)

    return ask
