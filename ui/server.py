"""``landscape serve``: the Gradio chat at ``/`` and the OpenAI-compatible API at ``/v1`` on one
uvicorn server."""

from __future__ import annotations

import logging
import os
from typing import Any

from fastapi import Request  # resolved by name in the route below (postponed annotations)

from index.settings import Settings

log = logging.getLogger("landscape")


def _prepare_environment(settings: Settings) -> None:
    """Gradio keeps uploads in its temp dir: put it under the data directory, and stay offline."""
    os.environ["GRADIO_TEMP_DIR"] = str((settings.data_dir / "gradio").resolve())
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")


def parse_auth(value: str | None) -> list[tuple[str, str]] | None:
    """``user:password[,user2:password2]`` -> Gradio's auth list."""
    if not value:
        return None
    pairs = []
    for item in value.split(","):
        user, sep, password = item.strip().partition(":")
        if not sep or not user or not password:
            from index.errors import ConfigError

            raise ConfigError("LANDSCAPE_UI_AUTH must look like user:password[,user2:password2]")
        pairs.append((user, password))
    return pairs


class RequestIds:
    """ASGI middleware: every request gets an id (the caller's ``X-Request-ID`` when sane),
    kept in ``request.state.request_id`` and the log context, and sent back in the response."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from index.observe import new_request_id

        given = dict(scope.get("headers") or []).get(b"x-request-id", b"")
        rid = new_request_id(given.decode("latin-1") or None)
        scope.setdefault("state", {})["request_id"] = rid

        async def send_with_id(message: Any) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"x-request-id", rid.encode()))
            await send(message)

        await self.app(scope, receive, send_with_id)


def mount_slack_events(app: Any, services: Any) -> None:
    """``POST /slack/events`` on this server (Events API), answering with its own agent; with
    replicas behind one URL, the shared database lets one of them answer each event."""
    from ui.slack.bot import build_bot, dispatch_events
    from ui.slack.config import SlackConfig

    config = SlackConfig.from_settings(services.settings, "http")
    bolt = build_bot(config, services.feedback.db, services).app

    @app.post("/slack/events")
    async def slack_events(request: Request) -> Any:
        return await dispatch_events(bolt, request)


def create_app(services: Any, owner_token: str = "") -> Any:
    """The FastAPI app with the API routes and the Gradio UI mounted at ``/``; with
    ``owner_token``, also the endpoints the CLI sends its writes to (``ui.writes``)."""
    import gradio as gr
    from fastapi import FastAPI, HTTPException
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse

    from ui.api import build_router, openai_error
    from ui.render import CSS
    from ui.web import build_blocks

    settings = services.settings
    app = FastAPI(title="landscape", docs_url=None, redoc_url=None)

    @app.exception_handler(HTTPException)
    async def http_error(_: Any, exc: HTTPException) -> JSONResponse:
        kind = "authentication_error" if exc.status_code == 401 else "invalid_request_error"
        return openai_error(exc.status_code, str(exc.detail), kind)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Any, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", []))
        return openai_error(400, f"invalid request: {where}: {first.get('msg', 'bad value')}")

    app.add_middleware(RequestIds)
    app.include_router(build_router(services))
    if settings.slack_bot_token and settings.slack_signing_secret:  # Slack events here too
        mount_slack_events(app, services)
    if owner_token:
        from ui.writes import build_write_router

        app.include_router(build_write_router(services, owner_token))
    demo = build_blocks(services)
    demo.queue(default_concurrency_limit=settings.ui_concurrency,
               max_size=settings.ui_queue_size)
    return gr.mount_gradio_app(
        app, demo, path="/", auth=parse_auth(settings.ui_auth),
        allowed_paths=[], blocked_paths=[str(settings.data_dir / name) for name in (
            "chroma", "owner.json", "browser-state.key", "feedback.sqlite")],
        max_file_size=f"{settings.upload_max_mb:g}mb", css=CSS, footer_links=[],
        show_error=False,
    )


def serve(settings: Settings, host: str, port: int) -> None:
    """First start with an empty store ingests the seeds; later starts are quick."""
    import sys

    import uvicorn
    from tqdm import tqdm

    _prepare_environment(settings)
    from index.observe import configure_logging
    from index.owner import acquire, current_owner

    configure_logging(settings.log_format, settings.log_level)
    from ui.services import Services

    owner = None
    if not settings.chroma_host:  # embedded Chroma: this process is the directory's one writer
        holder = current_owner(settings.data_dir)
        if holder is not None and holder.command == "serve":
            from index.errors import StoreLocked

            raise StoreLocked(f"{settings.data_dir} is already served by {holder.describe()}; "
                              "use that server, or give this one another LANDSCAPE_DATA_DIR")
        if holder is not None:
            print(f"waiting for {holder.describe()} to finish with {settings.data_dir}…",
                  file=sys.stderr, flush=True)
        local = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "[::1]"}.get(host, host)
        owner = acquire(settings.data_dir, "serve", url=f"http://{local}:{port}", wait=3600)
    services = Services.open(settings)
    report = services.ensure_seeded(
        progress=lambda total: tqdm(total=total, desc="ingesting seeds", file=sys.stderr)
    )
    if report is not None:
        print(f"first start: {report.summary()}", file=sys.stderr)
    app = create_app(services, owner.info.token if owner else "")
    services.warm_up(delay=1.0)
    if settings.sync_scheduler:
        services.start_scheduler()
    services.start_digest()
    print(f"landscape is ready on http://{host}:{port}  (API: http://{host}:{port}/v1)",
          file=sys.stderr, flush=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        if owner is not None:
            owner.release()
