"""Stage 1 and 3 (maps) — a choropleth from an editor's geometry and values, as SVG.

`content/donnees/ID.geojson` (polygons, each named by a property, `nom` unless `cle`
says otherwise) and `ID.yml` (`type: carte`, `titre`, `unite`, `source`, `valeurs`:
area name → number). Nothing is fetched: without the geometry, the figure is an empty
place (`checks`). Drawn in four classes of equal width, stated in the legend; an area
without a value is drawn pale and said « non renseigné ».
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from markupsafe import escape

from pipeline.errors import Findings, SourceLocation
from pipeline.fields import Fields
from pipeline.figures.data import number
from pipeline.figures.model import Area, GeoMap, Value
from pipeline.figures.palette import PALE, RULE
from pipeline.figures.svg import WIDTH, document, figure_number, label, num, rect, text
from pipeline.yamlsrc import YMap, YStr, load_yaml

CLASSES = ("#d6e0ef", "#9db4d6", "#5b82b8", "#1e3a6e")
Ring = tuple[tuple[float, float], ...]


def load_map(values: Path, geometry: Path, findings: Findings) -> GeoMap | None:
    f = Fields(load_yaml(values), values, findings, "carte",
               {"type", "titre", "unite", "source", "citation", "cle", "valeurs"})
    key = str(f.text("cle", required=False) or "nom")
    given: dict[str, Value] = {}
    raw = f.node.get("valeurs")
    if isinstance(raw, YMap):
        for name, item in raw.items():
            where = SourceLocation.of(values, raw.key_lines.get(name, f.line))
            value = number(str(item), where, findings) if isinstance(item, YStr) else None
            if value is not None:
                given[name] = value
    else:
        f.error(f.key_line("valeurs"), "carte : « valeurs » : « nom de la zone: nombre » attendu")
    if not geometry.is_file():
        return None
    areas = _areas(geometry, key, given, findings)
    if areas is None:
        return None
    for name in sorted(set(given) - {a.name for a in areas}):
        findings.error(given[name].location, f"carte : zone « {name} » absente de "
                       f"{geometry.name}")
    return GeoMap(values.stem, f.string("titre"), str(f.text("unite", required=False) or ""),
                  f.string("source"), tuple(areas), f.loc())


def _areas(path: Path, key: str, given: dict[str, Value],
           findings: Findings) -> list[Area] | None:
    where = SourceLocation.of(path, 1)
    try:
        features = json.loads(path.read_text("utf-8"))["features"]
        areas = [Area(str(f["properties"][key]), _rings(f["geometry"]),
                      given.get(str(f["properties"][key]))) for f in features]
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        findings.error(where, f"géométrie illisible ({type(exc).__name__} : {exc}) : une "
                       f"FeatureCollection de polygones, chacun nommé par « {key} »")
        return None
    if not areas:
        findings.error(where, "géométrie vide : aucune zone")
        return None
    return areas


def _rings(geometry: dict[str, object]) -> tuple[Ring, ...]:
    coords = geometry["coordinates"]
    polygons = coords if geometry["type"] == "MultiPolygon" else [coords]
    if geometry["type"] not in ("Polygon", "MultiPolygon"):
        raise ValueError(f"type {geometry['type']} : Polygon ou MultiPolygon attendu")
    assert isinstance(polygons, list)
    return tuple(tuple((float(x), float(y)) for x, y, *_ in ring)
                 for polygon in polygons for ring in polygon)


def classes(geo: GeoMap) -> list[tuple[float, float]]:
    """Four classes of equal width between the smallest and largest value."""
    values = [a.value.number for a in geo.areas if a.value]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    step = (high - low) / len(CLASSES) or 1.0
    return [(low + step * i, low + step * (i + 1)) for i in range(len(CLASSES))]


def map_svg(geo: GeoMap) -> str:
    points = [p for a in geo.areas for r in a.rings for p in r]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    squash = math.cos(math.radians((min(ys) + max(ys)) / 2)) if max(map(abs, ys)) <= 90 else 1
    span_x, span_y = (max(xs) - min(xs)) * squash or 1, (max(ys) - min(ys)) or 1
    scale = min((WIDTH - 200) / span_x, 280 / span_y)
    bounds = classes(geo)

    def at(x: float, y: float) -> str:
        return f"{num(10 + (x - min(xs)) * squash * scale)} {num(10 + (max(ys) - y) * scale)}"

    body = []
    for area in geo.areas:
        path = " ".join("M" + " L".join(at(x, y) for x, y in ring) + " Z" for ring in area.rings)
        body.append(f'<path d="{path}" fill="{_fill(area, bounds)}" stroke="#ffffff" '
                    f'stroke-width="0.8"><title>{_said(area, geo.unit)}</title></path>')
    height = max(20 + span_y * scale, 40 + 18 * (len(CLASSES) + 1))
    return document(f"carte-{geo.id}", height, f"{geo.title} (carte par zone)",
                    body + _legend(geo, bounds), "map")


def _fill(area: Area, bounds: list[tuple[float, float]]) -> str:
    if area.value is None:
        return PALE
    index = next((i for i, (_low, high) in enumerate(bounds) if area.value.number <= high),
                 len(CLASSES) - 1)
    return CLASSES[index]


def _said(area: Area, unit: str) -> str:
    shown = label(area.value, unit) if area.value else "non renseigné"
    return str(escape(f"{area.name} : {shown}"))


def _legend(geo: GeoMap, bounds: list[tuple[float, float]]) -> list[str]:
    x, body = WIDTH - 175.0, [text(WIDTH - 175, 20, f"en {geo.unit}" if geo.unit else "", 9.5)]
    for index, (low, high) in enumerate(bounds):
        y = 32 + 18 * index
        body += [rect(x, y, 14, 12, CLASSES[index], f' stroke="{RULE}" stroke-width="0.5"'),
                 text(x + 20, y + 10, f"de {figure_number(low, 1)} à {figure_number(high, 1)}",
                      10)]
    y = 32 + 18 * len(CLASSES)
    body += [rect(x, y, 14, 12, PALE, f' stroke="{RULE}" stroke-width="0.5"'),
             text(x + 20, y + 10, "non renseigné", 10)]
    return body
