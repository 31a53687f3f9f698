"""The project's error tree. Every error a user can cause or meet is one of these.

    LandscapeError                  base; str(err) is a sentence a user can act on
    ├── ConfigError                 a setting is missing or has a bad value
    │   ├── UnknownBackend          LANDSCAPE_LLM names no backend
    │   └── MissingDependency       an optional extra is not installed
    ├── LoadError                   one input file could not be read (the batch goes on)
    │   └── UnsupportedFile         the file type has no loader
    ├── StoreError                  the Chroma store is unreachable or inconsistent
    │   ├── ModelMismatch           the store was built with another embedding model
    │   └── StoreLocked             another process is writing to the data directory
    ├── EmbeddingError              the embedding model could not be loaded
    ├── BadQuestion                 empty or over-long question
    └── LLMError                    the language model failed
        ├── LLMAuthError            the endpoint refused the API key (401, 403)
        └── LLMUnavailable          unreachable, 5xx, timeout, rate limit (retryable)
"""

from __future__ import annotations


class LandscapeError(Exception):
    """Base class: the message says what was wrong and what to do next."""


class ConfigError(LandscapeError):
    """A setting is missing or invalid."""


class LoadError(LandscapeError):
    """A document could not be loaded; carries the path for the one-line report."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class UnsupportedFile(LoadError):
    """No loader for this file type."""


class StoreError(LandscapeError):
    """The vector store cannot be used as asked."""


class ModelMismatch(StoreError):
    """The collection holds vectors of a different embedding model."""


class StoreLocked(StoreError):
    """Another process holds the write lock of the data directory."""


class EmbeddingError(LandscapeError):
    """The embedding model could not be loaded."""


class UnknownBackend(ConfigError):
    """No LLM backend of that name."""


class MissingDependency(ConfigError):
    """An optional dependency is missing; the message has the exact install command."""


class BadQuestion(LandscapeError):
    """The question cannot be answered as asked (empty, too long)."""


class LLMError(LandscapeError):
    """The language model failed in a way retrying will not fix (bad key, bad model name)."""


class LLMUnavailable(LLMError):
    """The language model is unreachable or overloaded; retrying may help."""


class LLMAuthError(LLMError):
    """The endpoint refused the API key: nothing works until the key is fixed."""
