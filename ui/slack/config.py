"""Slack settings, from the one settings model (``index.settings``): the tokens under Slack's
own names (SLACK_BOT_TOKEN, ...), the rest as LANDSCAPE_SLACK_*, from the environment or .env."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.errors import ConfigError
from index.settings import Settings

DEFAULT_API_URL = "https://slack.com/api/"
_SECRET = re.compile(r"^[A-Za-z0-9]{16,}$")


@dataclass(frozen=True)
class SlackConfig:
    bot_token: str
    signing_secret: str = ""
    app_token: str = ""
    api_url: str = DEFAULT_API_URL
    backend_url: str = ""  # LANDSCAPE_SLACK_BACKEND_URL: answer through a landscape server's /v1
    backend_key: str = ""
    allow_bots: bool = False
    update_every: float = 1.0  # seconds between chat.update calls while streaming
    per_user_per_minute: float = 10.0  # LANDSCAPE_RATE_LIMIT_PER_MINUTE; 0 disables
    log_questions: bool = False  # LANDSCAPE_LOG_QUESTIONS
    public_url: str = ""  # LANDSCAPE_PUBLIC_URL: answers link to their thread in the web chat

    @classmethod
    def from_settings(cls, settings: Settings, mode: str) -> SlackConfig:
        """Check and gather what ``mode`` ("socket" or "http") needs."""
        bot = _require(_secret(settings.slack_bot_token), "SLACK_BOT_TOKEN", "xoxb-",
                       "the bot token (OAuth & Permissions)")
        clients = settings.api_clients()
        config = cls(
            bot_token=bot,
            api_url=settings.slack_api_url,
            backend_url=settings.slack_backend_url.rstrip("/"),
            backend_key=next(iter(clients.values()), ""),
            allow_bots=settings.slack_allow_bots,
            update_every=settings.slack_update_every,
            per_user_per_minute=settings.rate_limit_per_minute,
            log_questions=settings.log_questions,
            public_url=settings.public_url.rstrip("/"),
        )
        if mode == "socket":
            app = _require(_secret(settings.slack_app_token), "SLACK_APP_TOKEN", "xapp-",
                           "an app-level token with connections:write (Basic Information)")
            return cls(**{**config.__dict__, "app_token": app})
        secret = _secret(settings.slack_signing_secret)
        if not secret:
            raise ConfigError("SLACK_SIGNING_SECRET is not set: copy the signing secret from "
                              "your Slack app's Basic Information page")
        if not _SECRET.match(secret):
            raise ConfigError("SLACK_SIGNING_SECRET looks malformed (expected the letters and "
                              "digits shown on the app's Basic Information page)")
        return cls(**{**config.__dict__, "signing_secret": secret})


def _secret(value: object) -> str:
    getter = getattr(value, "get_secret_value", None)
    return str(getter()).strip() if getter else ""


def _require(value: str, name: str, prefix: str, what: str) -> str:
    if not value:
        raise ConfigError(f"{name} is not set: it is {what}")
    if not value.startswith(prefix):
        raise ConfigError(f"{name} looks malformed: it should start with {prefix!r} ({what})")
    return value
