"""Shared fixtures: offline model, no traffic beyond loopback, real Chroma in tmp dirs."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
for _name in [n for n in os.environ if n.startswith(("LANDSCAPE_", "SLACK_"))]:
    del os.environ[_name]

from index.corpus import Corpus  # noqa: E402
from index.embeddings import Embedder, EmbeddingCache  # noqa: E402
from index.settings import Settings, load_settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"

_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: object) -> object:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        try:
            allowed = ipaddress.ip_address(host).is_loopback
        except ValueError:
            allowed = host == "localhost"
        if not allowed:
            raise RuntimeError(f"test tried to reach {host}: only loopback is allowed in tests")
    return _real_connect(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


@pytest.fixture(scope="session")
def embedder(tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    """The real packaged all-MiniLM-L6-v2, loaded once for the whole run, with a real cache."""
    folder = tmp_path_factory.mktemp("embeddings")
    model = Embedder("all-MiniLM-L6-v2", cache=EmbeddingCache(folder / "cache.sqlite"),
                     max_tokens=128, onnx_dir=folder / "onnx", quantized=True)  # the default
    _ = model.model
    return model


@pytest.fixture
def make_settings(tmp_path: Path) -> Iterator[object]:
    def factory(**overrides: object) -> Settings:
        overrides.setdefault("data_dir", tmp_path / "data")
        return load_settings(**overrides)

    yield factory


@pytest.fixture
def make_corpus(make_settings: object, embedder: Embedder) -> object:
    def factory(**overrides: object) -> Corpus:
        return Corpus(make_settings(**overrides), embedder=embedder)  # type: ignore[operator]

    return factory


@pytest.fixture
def seeded(make_corpus: object) -> Corpus:
    """A corpus holding the two seed articles."""
    from index.ingest import ingest_paths

    corpus = make_corpus()  # type: ignore[operator]
    report = ingest_paths(corpus, [SEEDS])
    assert report.added == 2 and not report.failed
    return corpus


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Under CI=true nothing may be skipped: a skip (a missing system package, extra or
    ../shared) fails the test with the skip's own one-line reason."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which must run everything: {reason}"
