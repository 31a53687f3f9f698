"""The Gradio web chat: streamed answers, a sources panel, uploads, feedback, settings."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gradio as gr

from agent.pipeline import Answer, Turn
from index.errors import BadQuestion, LandscapeError, LoadError, StoreLocked
from index.ingest import ingest_paths
from index.observe import RequestLog, in_request, new_request_id
from ui.conversations import (
    Conversations,
    as_chat,
    browser_secret,
    new_conversation_id,
    own_id,
)
from ui.landscape import build_landscape_tab
from ui.render import inert_markdown, link_markers, passages_html, sources_html
from ui.services import Services
from ui.state import ConversationStore

log = logging.getLogger("landscape")

EXAMPLES = [
    "Luma AI 9月的访问量是多少？",
    "快手推出的AI奇幻短剧叫什么？",
    "2024年国内大模型市场规模增长到了多少？",
    "How many images has Kuaishou's Kling AI generated in total?",
    "What did Kai-Fu Lee ask about human-written text and model training?",
]
RETIRED_KEPT = 100_000  # Session.view ids, 16 characters each
PROGRESS = gr.Progress()  # Gradio injects the real tracker through this default
NO_SOURCES = "<i>Sources of the latest answer appear here.</i>"
SORRY = {
    "zh": "抱歉，处理这个问题时出了点问题，已记录。请稍后再试。",
    "en": "Sorry, something went wrong on our side while answering; it has been logged. "
          "Please try again in a moment.",
}


@dataclass
class Session:
    """One browser tab's conversation."""

    turns: list[Turn] = field(default_factory=list)
    answers: dict[int, Answer] = field(default_factory=dict)  # chatbot index -> answer
    feedback_ids: dict[int, int] = field(default_factory=dict)
    conversation_id: str = field(default_factory=new_conversation_id)
    # this chat as one page shows it (a reopened conversation is a new view of it)
    view: str = field(default_factory=new_conversation_id)
    # what New chat or a reopened conversation put in its place: an answer still streaming
    # into this one stops, and shows that instead of writing the old chat back
    replaced_by: Session | None = None


def _echo(message: str, limit: int) -> str:
    """The question as the chat shows it: an over-long paste is shortened, not repeated."""
    if len(message) <= limit:
        return message
    return f"{message[:300]}… ({len(message):,} characters)"


class GradioProgress:
    """Adapts gr.Progress to the ``progress(total)`` factory the ingest expects."""

    def __init__(self, progress: gr.Progress, label: str) -> None:
        self.progress = progress
        self.label = label

    def __call__(self, total: int) -> GradioProgress:
        self.total = max(total, 1)
        self.done = 0
        self.progress((0, self.total), desc=self.label)
        return self

    def update(self, n: int) -> None:
        self.done += n
        self.progress((self.done, self.total), desc=self.label)

    def close(self) -> None:
        pass


