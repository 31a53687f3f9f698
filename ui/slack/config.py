"""Slack settings. The tokens use Slack's own variable names (SLACK_BOT_TOKEN, ...)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from index.errors import ConfigError

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

    @classmethod
    def from_env(cls, mode: str, env: dict[str, str] | None = None) -> SlackConfig:
        """Read and check the variables ``mode`` ("socket" or "http") needs."""
        env = dict(os.environ if env is None else env)
        bot = _require(env, "SLACK_BOT_TOKEN", "xoxb-", "the bot token (OAuth & Permissions)")
        config = cls(
            bot_token=bot,
            api_url=env.get("LANDSCAPE_SLACK_API_URL", DEFAULT_API_URL),
            backend_url=env.get("LANDSCAPE_SLACK_BACKEND_URL", "").rstrip("/"),
            backend_key=env.get("LANDSCAPE_API_KEY", ""),
            allow_bots=env.get("LANDSCAPE_SLACK_ALLOW_BOTS", "").lower() in ("1", "true", "yes"),
            per_user_per_minute=float(env.get("LANDSCAPE_RATE_LIMIT_PER_MINUTE", "10") or 0),
        )
        if mode == "socket":
            app = _require(env, "SLACK_APP_TOKEN", "xapp-",
                           "an app-level token with connections:write (Basic Information)")
            return cls(**{**config.__dict__, "app_token": app})
        secret = env.get("SLACK_SIGNING_SECRET", "").strip()
        if not secret:
            raise ConfigError("SLACK_SIGNING_SECRET is not set: copy the signing secret from "
                              "your Slack app's Basic Information page")
        if not _SECRET.match(secret):
            raise ConfigError("SLACK_SIGNING_SECRET looks malformed (expected the letters and "
                              "digits shown on the app's Basic Information page)")
        return cls(**{**config.__dict__, "signing_secret": secret})


def _require(env: dict[str, str], name: str, prefix: str, what: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise ConfigError(f"{name} is not set: it is {what}")
    if not value.startswith(prefix):
        raise ConfigError(f"{name} looks malformed: it should start with {prefix!r} ({what})")
    return value
