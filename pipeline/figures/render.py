"""Stage 3 (figure HTML) — a figure block becomes an HTML `<figure>`.

What it shows, first found: the editor's file (`<img alt>`), a map drawn from its data,
a chart drawn from its data (followed by the data as a table). Without any: in a draft,
the dashed placeholder box; in an edition, the caption alone, said « Figure non
reproduite dans cette édition ». Numbers come from `numbering` over the whole Schéma.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from pipeline.figures.blocks import Block, blocks, figure_texts
from pipeline.figures.charts import chart_svg
from pipeline.figures.maps import map_svg
from pipeline.figures.model import Assets, Chart, GeoMap
from pipeline.figures.svg import label
from pipeline.markdown import anchor
from pipeline.model import Schema

Template = Callable[[str, dict[str, object]], Markup]


def drawable(assets: Assets, figure_id: str) -> bool:
    return figure_id in assets.files or figure_id in assets.maps or figure_id in assets.charts


def numbering(schema: Schema) -> dict[str, int]:
    """figure id → number, in printed order; in an edition, only the figures printed."""
    numbers: dict[str, int] = {}
    edition = schema.edition.status == "edition"
    for text in figure_texts(schema):
        for block in blocks(text):
            if block.id and block.id not in numbers and (
                    not edition or drawable(schema.assets, block.id)):
                numbers[block.id] = len(numbers) + 1
    return numbers


def missing(schema: Schema) -> list[dict[str, str]]:
    """The figures the Schéma prints without their picture: for edition.json and the guide."""
    return [{"id": b.id, "legende": b.caption_text, "fichier": f"content/figures/{b.id}.svg"}
            for text in figure_texts(schema) for b in blocks(text)
            if b.id and not drawable(schema.assets, b.id)]


@dataclass(frozen=True)
class TableRow:
    head: str
    cells: tuple[str, ...]


def chart_table(chart: Chart) -> tuple[tuple[str, ...], list[TableRow]]:
    """The chart's data as a table: one row a category, one column a series."""
    names = tuple(s.name for s in chart.series)
    rows = [TableRow(c, tuple(label(s.values[i], chart.unit) for s in chart.series))
            for i, c in enumerate(chart.categories)]
    return names, rows


def map_table(geo: GeoMap) -> tuple[tuple[str, ...], list[TableRow]]:
    return (geo.unit or "valeur",), [
        TableRow(a.name, (label(a.value, geo.unit) if a.value else "non renseigné",))
        for a in geo.areas]


class FigureRenderer:
    """Renders the figure blocks of one Schéma with the layouts' figure template."""

    def __init__(self, schema: Schema, template: Template) -> None:
        self.schema = schema
        self.assets = schema.assets
        self.template = template
        self.numbers = numbering(schema)
        self.edition = schema.edition.status == "edition"

    def __call__(self, block: Block, caption: Markup, source: Markup | None) -> Markup:
        context: dict[str, object] = {
            "kind": block.kind, "id": anchor("figure", block.id), "caption": caption,
            "source": source, "number": self.numbers.get(block.id), "alt": block.alt,
            "drawing": None, "image": None, "table": None, "missing": False,
            "edition": self.edition}
        fid = block.id
        if fid in self.assets.files:
            context["image"] = f"../content/figures/{self.assets.files[fid].name}"
        elif fid in self.assets.maps:
            geo = self.assets.maps[fid]
            context |= {"drawing": Markup(map_svg(geo)), "table": map_table(geo),
                        "data_source": geo.source}
        elif fid in self.assets.charts:
            chart = self.assets.charts[fid]
            context |= {"drawing": Markup(chart_svg(chart)), "table": chart_table(chart),
                        "data_source": chart.source, "title": chart.title}
        else:
            context["missing"] = True
        return self.template("figures/figure.html.j2", context)
