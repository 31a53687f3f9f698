"""The agent end to end: real Chroma, the real embedding model, and a real local
OpenAI-compatible server playing scripted replies (tests/fake_llm.py)."""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path

import pytest
from fake_llm import Drop, Fail, FakeLLM, Hang, Malformed, Reply
from typer.testing import CliRunner

from agent.backends import make_backend
from agent.evaluate import citations_valid
from agent.extractive import extractive_answer
from agent.pipeline import FALLBACK_NOTE, Agent, Answer, Turn
from index.corpus import Corpus
from index.errors import BadQuestion, ConfigError, UnknownBackend
from index.search import SearchResult

LUMA = "Luma AI 9月的访问量是多少？"


def assert_grounded(answer: Answer, corpus: Corpus) -> None:
    assert citations_valid(answer, corpus.store), answer
    markers = {int(m) for m in re.findall(r"\[(\d+)\]", answer.answer)}
    assert markers == {c.n for c in answer.citations}


def llm_agent(corpus: Corpus, fake: FakeLLM, make_settings, **overrides: object) -> Agent:
    settings = make_settings(
        data_dir=corpus.settings.data_dir, llm="openai", openai_base_url=fake.base_url,
        openai_model="scripted", **overrides,
    )
    return Agent(corpus, backend="openai", settings=settings)


def test_extractive_answers_with_the_figure_and_a_verbatim_citation(seeded: Corpus) -> None:
    answer = Agent(seeded, backend="extractive").answer(LUMA)
    assert not answer.refused and answer.language == "zh"
    assert "1181万次" in answer.answer
    assert_grounded(answer, seeded)
    assert any("1181万次" in c.quote for c in answer.citations)
    assert set(answer.timings) == {"retrieve_ms", "generate_ms", "total_ms"}


def test_out_of_scope_questions_are_refused_with_related_sources(seeded: Corpus) -> None:
    agent = Agent(seeded, backend="extractive")
    english = agent.answer("What is the capital of Australia?")
    assert english.refused and english.citations == []
    assert english.answer.startswith("The documents don't cover")
    chinese = agent.answer("特斯拉2024年的全球交付量是多少？")
    assert chinese.refused and chinese.answer.startswith("文档中没有")
    assert chinese.related and all(r["title"] for r in chinese.related)


def test_english_question_gets_an_english_answer_with_chinese_quotes(seeded: Corpus) -> None:
    answer = Agent(seeded).answer("How many images has Kuaishou's Kling AI generated in total?")
    assert answer.language == "en" and not answer.refused
    lead = answer.answer.split("\n", 1)[0]  # English, naming the source and the entities
    assert lead.startswith("The source") and "北京商报" in lead and "Kling (可灵)" in lead
    assert "1.75亿张图片" in answer.answer
    assert_grounded(answer, seeded)


def test_offline_follow_up_carries_the_earlier_question(seeded: Corpus) -> None:
    history = [Turn("user", "智谱清言推出了哪款免费的视频模型？"), Turn("assistant", "清影。")]
    answer = Agent(seeded).answer("它生成一个5秒片段要多久？", history)
    assert "3~5分钟" in answer.answer
    assert "智谱" in answer.standalone_question


def test_bad_questions_are_refused_politely(seeded: Corpus) -> None:
    agent = Agent(seeded)
    with pytest.raises(BadQuestion, match="empty"):
        agent.answer(" \n\t ")
    with pytest.raises(BadQuestion, match="under 2,000"):
        agent.answer("大模型" * 1000)


def test_invented_citation_number_never_reaches_the_user(seeded, make_settings) -> None:
    reply = "Luma AI网站在9月的总访问量仅为1181万次[9]。"
    with FakeLLM([Reply(reply)]) as fake:
        agent = llm_agent(seeded, fake, make_settings, top_k=4)
        answer = agent.answer(LUMA)
    assert "[9]" not in answer.answer and "1181万次" in answer.answer
    assert answer.citations and "1181万次" in answer.citations[0].quote
    assert_grounded(answer, seeded)


def test_claim_no_passage_supports_is_removed(seeded, make_settings) -> None:
    reply = ("Luma AI网站在9月的总访问量仅为1181万次[1]。"
             "苹果公司发布了售价999美元的AI眼镜并在欧洲售出三百万副[2]。")
    with FakeLLM([Reply(reply)]) as fake:
        answer = llm_agent(seeded, fake, make_settings).answer(LUMA)
    assert "1181万次" in answer.answer
    assert "苹果" not in answer.answer and "999" not in answer.answer
    assert_grounded(answer, seeded)


