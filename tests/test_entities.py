"""The landscape extracted from the documents: extraction scored against the hand-checked gold
list, `landscape entities` / `landscape entity` cards, list questions through `landscape ask
--json` (every expected row and its citation), follow-ups on a list, incremental updates, a
user's lexicon, the Slack `/landscape entity` command and the web's Landscape view in Chromium.

None of the questions here is a case of the eval's ``test`` half (checked below).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import re
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SEEDS
from fake_llm import Fail, FakeLLM, Reply
from fake_slack import FakeSlack
from servers import browser_page, landscape_serve, uvicorn_thread
from typer.testing import CliRunner

from agent.entity_llm import attach_llm_extraction
from agent.pipeline import Agent, Turn
from index.corpus import Corpus
from index.entities import Extractor
from index.evaluate import load_cases, select_split
from index.ingest import ingest_paths
from index.lexicon import load_lexicon
from ui.cli import app
from ui.feedback import FeedbackStore
from ui.slack.answerer import LocalAnswerer
from ui.slack.bot import SlackBot, http_app
from ui.slack.config import SlackConfig
from ui.state import EventClaims

NEWS = "000_"  # 科技新知
REVIEW = "002_"  # 北京商报


def cli(data_dir: Path, *args: str, **env: str) -> Any:
    result = CliRunner().invoke(app, list(args), env={"LANDSCAPE_DATA_DIR": str(data_dir),
                                                      **env})
    return result


def cli_json(data_dir: Path, *args: str) -> Any:
    result = cli(data_dir, *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def verbatim(corpus: Corpus, citation: dict[str, Any]) -> bool:
    text = corpus.store.document_text(citation["doc_id"]) or ""
    quote = citation.get("text", citation.get("quote"))
    return bool(quote) and text[citation["start"]:citation["end"]] == quote


def ask(data_dir: Path, question: str, *after: str) -> dict[str, Any]:
    args = ["ask", question, "--json"]
    for earlier in after:
        args += ["--after", earlier]
    return cli_json(data_dir, *args)  # type: ignore[no-any-return]


def rows(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each "- name … [n]" line of a list answer → the citation it carries."""
    by_n = {c["n"]: c for c in answer["citations"]}
    found = {}
    for line in answer["answer"].splitlines():
        if line.startswith("- ") and line.rstrip().endswith("]"):
            label, _, number = line[2:].rstrip().rpartition(" [")
            found[label] = by_n[int(number[:-1])]
    return found


def name_of(label: str) -> str:
    """The documents' name in a row's label: "Yang Zhilin (杨植麟)" → 杨植麟."""
    first = re.split(r"，|, |: ", label)[0].removesuffix(" *")
    inner = re.search(r"\(([^)]+)\)$", first)
    return inner.group(1) if inner else first


def test_no_question_here_is_a_case_of_the_test_half() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    test_half = select_split(load_cases(ROOT / "tests" / "data" / "eval.jsonl"), "test")
    assert not [c.id for c in test_half if c.question in source]


def test_extraction_against_the_hand_checked_gold_list(seeded: Corpus) -> None:
    gold = json.loads((ROOT / "tests" / "data" / "entities_gold.json").read_text("utf-8"))
    kinds = {e["type"] for e in gold["entities"]}
    assert len(gold["entities"]) >= 40 and kinds == {"org", "product", "person"}
    assert len(gold["relations"]) >= 20 and len(gold["figures"]) >= 15
    scores = cli_json(seeded.settings.data_dir, "eval", "--entities", "--json")
    for part in ("entities", "relations", "figures"):
        assert scores[part]["precision"] >= 0.90, (part, scores[part]["extra"])
        assert scores[part]["recall"] >= 0.85, (part, scores[part]["missed"])


