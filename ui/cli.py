"""The ``landscape`` command: ingest, search, stats, reindex, eval.

Every command turns a LandscapeError into one line on stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from index.errors import ConfigError, LandscapeError  # noqa: E402
from index.settings import Settings, load_settings  # noqa: E402

app = typer.Typer(
    help="Answer staff questions about the AI strategy landscape, with citations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(func: F) -> F:
    """Print a user error as one line and exit 1; Ctrl-C exits 130 quietly."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LandscapeError as exc:
            typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def _settings() -> Settings:
    return load_settings()


def _open_corpus(settings: Settings, allow_model_mismatch: bool = False) -> Any:
    from index.corpus import Corpus

    return Corpus(settings, allow_model_mismatch=allow_model_mismatch)


def _writing_corpus(settings: Settings) -> Any:
    """The corpus for a command that adds documents: with an LLM configured, extraction asks
    it for entities too (``LANDSCAPE_ENTITY_LLM``)."""
    from agent.entity_llm import attach_llm_extraction

    corpus = _open_corpus(settings)
    attach_llm_extraction(corpus, settings)
    return corpus


def _writer_for(settings: Settings, command: str) -> tuple[Any, Any]:
    """(the running server to send this write to, None) when ``serve`` owns the embedded data
    directory; else (None, the held ownership) for writing here. Another writer running is
    an error naming it. With a Chroma server, any process may write: (None, a no-op)."""
    import contextlib

    from index.owner import acquire

    if settings.chroma_host:
        return None, contextlib.nullcontext()
    for _ in range(3):  # a server may start between looking and taking
        server = _running_server(settings)
        if server is not None:
            typer.echo(f"{settings.data_dir} is served by {server.describe()}: the {command} "
                       "goes through it", err=True)
            return server, None
        try:
            return None, acquire(settings.data_dir, command, wait=2.0)
        except LandscapeError:
            if _running_server(settings) is None:
                raise  # another writer, not a server: the error names it
    raise AssertionError("unreachable")


def _progress(desc: str, unit: str) -> Callable[[int], Any]:
    from tqdm import tqdm

    def factory(total: int) -> Any:
        return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, mininterval=0.5,
                    dynamic_ncols=True, leave=False)

    return factory


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@app.command()
@friendly_errors
def ingest(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: seeds/)")]
    = None,
    prune: Annotated[bool, typer.Option(help="Remove documents whose files are gone")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
) -> None:
    """Ingest documents (txt, md, pdf, docx, html); unchanged files are skipped. Exits 1 when
    any file failed (each named), 2 on a usage error."""
    from index.ingest import IngestReport, ingest_paths

    settings = _settings()
    targets = paths or [settings.seeds_dir]
    server, owner = _writer_for(settings, "ingest")
    if server is not None:
        from ui.writes import send

        body = {"paths": [str(p.resolve()) for p in targets], "prune": prune}
        report = IngestReport.from_dict(send(server, "ingest", body, _progress("ingest", "file")))
    else:
        with owner:
            corpus = _writing_corpus(settings)
            report = ingest_paths(corpus, targets, prune=prune,
                                  progress=_progress("ingest", "file"))
    for failure in report.failed:
        typer.secho(f"skipped {failure}", fg=typer.colors.YELLOW, err=True)
    if as_json:
        _print_json(report.as_dict())
    else:
        typer.echo(f"ingest: {report.summary()}")
    if report.failed:  # scripts can tell: 1 when any file failed (2 is a usage error)
        typer.secho(f"error: {len(report.failed)} file(s) not ingested: "
                    + ", ".join(str(f.path) for f in report.failed[:10])
                    + (" …" if len(report.failed) > 10 else ""), fg=typer.colors.RED, err=True)
        raise typer.Exit(1)


