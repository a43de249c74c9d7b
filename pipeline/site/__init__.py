"""Stage 4b — the web edition: `build/site/`, a static site from the same model and renderer.

`write_site` renders every page of `pages.site_pages` with the templates of
`layouts/site/` and the web rules of `web.WebRenderer`, copies the site's own CSS, script
and fonts, the downloads (every PDF of the build and the open data) into the folder, and
indexes it for search with Pagefind (`search`). Links are relative and nothing is fetched
outside the folder: it works from disk and from any static host. Each file is an artifact
of kind "site" in the manifest.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from pipeline.figures.render import FigureRenderer
from pipeline.html import render
from pipeline.model import Instance, Schema
from pipeline.opendata import LICENCE
from pipeline.output import Artifact, artifact
from pipeline.progress import clock, plural, say
from pipeline.project import Project
from pipeline.site.pages import axis_file, places, site_pages
from pipeline.site.search import index
from pipeline.site.web import WebRenderer, context_filters
from pipeline.typography import french, to_html
from pipeline.views import authors, edition_label, named, pilot_lines, xref_labels

FONTS = ("Lato-Regular.woff2", "Lato-Bold.woff2", "Lato-Italic.woff2")  # tools/site-fonts.py
ASSETS = ("site.css", "site.js")
DOWNLOAD_KINDS = {"full": "Le Schéma complet", "axis": "Extraits par axe",
                  "signatures": "Page des signatures", "pilot": "Extraits par pilote",
                  "data": "Données ouvertes"}


def write_site(schema: Schema, layouts: Path, folder: Path, root: Path,
               downloads: list[Artifact]) -> list[Artifact]:
    """Every file of the web edition in `folder`; `downloads`: the build's other files."""
    renderer, env = _environment(schema, layouts)
    files = _copy_downloads(downloads, folder, root)
    offered = _offered(downloads, files, root)
    written = [*files.values()]
    for page in site_pages(schema):
        renderer.start_page()
        html = render(env, f"site/{page.kind}.html.j2", page=page, downloads=offered,
                      **_context(schema))
        written.append(artifact(root, folder / page.file, html.encode(), "site",
                                f"{page.title} — {_title(schema)}"))
    for name in ASSETS:
        written.append(_copy(layouts / "site" / name, folder / "assets" / name, root))
    for name in FONTS:
        written.append(_copy(layouts / "site" / "fonts" / name, folder / "assets" / name, root))
    written.append(_copy(layouts / "fonts" / "OFL.txt", folder / "assets" / "OFL.txt", root))
    return written + index(folder, root)


def _title(schema: Schema) -> str:
    return f"{schema.edition.title} {schema.edition.start}-{schema.edition.end}"


def _context(schema: Schema) -> dict[str, Any]:
    return {"schema": schema, "edition": schema.edition, "doc_title": _title(schema),
            "pages": site_pages(schema), "axis_file": axis_file,
            "licence_title": LICENCE["title"]}


def _environment(schema: Schema, layouts: Path) -> tuple[WebRenderer, jinja2.Environment]:
    holder: dict[str, jinja2.Environment] = {}
    instances: dict[str, Instance] = {str(i.id): i for i in schema.instances}

    def instance(instance_id: str) -> Markup:
        found: Instance | None = instances.get(instance_id)
        if found is None:
            return Markup("")
        return Markup(holder["env"].get_template("site/instance.html.j2").render(
            instance=found))

    def template(name: str, context: dict[str, object]) -> Markup:
        return Markup(holder["env"].get_template(name).render(**context))

    glossary = {str(t.acronym): french(t.definition) for t in schema.glossary}  # abbr titles
    renderer = WebRenderer(xref_labels(schema), instance, places(schema), glossary,
                           FigureRenderer(schema, template))  # the PDF's charts, as SVG
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(layouts), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True)
    env.filters |= context_filters(renderer, to_html)
    env.globals |= {"pilots": lambda action: pilot_lines(schema, action),
                    "edition_label": edition_label(schema.edition), "authors": authors(schema),
                    "permalink": renderer.href, "named": named}
    holder["env"] = env
    return renderer, env


def _copy(source: Path, target: Path, root: Path, kind: str = "site") -> Artifact:
    return artifact(root, target, source.read_bytes(), kind, target.name)


def _copy_downloads(downloads: list[Artifact], folder: Path,
                    root: Path) -> dict[str, Artifact]:
    """Each downloadable file (source path → its copy in the site: PDFs under
    telechargements/, the data under donnees/)."""
    copies: dict[str, Artifact] = {}
    used: set[Path] = set()
    for item in downloads:
        if item.kind not in DOWNLOAD_KINDS and not item.path.endswith(".pdf"):
            continue  # every PDF, whatever its kind (a print variant too), and the data
        source = root / item.path
        target = folder / ("donnees" if item.kind == "data" else "telechargements") / \
            Path(item.path).name
        if target in used:  # two publications of one name (the screen and the print
            # Schéma): the second is prefixed with its folder, impression-schema.pdf
            target = target.with_name(f"{Path(item.path).parent.name}-{target.name}")
        used.add(target)
        copies[item.path] = artifact(root, target, source.read_bytes(), "site", item.title)
    return copies


def _offered(downloads: list[Artifact], files: dict[str, Artifact],
             root: Path) -> dict[str, list[dict[str, Any]]]:
    """What the home page offers, by group: title, link (relative to the site), size."""
    result: dict[str, list[dict[str, Any]]] = {}
    for item in downloads:
        copy = files.get(item.path)
        if copy is None:
            continue
        href = "/".join(Path(copy.path).parts[-2:])
        size = os.path.getsize(root / copy.path)
        group = DOWNLOAD_KINDS.get(item.kind, "Autres publications")
        result.setdefault(group, []).append({
            "title": _without_document_title(item.title), "href": href,
            "format": Path(href).suffix[1:].upper(), "pages": item.pages,
            "size": f"{max(1, round(size / 1024))} Ko"})
    return result


def _without_document_title(title: str) -> str:
    """« Schéma … 2021-2026 — actions pilotées par X » → « Actions pilotées par X »: the
    page says which document already."""
    part = title.split(" — ", 1)[-1]
    return part[:1].upper() + part[1:]


def online(project: Project, schema: Schema, written: list[Artifact]) -> list[Artifact]:
    """The web edition (`site/`, in project.out) that offers every publication of
    `written`, the open data included: artifacts of kind "site"."""
    started = clock()
    site = write_site(schema, project.layouts, project.out / "site", project.root, written)
    say(f"édition web écrite : {plural(len(site), 'fichier')}", started)
    return site