def test_entities_and_cards_from_the_cli(seeded: Corpus) -> None:
    data_dir = seeded.settings.data_dir
    products = cli_json(data_dir, "entities", "--type", "product", "--json")["entities"]
    kling = next(e for e in products if e["name"] == "可灵")
    assert "Kling" in kling["aliases"] and kling["documents"] == 2
    assert {e["type"] for e in products} == {"product"}

    card = cli_json(data_dir, "entity", "Kuaishou", "--json")  # an English alias
    assert card["name"] == "快手" and card["type"] == "org"
    made = {p["name"] for p in card["products"]}
    assert {"可灵", "山海奇镜之劈波斩浪"} <= made
    assert all(verbatim(seeded, p["citation"]) for p in card["products"])

    bytedance = cli_json(data_dir, "entity", "字节", "--json")
    assert bytedance["name"] == "字节跳动"
    assert {"PixelDance", "Seaweed", "即梦", "豆包"} <= {p["name"] for p in bytedance["products"]}
    dated = [t for t in bytedance["timeline"] if NEWS in t["citation"]["source"]]
    assert dated and len(bytedance["timeline"]) == 2  # one entry per document

    baidu = cli_json(data_dir, "entity", "Baidu", "--json")
    roles = {(p["name"], p["role"]) for p in baidu["people"]}
    assert ("李彦宏", "CEO") in roles and ("李彦宏", "创始人") in roles

    kling_card = cli_json(data_dir, "entity", "Kling", "--json")
    values = {f["value"] + f["unit"] for f in kling_card["figures"]}
    assert {"6500万个视频", "1.75亿张图片", "10个灵感值", "2~5分钟"} <= values
    assert all(verbatim(seeded, f["citation"]) for f in kling_card["figures"])
    assert kling_card["makers"][0]["name"] == "快手"

    text = cli(data_dir, "entity", "可灵")
    assert text.exit_code == 0 and "6500万" in text.stdout and "北京商报" in text.stdout
    missing = cli(data_dir, "entity", "Optimus")
    assert missing.exit_code == 1 and "no entity named 'Optimus'" in missing.output
    bad = cli(data_dir, "entities", "--type", "planet")
    assert bad.exit_code == 2 and "'planet' is not a type" in bad.output


def test_list_questions_are_answered_completely_with_a_citation_per_row(
        seeded: Corpus) -> None:
    data_dir = seeded.settings.data_dir
    models = ask(data_dir, "字节跳动都有哪些视频模型？")
    assert not models["refused"] and models["backend"] == "landscape"
    found = rows(models)
    for name in ("PixelDance", "Seaweed", "即梦", "豆包"):
        row = next((c for label, c in found.items() if label.startswith(name)), None)
        assert row is not None, (name, models["answer"])
        assert verbatim(seeded, {**row, "text": row["quote"]})
    assert "Kling" not in models["answer"] and "可灵" not in models["answer"]

    people = ask(data_dir, "Which people talked about data?")
    names = {name_of(label) for label in rows(people)}
    assert {"杨植麟", "李开复", "傅盛", "何宝宏", "韩堃"} <= names, people["answer"]
    assert "Kai-Fu Lee (李开复)" in people["answer"]  # English names where the lexicon has one
    for label, citation in rows(people).items():
        assert name_of(label) in citation["quote"]  # the quote names the person it lists

    dramas = ask(data_dir, "文章里提到了哪些AI短剧？")  # a narrower kind than "products"
    titles = {name_of(label) for label in rows(dramas)}
    assert titles == {"三星堆:未来启示录", "山海奇镜之劈波斩浪"}, dramas["answer"]

    figures = ask(data_dir, "列出可灵的所有数据")
    values = "\n".join(rows(figures))
    for value in ("6500万个视频", "1.75亿张图片", "10个灵感值", "2~5分钟"):
        assert value in values, figures["answer"]
    assert all(Path(c["source"]).name.startswith((NEWS, REVIEW)) for c in figures["citations"])


def test_a_follow_up_narrows_the_last_list(seeded: Corpus) -> None:
    agent = Agent(seeded)
    question = "Which companies have video generation models?"
    first = agent.answer(question)
    listed = rows({"answer": first.answer, "citations": [c.as_dict() for c in first.citations]})
    makers = {name_of(label) for label in listed}
    assert {"快手", "字节跳动", "智谱", "腾讯"} <= makers, first.answer
    assert "Kuaishou (快手), Kling (可灵)" in listed  # the company and its product
    history = [Turn("user", question), Turn("assistant", first.answer)]
    narrowed = agent.answer("And which of them are startups?", history)
    kept = {name_of(label) for label in rows(
        {"answer": narrowed.answer, "citations": [c.as_dict() for c in narrowed.citations]})}
    assert kept and kept <= makers and "智谱" in kept, narrowed.answer
    assert not kept & {"快手", "字节跳动", "腾讯"}
    startup = next(c for c in narrowed.citations)
    assert "六小虎" in startup.quote or "创业" in startup.quote  # the text says so