@app.command()
@friendly_errors
def search(
    query: Annotated[str, typer.Argument(help="Question or keywords, Chinese or English")],
    k: Annotated[int, typer.Option("-k", "--k", min=1, max=100, help="Results to show")] = 5,
    source: Annotated[str | None, typer.Option(help="Only documents whose source/title "
                                               "matches (substring or glob)")] = None,
    date_from: Annotated[str | None, typer.Option(help="Only documents dated on or after "
                                                  "YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, typer.Option(help="Only documents dated on or before "
                                                "YYYY-MM-DD")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print results as JSON")] = False,
) -> None:
    """Hybrid search (BM25 + dense) over the ingested documents."""
    from index.search import SearchFilters, hybrid_search

    if not query.strip():
        raise typer.BadParameter("the query is empty", param_hint="QUERY")
    corpus = _open_corpus(_settings())
    filters = SearchFilters(source=source, date_from=date_from, date_to=date_to)
    results = hybrid_search(corpus, query, k=k, filters=filters)
    if as_json:
        keys = ("rank", "score", "doc_id", "source", "title", "chunk_id", "start", "end", "text")
        _print_json({"query": query, "results": [
            {**{k_: getattr(r, k_) for k_ in keys}, "date": r.date or None} for r in results]})
        return
    if not results:
        typer.echo("no results (is anything ingested? try `landscape ingest`)")
    for r in results:
        typer.secho(f"[{r.rank}] {r.title} — {r.source} · {r.date or 'date unknown'} "
                    f"[{r.start}:{r.end}] score {r.score:.4f}", bold=True)
        typer.echo("    " + r.text.replace("\n", " ")[:300])


@app.command()
@friendly_errors
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON")] = False,
) -> None:
    """Documents, chunks and index state; says whether Chroma and BM25 agree."""
    settings = _settings()
    corpus = _open_corpus(settings)
    writer_active = not corpus.recover_if_interrupted()
    docs = corpus.store.list_documents()
    chunk_total = corpus.store.count_chunks()
    expected = sum(d.n_chunks for d in docs)
    corpus.sync(now=True)
    data = {
        "data_dir": str(settings.data_dir),
        "chroma": f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host
        else str(settings.data_dir / "chroma"),
        "embedding_model": corpus.store.built_with or corpus.embedder.identity,
        "embedding_dim": corpus.store.dimension,
        "documents": len(docs),
        "chunks": chunk_total,
        "chunks_expected": expected,
        "bm25_chunks": len(corpus.bm25),
        "consistent": chunk_total == expected == len(corpus.bm25),
        "writer_active": writer_active,
    }
    if as_json:
        _print_json(data)
    else:
        for key, value in data.items():
            typer.echo(f"{key:>16}: {value}")


@app.command()
@friendly_errors
def reindex(
    entities: Annotated[bool, typer.Option("--entities", help="Re-extract the entities, "
                                           "relations and figures of every document instead "
                                           "(after changing LANDSCAPE_LEXICON)")] = False,
) -> None:
    """Re-embed every chunk with the configured embedding model (after changing it)."""
    from index.ingest import reindex as run_reindex

    settings = _settings()
    if entities:
        corpus = _writing_corpus(settings)
        count = corpus.entity_index().sync(corpus.store, force=True,
                                           progress=_progress("extract", "doc"))
        stats = corpus.entity_index().stats()
        typer.echo(f"reindex --entities: {count} documents extracted: {stats['mentions']} "
                   f"mentions, {stats['relations']} relations, {stats['figures']} figures")
        return
    server, owner = _writer_for(settings, "reindex")
    if server is not None:
        from index.corpus import make_embedder
        from ui.writes import send

        # auto: re-embed with what the server runs (it kept the store's own precision)
        wanted = "" if settings.embedding_runtime == "auto" \
            else make_embedder(settings, None).identity
        count = int(send(server, "reindex", {"embedding": wanted},
                         _progress("reindex", "chunk"))["chunks"])
        typer.echo(f"reindex: {count} chunks re-embedded by {server.describe()}")
        return
    with owner:
        corpus = _open_corpus(settings, allow_model_mismatch=True)
        count = run_reindex(corpus, progress=_progress("reindex", "chunk"))
    typer.echo(f"reindex: {count} chunks re-embedded with {corpus.embedder.identity}")


_TYPES = {"org": "org", "organisation": "org", "company": "org", "product": "product",
          "model": "product", "person": "person", "people": "person"}