def build_blocks(services: Services) -> gr.Blocks:
    settings = services.settings
    agent = services.agent
    store = services.corpus.store
    # chats (Session.view) New chat or a reopened conversation took off a page: a question
    # sent from one of them that arrives afterwards must not write that chat back
    retired: OrderedDict[str, None] = OrderedDict()
    retiring = threading.Lock()

    def respond(
        message: str, chat: list[dict[str, Any]], session: Session, k: float, debug: bool,
        shown: str = "",
    ) -> Iterator[tuple[Any, ...]]:
        """``shown`` is the chat (``Session.view``) the page showed when the question was sent:
        when New chat (or a reopened conversation) retired it first, the question stays in the
        box instead of writing the old chat back."""
        if shown in retired:
            yield (gr.skip(),) * 6
            return
        for outputs in answer_into(message, chat, session, k, debug):
            if session.replaced_by is not None:  # an output of ours may have landed after
                yield replaced(session)           # New chat's
                return
            yield outputs
        # New chat may have come between the check and the page getting the last output
        # (Gradio sends it after this generator yields it): that output is set right now
        if session.replaced_by is not None:
            yield replaced(session)

    def replaced(session: Session) -> tuple[Any, ...]:
        """The outputs that show the chat which took ``session``'s place (the latest one)."""
        successor = session.replaced_by
        while successor is not None and successor.replaced_by is not None:
            successor = successor.replaced_by
        assert successor is not None
        return as_chat(successor.turns), gr.skip(), NO_SOURCES, gr.skip(), gr.skip(), successor

    def answer_into(
        message: str, chat: list[dict[str, Any]], session: Session, k: float, debug: bool
    ) -> Iterator[tuple[Any, ...]]:
        chat = list(chat or [])
        if not (message or "").strip():
            yield chat, "", gr.update(), gr.update(), gr.update(), session
            return
        chat += [{"role": "user", "content": _echo(message, settings.max_question_chars)},
                 {"role": "assistant", "content": "…"}]
        yield chat, "", gr.update(), gr.update(), gr.update(), session
        text = ""
        final: Answer | None = None
        rid = new_request_id()
        record = RequestLog("web", settings.log_questions, message)
        try:
            for event in in_request(rid, agent.stream(message, session.turns, k=int(k))):
                if event.kind == "token":
                    text += event.text
                    chat[-1] = {"role": "assistant", "content": inert_markdown(text)}
                    yield chat, "", gr.update(), gr.update(), gr.update(), session
                elif event.kind == "reset":
                    text = ""
                else:
                    final = event.answer
        except BadQuestion as exc:
            record.outcome("bad_request")
            chat[-1] = {"role": "assistant", "content": f"⚠️ {exc}"}
            yield chat, "", gr.update(), gr.update(), gr.update(), session
            return
        except LandscapeError as exc:
            record.outcome("error")
            chat[-1] = {"role": "assistant", "content": f"⚠️ {exc}"}
            yield chat, "", gr.update(), gr.update(), gr.update(), session
            return
        except Exception:  # noqa: BLE001 - the user sees a sentence, the log the traceback
            record.outcome("error")
            log.exception("answering a question in the web chat failed")
            language = "en" if message.isascii() else "zh"
            chat[-1] = {"role": "assistant", "content": SORRY[language]}
            yield chat, "", gr.update(), gr.update(), gr.update(), session
            return
        assert final is not None
        record.answered(final.refused, final.backend, len(final.citations))
        shown = link_markers(inert_markdown(final.answer))
        if final.note:
            shown = f"*{inert_markdown(final.note)}*\n\n{shown}"
        chat[-1] = {"role": "assistant", "content": shown}
        session.answers[len(chat) - 1] = final
        session.turns += [Turn("user", message), Turn("assistant", final.answer)]
        panel = sources_html(final, store)
        yield (
            chat, "", panel, gr.Accordion(open=True),
            gr.update(value=passages_html(final) if debug else "", visible=debug), session,
        )

    def rate(session: Session, index: int, liked: bool, comment: str = "") -> str:
        answer = session.answers.get(index)
        if answer is None:
            return "Nothing to rate yet."
        asked = [t.content for t in session.turns if t.role == "user"]
        position = sorted(session.answers).index(index)
        history = asked[:position]
        try:
            saved = services.feedback.record(
                channel="web", question=answer.question, answer=answer.answer,
                rating=1 if liked else -1, history=history,
                citations=[c.as_dict() for c in answer.citations], language=answer.language,
                refused=answer.refused, comment=comment,
                feedback_id=session.feedback_ids.get(index),
            )
        except LandscapeError as exc:  # the shared database is down: say so, keep nothing
            return f"⚠️ Feedback not saved: {exc}"
        session.feedback_ids[index] = saved
        return "Thanks — feedback saved." + (" (with your comment)" if comment else "")

    def on_like(session: Session, data: gr.LikeData) -> str:
        index = data.index if isinstance(data.index, int) else data.index[0]
        return rate(session, index, bool(data.liked))

    def on_button(session: Session, comment: str, liked: bool) -> tuple[str, str]:
        if not session.answers:
            return "Ask something first.", comment
        return rate(session, max(session.answers), liked, comment.strip()), ""

    def on_upload(paths: list[str] | None, progress: gr.Progress = PROGRESS) -> str:
        if not paths:
            return "Choose one or more files first."
        stored: list[Path] = []
        problems: list[str] = []
        for path in paths:
            try:
                stored.append(services.store_upload(Path(path), Path(path).name))
            except LoadError as exc:
                problems.append(f"- {exc}")
        report = None
        if stored:
            try:
                report = ingest_paths(services.corpus, stored,
                                      progress=GradioProgress(progress, "Ingesting"))
            except StoreLocked:
                problems.append("- another upload is being ingested; try again in a moment")
            except LandscapeError as exc:
                problems.append(f"- {exc}")
        lines = []
        if report is not None:
            problems += [f"- {e}" for e in report.failed]
            ok = report.added + report.updated + report.skipped
            lines.append(f"✅ {ok} file(s) ready to search: {report.summary()}")
        if problems:
            lines.append("⚠️ Not ingested:\n" + "\n".join(problems))
        return "\n\n".join(lines)

    def source_rows() -> list[list[Any]]:
        import datetime as dt

        def when(stamp: float) -> str:
            return dt.datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M") if stamp \
                else "never"

        return [[r["name"], r["kind"], when(r["last_sync"]), r["documents"],
                 r["last_error"] or "—"] for r in services.sources.list_sources()]

    def show_sources() -> tuple[Any, str]:
        try:
            rows = source_rows()
        except LandscapeError as exc:
            return gr.update(), f"⚠️ {exc}"
        return rows, "" if rows else "No sources yet: `landscape sources add URL|FEED|FOLDER`."

    def sync_now(progress: gr.Progress = PROGRESS) -> tuple[Any, str]:
        try:
            results = services.sources.sync(progress=GradioProgress(progress, "Syncing"))
            rows = source_rows()
        except LandscapeError as exc:
            return gr.update(), f"⚠️ {exc}"
        if not results:
            return rows, "No sources yet: `landscape sources add URL|FEED|FOLDER`."
        return rows, "\n".join(f"- {r.summary()}" for r in results)

    conversations = Conversations(ConversationStore(services.feedback.db))

    def remember(session: Session, saved: dict[str, Any] | None,
                 request: gr.Request) -> tuple[Any, Any]:
        if not session.turns:  # nothing asked yet, or the answer was stopped by New chat
            return saved, gr.update()
        try:
            saved = conversations.remember(session.conversation_id, session.turns, saved,
                                           request)
            choices = conversations.choices(saved, request)
        except LandscapeError as exc:  # the shared database is down: the chat goes on
            log.warning("conversation not saved: %s", exc)
            return saved, gr.update()
        return saved, gr.update(choices=choices, value=session.conversation_id)

    def reopen(choice: str | None, saved: dict[str, Any] | None, session: Session,
               request: gr.Request) -> tuple[Any, ...]:
        turns = conversations.open(choice, saved, request) if choice else None
        if turns is None:
            return gr.update(), gr.update(), gr.update(), gr.update()
        opened = Session(turns=turns, conversation_id=own_id(str(choice)))
        retire(session, opened)
        return as_chat(turns), opened, NO_SOURCES, opened.view

    def retire(session: Session, successor: Session) -> None:
        session.replaced_by = successor
        with retiring:
            retired[session.view] = None
            while len(retired) > RETIRED_KEPT:
                retired.popitem(last=False)

    def start_over(session: Session) -> tuple[Any, ...]:
        fresh = Session()
        retire(session, fresh)
        return [], fresh, gr.update(value=None), NO_SOURCES, fresh.view

    def on_load(saved: dict[str, Any] | None, session: Session,
                request: gr.Request) -> tuple[Any, ...]:
        """The visitor's saved conversations; a ``?conversation=ID`` link opens that one (a
        Slack thread continued here)."""
        try:
            choices = conversations.choices(saved, request)
            wanted = request.query_params.get("conversation") if request else None
            turns = conversations.open(wanted, saved, request) if wanted else None
        except LandscapeError as exc:
            log.warning("saved conversations unavailable: %s", exc)
            return gr.update(), gr.update(), session, session.view
        if turns is None:
            # the session is stored again: another event of this page's first load may have
            # made its own in the meantime, and the page must hold the one it was shown
            return gr.update(choices=choices), gr.update(), session, session.view
        opened = Session(turns=turns, conversation_id=own_id(str(wanted)))
        return gr.update(choices=choices), as_chat(turns), opened, opened.view

    with gr.Blocks(title="AI Strategy Landscape", fill_height=True) as demo:
        session = gr.State(lambda: Session())
        # the chat this page shows (Session.view), sent with each question (see respond)
        shown = gr.Textbox("", visible=False, elem_id="conversation-id")
        saved = gr.BrowserState({}, storage_key="landscape-conversations",
                                secret=browser_secret(settings.data_dir))
        gr.Markdown(
            "## AI 战略情报助手 · AI strategy landscape\n"
            "Ask in Chinese or English. Every answer cites the articles it comes from; "
            "click **Sources** to see each quote in its passage."
        )
        with gr.Tab("Chat", id="chat-tab"):
            with gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(label="Chat", height=520, elem_id="chat",
                                         sanitize_html=True, allow_tags=False,
                                         buttons=["copy"], placeholder="问一个关于AI行业的问题")
                    with gr.Row():
                        box = gr.Textbox(
                            placeholder="问一个关于AI行业的问题… / Ask about the AI industry…",
                            show_label=False, scale=8, elem_id="question", max_lines=6,
                        )
                        send = gr.Button("Send", variant="primary", scale=1, elem_id="send")
                    gr.Examples(EXAMPLES, inputs=box, label="Examples")
                    with gr.Row():
                        comment = gr.Textbox(placeholder="Comment on the last answer (optional)",
                                             show_label=False, scale=6, elem_id="comment")
                        up = gr.Button("👍", scale=1, elem_id="thumbs-up")
                        down = gr.Button("👎", scale=1, elem_id="thumbs-down")
                    feedback_status = gr.Markdown(elem_id="feedback-status")
                    with gr.Row():
                        picker = gr.Dropdown(choices=[], value=None, label="Saved conversations",
                                             elem_id="conversations", scale=4, interactive=True)
                        new_chat = gr.Button("New chat", elem_id="new-chat", scale=1)
                with gr.Column(scale=2):
                    with gr.Accordion("Sources", open=False, elem_id="sources-panel") as panel:
                        sources = gr.HTML(NO_SOURCES, elem_id="sources")
                    with gr.Accordion("Upload documents", open=False, elem_id="upload-panel"):
                        files = gr.File(
                            # no file_types: Gradio would refuse a whole batch for one odd file;
                            # store_upload names each bad file and the rest go on
                            file_count="multiple",
                            label=f"txt, md, pdf, docx, html · up to {settings.upload_max_mb:g} MB",
                            elem_id="upload",
                        )
                        ingest_button = gr.Button("Ingest", elem_id="ingest")
                        upload_status = gr.Markdown(elem_id="upload-status")
                    with gr.Accordion("Synced sources", open=False, elem_id="sources-sync-panel"):
                        source_table = gr.Dataframe(
                            headers=["name", "kind", "last sync", "documents", "last error"],
                            interactive=False, elem_id="source-table", wrap=True)
                        sync_button = gr.Button("Sync now", elem_id="sync-now")
                        sync_status = gr.Markdown(elem_id="sync-status")
                    with gr.Accordion("Settings", open=False, elem_id="settings-panel"):
                        gr.Markdown(f"**Backend:** {agent.backend_name}")
                        k = gr.Slider(1, 10, value=settings.top_k, step=1,
                                      label="Number of sources")
                        debug = gr.Checkbox(False, label="Show retrieved passages")
                    passages = gr.HTML(visible=False, elem_id="passages")
        with gr.Tab("Landscape", id="landscape-tab", elem_id="landscape-tab") as tab:
            fill_landscape, landscape_outputs = build_landscape_tab(
                lambda: services.corpus.entities, settings.topics)

        outputs = [chatbot, box, sources, panel, passages, session]
        inputs = [box, chatbot, session, k, debug, shown]
        asked = box.submit(respond, inputs, outputs, api_name="ask")
        asked.then(remember, [session, saved], [saved, picker], api_visibility="private")
        sent = send.click(respond, inputs, outputs, api_visibility="private")
        sent.then(remember, [session, saved], [saved, picker], api_visibility="private")
        # an answer still streaming stops at its next output, which shows the new chat
        # instead (respond): not cancelled, since an output Gradio already had on its way when
        # the cancel came would land after these and write the old chat back, with nothing
        # after it to set the page right
        picker.input(reopen, [picker, saved, session], [chatbot, session, sources, shown],
                     api_visibility="private")
        new_chat.click(start_over, [session], [chatbot, session, picker, sources, shown],
                       api_visibility="private")
        demo.load(on_load, [saved, session], [picker, chatbot, session, shown],
                  api_visibility="private")
        chatbot.like(on_like, [session], [feedback_status], api_visibility="private")
        up.click(lambda s, c: on_button(s, c, True), [session, comment],
                 [feedback_status, comment], api_name="thumbs_up")
        down.click(lambda s, c: on_button(s, c, False), [session, comment],
                   [feedback_status, comment], api_name="thumbs_down")
        ingest_button.click(on_upload, [files], [upload_status], api_name="upload")
        demo.load(show_sources, None, [source_table, sync_status], api_visibility="private")
        sync_button.click(sync_now, None, [source_table, sync_status], api_name="sync")
        tab.select(fill_landscape, None, landscape_outputs, api_visibility="private")
    return demo
