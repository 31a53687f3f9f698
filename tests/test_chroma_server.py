"""Ingest and search through HttpClient against a real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SEEDS
from servers import free_port, wait_http

from index.corpus import Corpus
from index.ingest import ingest_paths
from index.search import hybrid_search


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    log_path = tmp_path / "chroma.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [chroma, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1",
             "--port", str(port)],
            stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            wait_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", 30, proc, log_path)
            yield port
        finally:
            proc.terminate()
            proc.wait(timeout=10)


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
