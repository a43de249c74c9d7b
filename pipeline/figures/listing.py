"""Stage 3 (views for the layouts) — the table of figures and the calendar timelines.

`figure_list` is what layouts/figures/list.html.j2 prints (number, caption, anchor);
`Timelines` draws the timeline of all the axes (`::: frise`) or of one (the axis
opener), cached: each is drawn once a build.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from pipeline.figures.blocks import blocks, figure_texts
from pipeline.figures.render import numbering
from pipeline.figures.timeline import rows_of, timeline_svg
from pipeline.markdown import anchor
from pipeline.model import Schema


@dataclass(frozen=True)
class Listed:
    number: int
    caption: str  # inline Markdown
    anchor: str
    kind: str


def figure_list(schema: Schema) -> list[Listed]:
    numbers = numbering(schema)
    listed: dict[str, Listed] = {}
    for text in figure_texts(schema):
        for block in blocks(text):
            chart = schema.assets.charts.get(block.id)
            caption = block.caption_text or (chart.title if chart else "")
            if block.id in numbers and block.id not in listed:
                listed[block.id] = Listed(numbers[block.id], caption,
                                          anchor("figure", block.id), block.kind)
    return sorted(listed.values(), key=lambda item: item.number)


class Timelines:
    """`timeline("")` every axis, `timeline("3")` axis 3: an inline SVG in a `<figure>`."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.drawn: dict[str, Markup] = {}

    def __call__(self, axis: object = "") -> Markup:
        key = str(axis).strip()
        if key not in self.drawn:
            self.drawn[key] = self._draw(key)
        return self.drawn[key]

    def _draw(self, key: str) -> Markup:
        axes = [a for a in self.schema.axes if not key or str(a.number) == key]
        if not axes:
            return Markup("")
        edition = self.schema.edition
        ident = f"frise-{key or 'plan'}"
        svg = timeline_svg(rows_of(axes), edition.start, edition.end, ident)
        what = f"de l’axe {key}" if key else "du plan d’action, par axe"
        return Markup('<figure class="timeline" id="{}"><figcaption>Calendrier des actions '
                      '{} : année de lancement de chaque action{}</figcaption>{}</figure>').format(
            ident, what, "" if key else " (les numéros sont ceux des actions)", Markup(svg))