@app.command()
@friendly_errors
def entities(
    kind: Annotated[str | None, typer.Option("--type", help="org, product or person")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many")] = 200,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON")] = False,
) -> None:
    """The organisations, products/models and people the documents mention, most-cited
    first: name, type, aliases, mentions, documents."""
    if kind is not None and kind.lower() not in _TYPES:
        raise typer.BadParameter(f"{kind!r} is not a type; use org, product or person",
                                 param_hint="--type")
    corpus = _open_corpus(_settings())
    rows = corpus.entities.entities(_TYPES[kind.lower()] if kind else None, limit=limit)
    if as_json:
        _print_json({"entities": [r.as_dict() for r in rows]})
        return
    if not rows:
        typer.echo("no entities (is anything ingested? try `landscape ingest`)")
    for r in rows:
        aliases = f"  ({', '.join(r.aliases[:6])})" if r.aliases else ""
        typer.echo(f"{r.type:<8} {r.name}{aliases} · {r.mentions} mentions in {r.documents} "
                   f"document{'s' if r.documents != 1 else ''}")


@app.command()
@friendly_errors
def entity(
    name: Annotated[str, typer.Argument(help="A name or alias: 字节, ByteDance, 可灵, Kling")],
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON")] = False,
) -> None:
    """One entity's card: products, people, figures and a timeline, each with its citation."""
    from ui.cards import entity_card_text

    if not name.strip():
        raise typer.BadParameter("the name is empty", param_hint="NAME")
    corpus = _open_corpus(_settings())
    card = corpus.entities.card(name.strip())
    if card is None:
        typer.secho(f"no entity named {name!r} in the documents (see `landscape entities`)",
                    err=True)
        raise typer.Exit(1)
    if as_json:
        _print_json(card.as_dict())
        return
    typer.echo(entity_card_text(card))


sources_app = typer.Typer(help="Web pages, RSS/Atom feeds and folders kept in sync.",
                          no_args_is_help=True)
app.add_typer(sources_app, name="sources")


def _sources(settings: Settings) -> Any:
    from ui.sources import Sources
    from ui.state import Database, database_url

    return Sources(Database(database_url(settings)), _writing_corpus(settings), settings)


@sources_app.command("add")
@friendly_errors
def sources_add(
    location: Annotated[str, typer.Argument(help="A page or feed URL (http/https), or a folder")],
    every: Annotated[str, typer.Option(help="How often to sync: 30m, 6h, 1d "
                                       "(default LANDSCAPE_SYNC_EVERY)")] = "",
    name: Annotated[str, typer.Option(help="A short name (default: from the URL or folder)")]
    = "",
) -> None:
    """Add a source; `landscape sync NAME` (or `serve`, when it is due) fetches it."""
    settings = _settings()
    source = _sources(settings).add(location, every=every, name=name)
    typer.echo(f"added {source['name']} ({source['kind']}, every "
               f"{_interval(source['every_s'])}): {source['location']}")


@sources_app.command("list")
@friendly_errors
def sources_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON")] = False,
) -> None:
    """The sources with their last sync, documents and last error."""
    rows = _sources(_settings()).list_sources()
    if as_json:
        _print_json(rows)
        return
    if not rows:
        typer.echo("no sources yet: landscape sources add URL|FEED|FOLDER")
    for r in rows:
        last = _when(r["last_sync"]) if r["last_sync"] else "never synced"
        typer.secho(f"{r['name']}  ({r['kind']}, every {_interval(r['every_s'])})", bold=True)
        typer.echo(f"    {r['location']}\n    last sync: {last}; {r['documents']} documents"
                   + (f"; last error: {r['last_error']}" if r["last_error"] else ""))


@sources_app.command("remove")
@friendly_errors
def sources_remove(name: Annotated[str, typer.Argument(help="The source's name")]) -> None:
    """Forget a source and remove the documents only it brought in (a folder's files stay)."""
    settings = _settings()
    server, owner = _writer_for(settings, "sources remove")
    if server is not None:
        from ui.writes import send

        removed = int(send(server, "sources-remove", {"name": name})["removed"])
    else:
        with owner:
            removed = _sources(settings).remove(name)
    typer.echo(f"removed {name} and {removed} of its documents")