def test_non_verbatim_quote_is_caught(seeded, make_settings) -> None:
    reply = ("李彦宏直接撂话说“百度永远不会做任何视频大模型”[1]。"
             "据SimilarWeb统计,Luma AI网站在9月的总访问量仅为1181万次[2]。")
    with FakeLLM([Reply(reply)]) as fake:
        question = "李彦宏对视频生成怎么说？Luma的访问量呢？"
        answer = llm_agent(seeded, fake, make_settings).answer(question)
    assert "永远不会" not in answer.answer
    assert_grounded(answer, seeded)


def test_server_errors_are_retried_then_answered(seeded, make_settings) -> None:
    good = "Luma AI网站在9月的总访问量仅为1181万次[1]。"
    with FakeLLM([Fail(500), Fail(503), Reply(good)]) as fake:
        answer = llm_agent(seeded, fake, make_settings, llm_retries=2).answer(LUMA)
        assert fake.answer_requests == 3
    assert answer.backend.startswith("openai") and not answer.note
    assert "1181万次" in answer.answer
    assert_grounded(answer, seeded)


@pytest.mark.parametrize("failure", [Fail(500), Hang(5.0),
                                     Drop("Luma AI网站在9月的访问量下滑[1]。它"), Malformed()],
                         ids=["5xx", "timeout", "dropped-stream", "malformed"])
def test_failing_llm_falls_back_to_extractive_with_a_note(seeded, make_settings, failure) -> None:
    with FakeLLM([failure]) as fake:
        agent = llm_agent(seeded, fake, make_settings, llm_retries=1, llm_timeout=0.5)
        started = time.monotonic()
        events = list(agent.stream(LUMA))
        elapsed = time.monotonic() - started
    final = events[-1].answer
    assert final is not None and final.backend == "extractive (fallback)"
    assert final.note.startswith(FALLBACK_NOTE["zh"])
    assert "1181万次" in final.answer
    assert_grounded(final, seeded)
    assert elapsed < 8
    if isinstance(failure, Drop):  # text already shown is withdrawn before the fallback
        kinds = [e.kind for e in events]
        assert "reset" in kinds and kinds.index("reset") > kinds.index("token")


def test_slow_stream_does_not_block_other_requests(seeded, make_settings) -> None:
    slow = Reply("Luma AI网站在9月的总访问量仅为1181万次[1]。", token_delay=0.25, token_chars=2)
    fast = Reply("Runway在9月流量仅755.8万次,不及ChatGPT的1/400[1]。")
    with FakeLLM() as fake:
        fake.router = lambda body: slow if "Luma" in json.dumps(body, ensure_ascii=False) \
            .split("Question:")[-1] else fast
        agent = llm_agent(seeded, fake, make_settings)
        results: dict[str, float] = {}

        def ask(name: str, question: str) -> None:
            started = time.monotonic()
            agent.answer(question)
            results[name] = time.monotonic() - started

        slow_thread = threading.Thread(target=ask, args=("slow", LUMA))
        slow_thread.start()
        time.sleep(0.3)
        ask("fast", "Runway 9月的流量大约是ChatGPT的多少？")
        slow_thread.join(timeout=30)
    assert results["fast"] < results["slow"]
    assert results["slow"] > 3


def test_backend_selection_errors_name_the_fix(make_settings) -> None:
    with pytest.raises(UnknownBackend, match="choose one of: extractive, openai, llamacpp"):
        make_backend("gpt-5", make_settings())
    with pytest.raises(ConfigError, match="LANDSCAPE_OPENAI_API_KEY"):
        make_backend("openai", make_settings())
    with pytest.raises(ConfigError, match="LANDSCAPE_OPENAI_BASE_URL"):
        make_backend("openai", make_settings(openai_base_url="localhost:8000"))
    with pytest.raises(ConfigError, match="LANDSCAPE_LLAMACPP_MODEL_PATH"):
        make_backend("llamacpp", make_settings(llamacpp_model_path=Path("/nonexistent.gguf")))


