"""The web UI's Landscape view: the players × topics matrix, a cell's quotes with dates, a
player's timeline, CSV export."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from agent.landscape import Topic, cell_mentions, landscape_matrix, matrix_csv, parse_topics
from index.entity_store import EntityIndex
from ui.cards import quotes_html, timeline_html


class LandscapeView:
    """The callbacks of the Landscape tab, on one corpus's entity index."""

    def __init__(self, index_of: Callable[[], EntityIndex], topics: tuple[Topic, ...]) -> None:
        self._index_of = index_of  # () -> EntityIndex, caught up with the store
        self.topics = topics

    @property
    def index(self) -> EntityIndex:
        return self._index_of()

    def table(self) -> tuple[list[str], list[list[Any]]]:
        matrix = landscape_matrix(self.index, self.topics)
        headers = ["player", *matrix.topics, "total"]
        return headers, [[r["player"], *r["counts"], r["total"]] for r in matrix.rows]

    def cell(self, player: str, column: str) -> str:
        topic = next((t for t in self.topics if t.label == column), None)
        heading = f"{player} · {topic.label}" if topic else f"{player} · every mention"
        return quotes_html(cell_mentions(self.index, player, topic), heading)

    def timeline(self, player: str) -> str:
        card = self.index.card(player)
        return timeline_html(card) if card is not None else ""

    def csv_file(self) -> str:
        matrix = landscape_matrix(self.index, self.topics)
        folder = Path(tempfile.mkdtemp(prefix="landscape-"))
        path = folder / "landscape.csv"
        path.write_text(matrix_csv(matrix), encoding="utf-8-sig")  # opens right in Excel
        return str(path)


def build_landscape_tab(index_of: Callable[[], EntityIndex], topics_spec: str
                        ) -> tuple[Callable[[], tuple[Any, ...]], list[Any]]:
    """The Landscape view, inside the caller's ``gr.Blocks`` and ``gr.Tab``; returns the
    function that fills it and its outputs (for the tab's select event)."""
    view = LandscapeView(index_of, parse_topics(topics_spec))
    gr.Markdown("Who is doing what in the documents: each cell counts the sentences that "
                "name the player (or its products) on the topic. Click a cell for its quotes, "
                "a player for its timeline.")
    with gr.Row():
        refresh = gr.Button("Refresh", elem_id="landscape-refresh", scale=1)
        download = gr.DownloadButton("Download CSV", elem_id="landscape-csv", scale=1)
    matrix = gr.Dataframe(interactive=False, elem_id="landscape-matrix", wrap=True)
    detail = gr.HTML(elem_id="landscape-detail")
    timeline = gr.HTML(elem_id="landscape-timeline")
    outputs = [matrix, detail, download]

    def load() -> tuple[Any, ...]:
        headers, rows = view.table()
        if not rows:
            return (gr.update(value=None), "<p>No players yet: ingest documents first.</p>",
                    gr.update(value=None))
        return gr.update(value={"headers": headers, "data": rows}), "", view.csv_file()

    def select(event: gr.SelectData, table: Any) -> tuple[str, str]:
        row, col = event.index
        try:
            headers = list(table.columns)
            player = str(table.iloc[row, 0])
        except (AttributeError, IndexError):
            return "", ""
        column = headers[col] if 0 <= col < len(headers) else ""
        return view.cell(player, column), view.timeline(player)

    matrix.select(select, [matrix], [detail, timeline], api_visibility="private")
    refresh.click(load, None, outputs, api_visibility="private")
    return load, outputs