@app.command()
@friendly_errors
def sync(
    names: Annotated[list[str] | None, typer.Argument(help="Sources to sync (default: all)")]
    = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print per-source results as JSON")]
    = False,
) -> None:
    """Fetch the sources now: new and changed items are ingested, unchanged ones cost a
    conditional request. Exits 1 when a source or an item failed (each with its reason)."""
    settings = _settings()
    server, owner = _writer_for(settings, "sync")
    if server is not None:
        from ui.writes import send

        results = send(server, "sync", {"names": names or []},
                       _progress("sync", "item"))["results"]
    else:
        with owner:
            results = [r.as_dict() for r in _sources(settings).sync(
                names or None, progress=_progress("sync", "item"))]
    if as_json:
        _print_json(results)
    else:
        from ui.sources import SyncResult

        for result in results:
            typer.echo(SyncResult(**result).summary())
            for failure in result["failed"]:
                typer.secho(f"    failed {failure['url']}: {failure['reason']}",
                            fg=typer.colors.YELLOW, err=True)
    if any(r["error"] or r["failed"] for r in results):
        raise typer.Exit(1)


@app.command()
@friendly_errors
def digest(
    since: Annotated[str, typer.Option(help="The period: documents of the last 7d, 24h, 2w …")]
    = "7d",
    topic: Annotated[str, typer.Option(help="Only what the new documents say about this")] = "",
    fmt: Annotated[str, typer.Option("--format", help="md (Markdown) or slack (mrkdwn)")]
    = "md",
    as_json: Annotated[bool, typer.Option("--json", help="Print the items as JSON")] = False,
) -> None:
    """A cited summary of what the documents of a period say (each line quotes one
    document, newest first)."""
    from ui.digest import build_digest
    from ui.sources import parse_interval

    if fmt not in ("md", "slack"):
        raise typer.BadParameter("choose md or slack", param_hint="--format")
    settings = _settings()
    today = None
    if settings.today:
        import datetime as dt

        today = dt.date.fromisoformat(settings.today)
    corpus = _open_corpus(settings)
    agent = None
    if settings.llm != "extractive":  # an LLM writes a verified sentence per document
        from agent.pipeline import Agent

        agent = Agent(corpus, backend=settings.llm, settings=settings)
    result = build_digest(corpus, parse_interval(since), topic, today=today, agent=agent)
    if as_json:
        _print_json(result.as_dict())
    else:
        typer.echo(result.markdown() if fmt == "md" else result.slack())


def _interval(seconds: float) -> str:
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{int(seconds)}s"


def _when(timestamp: float) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M")


def _running_server(settings: Settings) -> Any:
    """The `landscape serve` that owns this embedded data directory, if one runs."""
    if settings.chroma_host:
        return None
    from index.owner import current_owner

    holder = current_owner(settings.data_dir)
    serving = holder is not None and holder.command == "serve" and holder.url and holder.token
    return holder if serving else None


def _ask_server(server: Any, settings: Settings, question: str, after: list[str],
                debug: bool) -> dict[str, Any]:
    """One answer from the running server's /v1, as `ask --json` prints it."""
    import httpx

    messages = [m for q in after for m in ({"role": "user", "content": q},
                                           {"role": "assistant", "content": ""})]
    messages.append({"role": "user", "content": question})
    key = next(iter(settings.api_clients().values()), "none")
    try:
        response = httpx.post(f"{server.url}/v1/chat/completions", timeout=120,
                              headers={"Authorization": f"Bearer {key}"},
                              json={"model": "landscape", "messages": messages, "debug": debug})
    except httpx.HTTPError as exc:
        raise LandscapeError(f"{server.describe()} holds {settings.data_dir} but did not "
                             f"answer ({type(exc).__name__}); wait for it, or stop it") from None
    try:
        body = response.json()
    except ValueError:
        raise LandscapeError(f"{server.describe()} sent an unreadable reply "
                             f"(HTTP {response.status_code})") from None
    if response.status_code != 200:
        raise LandscapeError(body.get("error", {}).get("message", response.text[:200]))
    answer = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", body["choices"][0]["message"]["content"])
    data = {"answer": answer}  # control characters never reach the terminal
    data.update({k: v for k, v in body.items() if k not in (
        "id", "object", "created", "model", "choices", "usage")})
    return data


def _make_agent(backend: str | None) -> Any:
    from agent.pipeline import Agent

    settings = _settings()
    return Agent(_open_corpus(settings), backend=backend or settings.llm, settings=settings)


