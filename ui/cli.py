"""The ``landscape`` command: ingest, search, stats, reindex, eval.

Every command turns a LandscapeError into one line on stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from index.errors import LandscapeError  # noqa: E402
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
    """Ingest documents (txt, md, pdf, docx, html); unchanged files are skipped."""
    from index.ingest import ingest_paths

    settings = _settings()
    corpus = _open_corpus(settings)
    report = ingest_paths(
        corpus, paths or [settings.seeds_dir], prune=prune, progress=_progress("ingest", "file")
    )
    for failure in report.failed:
        typer.secho(f"skipped {failure}", fg=typer.colors.YELLOW, err=True)
    if as_json:
        _print_json(report.as_dict())
    else:
        typer.echo(f"ingest: {report.summary()}")


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
        _print_json({"query": query, "results": [{k_: getattr(r, k_) for k_ in keys}
                                                  for r in results]})
        return
    if not results:
        typer.echo("no results (is anything ingested? try `landscape ingest`)")
    for r in results:
        typer.secho(f"[{r.rank}] {r.title} — {r.source} [{r.start}:{r.end}] score {r.score:.4f}",
                    bold=True)
        typer.echo("    " + r.text.replace("\n", " ")[:300])


@app.command()
@friendly_errors
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON")] = False,
) -> None:
    """Documents, chunks and index state; says whether Chroma and BM25 agree."""
    settings = _settings()
    corpus = _open_corpus(settings)
    docs = corpus.store.list_documents()
    chunk_total = corpus.store.count_chunks()
    expected = sum(d.n_chunks for d in docs)
    corpus.sync(now=True)
    data = {
        "data_dir": str(settings.data_dir),
        "chroma": f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host
        else str(settings.data_dir / "chroma"),
        "embedding_model": corpus.store.built_with or settings.embedding_model,
        "embedding_dim": corpus.store.dimension,
        "documents": len(docs),
        "chunks": chunk_total,
        "chunks_expected": expected,
        "bm25_chunks": len(corpus.bm25),
        "consistent": chunk_total == expected == len(corpus.bm25),
    }
    if as_json:
        _print_json(data)
    else:
        for key, value in data.items():
            typer.echo(f"{key:>16}: {value}")


@app.command()
@friendly_errors
def reindex() -> None:
    """Re-embed every chunk with the configured embedding model (after changing it)."""
    from index.ingest import reindex as run_reindex

    corpus = _open_corpus(_settings(), allow_model_mismatch=True)
    count = run_reindex(corpus, progress=_progress("reindex", "chunk"))
    typer.echo(f"reindex: {count} chunks re-embedded with {corpus.embedder.model_name}")


@app.command(name="eval")
@friendly_errors
def evaluate(
    questions: Annotated[Path, typer.Option("--questions", help="JSONL eval cases")],
    k: Annotated[int, typer.Option("-k", "--k", min=1, max=100)] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print metrics and cases as JSON")]
    = False,
) -> None:
    """Retrieval quality on eval cases: recall@k and MRR per language and type."""
    from index.evaluate import evaluate_retrieval, load_cases
    from index.search import hybrid_search

    cases = load_cases(questions)
    corpus = _open_corpus(_settings())
    metrics, rows = evaluate_retrieval(cases, lambda q, n: hybrid_search(corpus, q, k=n), k)
    if as_json:
        _print_json({"metrics": metrics, "cases": rows})
        return
    for row in rows:
        mark = "ok " if row["hit"] else ("-- " if not row["gold"] else "MISS")
        typer.echo(f"{mark} {row['id']} [{row['lang']}/{row['type']}] rank={row['rank']}")
    for key, value in metrics.items():
        if not key.startswith("n"):
            typer.echo(f"{key:>22}: {value}")


if __name__ == "__main__":
    app()
