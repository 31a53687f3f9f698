"""Ingest and search through HttpClient against a real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SEEDS, SHARED

from index.corpus import Corpus
from index.ingest import ingest_paths
from index.search import hybrid_search
from ui.localservers import chroma_server as local_chroma


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    with local_chroma(tmp_path / "server", tmp_path / "chroma.log") as port:
        yield port


def test_two_processes_share_one_chroma_server(chroma_server: int, make_settings, embedder,
                                               tmp_path: Path) -> None:
    writer = Corpus(
        make_settings(chroma_host="127.0.0.1", chroma_port=chroma_server,
                      data_dir=tmp_path / "writer"),
        embedder=embedder,
    )
    report = ingest_paths(writer, [SEEDS])
    assert report.added == 2
    assert any("花满渚" in r.text for r in hybrid_search(writer, "李少红导演的AI短片", k=3))

    # A reader with its own data dir has no BM25 index yet: it derives one from Chroma.
    reader = Corpus(
        make_settings(chroma_host="127.0.0.1", chroma_port=chroma_server,
                      data_dir=tmp_path / "reader"),
        embedder=embedder,
    )
    results = hybrid_search(reader, "字节跳动在视频方向推出了哪两款新模型？", k=3)
    assert any("PixelDance1和Seaweed2" in r.text for r in results)
    assert len(reader.bm25) == writer.store.count_chunks()


def test_processes_write_and_read_one_chroma_server_at_once(chroma_server: int,
                                                           tmp_path: Path) -> None:
    """Two `landscape ingest` processes write different folders to one `chroma run` at the
    same time while a third process searches; afterwards every process sees every document."""
    import json
    import os

    haystack = SHARED / "corpus" / "haystack"
    if not haystack.is_dir():
        pytest.skip("../shared/corpus/haystack is not beside the project")
    folders = [tmp_path / "a", tmp_path / "b"]
    for n, folder in enumerate(folders):
        folder.mkdir()
        for path in sorted(haystack.glob("*.md"))[n * 12:(n + 1) * 12]:
            shutil.copyfile(path, folder / path.name)
    landscape = str(Path(sys.executable).parent / "landscape")

    def env(name: str) -> dict[str, str]:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("LANDSCAPE_")}
        environment.update({"LANDSCAPE_DATA_DIR": str(tmp_path / name), "HF_HUB_OFFLINE": "1",
                            "LANDSCAPE_CHROMA_HOST": "127.0.0.1",
                            "LANDSCAPE_CHROMA_PORT": str(chroma_server)})
        return environment

    subprocess.run([landscape, "ingest", str(SEEDS)], env=env("seed"), check=True,
                   capture_output=True)
    writers = [subprocess.Popen([landscape, "ingest", str(folder), "--json"], env=env(f"w{n}"),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for n, folder in enumerate(folders)]
    searches = 0
    while any(w.poll() is None for w in writers):
        found = subprocess.run([landscape, "search", "李少红导演的AI短片", "--json"],
                               env=env("reader"), capture_output=True, text=True, timeout=120)
        assert found.returncode == 0, found.stderr
        assert "花满渚" in found.stdout
        searches += 1
    for writer in writers:
        out, err = writer.communicate()
        assert writer.returncode == 0, err
        assert json.loads(out)["added"] == 12
    assert searches >= 1
    for name in ("w0", "w1", "reader"):
        stats = json.loads(subprocess.run([landscape, "stats", "--json"], env=env(name),
                                          capture_output=True, text=True, check=True).stdout)
        assert stats["documents"] == 26 and stats["consistent"], (name, stats)