def _print_answer(answer: Any) -> None:
    if answer.note and answer.note not in answer.answer:
        typer.secho(answer.note, fg=typer.colors.YELLOW)
    if answer.citations:
        typer.echo("\nSources:")
        for c in answer.citations:
            where = " · ".join(x for x in (c.outlet, c.date or "date unknown") if x)
            typer.secho(f"  [{c.n}] {c.title}" + (f" · {where}" if where else ""), bold=True)
            typer.echo(f"      {c.source} [{c.start}:{c.end}]")
            typer.echo(f"      “{c.quote}”")
    if answer.related:
        typer.echo("\nRelated:" if answer.refused else "\nAlso relevant:")
        for r in answer.related:
            typer.echo(f"  - {r['title']} ({r['source']})")


def _stream_to_terminal(agent: Any, question: str, history: list[Any]) -> Any:
    final = None
    for event in agent.stream(question, history):
        if event.kind == "token":
            typer.echo(event.text, nl=False)
        elif event.kind == "reset":
            typer.echo("\n[the model's reply broke off; answering from the documents instead]")
        else:
            final = event.answer
    typer.echo("\n")
    if final is not None and final.answer and final.backend != "extractive":
        typer.secho("Verified answer:", dim=True)
        typer.echo(final.answer)
    return final


@app.command()
@friendly_errors
def ask(
    question: Annotated[str, typer.Argument(help="The question, in Chinese or English")],
    backend: Annotated[str | None, typer.Option(help="extractive | openai | llamacpp "
                                                "(default: LANDSCAPE_LLM)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON")] = False,
    debug: Annotated[bool, typer.Option(help="With --json: add the retrieved passages")] = False,
    after: Annotated[list[str] | None, typer.Option(
        "--after", help="An earlier question of the conversation (repeat for several): the "
        "question is answered as a follow-up to them")] = None,
) -> None:
    """Answer one question with verified citations (or say the documents don't cover it).
    While `landscape serve` holds the embedded data directory, the server answers (faster:
    nothing to load here)."""
    settings = _settings()
    server = _running_server(settings) if backend is None else None
    if server is not None:
        data = _ask_server(server, settings, question, after or [], debug)
        if as_json:
            _print_json(data)
            return
        typer.echo(data["answer"] + "\n")
        from types import SimpleNamespace

        _print_answer(SimpleNamespace(**{**data, "citations": [
            SimpleNamespace(**c) for c in data["citations"]]}))
        return
    agent = _make_agent(backend)
    history = agent.history_after(after or [])
    if as_json:
        _print_json(agent.answer(question, history).as_dict(debug=debug))
        return
    final = _stream_to_terminal(agent, question, history)
    if final is not None:
        _print_answer(final)


@app.command()
@friendly_errors
def chat(
    backend: Annotated[str | None, typer.Option(help="extractive | openai | llamacpp")] = None,
) -> None:
    """A multi-turn conversation in the terminal (empty line or Ctrl-D to quit)."""
    from agent.pipeline import Turn
    from index.errors import BadQuestion

    agent = _make_agent(backend)
    typer.echo(f"landscape chat · {agent.backend_name} · ask in Chinese or English; "
               "empty line to quit")
    history: list[Turn] = []
    while True:
        try:
            question = input("\n> ")
        except EOFError:
            break
        if not question.strip():
            break
        try:
            final = _stream_to_terminal(agent, question, history)
        except BadQuestion as exc:
            typer.secho(str(exc), fg=typer.colors.YELLOW)
            continue
        if final is not None:
            _print_answer(final)
            history += [Turn("user", question), Turn("assistant", final.answer)]


@app.command()
@friendly_errors
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port", min=1, max=65535)] = 7860,
) -> None:
    """The web chat and the OpenAI-compatible API (/v1/chat/completions) on one server."""
    from ui.server import serve as run_server

    run_server(_settings(), host, port)


