"""HTML for the web chat's sources panel and debug view (escaped; quotes shown in context)."""

from __future__ import annotations

import html
import re

from agent.pipeline import Answer
from index.store import ChromaStore

CONTEXT_CHARS = 160
_MARKER = re.compile(r"\[(\d{1,3})\]")


def inert_markdown(text: str) -> str:
    """Text for the chat's Markdown renderer that can hold no image and no HTML, whatever it
    quotes (a model's reply is already sanitized; an uploaded document's quote may hold
    ``![x](…)`` or ``<img>`` verbatim): "<" and the "[" after "!" become entities, so both
    show as the characters they are (a backslash escape could itself be escaped)."""
    return text.replace("<", "&lt;").replace("![", "!&#91;")  # an entity: never link syntax


def link_markers(text: str) -> str:
    """[n] markers as links to the matching source in the panel."""
    return _MARKER.sub(lambda m: f"[[{m.group(1)}]](#src-{m.group(1)})", text)


def sources_html(answer: Answer, store: ChromaStore) -> str:
    """Per citation: title, outlet, date, and the quote highlighted inside its passage."""
    parts: list[str] = []
    for c in answer.citations:
        text = store.document_text(c.doc_id) or c.quote
        before = text[max(0, c.start - CONTEXT_CHARS) : c.start]
        after = text[c.end : c.end + CONTEXT_CHARS]
        meta = " · ".join(html.escape(x) for x in (c.outlet, c.date or "date unknown") if x)
        parts.append(
            f'<div class="source" id="src-{c.n}">'
            f'<div class="source-title"><b>[{c.n}] {html.escape(c.title)}</b>'
            f'{" · " + meta if meta else ""}</div>'
            f'<div class="source-path">{html.escape(c.source)}</div>'
            f'<div class="source-passage">…{html.escape(before)}'
            f'<mark>{html.escape(c.quote)}</mark>{html.escape(after)}…</div></div>'
        )
    if answer.related:
        label = "Related documents" if answer.refused else "Also relevant"
        items = "".join(
            f"<li>{html.escape(r['title'])} <span class='source-path'>"
            f"{html.escape(r['source'])}</span></li>"
            for r in answer.related
        )
        parts.append(f'<div class="related"><b>{label}</b><ul>{items}</ul></div>')
    return "".join(parts) or "<i>No sources.</i>"


def passages_html(answer: Answer) -> str:
    """The retrieved passages with their fusion scores, for the debug view."""
    rows = []
    for r in answer.retrieved:
        rows.append(
            f"<details><summary>#{r.rank} {html.escape(r.title)} · score {r.score:.4f} · "
            f"{html.escape(r.chunk_id)}</summary><pre>{html.escape(r.text)}</pre></details>"
        )
    header = (f"<p>Stand-alone question: <code>{html.escape(answer.standalone_question)}</code>"
              f" · evidence {answer.evidence:.2f} · {answer.timings.get('total_ms', 0):.0f} ms</p>")
    return header + "".join(rows)

CSS = """
.source { border-left: 3px solid #6366f1; padding: 6px 10px; margin: 8px 0; }
.source-path { color: #6b7280; font-size: 0.85em; }
.source-passage { margin-top: 4px; line-height: 1.6; }
.source mark { background: #fde68a; padding: 0 2px; }
"""
