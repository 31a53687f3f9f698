"""An entity's card and the Landscape view's quotes as text and HTML, without Gradio (the CLI
loads this in a fraction of a second). Names and quotes come from documents staff upload or
sync: the HTML escapes all of them."""

from __future__ import annotations

import html
from typing import Any

from index.entity_store import EntityCard

_KINDS = {"org": "organisation", "product": "product / model", "person": "person"}


def _cited(citation: dict[str, Any]) -> str:
    where = " · ".join(x for x in (citation["title"], citation["outlet"],
                                   citation["date"] or "date unknown") if x)
    return f"{where}: “{citation['text']}”"


def entity_card_text(card: EntityCard) -> str:
    """The card as plain text: every item followed by its quote and source."""
    lines = [f"{card.name} ({_KINDS.get(card.type, card.type)})"]
    if card.aliases:
        lines.append("also: " + ", ".join(card.aliases))
    if card.tags:
        lines.append("tags: " + ", ".join(card.tags))
    groups = (("made by", card.makers, ""), ("products", card.products, ""),
              ("people", card.people, "role"), ("units", card.units, "relation"))
    for label, items, detail in groups:
        if not items:
            continue
        lines.append(f"\n{label}:")
        for item in items:
            extra = f" ({item[detail]})" if detail and item.get(detail) else ""
            lines.append(f"- {item['name'] or '—'}{extra}\n    {_cited(item['citation'])}")
    if card.figures:
        lines.append("\nfigures:")
        for f in card.figures:
            what = " · ".join(x for x in (f["metric"], f["period"]) if x)
            lines.append(f"- {f['value']}{f['unit']} {what}\n    {_cited(f['citation'])}")
    lines.append("\ntimeline:")
    for t in card.timeline:
        lines.append(f"- {t['date'] or 'date unknown'} · {t['citation']['title']} "
                     f"({t['mentions']} mention{'s' if t['mentions'] != 1 else ''})\n"
                     f"    “{t['citation']['text']}”")
    return "\n".join(lines)


def quotes_html(rows: list[dict[str, Any]], heading: str) -> str:
    """Quotes with their document and date, escaped."""
    if not rows:
        return f"<p><b>{html.escape(heading)}</b>: no mentions.</p>"
    items = []
    for c in rows:
        meta = " · ".join(html.escape(x) for x in (c["title"], c["outlet"],
                                                    c["date"] or "date unknown") if x)
        items.append(f'<li class="mention"><span class="mention-meta">{meta}</span>'
                     f'<blockquote>{html.escape(c["text"])}</blockquote></li>')
    return (f'<p><b>{html.escape(heading)}</b> · {len(rows)} quote'
            f'{"s" if len(rows) != 1 else ""}</p><ol class="mentions">{"".join(items)}</ol>')


def timeline_html(card: EntityCard) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(t['date'] or 'date unknown')}</td>"
        f"<td>{html.escape(t['citation']['title'])}</td><td>{t['mentions']}</td>"
        f"<td>{html.escape(t['citation']['text'])}</td></tr>" for t in card.timeline)
    products = ", ".join(html.escape(p["name"]) for p in card.products)
    people = ", ".join(html.escape(f"{p['name']} ({p['role']})" if p.get("role") else p["name"])
                       for p in card.people)
    facts = "".join(f"<p><b>{label}:</b> {value}</p>" for label, value in
                    (("Products", products), ("People", people)) if value)
    return (f'<h4>{html.escape(card.name)} · timeline</h4>{facts}'
            '<table class="timeline"><tr><th>date</th><th>document</th><th>mentions</th>'
            f"<th>first mention</th></tr>{rows}</table>")
