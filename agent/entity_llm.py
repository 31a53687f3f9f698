"""With an LLM configured, extraction asks it too: the organisations, products/models and people
a document names. Its reply is untrusted: ``index.entities.verbatim_entries`` keeps only names
the text holds verbatim, and a failed call leaves the offline extraction as it is.

Off with ``LANDSCAPE_ENTITY_LLM=false`` (each new document costs one call per 3,000 characters).
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

from agent.backends import ChatBackend, make_backend
from index.corpus import Corpus
from index.settings import Settings

PIECE_CHARS = 3000
MAX_PIECES = 4  # per document: the rest of a long text is left to the offline extractor
PROMPT = (
    "List every organisation (company, lab, university, agency), product or model (AI models, "
    "apps, platforms, named works) and person named in the text below. Reply with one JSON "
    'object per line, {"name": "...", "type": "org" | "product" | "person"}, the name '
    "copied exactly as the text writes it, and nothing else.\n\n<text>\n{text}\n</text>"
)
_OBJECT = re.compile(r"\{[^{}\n]{0,300}\}")


class LLMEntityProposer:
    """``proposer(text)`` → ``[{"name", "type"}, ...]`` as the model suggests them."""

    def __init__(self, backend: ChatBackend, settings: Settings) -> None:
        self.backend = backend
        self.settings = settings

    def __call__(self, text: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for start in range(0, min(len(text), PIECE_CHARS * MAX_PIECES), PIECE_CHARS):
            piece = text[start:start + PIECE_CHARS]
            reply = "".join(self.backend.stream(
                [{"role": "user", "content": PROMPT.replace("{text}", piece)}],
                max_tokens=self.settings.llm_max_tokens, temperature=0.0,
                deadline=time.monotonic() + self.settings.llm_timeout))
            found += parse_entities(reply)
        return found


def parse_entities(reply: str) -> list[dict[str, Any]]:
    """The JSON objects of a reply, one per line (or a JSON list); anything else is ignored."""
    try:
        whole = json.loads(reply)
        if isinstance(whole, list):
            return [x for x in whole if isinstance(x, dict)]
    except ValueError:
        pass
    parsed = []
    for match in _OBJECT.finditer(reply):
        try:
            value = json.loads(match.group(0))
        except ValueError:
            continue
        if isinstance(value, dict):
            parsed.append(value)
    return parsed


def attach_llm_extraction(corpus: Corpus, settings: Settings,
                          backend: ChatBackend | None = None) -> bool:
    """Let ingest ask the configured LLM for entities too; False when none is configured or
    ``LANDSCAPE_ENTITY_LLM`` is off."""
    if not settings.entity_llm:
        return False
    backend = backend if backend is not None else make_backend(settings.llm, settings)
    if backend is None:
        return False
    corpus.entity_index().proposer = LLMEntityProposer(backend, settings)
    return True
