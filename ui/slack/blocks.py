"""Block Kit rendering within Slack's limits: 3,000 characters per section, 50 blocks per
message; text escaped for mrkdwn."""

from __future__ import annotations

import re
from typing import Any

SECTION_LIMIT = 3000
BLOCKS_PER_MESSAGE = 50
QUOTE_LIMIT = 600
FEEDBACK_UP = "feedback_up"
FEEDBACK_DOWN = "feedback_down"


def escape(text: str) -> str:
    """Slack's three control characters in mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_SECTION_BREAK = re.compile(r"\n\n(?=\*\*[^*\n]+\*\*\n)")
_MARKDOWN_BOLD = re.compile(r"\*\*([^*\n]+)\*\*")


def _bold(text: str) -> str:
    """Markdown **bold** (an article's heading in a comparison) as Slack's *bold*."""
    return _MARKDOWN_BOLD.sub(r"*\1*", text)


def split_text(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at a line or sentence end when possible."""
    pieces: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        cut = max(window.rfind("\n"), *(window.rfind(p) + 1 for p in "。！？.!?；;"))
        if cut < limit // 2:
            cut = limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n")
    if text:
        pieces.append(text)
    return pieces


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def answer_blocks(answer: dict[str, Any], feedback_key: str) -> list[dict[str, Any]]:
    """The answer, its sources (or related documents), and feedback buttons."""
    blocks: list[dict[str, Any]] = []
    if answer.get("note"):
        blocks.append({"type": "context",
                       "elements": [{"type": "mrkdwn", "text": escape(answer["note"])[:2900]}]})
    for part in _SECTION_BREAK.split(answer["answer"]):  # a comparison: one block per article
        blocks += [_section(piece) for piece in split_text(_bold(escape(part)))]
    citations = answer.get("citations") or []
    if citations:
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": "Sources"}})
        for c in citations:
            meta = " · ".join(x for x in (c.get("outlet"), c.get("date") or "date unknown")
                              if x)
            quote = c["quote"] if len(c["quote"]) <= QUOTE_LIMIT else c["quote"][:QUOTE_LIMIT] + "…"
            line = f"*[{c['n']}] {escape(c['title'])}*" + (f" · {escape(meta)}" if meta else "")
            blocks.append(_section(f"{line}\n> {escape(quote)}"))
    related = answer.get("related") or []
    if answer.get("refused") and related:
        items = "\n".join(f"• {escape(r['title'])} ({escape(r['source'])})" for r in related)
        blocks.append({"type": "header",
                       "text": {"type": "plain_text", "text": "Related documents"}})
        blocks.append(_section(items[:SECTION_LIMIT]))
    blocks.append({
        "type": "actions",
        "elements": [
            {"type": "button", "action_id": FEEDBACK_UP, "value": feedback_key,
             "text": {"type": "plain_text", "text": "👍"}},
            {"type": "button", "action_id": FEEDBACK_DOWN, "value": feedback_key,
             "text": {"type": "plain_text", "text": "👎"}},
        ],
    })
    return blocks


def split_messages(blocks: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Groups of at most 50 blocks, one per Slack message."""
    return [blocks[i : i + BLOCKS_PER_MESSAGE] for i in range(0, len(blocks), BLOCKS_PER_MESSAGE)]


_CARD_GROUPS = (("Made by", "makers", ""), ("Products", "products", ""),
                ("People", "people", "role"), ("Units", "units", "relation"))


def _card_quote(citation: dict[str, Any]) -> str:
    meta = " · ".join(x for x in (citation["title"], citation.get("outlet"),
                                  citation.get("date") or "date unknown") if x)
    quote = citation["text"]
    quote = quote if len(quote) <= QUOTE_LIMIT else quote[:QUOTE_LIMIT] + "…"
    return f"_{escape(meta)}_\n> {escape(quote)}"


def entity_blocks(card: dict[str, Any]) -> list[dict[str, Any]]:
    """``/landscape entity NAME``: the card the CLI and the web show, every item cited."""
    kind = {"org": "organisation", "product": "product / model"}.get(card["type"], card["type"])
    head = f"*{escape(card['name'])}* ({kind})"
    if card.get("aliases"):
        head += "\nalso: " + escape(", ".join(card["aliases"]))
    blocks = [_section(head)]
    for label, key, detail in _CARD_GROUPS:
        items = card.get(key) or []
        if not items:
            continue
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": label}})
        for item in items:
            extra = f" ({item[detail]})" if detail and item.get(detail) else ""
            blocks.append(_section(f"• *{escape(item['name'] or '—')}*{escape(extra)}\n"
                                   + _card_quote(item["citation"])))
    if card.get("figures"):
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": "Figures"}})
        for f in card["figures"]:
            what = " · ".join(x for x in (f["metric"], f["period"]) if x)
            blocks.append(_section(f"• *{escape(f['value'] + f['unit'])}* {escape(what)}\n"
                                   + _card_quote(f["citation"])))
    if card.get("timeline"):
        lines = [f"• {escape(t['date'] or 'date unknown')} · {escape(t['citation']['title'])} "
                 f"({t['mentions']})" for t in card["timeline"]]
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": "Timeline"}})
        blocks += [_section(piece) for piece in split_text("\n".join(lines))]
    return blocks
