"""Saved conversations: kept in the browser for the embedded default (they survive a reload and
reopen with their history), per signed-in user in the database, and a Slack thread opens in the
web chat from the link under the bot's answer."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from fake_slack import FakeSlack
from servers import browser_page, free_port, landscape_serve, uvicorn_thread
from test_slack import SECRET, Harness

from agent.pipeline import Agent, Turn
from index.corpus import Corpus
from ui.conversations import Conversations
from ui.feedback import FeedbackStore
from ui.slack.answerer import LocalAnswerer
from ui.slack.bot import SlackBot
from ui.slack.config import SlackConfig
from ui.state import ConversationStore, Database, EventClaims

LUMA = "Luma AI 9月的访问量是多少？"


def ask_in_page(page, question: str, expect: str) -> None:
    page.fill("#question textarea", question)
    page.click("#send")
    page.locator("#chat").get_by_text(expect).first.wait_for(timeout=60_000)


def test_browser_conversations_survive_a_reload_and_reopen_with_history(tmp_path: Path) -> None:
    with landscape_serve(tmp_path / "data", tmp_path / "serve.log") as url, \
            browser_page(url + "/") as page:
        ask_in_page(page, LUMA, "1181万次")
        page.wait_for_timeout(1500)  # the conversation is saved after the answer
        page.reload()
        page.wait_for_selector("#question textarea", timeout=30_000)
        page.locator("#conversations input").click()
        page.get_by_role("option", name=LUMA).click()
        page.locator("#chat").get_by_text("1181万次").first.wait_for(timeout=30_000)
        ask_in_page(page, "它在9月环比下跌了多少？", "38.49%")  # the history came back too
        page.fill("#question textarea", "Luma AI的访问量在10月是多少？")
        page.click("#send")
        page.click("#new-chat")  # while that answer may still stream: it stops
        gone = "() => !document.querySelector('#chat').innerText.includes('1181万次')"
        page.wait_for_function(gone, timeout=45_000)
        page.wait_for_timeout(3000)
        assert page.evaluate(gone), "a stopped answer wrote the old chat back"
        page.screenshot(path=str(tmp_path / "conversations.png"), full_page=True)


def test_signed_in_users_keep_their_own_conversations(tmp_path: Path) -> None:
    store = ConversationStore(Database(f"sqlite:///{tmp_path / 'state.sqlite'}"))
    conversations = Conversations(store)
    alice, bob = SimpleNamespace(username="alice"), SimpleNamespace(username="bob")
    turns = [Turn("user", LUMA), Turn("assistant", "1181万次[1]")]
    browser = conversations.remember("c1", turns, {}, alice)
    assert browser == {}  # a signed-in user's conversation goes to the database
    assert conversations.choices({}, alice) == [(LUMA, "c1")]
    assert conversations.choices({}, bob) == []
    assert conversations.open("c1", {}, bob) is None  # not Bob's
    assert [t.content for t in conversations.open("c1", {}, alice) or []] == [LUMA, "1181万次[1]"]
    anonymous = SimpleNamespace(username=None)
    kept = conversations.remember("c2", turns, {}, anonymous)
    assert list(kept) == ["c2"] and store.list("web:None") == []  # kept in the browser


def test_a_slack_thread_continues_in_the_web_chat(seeded: Corpus, make_settings,
                                                  tmp_path: Path) -> None:
    from ui.server import create_app
    from ui.services import Services

    port = free_port()
    public = f"http://127.0.0.1:{port}"
    settings = make_settings(data_dir=seeded.settings.data_dir, public_url=public)
    db = Database(f"sqlite:///{tmp_path / 'state.sqlite'}")
    services = Services(settings, seeded, Agent(seeded), FeedbackStore(db))
    with FakeSlack() as slack_api:
        config = SlackConfig(bot_token="xoxb-test", api_url=slack_api.api_url,
                             signing_secret=SECRET, public_url=public)
        bot = SlackBot(config, LocalAnswerer(services.agent), FeedbackStore(db), EventClaims(db))
        from ui.slack.bot import http_app

        with uvicorn_thread(http_app(bot)) as slack_url:
            reply = Harness(slack_api, slack_url, bot).mention(LUMA)
    links = [e["text"] for b in reply["blocks"] if b["type"] == "context"
             for e in b["elements"] if "Continue in the web chat" in e.get("text", "")]
    assert len(links) == 1
    link = links[0][1:].split("|", 1)[0]
    assert link.startswith(f"{public}/?conversation=slack-")
    with uvicorn_thread(create_app(services), port=port), browser_page(link) as page:
        page.locator("#chat").get_by_text("1181万次").first.wait_for(timeout=30_000)
        assert LUMA in page.locator("#chat").inner_text()
        ask_in_page(page, "它在9月环比下跌了多少？", "38.49%")  # the thread goes on here


def test_new_chat_wins_over_an_answer_in_either_order(seeded: Corpus, make_settings,
                                                      tmp_path: Path) -> None:
    """New chat while a question is on its way: whether the answer started first (and was not
    cancelled in time) or comes after, the old chat is not written back."""
    import gradio as gr

    from ui.services import Services
    from ui.web import Session, build_blocks

    settings = make_settings(data_dir=seeded.settings.data_dir)
    db = Database(f"sqlite:///{tmp_path / 'state.sqlite'}")
    demo = build_blocks(Services(settings, seeded, Agent(seeded), FeedbackStore(db)))
    fns = {f.fn.__name__: f.fn for f in demo.fns.values() if f.fn is not None}
    respond, start_over = fns["respond"], fns["start_over"]
    old_chat = [{"role": "user", "content": LUMA}, {"role": "assistant", "content": "1181万次[1]"}]

    # the answer comes after New chat: the page sent the old conversation's id with it
    old = Session(turns=[Turn("user", LUMA), Turn("assistant", "1181万次[1]")])
    chat, fresh, _, _, shown = start_over(old)
    assert chat == [] and old.replaced_by is fresh and shown == fresh.view
    late = list(respond("Luma AI的访问量在10月是多少？", old_chat, fresh, 5, False, old.view))
    assert len(late) == 1 and all(isinstance(o, type(gr.skip())) for o in late[0])
    assert fresh.turns == []  # and the question stays in the box (skipped, not cleared)

    # the answer started first and streams on: at its next output it shows the new chat instead
    streaming = Session(turns=list(old.turns))
    outputs = respond("Luma AI的访问量在10月是多少？", old_chat, streaming, 5, False,
                      streaming.view)
    first = next(outputs)
    assert first[0][-1]["content"] == "…" and first[0][0]["content"] == LUMA
    _, successor, *_ = start_over(streaming)
    rest = list(outputs)
    assert len(rest) == 1
    chat, _, sources, _, _, state = rest[0]
    assert chat == [] and state is successor and "Sources of the latest answer" in sources
    assert len(streaming.turns) == 2  # the stopped answer was not added to the old chat either

    # New chat between the answer's last output and the page getting it: Gradio sends that
    # output after the generator yields it, so the generator sets the page right after it
    finishing = Session(turns=list(old.turns))
    outputs = respond("Luma AI的访问量在10月是多少？", old_chat, finishing, 5, False,
                      finishing.view)
    for item in outputs:
        if len(finishing.turns) == 4:  # the answer's last output (its turns are kept)
            assert item[0][-1]["content"] != "…" and item[5] is finishing
            break
    assert len(finishing.turns) == 4  # the answer was complete before New chat
    _, newer, *_ = start_over(finishing)
    _, newest, *_ = start_over(newer)  # and again: the latest chat is the one shown
    rest = list(outputs)
    assert len(rest) == 1
    chat, _, sources, _, _, state = rest[0]
    assert chat == [] and state is newest and "Sources of the latest answer" in sources
