"""`landscape ask` against llama-cpp-python's own OpenAI-compatible server with the real (tiny)
Gemma 3 270M model. The model invents freely; only valid citations may reach the user."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from servers import free_port, wait_http
from typer.testing import CliRunner

from agent.backends.llamacpp import packaged_model
from index.corpus import Corpus


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    pytest.importorskip("llama_cpp.server", reason='needs pip install -e ".[llamacpp]"')
    model = packaged_model(tmp_path_factory.mktemp("models"))
    port = free_port()
    log_path = tmp_path_factory.mktemp("llama") / "server.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host",
             "127.0.0.1", "--port", str(port), "--n_ctx", "4096"],
            stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            wait_http(f"http://127.0.0.1:{port}/v1/models", 120, proc, log_path)
            yield f"http://127.0.0.1:{port}/v1"
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def test_ask_through_llama_cpp_server_reaches_user_with_valid_citations(
    llama_server: str, seeded: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.cli import app

    for name, value in {
        "LANDSCAPE_DATA_DIR": str(seeded.settings.data_dir),
        "LANDSCAPE_LLM": "openai",
        "LANDSCAPE_OPENAI_BASE_URL": llama_server,
        "LANDSCAPE_OPENAI_MODEL": "gemma-3-270m",
        "LANDSCAPE_LLM_MAX_TOKENS": "160",
        "LANDSCAPE_LLM_TIMEOUT": "120",
    }.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(app, ["ask", "Luma AI 9月的访问量是多少？", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["citations"], data
    texts: dict[str, str] = {}
    for citation in data["citations"]:
        doc = texts.setdefault(citation["doc_id"],
                               seeded.store.document_text(citation["doc_id"]) or "")
        assert doc[citation["start"] : citation["end"]] == citation["quote"]
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", data["answer"])}
    assert markers == {c["n"] for c in data["citations"]}
    assert "1181万" in data["answer"]  # the figure survives, from the model or the fallback
