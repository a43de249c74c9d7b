"""Figures, charts, key figures, maps and the calendar timeline (issue 11).

Charts: the SVG's text holds every value and label of its data; the same data gives the
same bytes, whatever the process; the PDF's text holds caption, source and values; a
changed data file changes the PDF. Timeline: each action once, in its axis and year. The
map is drawn from a fictional geometry kept in tests/figures/ (the content has none).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from pipeline.build import build, full_page
from pipeline.errors import Findings
from pipeline.figures.charts import chart_svg
from pipeline.figures.data import load_chart
from pipeline.figures.maps import load_map, map_svg
from pipeline.figures.render import missing
from pipeline.figures.svg import label
from pipeline.figures.timeline import rows_of, timeline_svg
from pipeline.html import renderer_for
from pipeline.project import Project, check
from pipeline.typography import french
from tests.test_bad_input import make_project

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "figures"
SVG = "{http://www.w3.org/2000/svg}"
CHARTS = ("barres.yml", "groupes.csv", "courbe.yml", "parts.yml")
BLOCKS = """
::: graphique barres
:::

Voir [[figure:carte]] et [[figure:parts]].

::: graphique groupes
Familles allocataires selon leur composition
:::

::: graphique courbe
:::

::: graphique parts
:::

::: figure carte
Part fictive des familles par bourg

Source : données fictives d'essai
:::

::: figure a-fournir
Carte à fournir par les éditeurs
:::