@app.command()
@friendly_errors
def slack(
    socket: Annotated[bool, typer.Option("--socket", help="Socket Mode (SLACK_APP_TOKEN, "
                                         "SLACK_BOT_TOKEN)")] = False,
    http: Annotated[bool, typer.Option("--http", help="Events API over HTTP "
                                       "(SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN)")] = False,
    host: Annotated[str, typer.Option(help="With --http: interface")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="With --http: port", min=1, max=65535)] = 3000,
    manifest: Annotated[bool, typer.Option("--manifest", help="Print a Slack app manifest")]
    = False,
    request_url: Annotated[str | None, typer.Option(help="With --manifest: Events API URL "
                                                    "instead of Socket Mode")] = None,
) -> None:
    """The Slack bot: answers mentions and DMs in threads, with sources."""
    from ui.slack.bot import manifest as slack_manifest

    if manifest:
        _print_json(slack_manifest(request_url=request_url))
        return
    if socket == http:
        raise typer.BadParameter("choose one of --socket or --http (or --manifest)")
    from index.observe import configure_logging
    from ui.slack.bot import build_bot, http_app
    from ui.slack.config import SlackConfig

    settings = _settings()
    configure_logging(settings.log_format, settings.log_level)
    config = SlackConfig.from_settings(settings, "socket" if socket else "http")
    services = None
    if not config.backend_url:
        from ui.services import Services

        holder = _running_server(settings)
        if holder is not None:
            raise ConfigError(
                f"{settings.data_dir} is served by {holder.describe()}; let the bot answer "
                f"through it: LANDSCAPE_SLACK_BACKEND_URL={holder.url}")

        services = Services.open(settings)
        services.ensure_seeded()
        services.warm_up()
        services.start_digest()  # LANDSCAPE_DIGEST_CHANNEL: the period's digest, posted once
    from ui.state import Database, database_url

    db = services.feedback.db if services is not None else Database(database_url(settings))
    bot = build_bot(config, db, services)
    if socket:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        typer.echo("landscape Slack bot: connecting in Socket Mode…", err=True)
        SocketModeHandler(bot.app, config.app_token).start()
    else:
        import uvicorn

        typer.echo(f"landscape Slack bot: Events API on http://{host}:{port}/slack/events",
                   err=True)
        uvicorn.run(http_app(bot), host=host, port=port, log_level="warning")


@app.command()
@friendly_errors
def bench(
    sizes: Annotated[str, typer.Option(help="Corpus sizes, comma-separated: 1k,10k,100k "
                                       "(\"\" for none: only the scenarios)")]
    = "1k,10k,100k",
    out: Annotated[Path, typer.Option(help="JSON results")] = Path("bench.json"),
    cache_dir: Annotated[Path | None, typer.Option(help="Where corpora are kept between runs "
                                                   "(default: DATA_DIR/bench)")] = None,
    shared: Annotated[Path, typer.Option(help="The shared folder with corpus/haystack and "
                                         "eval/dev.jsonl")] = Path("../shared"),
    repeats: Annotated[int, typer.Option(min=1, help="Passes over the dev questions")] = 3,
    replicas: Annotated[bool, typer.Option(help="Also the replica scenario: 1 then 2 `serve` "
                                           "replicas on a Chroma server and PostgreSQL (started "
                                           "here), 40 concurrent streaming chats")] = True,
    sync: Annotated[bool, typer.Option(help="Also the sync scenario: a 200-item feed on a "
                                       "local server, synced, then synced again")] = True,
    entities: Annotated[bool, typer.Option(help="Also the entity scenario: the whole haystack "
                                           "ingested with extraction, then `landscape entity` "
                                           "latency")] = True,
) -> None:
    """Benchmark ingest, retrieval (vs. the stock LangChain hybrid), agent overhead, cold start
    and concurrency; prints a table and writes JSON."""
    from ui.bench import SIZES, machine, run, table

    missing = [m for m in ("langchain_chroma", "langchain_classic", "langchain_community",
                           "rank_bm25") if importlib.util.find_spec(m) is None]
    if missing:
        raise LandscapeError(f"the benchmark compares with the stock LangChain hybrid, which "
                             f"needs {', '.join(missing)}: pip install -e \".[bench]\"")
    box = machine()
    typer.echo(f"machine: {box['cpu']}, {box['cores']} cores, {box['memory_gb']} GB", err=True)
    labels = [s.strip() for s in sizes.split(",") if s.strip()]
    unknown = [s for s in labels if s not in SIZES]
    if unknown:
        raise typer.BadParameter(f"unknown size(s) {unknown}; use {', '.join(SIZES)}")
    if not (shared / "corpus" / "haystack").is_dir():
        raise typer.BadParameter(f"{shared}/corpus/haystack not found", param_hint="--shared")
    root = cache_dir or _settings().data_dir / "bench"
    rows = []
    for row in run(labels, root, out, repeats, 5, shared):
        row["machine"] = box
        rows.append(row)
        typer.echo(json.dumps(row, ensure_ascii=False), err=True)
        out.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    if rows:  # --sizes "" runs only the scenarios below
        typer.echo(table(rows))
    if replicas:
        from index.evaluate import load_cases
        from ui.bench import replica_scenario

        scenario = replica_scenario(root / "replicas", _settings().seeds_dir,
                                    shared / "corpus" / "haystack",
                                    load_cases(shared / "eval" / "dev.jsonl"))
        scenario["machine"] = box
        rows.append({"size": "replicas", **scenario})
        out.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
        typer.echo("\n| replicas | answers/s | p50 ms | p95 ms | failures |\n|---|---|---|---|---|")
        for n in (1, 2):
            r = scenario[f"replicas_{n}"]
            typer.echo(f"| {n} | {r['answers_per_s']} | {r['p50_ms']} | {r['p95_ms']} | "
                       f"{r['failures']} |")
    if sync:
        from ui.bench import sync_scenario

        synced = sync_scenario(root, shared / "corpus" / "haystack")
        rows.append({"size": "sync", **synced, "machine": box})
        out.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
        typer.echo(f"\n| sync of a {synced['items']}-item feed | seconds | requests | added | "
                   "chunks embedded |\n|---|---|---|---|---|")
        for label, r in synced.items():
            if isinstance(r, dict):
                typer.echo(f"| {label} | {r['seconds']} | {r['requests']} | {r['added']} | "
                           f"{r['embedded']} |")
    if entities:
        from ui.bench import entity_scenario

        found = entity_scenario(root / "entities", _settings().seeds_dir,
                                shared / "corpus" / "haystack")
        rows.append({"size": "entities", **found, "machine": box})
        out.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
        typer.echo("\n| documents | chunks | ingest s | of which extraction s | extraction adds | "
                   "mentions | entity card p50/p95 ms |\n|---|---|---|---|---|---|---|")
        typer.echo(f"| {found['documents']} | {found['chunks']} | {found['ingest_seconds']} | "
                   f"{found['extraction_seconds']} | {found['extraction_adds_pct']}% | "
                   f"{found['mentions']} | {found['entity_card_p50_ms']}/"
                   f"{found['entity_card_p95_ms']} |")