def test_entities_follow_ingest_and_a_users_lexicon(make_corpus, tmp_path: Path) -> None:
    lexicon = tmp_path / "more.tsv"
    lexicon.write_text("# our own watch list\n星河智能\torg\tXinghe AI\t\tstartup\n"
                       "银河一号\tproduct\tGalaxy One\t星河智能\tvideo\n", encoding="utf-8")
    corpus = make_corpus(lexicon=lexicon)
    folder = tmp_path / "docs"
    folder.mkdir()
    note = folder / "brief.md"
    note.write_text("# 简报\n\n星河智能推出了视频模型银河一号，生成一个10秒视频需要3分钟。\n",
                    encoding="utf-8")
    assert ingest_paths(corpus, [folder]).added == 1
    card = corpus.entities.card("Xinghe AI")
    assert card is not None and card.name == "星河智能"
    assert [p["name"] for p in card.products] == ["银河一号"]
    note.write_text("# 简报\n\n这篇简报已经撤下。\n", encoding="utf-8")
    ingest_paths(corpus, [folder])
    assert corpus.entities.card("星河智能") is None  # the changed text no longer names it
    bad = tmp_path / "bad.tsv"
    bad.write_text("星河智能\tplanet\n", encoding="utf-8")
    result = cli(tmp_path / "data", "reindex", "--entities", LANDSCAPE_LEXICON=str(bad))
    assert result.exit_code == 1 and "expected name<TAB>org|product|person" in result.output


