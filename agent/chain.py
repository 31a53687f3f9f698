"""LangChain pieces: a retriever over hybrid search and a chat model over any ChatBackend."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun, CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from agent.backends.base import ChatBackend, Message
from agent.deadline import stream_until
from index.corpus import Corpus
from index.errors import LLMError, LLMUnavailable
from index.observe import LLM_CALLS
from index.search import SearchFilters, SearchResult, hybrid_search

_ROLES = {"human": "user", "ai": "assistant", "system": "system"}


class HybridRetriever(BaseRetriever):
    """BM25 + dense + English bridge over the corpus, as a LangChain retriever."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    corpus: Corpus
    k: int = 5

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
        filters: SearchFilters | None = None,
    ) -> list[Document]:
        return [
            Document(page_content=r.text, metadata=r.as_dict())
            for r in hybrid_search(self.corpus, query, k=self.k, filters=filters)
        ]


def to_results(documents: list[Document]) -> list[SearchResult]:
    return [SearchResult(**doc.metadata) for doc in documents]


class BackendChatModel(BaseChatModel):
    """Adapts our one-method ChatBackend contract to LangChain's chat model interface.

    A ``deadline`` keyword (``model.bind(deadline=...)``) bounds the call, however the backend
    behaves: see ``agent.deadline``."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    backend: ChatBackend
    max_tokens: int = 700
    temperature: float = 0.1
    timeout: float = 30.0  # the configured budget, named in the error at the deadline

    @property
    def _llm_type(self) -> str:
        return f"landscape-{self.backend.name}"

    @staticmethod
    def _messages(messages: list[BaseMessage]) -> list[Message]:
        return [
            Message(role=_ROLES.get(m.type, "user"), content=str(m.content)) for m in messages
        ]

    def _tokens(self, messages: list[BaseMessage], deadline: float | None) -> Iterator[str]:
        wire = self._messages(messages)
        empty = True
        try:
            for token in stream_until(
                lambda: self.backend.stream(wire, max_tokens=self.max_tokens,
                                            temperature=self.temperature, deadline=deadline),
                deadline, self.timeout,
            ):
                empty = False
                yield token
            if empty:
                raise LLMUnavailable(f"the language model ({self.backend.describe()}) sent an "
                                     "empty reply")
        except LLMError:
            LLM_CALLS.labels("error").inc()
            raise
        LLM_CALLS.labels("ok").inc()

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        for token in self._tokens(messages, kwargs.get("deadline")):
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=token))
            if run_manager is not None:
                run_manager.on_llm_new_token(token, chunk=chunk)
            yield chunk

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        text = "".join(self._tokens(messages, kwargs.get("deadline")))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])