feedback_app = typer.Typer(help="Feedback given in the web chat and Slack.", no_args_is_help=True)
app.add_typer(feedback_app, name="feedback")


@feedback_app.command("export")
@friendly_errors
def feedback_export(
    out: Annotated[Path, typer.Option("--out", help="JSONL file to write")] = Path(
        "feedback-cases.jsonl"
    ),
) -> None:
    """Write thumbs-down answers as eval cases (JSONL) for `landscape eval --questions`."""
    from ui.feedback import FeedbackStore
    from ui.state import Database, database_url

    settings = _settings()
    store = FeedbackStore(Database(database_url(settings)))
    count = store.export_eval(out)
    typer.echo(f"feedback: {count} thumbs-down case(s) written to {out}")


@app.command(name="eval")
@friendly_errors
def evaluate(
    questions: Annotated[Path, typer.Option("--questions", help="JSONL eval cases")] = Path(
        "tests/data/eval.jsonl"
    ),
    split: Annotated[str, typer.Option(help="all, tune or test: the half of the cases to run "
                                       "(fixed by a hash of each case id)")] = "all",
    k: Annotated[int, typer.Option("-k", "--k", min=1, max=100)] = 5,
    backend: Annotated[str | None, typer.Option(help="Also answer every case with this backend "
                                                "and report answer metrics")] = None,
    api: Annotated[str | None, typer.Option(help="Answer through this server's OpenAI-compatible "
                                            "API instead (e.g. http://127.0.0.1:7860/v1)")]
    = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print metrics and cases as JSON")]
    = False,
    entities: Annotated[bool, typer.Option(
        "--entities", help="Score entity, relation and figure extraction against the gold "
        "list instead (tests/data/entities_gold.json, or --gold)")] = False,
    gold: Annotated[Path, typer.Option("--gold", help="The gold list for --entities")] = Path(
        "tests/data/entities_gold.json"),
) -> None:
    """Retrieval quality (recall@k, MRR) and, with --backend or --api, answer quality per
    language and question type, on the agent's own retrieval (rewrite, per-article search).
    With --entities: extraction precision and recall on a hand-checked gold list."""
    from agent.pipeline import Agent, Turn
    from index.evaluate import evaluate_retrieval, load_cases, select_split, summarize

    if entities:
        _evaluate_entities(gold, as_json)
        return

    cases = select_split(load_cases(questions), split)
    settings = _settings()
    corpus = _open_corpus(settings)
    rows: list[dict[str, Any]]
    calibration: dict[str, Any] | None = None
    if api:
        from agent.evaluate import evaluate_answers, refusal_calibration
        from ui.api_client import api_asker

        key = settings.api_key.get_secret_value() if settings.api_key else "landscape"
        metrics, rows = evaluate_answers(cases, api_asker(api, key, k), k,
                                         corpus.store.document_text)
        metrics = {**summarize(rows, k), **metrics}
        calibration = refusal_calibration(rows)
    else:
        agent = Agent(corpus, backend=backend or "extractive", settings=settings)

        def search(case: Any, n: int) -> list[Any]:
            return agent.retrieve(case.question, [Turn("user", h) for h in case.history], n)

        metrics, rows = evaluate_retrieval(cases, search, k)
        if backend:
            from agent.evaluate import agent_asker, evaluate_answers, refusal_calibration

            answer_metrics, answer_rows = evaluate_answers(cases, agent_asker(agent), k,
                                                           corpus.store.document_text)
            metrics.update(answer_metrics)
            calibration = refusal_calibration(answer_rows)
            for row, answered in zip(rows, answer_rows, strict=True):
                row.update({key: answered[key] for key in (
                    "refused", "citation_valid", "key_coverage", "answer", "evidence",
                    "cites_every_article", "article_citations", "citations", "related")})
    if as_json:
        _print_json({"split": split, "metrics": metrics, "refusal_calibration": calibration,
                     "cases": rows})
        return
    for row in rows:
        mark = "ok " if row["hit"] else ("-- " if not row["gold"] else "MISS")
        extra = ""
        if "refused" in row:
            extra = (f" refused={row['refused']} evidence={row['evidence']} "
                     f"citations_valid={row['citation_valid']} keys={row['key_coverage']}")
        typer.echo(f"{mark} {row['id']} [{row['lang']}/{row['type']}] rank={row['rank']}{extra}")
    typer.echo(f"split: {split} ({len(cases)} cases)")
    if calibration is not None:
        typer.echo("evidence score   " + " ".join(f"{b:>7}" for b in calibration["bins"]))
        for group in ("in_scope", "out_of_scope"):
            typer.echo(f"{group:<16} " + " ".join(f"{n:>7}" for n in calibration[group]))
        typer.echo(f"best threshold on these cases: {calibration['best_threshold']} (balanced "
                   f"accuracy {calibration['balanced_accuracy']}; in use: "
                   f"{settings.refusal_threshold})")
    for key, value in metrics.items():
        if not key.startswith("n"):
            typer.echo(f"{key:>34}: {value}")


