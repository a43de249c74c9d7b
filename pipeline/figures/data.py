"""Stage 1 (chart data) — content/donnees/ID.yml or ID.csv becomes a `Chart`, ID.geojson a map.

Every number stays as written (`Value.written`) with its line, so that a message points
at it and the chart prints it as the source wrote it. A YAML file says what it draws
(`type`, `titre`, `unite`, `source`, `citation`, `categories`, `series`); a CSV file is a
spreadsheet export: a header row (the categories' label, then one column a series), one
row a category, and its settings on `# clé: valeur` lines before the header.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from pipeline.errors import Findings, PipelineError, SourceLocation
from pipeline.fields import Fields
from pipeline.figures.model import KINDS, Chart, Series, Value
from pipeline.yamlsrc import YMap, YStr, YValue, load_yaml, read_text

NUMBER = re.compile(r"-?[0-9]+(?:,[0-9]+)?")
SETTINGS = {"type", "titre", "unite", "source", "citation", "description"}
MAX_VALUES = 60


def number(raw: str, location: SourceLocation, findings: Findings) -> Value | None:
    """« 265 879 », « 1,74 », « 22 » → a Value; anything else is reported."""
    written = re.sub(r"[\s\u202f\u00a0]+", " ", raw.strip()).replace(".", ",")
    compact = written.replace(" ", "")
    if not NUMBER.fullmatch(compact):
        findings.error(location, f"valeur « {raw.strip()} » : un nombre est attendu (chiffres, "
                       "virgule décimale, espaces des milliers), sans unité")
        return None
    return Value(float(compact.replace(",", ".")), compact, location)


def load_chart(path: Path, findings: Findings) -> Chart | None:
    """The chart of one data file, or None when it cannot be drawn (reported)."""
    try:
        if path.suffix == ".csv":
            return _from_csv(path, read_text(path), findings)
        return _from_yaml(path, load_yaml(path), findings)
    except PipelineError as exc:
        findings.extend(exc.findings)
        return None


def _kind(raw: str, location: SourceLocation, findings: Findings) -> str | None:
    if raw in KINDS:
        return KINDS[raw]
    findings.error(location, f"type de graphique « {raw} » inconnu : "
                   f"{', '.join(KINDS)} (ou « carte » avec un fichier .geojson)")
    return None


def _from_yaml(path: Path, root: YValue, findings: Findings) -> Chart | None:
    f = Fields(root, path, findings, "données", SETTINGS | {"categories", "series", "valeurs"})
    raw_kind = f.string("type")
    if raw_kind == "carte":
        return None  # a map: read by `maps`
    kind = _kind(raw_kind, f.loc(f.key_line("type")), findings)
    categories = f.texts("categories")
    series = []
    for item in f.each("series", "série", {"nom", "valeurs"}):
        values = []
        for raw in item.seq("valeurs"):
            where = SourceLocation.of(path, getattr(raw, "line", 0) or item.line)
            value = number(str(raw), where, findings) if isinstance(raw, YStr) else None
            if value is not None:
                values.append(value)
        series.append(Series(item.string("nom"), tuple(values)))
    chart = Chart(path.stem, kind or "bar", f.string("titre"), _opt(f, "unite"),
                  f.string("source"), _opt(f, "citation"), _opt(f, "description"),
                  tuple(categories), tuple(series), f.loc())
    return chart if kind and _complete(chart, findings) else None


def _opt(f: Fields, key: str) -> str:
    return str(f.text(key, required=False) or "")


def _from_csv(path: Path, source: str, findings: Findings) -> Chart | None:
    lines = source.splitlines()
    settings: dict[str, str] = {}
    first = 0
    while first < len(lines) and lines[first].startswith("#"):
        key, _sep, value = lines[first][1:].partition(":")
        if key.strip() not in SETTINGS:
            findings.error(SourceLocation.of(path, first + 1), f"réglage « {key.strip()} » "
                           f"inconnu : {', '.join(sorted(SETTINGS))}")
        settings[key.strip()] = value.strip()
        first += 1
    rows = list(csv.reader(io.StringIO("\n".join(lines[first:]))))
    where = SourceLocation.of(path, first + 1)
    for key in ("type", "titre", "source"):
        if not settings.get(key):
            findings.error(SourceLocation.of(path, 1), f"données : ligne « # {key}: … » manquante")
    if len(rows) < 2 or len(rows[0]) < 2:
        findings.error(where, "données : une ligne d'en-tête puis au moins une ligne de valeurs")
        return None
    kind = _kind(settings.get("type", ""), SourceLocation.of(path, 1), findings)
    series = [Series(name.strip(), tuple(
        v for n, row in enumerate(rows[1:]) if (v := _cell(row, column, path, first + 2 + n,
                                                            findings)) is not None))
              for column, name in enumerate(rows[0][1:], start=1)]
    chart = Chart(path.stem, kind or "bar", settings.get("titre", ""), settings.get("unite", ""),
                  settings.get("source", ""), settings.get("citation", ""),
                  settings.get("description", ""), tuple(r[0].strip() for r in rows[1:] if r),
                  tuple(series), SourceLocation.of(path, 1))
    return chart if kind and _complete(chart, findings) else None


def _cell(row: list[str], column: int, path: Path, line: int, findings: Findings) -> Value | None:
    where = SourceLocation.of(path, line)
    if column >= len(row):
        findings.error(where, "données : valeur manquante sur cette ligne")
        return None
    return number(row[column], where, findings)


def _complete(chart: Chart, findings: Findings) -> bool:
    """One value per category in every series, at least one of each, not too many."""
    ok = bool(chart.categories and chart.series)
    if not ok:
        findings.error(chart.location, "données : au moins une catégorie et une série")
    for series in chart.series:
        if len(series.values) != len(chart.categories):
            findings.error(chart.location, f"série « {series.name} » : {len(series.values)} "
                           f"valeur(s) pour {len(chart.categories)} catégorie(s) : une valeur "
                           "par catégorie")
            ok = False
        if any(v.number < 0 for v in series.values) and chart.kind != "line":
            findings.error(chart.location, f"série « {series.name} » : valeur négative "
                           "impossible dans un graphique en barres ou en parts")
            ok = False
    if len(chart.categories) * max(len(chart.series), 1) > MAX_VALUES:
        findings.error(chart.location, f"données : plus de {MAX_VALUES} valeurs : le graphique "
                       "serait illisible ; publiez plutôt un tableau")
        ok = False
    return ok


def settings_of(root: object) -> str:
    """The `type` of a YAML data file (« carte » for a map), or ""."""
    value = root.get("type") if isinstance(root, YMap) else None
    return str(value).strip() if isinstance(value, YStr) else ""
