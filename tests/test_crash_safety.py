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
import time
from pathlib import Path

import pytest
from conftest import SHARED
from typer.testing import CliRunner

KILLS = 20


def test_killed_ingests_leave_a_consistent_store(tmp_path: Path, monkeypatch) -> None:
    haystack = SHARED / "corpus" / "haystack"
    if not haystack.is_dir():
        pytest.skip("../shared/corpus/haystack is not beside the project")
    from ui.cli import app

    corpus_dir = tmp_path / "docs"
    corpus_dir.mkdir()
    for path in sorted(haystack.glob("*.md"))[:80]:
        shutil.copyfile(path, corpus_dir / path.name)
    data_dir = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANDSCAPE_")}
    env.update({"LANDSCAPE_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1",
                "LANDSCAPE_EMBEDDING_RUNTIME": "torch"})
    monkeypatch.setenv("LANDSCAPE_DATA_DIR", str(data_dir))
    monkeypatch.setenv("LANDSCAPE_EMBEDDING_RUNTIME", "torch")
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