def test_ask_json_cli(seeded: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.cli import app

    monkeypatch.setenv("LANDSCAPE_DATA_DIR", str(seeded.settings.data_dir))
    result = CliRunner().invoke(app, ["ask", LUMA, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"answer", "citations", "refused", "language", "timings"} <= set(data)
    assert set(data["timings"]) == {"retrieve_ms", "generate_ms", "total_ms"}
    assert data["refused"] is False
    assert data["citations"][0]["quote"].rstrip("。") in data["answer"]
    empty = CliRunner().invoke(app, ["ask", "   "])
    assert empty.exit_code == 1 and "question is empty" in empty.stderr


def test_llm_rewrites_follow_ups_and_translates_english_questions(seeded, make_settings) -> None:
    answer_text = "Zhipu's free model still takes 3~5 minutes for a 5-second clip[1]."
    rewritten = "智谱清言的清影生成一个5秒片段要多久？"
    with FakeLLM([Reply(answer_text)], helper_reply=rewritten) as fake:
        agent = llm_agent(seeded, fake, make_settings)
        history = [Turn("user", "Which free video model did Zhipu launch?"),
                   Turn("assistant", "Qingying (清影).")]
        answer = agent.answer("How long does it take for a 5-second clip?", history)
        prompts = [m["content"] for r in fake.requests for m in r["messages"]
                   if m["role"] == "system"]
    assert any(p.startswith("Rewrite the user's last question") for p in prompts)
    assert any(p.startswith("Rewrite the user's question as two search queries") for p in prompts)
    assert answer.standalone_question == "智谱清言的清影生成一个5秒片段要多久？"
    assert answer.language == "en" and "3~5" in answer.answer
    assert_grounded(answer, seeded)
    assert any("3~5分钟" in c.quote for c in answer.citations)


def test_terminal_chat_keeps_the_conversation(seeded: Corpus, monkeypatch) -> None:
    from ui.cli import app

    monkeypatch.setenv("LANDSCAPE_DATA_DIR", str(seeded.settings.data_dir))
    session = "智谱清言推出了哪款免费的视频模型？\n它生成一个5秒片段要多久？\n\n"
    result = CliRunner().invoke(app, ["chat"], input=session)
    assert result.exit_code == 0, result.output
    assert "清影" in result.output and "3~5分钟" in result.output
    assert "Sources:" in result.output


def test_an_english_answer_keeps_a_quote_that_ends_no_sentence(seeded: Corpus) -> None:
    """A title or a sentence ending in a colon, quoted in an English answer, is still one
    claim: it and the next quote are not read as one and dropped together."""
    from agent.grounding import verify_answer

    texts = ["字节们面临偏航危机视频", "所有的视频模型都存在两个短板,字节也是:",
             "字节推出了两款最新的视频模型。"]
    hits = [SearchResult(rank=i, score=1.0, doc_id=f"news{i}", source=f"news{i}.md",
                         title=f"news{i}", chunk_id=f"news{i}:0", start=0, end=len(text),
                         text=text) for i, text in enumerate(texts, start=1)]
    concepts, idf = [{"字节": 1.0}, {"视频": 1.0}], {"字节": 1.0, "视频": 1.0}
    answer = extractive_answer("en", hits, concepts, idf)
    agent = Agent(seeded)
    verified = verify_answer(answer, hits, agent._scorer(), agent.settings.support_threshold)
    assert verified.citations and not verified.dropped_sentences, (answer, verified)
    assert "两款最新的视频模型" in verified.text


def test_an_extractive_answer_prefers_the_sentence_holding_what_the_question_expects() -> None:
    text = "可灵生成的视频有明显的AI味。可灵生成一段视频需要3分钟。"
    hit = SearchResult(rank=1, score=1.0, doc_id="news", source="news.md", title="news",
                       chunk_id="news:0", start=0, end=len(text), text=text)
    concepts, idf = [{"可灵": 1.0}, {"生成": 1.0}], {"可灵": 1.0, "生成": 1.0}
    plain = extractive_answer("zh", [hit], concepts, idf, limit=1)
    assert plain.startswith("可灵生成的视频有明显的AI味")  # equal coverage: the first
    figure = extractive_answer("zh", [hit], concepts, idf, limit=1, expects="number")
    assert figure.startswith("可灵生成一段视频需要3分钟")  # a figure for 多久/多少


def test_the_source_holds_no_control_characters() -> None:
    """A regex written as "\\b" in a plain string is a backspace (\\x08): it never matches and
    nothing fails. The code must hold no such characters."""
    root = Path(__file__).resolve().parents[1]
    for folder in ("agent", "index", "ui", "tests"):
        for path in (root / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text), path
