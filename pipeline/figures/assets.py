"""Stage 1 (figure assets) — which figure files and data files content/ holds.

`content/figures/ID.ext` are pictures (checked in stage 2, read by WeasyPrint through
the confined fetcher); `content/donnees/ID.yml|csv` are chart data, `ID.geojson` with an
`ID.yml` of `type: carte` a map, all read here into the model. Leftovers (`*~`, `.#*`…)
are skipped, as everywhere.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from pipeline.errors import Findings, PipelineError, SourceLocation
from pipeline.figures.data import load_chart, settings_of
from pipeline.figures.files import FORMATS, check_file
from pipeline.figures.maps import load_map
from pipeline.figures.model import Assets, Chart, GeoMap
from pipeline.inputs import is_leftover
from pipeline.yamlsrc import load_yaml

DATA = (".yml", ".csv", ".geojson")


def load_assets(content: Path, findings: Findings) -> Assets:
    files: dict[str, Path] = {}
    for path in _listed(content / "figures"):
        check_file(path, findings)
        if path.suffix.lower() in FORMATS:
            _once(files, path, findings)
    charts: dict[str, Chart] = {}
    maps: dict[str, GeoMap] = {}
    for path in _listed(content / "donnees"):
        _data_file(path, charts, maps, findings)
    return Assets(content, files, charts, maps)


def _listed(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(folder / n for n in os.listdir(folder)
                  if not is_leftover(PurePosixPath(n)) and (folder / n).is_file())


def _once(found: dict[str, Path], path: Path, findings: Findings) -> None:
    """A figure has one file: ID.svg and ID.png side by side is a mistake."""
    if path.stem in found:
        findings.error(SourceLocation.of(path, 1), f"figure « {path.stem} » : deux fichiers "
                       f"({found[path.stem].name} et {path.name}) ; gardez-en un")
    else:
        found[path.stem] = path


def _data_file(path: Path, charts: dict[str, Chart], maps: dict[str, GeoMap],
               findings: Findings) -> None:
    suffix = path.suffix.lower()
    if suffix not in DATA:
        findings.error(SourceLocation.of(path, 1), f"fichier de données « {path.name} » : "
                       "format inconnu (.yml, .csv ; .geojson pour la géométrie d'une carte)")
        return
    if suffix == ".geojson":
        if not (path.with_suffix(".yml")).is_file():
            findings.error(SourceLocation.of(path, 1), f"géométrie « {path.name} » sans "
                           f"valeurs : ajoutez {path.stem}.yml (type: carte)")
        return
    if path.stem in charts or path.stem in maps:
        findings.error(SourceLocation.of(path, 1), f"données « {path.stem} » en deux fichiers "
                       "(.yml et .csv) : gardez-en un")
        return
    if suffix == ".yml" and _is_map(path):
        geo = load_map(path, path.with_suffix(".geojson"), findings)
        if geo is not None:
            maps[path.stem] = geo
        return
    chart = load_chart(path, findings)
    if chart is not None:
        charts[path.stem] = chart


def _is_map(path: Path) -> bool:
    try:
        return settings_of(load_yaml(path)) == "carte"
    except PipelineError:
        return False  # reported when read as a chart