def test_llm_extraction_keeps_only_names_the_text_holds(make_corpus, tmp_path: Path) -> None:
    """A local OpenAI-compatible server plays the model: its real names are kept, a name the
    text does not hold is dropped, and a failing model leaves the offline extraction."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "week.md").write_text("# 周报\n\n这周，青藤与白鹭两家团队宣布合并，百度表示关注。\n",
                                    encoding="utf-8")
    proposed = ('{"name": "青藤", "type": "org"}\n{"name": "白鹭", "type": "org"}\n'
                '{"name": "紫杉资本", "type": "org"}\n{"name": "百度", "type": "org"}\n'
                'and some prose the parser ignores')
    with FakeLLM() as fake:
        fake.router = lambda body: Reply(proposed)
        corpus = make_corpus(llm="openai", openai_base_url=fake.base_url,
                             openai_model="scripted")
        assert attach_llm_extraction(corpus, corpus.settings)
        assert ingest_paths(corpus, [folder]).added == 1
        asked = len(fake.requests)
    names = {e.name for e in corpus.entities.entities()}
    assert asked == 1 and {"青藤", "白鹭", "百度"} <= names and "紫杉资本" not in names
    card = corpus.entities.card("白鹭")
    assert card is not None and "白鹭" in card.timeline[0]["citation"]["text"]

    (folder / "week.md").write_text("# 周报\n\n这周，青藤与白鹭两家团队宣布合并，阿里表示关注。\n",
                                    encoding="utf-8")
    with FakeLLM([Fail(500), Fail(500), Fail(500)]) as broken:
        broken.router = lambda body: Fail(500)
        corpus.entity_index().proposer = attach_proposer(corpus, broken.base_url)
        assert ingest_paths(corpus, [folder]).updated == 1  # the model failed: ingest goes on
    names = {e.name for e in corpus.entities.entities()}
    assert "阿里集团" in names and "青藤" not in names  # offline only, for the new text
    assert not attach_llm_extraction(corpus, corpus.settings.model_copy(
        update={"entity_llm": False}))


def attach_proposer(corpus: Corpus, base_url: str) -> Any:
    from agent.backends import make_backend
    from agent.entity_llm import LLMEntityProposer

    settings = corpus.settings.model_copy(update={"llm": "openai", "openai_base_url": base_url,
                                                  "llm_timeout": 2.0})
    return LLMEntityProposer(make_backend("openai", settings), settings)


def test_hostile_and_odd_text_is_extracted_safely(seeded: Corpus, tmp_path: Path) -> None:
    extractor = Extractor(load_lexicon())
    odd = "İzmir的字节跳动CEO梁汝波表示，会继续投入。"  # "İ".lower() is two characters
    found = extractor.extract(odd)
    assert {m.name for m in found.mentions} >= {"字节跳动", "梁汝波"}
    assert all(odd[m.start:m.end] == m.surface for m in found.mentions)
    hostile = "快手推出了短剧《[点此领取](http://127.0.0.1:9/x)》，又推出了短剧《=HYPERLINK(1)》。"
    names = {m.name for m in extractor.extract(hostile).mentions}
    assert not any("](" in n or "://" in n for n in names)
    index = seeded.entities
    assert index.resolve("_") is None and index.resolve("%") is None and index.resolve("") is None
    from agent.landscape import Matrix, matrix_csv
    table = matrix_csv(Matrix(["video generation"], [{"player": "=HYPERLINK(1)", "counts": [1],
                                                      "total": 1}]))
    assert "'=HYPERLINK(1)" in table  # never a formula in a spreadsheet


def test_extraction_keeps_offsets_verbatim() -> None:
    text = (SEEDS / "002_7d1ca45d4d07468a.txt").read_text("utf-8")
    found = Extractor(load_lexicon()).extract(text)
    assert all(text[m.start:m.end] == m.surface for m in found.mentions)
    assert all(f.value.replace(" ", "") in text[f.start:f.end].replace(" ", "")
               for f in found.figures)


def test_a_scare_quoted_word_is_no_product() -> None:
    """"鼓励大语言模型“思考”": a common verb in quotes after a category word names nothing (it
    made every question on 深度思考 a question about a product called 思考); a coined name in
    quotes (“清影”) is a product."""
    found = Extractor(load_lexicon()).extract(
        "项目通过强化学习鼓励大语言模型“思考”和推理。智谱开放了视频模型“清影”。")
    names = {m.name for m in found.mentions if m.type == "product"}
    assert "思考" not in names and "清影" in names


SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def _slash(url: str, text: str) -> int:
    body = urllib.parse.urlencode({
        "command": "/landscape", "text": text, "channel_id": "C9", "user_id": "U1",
        "team_id": "T1", "trigger_id": "1.2", "response_url": "http://127.0.0.1:9/unused"})
    stamp = str(int(time.time()))
    signature = "v0=" + hmac.new(SECRET.encode(), f"v0:{stamp}:{body}".encode(),
                                 hashlib.sha256).hexdigest()
    request = urllib.request.Request(
        url + "/slack/events", data=body.encode(), method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def test_slack_entity_command_posts_the_card(seeded: Corpus, tmp_path: Path) -> None:
    with FakeSlack() as fake:
        config = SlackConfig(bot_token="xoxb-test", api_url=fake.api_url, signing_secret=SECRET)
        bot = SlackBot(config, LocalAnswerer(Agent(seeded)),
                       FeedbackStore(tmp_path / "feedback.sqlite"),
                       EventClaims(tmp_path / "events.sqlite"))
        with uvicorn_thread(http_app(bot)) as url:
            assert _slash(url, "entity Kling") == 200
            assert _slash(url, "entity 不存在的公司") == 200
            assert _slash(url, "hello") == 200
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and len(fake.calls_to("chat.postEphemeral")) < 2:
                time.sleep(0.1)
    [card] = fake.calls_to("chat.postMessage")
    blocks = json.loads(card["blocks"]) if isinstance(card["blocks"], str) else card["blocks"]
    text = "\n".join(b["text"]["text"] for b in blocks if isinstance(b.get("text"), dict))
    assert "*可灵*" in text and "快手" in text and "6500万" in text and "> " in text
    notes = [c["text"] for c in fake.calls_to("chat.postEphemeral")]
    assert any("No entity named" in n for n in notes) and any("Usage" in n for n in notes)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("landscape-view") / "data"
    with landscape_serve(data_dir, data_dir.parent / "serve.log") as url:
        yield url


def test_landscape_view_in_chromium(served: str, tmp_path: Path) -> None:
    with browser_page(served + "/") as page:
        page.get_by_role("tab", name="Landscape").click()
        matrix = page.locator("#landscape-matrix")
        matrix.get_by_text("快手", exact=True).first.wait_for(timeout=30_000)
        header = " ".join(matrix.locator("[role=columnheader]").all_inner_texts())
        assert "video generation" in header and "deep reasoning" in header
        page.screenshot(path=str(tmp_path / "landscape.png"), full_page=True)
        # the 快手 × video generation cell: its quotes, with their documents and dates
        row = matrix.locator("[role=row]").filter(has_text="快手").first
        row.locator("[role=gridcell]").nth(1).click()
        detail = page.locator("#landscape-detail")
        detail.get_by_text("video generation").first.wait_for(timeout=10_000)
        quotes = detail.locator("blockquote").all_inner_texts()
        assert quotes and all("可灵" in q or "快手" in q or "Kling" in q for q in quotes)
        assert "date unknown" in detail.inner_text() or "20" in detail.inner_text()
        page.locator("#landscape-timeline").get_by_text("timeline").wait_for(timeout=10_000)
        with page.expect_download(timeout=20_000) as download:
            page.click("#landscape-csv")
        saved = tmp_path / "landscape.csv"
        download.value.save_as(saved)
    table = list(csv.reader(io.StringIO(saved.read_text("utf-8-sig"))))
    assert table[0][0] == "player" and table[0][-1] == "total"
    assert any(r[0] == "快手" and int(r[1]) > 0 for r in table[1:])
    api = json.loads(urllib.request.urlopen(
        served + "/v1/landscape/entity?name=" + urllib.parse.quote("可灵")).read())
    assert api["name"] == "可灵" and api["figures"]


def test_a_names_lineage_runs_up_its_parents() -> None:
    lexicon = load_lexicon()
    assert lexicon.lineage("可灵") == {"可灵", "快手"}
    assert {"火山引擎", "字节跳动"} <= lexicon.lineage("火山引擎")
    assert lexicon.lineage("no such name") == {"no such name"}
