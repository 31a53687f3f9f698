"""kill -9 an ingest at random points, 20 times: the store always reopens consistent, and a
final run completes the work without duplicates."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import SEEDS, SHARED
from typer.testing import CliRunner

KILLS = 20


def _haystack_sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                     n: int) -> tuple[Path, Path, dict[str, str]]:
    """``n`` haystack documents in a folder, a data directory, and the environment for
    `landscape` subprocesses on it (this process's CLI runner gets it too)."""
    haystack = SHARED / "corpus" / "haystack"
    if not haystack.is_dir():
        pytest.skip("../shared/corpus/haystack is not beside the project")
    corpus_dir = tmp_path / "docs"
    corpus_dir.mkdir()
    for path in sorted(haystack.glob("*.md"))[:n]:
        shutil.copyfile(path, corpus_dir / path.name)
    data_dir = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANDSCAPE_")}
    env.update({"LANDSCAPE_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1",
                "LANDSCAPE_EMBEDDING_RUNTIME": "torch"})
    monkeypatch.setenv("LANDSCAPE_DATA_DIR", str(data_dir))
    monkeypatch.setenv("LANDSCAPE_EMBEDDING_RUNTIME", "torch")
    return corpus_dir, data_dir, env


def test_killed_ingests_leave_a_consistent_store(tmp_path: Path, monkeypatch) -> None:
    from ui.cli import app

    corpus_dir, data_dir, env = _haystack_sample(tmp_path, monkeypatch, 80)
    landscape = str(Path(sys.executable).parent / "landscape")
    rng = random.Random(20261123)
    killed_after_writes = 0
    for _ in range(KILLS):
        proc = subprocess.Popen([landscape, "ingest", str(corpus_dir)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(2.0, 7.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed_after_writes += (data_dir / "write.unfinished").exists()
        proc.wait()
        result = CliRunner().invoke(app, ["stats", "--json"])
        assert result.exit_code == 0, result.output
        stats = json.loads(result.stdout)
        assert stats["consistent"], stats
    assert killed_after_writes >= 5  # the kills really interrupted writing
    final = subprocess.run([landscape, "ingest", str(corpus_dir), "--json"], env=env,
                           capture_output=True, text=True, check=True)
    report = json.loads(final.stdout)
    assert report["failed"] == []
    stats = json.loads(CliRunner().invoke(app, ["stats", "--json"]).stdout)
    assert stats["documents"] == 80 and stats["consistent"]
    assert stats["chunks"] == stats["chunks_expected"] == stats["bm25_chunks"]


REINDEX_KILLS = 10


def test_killed_reindexes_leave_the_old_store_intact(tmp_path: Path, monkeypatch) -> None:
    """kill -9 during `landscape reindex` at random points, 10 times: the store reopens with
    every document (the new collection is built beside the live one and switched in with one
    write), and a re-run completes."""
    from ui.cli import app

    corpus_dir, data_dir, env = _haystack_sample(tmp_path, monkeypatch, 60)
    landscape = str(Path(sys.executable).parent / "landscape")
    subprocess.run([landscape, "ingest", str(corpus_dir), str(SEEDS)], env=env, check=True,
                   capture_output=True)

    def stats() -> dict:
        result = CliRunner().invoke(app, ["stats", "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    before = stats()
    assert before["documents"] == 62 and before["consistent"]
    work = _reindex_until_building(landscape, env).wait_seconds()  # a whole run, timed
    rng = random.Random(20261125)
    interrupted = 0  # kills that left a half-built collection beside the live one
    for _ in range(REINDEX_KILLS):
        run = _reindex_until_building(landscape, env)
        time.sleep(rng.uniform(0.0, work))  # a random point of the building
        run.proc.send_signal(signal.SIGKILL)
        run.proc.wait()
        interrupted += len(_chunk_collections(data_dir)) > 1
        after = stats()
        assert after["consistent"], after
        assert after["documents"] == before["documents"], after
        assert after["chunks"] == before["chunks"] == after["bm25_chunks"], after
        found = CliRunner().invoke(app, ["search", "Luma AI 9月的访问量", "--json"])
        assert "1181万次" in found.stdout
    assert interrupted >= 3, interrupted  # the kills really landed while building
    final = subprocess.run([landscape, "reindex"], env=env, capture_output=True, text=True)
    assert final.returncode == 0, final.stderr
    after = stats()
    assert after["consistent"] and after["chunks"] == before["chunks"], after
    assert len(_chunk_collections(data_dir)) == 1  # what the kills left is cleared


def _chunk_collections(data_dir: Path) -> list[str]:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(path=str(data_dir / "chroma"),
                                       settings=ChromaSettings(anonymized_telemetry=False))
    return [c.name for c in client.list_collections() if "_chunks" in c.name]


class _Reindex:
    def __init__(self, proc: subprocess.Popen, building_since: float) -> None:
        self.proc = proc
        self.building_since = building_since

    def wait_seconds(self) -> float:
        """Wait for the end; how long the building took."""
        assert self.proc.wait(timeout=300) == 0
        return time.monotonic() - self.building_since


def _reindex_until_building(landscape: str, env: dict[str, str]) -> _Reindex:
    """`landscape reindex` started and past its start-up: its progress bar is up, the new
    collection exists and is being filled."""
    proc = subprocess.Popen([landscape, "reindex"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    seen = ""
    assert proc.stderr is not None
    while "reindex:" not in seen:
        char = proc.stderr.read(1)
        assert char, f"reindex ended before building: {seen[-500:]}"
        seen += char
    threading.Thread(target=proc.stderr.read, daemon=True).start()  # keep the pipe drained
    return _Reindex(proc, time.monotonic())