def _evaluate_entities(gold_path: Path, as_json: bool) -> None:
    """Extraction from the stored text of each document the gold list names, scored."""
    from index.entities import Extractor
    from index.entity_eval import load_gold, score_extraction

    gold = load_gold(gold_path)
    corpus = _open_corpus(_settings())
    lexicon = corpus.entity_index().lexicon
    extractor = Extractor(lexicon)
    by_name = {Path(r.source).stem: r.doc_id for r in corpus.store.list_documents()}
    extractions = {}
    for name in gold["documents"]:  # the gold names documents by their file's name
        text = corpus.store.document_text(by_name.get(name, name))
        if text is None:
            raise typer.BadParameter(f"document {name!r} of {gold_path} is not in the store; "
                                     "ingest it first (`landscape ingest seeds/`)",
                                     param_hint="--gold")
        extractions[name] = extractor.extract(text)
    scores = score_extraction(gold, extractions, lexicon)
    if as_json:
        _print_json({name: score.as_dict() for name, score in scores.items()})
        return
    for name, score in scores.items():
        typer.echo(f"{name:<10} precision {score.precision:.3f}  recall {score.recall:.3f}  "
                   f"(gold {score.gold}, found {score.found})")
        for label, items in (("missed", score.missed), ("extra", score.extra)):
            if items:
                typer.echo(f"  {label}: " + "; ".join(items))


if __name__ == "__main__":
    app()