::: chiffres-cles
- **254 798** familles à Lutèce
- **27 367** naissances en 2018
:::
"""


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in ElementTree.fromstring(svg).iter(f"{SVG}text")]


def chart(name: str) -> object:
    findings = Findings()
    loaded = load_chart(DATA / name, findings)
    assert loaded is not None and not findings.items, findings.items
    return loaded


def with_charts(tmp_path: Path) -> Path:
    """The sample, with every kind of chart, a map, key figures and renvois to them."""
    root = make_project(tmp_path)
    (root / "content" / "donnees").mkdir()
    for name in (*CHARTS, "carte.yml", "carte.geojson"):
        shutil.copyfile(DATA / name, root / "content" / "donnees" / name)
    preamble = root / "content" / "chapitres" / "preambule.md"
    body = preamble.read_text("utf-8").replace("\n[^1]:", BLOCKS + "\n[^1]:")
    preamble.write_text(body, "utf-8")
    return root


def html_of(root: Path, edition: bool = False) -> str:
    schema, _warnings = check(Project(root, root / "build"), edition=edition, review=False)
    _renderer, env = renderer_for(schema, root / "layouts")
    return full_page(env, schema)


def pdf_text(path: Path) -> str:
    text = "".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("name", CHARTS)
def test_the_svg_holds_every_value_and_label(name: str) -> None:
    data = chart(name)
    svg = chart_svg(data)  # type: ignore[arg-type]
    shown = texts(svg)
    for series in data.series:  # type: ignore[attr-defined]
        for value in series.values:
            assert label(value, data.unit) in shown  # type: ignore[attr-defined]
        if len(data.series) > 1:  # type: ignore[attr-defined]
            assert french(series.name) in shown
    for category in data.categories:  # type: ignore[attr-defined]
        assert french(category) in " ".join(shown)  # set with French typography
    assert ElementTree.fromstring(svg).find(f"{SVG}title") is not None  # the alt text


def test_a_chart_is_the_same_bytes_in_another_process() -> None:
    """Hash seeds differ from one process to the next: the bytes must not."""
    code = ("import sys; from pathlib import Path; from pipeline.errors import Findings; "
            "from pipeline.figures.data import load_chart; "
            "from pipeline.figures.charts import chart_svg; "
            f"[sys.stdout.write(chart_svg(load_chart(Path({str(DATA)!r}) / n, Findings()))) "
            f"for n in {CHARTS!r}]")
    runs = [subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                           check=True, env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout
            for seed in ("1", "2")]
    assert runs[0] == runs[1] and runs[0].count(b"<svg") == len(CHARTS)


def test_the_map_is_drawn_from_its_geometry_with_its_classes() -> None:
    findings = Findings()
    geo = load_map(DATA / "carte.yml", DATA / "carte.geojson", findings)
    assert geo is not None and not findings.items
    svg = map_svg(geo)
    assert svg.count("<path") == 3
    titles = [t.text for t in ElementTree.fromstring(svg).iter(f"{SVG}title")]
    assert "Bourg du Nord : 13\u202f%" in titles and "Bourg de l'Est : non renseigné" in titles
    assert "de 13,0 à 17,0" in texts(svg) and "non renseigné" in texts(svg)


def test_the_timeline_shows_each_action_once_in_its_axis_and_year() -> None:
    schema, _warnings = check(Project(ROOT, ROOT / "build"), review=False)
    svg = ElementTree.fromstring(timeline_svg(rows_of(schema.axes), schema.edition.start,
                                              schema.edition.end, "frise"))
    years = {float(t.get("x", 0)): int(t.text or 0) for t in svg.iter(f"{SVG}text")
             if (t.text or "").isdigit() and len(t.text or "") == 4}
    axes = [(float(t.get("y", 0)), int((t.text or "").split()[1]))
            for t in svg.iter(f"{SVG}text") if (t.text or "").startswith("Axe ")]
    found: dict[str, tuple[int, int]] = {}
    for t in svg.iter(f"{SVG}text"):
        if not re.fullmatch(r"\d+\.\d+\.\d+", t.text or ""):
            continue
        assert t.text not in found, f"action {t.text} deux fois"
        x, y = float(t.get("x", 0)), float(t.get("y", 0))
        axis = max((a for a in axes if a[0] - 16 <= y), default=(0, 0))[1]
        year = min(years.items(), key=lambda item: abs(item[0] - x) if item[0] <= x + 45
                   else 1e9)[1]
        found[t.text or ""] = (axis, year)
    assert set(found) == {a.id for a in schema.actions}
    for action in schema.actions:
        assert found[action.id] == (int(action.id.split(".")[0]), action.calendar.year)


def test_figures_are_numbered_and_cross_referred(tmp_path: Path) -> None:
    html = html_of(with_charts(tmp_path))
    assert 'href="#figure-carte">figure 6</a>' in html  # naissances-2018 (a file) is 1
    assert '<span class="figure-number">Figure 5</span>' in html
    assert html.count('<li><a href="#figure-') == 7  # the table of figures
    assert 'src="../content/figures/naissances-2018.svg" alt="Une barre' in html
    assert '<div class="key-figures">' in html
    assert '<th scope="row">Lutèce</th>' in html  # the data follow their chart


def test_an_edition_prints_no_placeholder(tmp_path: Path) -> None:
    root = with_charts(tmp_path)
    html = html_of(root, edition=True)
    assert "Figure à insérer" not in html and "placeholder" not in html
    assert "Figure non reproduite dans cette édition : Carte à fournir" in html
    schema, _warnings = check(Project(root, root / "build"), edition=True, review=False)
    assert [m["id"] for m in missing(schema)] == ["a-fournir"]
    draft = html_of(root)
    assert "Figure à insérer" in draft


def test_the_pdf_holds_caption_source_and_values_and_follows_its_data(
        tmp_path: Path) -> None:
    root = with_charts(tmp_path)
    build(Project(root, root / "build"), pilots=False)
    first = (root / "build" / "schema.pdf").read_bytes()
    text = pdf_text(root / "build" / "schema.pdf")
    for wanted in ("Part des familles avec enfants parmi les ménages",
                   "Source : Insee, recensement fictif", "22 %", "36 %", "32 %", "31 502",
                   "17,5 %", "Familles allocataires selon leur composition", "Bourg du Sud",
                   "254 798", "Figure à insérer"):
        assert wanted in text, wanted
    data = root / "content" / "donnees" / "barres.yml"
    data.write_text(data.read_text("utf-8").replace('"36"', '"37"'), "utf-8")
    build(Project(root, root / "build"), pilots=False)
    assert (root / "build" / "schema.pdf").read_bytes() != first
    assert "37 %" in pdf_text(root / "build" / "schema.pdf")


def test_a_chart_block_in_an_edition_is_never_dropped(tmp_path: Path) -> None:
    root = with_charts(tmp_path)
    schema, _warnings = check(Project(root, root / "build"), review=False)
    edition = replace(schema, edition=replace(schema.edition, status="edition"))
    assert [m["id"] for m in missing(edition)] == ["a-fournir"]


def test_axis_colours_as_small_text_read_on_the_pale_rows() -> None:
    """RGAA 3.2: the shade of each axis colour used for small text (action ids, running
    headers, the plan at a glance) has a contrast of 4.5:1 on white and on pale rows."""
    from pipeline.figures.palette import AXES, PALE, axis_text, contrast, rgb

    for number in range(1, len(AXES) + 1):
        shade = rgb(axis_text(number))
        assert contrast(shade, rgb(PALE)) >= 4.5, number
        assert contrast(shade, rgb("#ffffff")) >= 4.5, number
    assert axis_text(1) == AXES[0]  # a colour that reads already is kept as it is


def test_a_label_on_a_bar_takes_the_text_colour_that_contrasts_more() -> None:
    from pipeline.figures.palette import INK, SERIES, contrast, rgb, text_on

    for colour in SERIES:
        chosen, other = text_on(colour), ({"#ffffff", INK} - {text_on(colour)}).pop()
        assert contrast(rgb(chosen), rgb(colour)) >= contrast(rgb(other), rgb(colour))
    assert text_on("#5b8fd1") == INK  # white read 3.3:1 on the light blue
