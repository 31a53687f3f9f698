"""Time-scoped questions over dated documents on both sides of a period's boundary, in
Chinese and English, and "latest" questions that cite the newest source."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from agent.pipeline import Agent
from agent.timescope import read_time
from index.ingest import ingest_paths

TODAY = date(2026, 11, 25)


def _write(folder: Path, name: str, text: str, when: str, outlet: str) -> None:
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / f"{name}.meta.json").write_text(
        json.dumps({"date": when, "outlet": outlet, "title": name}), encoding="utf-8")


def test_time_expressions_are_read_relative_to_today() -> None:
    def period(q: str) -> tuple[str, str]:
        scope = read_time(q, TODAY)
        assert scope is not None, q
        return scope.date_from, scope.date_to

    assert period("2024年下半年视频生成有什么进展?") == ("2024-07-01", "2024-12-31")
    assert period("今年以来有哪些新模型?") == ("2026-01-01", "2026-11-25")
    assert period("最近一个月的芯片新闻") == ("2026-10-26", "2026-11-25")
    assert period("What changed since March?") == ("2026-03-01", "2026-11-25")
    assert period("What happened last quarter?") == ("2026-07-01", "2026-09-30")
    assert period("Q3 2024 funding rounds") == ("2024-07-01", "2024-09-30")
    latest = read_time("最新的视频模型是什么?", TODAY)
    assert latest is not None and latest.latest and not latest.has_period
    assert read_time("2024年国内大模型市场规模是多少?", TODAY) is None  # a year named as content
    assert period("近半年有哪些融资?") == ("2026-05-27", "2026-11-25")  # 182.5 days
    assert period("What happened over the past year?") == ("2025-11-25", "2026-11-25")
    assert period("What happened last year?") == ("2025-01-01", "2025-12-31")
    assert period("最近两个星期") == ("2026-11-11", "2026-11-25")
    assert period("今年和去年相比融资多了吗?") == ("2025-01-01", "2026-11-25")
    for content in ("公司成立将近两年", "3万以上月薪的岗位", "on the last day of WAIC"):
        assert read_time(content, TODAY) is None, content


def test_a_period_question_cites_only_its_period_and_latest_cites_the_newest(
        make_corpus: Any, tmp_path: Path) -> None:
    docs = tmp_path / "dated"
    docs.mkdir()
    _write(docs, "chip-june", "云杉科技发布了第一代推理芯片云杉一号，主打低功耗。"
           "云杉科技表示推理芯片将用于数据中心。",
           "2024-06-20", "甲报")
    _write(docs, "chip-august", "云杉科技发布了第二代推理芯片云杉二号，性能提升三倍。"
           "云杉科技表示推理芯片已经量产。",
           "2024-08-05", "乙报")
    _write(docs, "chip-november", "云杉科技发布了第三代推理芯片云杉三号，开始向海外客户供货。"
           "云杉科技的推理芯片订单翻倍。",
           "2026-11-10", "丙报")
    corpus = make_corpus(today=TODAY.isoformat())
    ingest_paths(corpus, [docs])
    agent = Agent(corpus, backend="extractive")

    def cited(question: str) -> tuple[set[str], str]:
        answer = agent.answer(question)
        assert not answer.refused, answer.answer
        return {c.date for c in answer.citations}, answer.answer

    dates, text = cited("2024年下半年云杉科技的推理芯片有什么进展?")
    assert dates == {"2024-08-05"}
    assert text.startswith("时间范围：2024-07-01 至 2024-12-31")
    dates, text = cited("What did Yunshan Technology do with inference chips in the first half "
                        "of 2024?")
    assert dates == {"2024-06-20"} and text.startswith("Period covered: 2024-01-01 to 2024-06-30")
    dates, _ = cited("最近一个月云杉科技的推理芯片有什么消息?")
    assert dates == {"2026-11-10"}
    answer = agent.answer("云杉科技最新的推理芯片是哪一代?")
    assert answer.citations and answer.citations[0].date == "2026-11-10"
    assert answer.answer.rstrip().endswith("截至 2026-11-10（所引最新来源的日期）。")
