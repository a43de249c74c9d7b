"""Stage 2 (SVG files) — an SVG figure may draw, never run, fetch or embed a page.

Read with expat (no DTD, hence no entity expansion): refused, each at its line, a
`<script>`, an event handler (`onload`…), a `<foreignObject>`, a reference to anything
but a part of the file itself (`href`, `xlink:href`, `url(…)`, `@import`), and a DTD.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from xml.parsers import expat

from pipeline.errors import Findings, SourceLocation

REFUSED = {"script": "un script", "foreignobject": "un « foreignObject » (contenu HTML)",
           "iframe": "un cadre", "handler": "un gestionnaire d'événement"}
URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)|@import", re.IGNORECASE)
EMBEDDED = ("data:image/png;", "data:image/jpeg;", "data:image/jpg;")


def check_svg(data: bytes, path: Path, findings: Findings) -> None:
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse(message: str) -> None:
        findings.error(SourceLocation.of(path, parser.CurrentLineNumber),
                       f"SVG refusé : {message} ; retirez-le (le fichier doit seulement "
                       "dessiner)")

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rpartition(" ")[2].lower()
        if local in REFUSED:
            refuse(f"il contient {REFUSED[local]}")
        for key, value in attributes.items():
            _attribute(key.rpartition(" ")[2].lower(), value, refuse)

    def doctype(*_args: object) -> None:
        refuse("une déclaration DOCTYPE ou d'entité n'est pas admise")

    def text(content: str) -> None:
        if URL.search(content) and _external(content):
            refuse("une feuille de style y appelle un fichier ou une adresse extérieure")

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        findings.error(SourceLocation.of(path, exc.lineno), f"SVG illisible : "
                       f"{expat.ErrorString(exc.code)} ; enregistrez-le de nouveau")


def _attribute(key: str, value: str, refuse: Callable[[str], None]) -> None:
    if key.startswith("on"):
        refuse(f"il contient un gestionnaire d'événement (« {key} »)")
    elif key == "href" and not _internal(value):
        refuse(f"référence à « {value[:60]} », extérieure au fichier")
    elif URL.search(value) and _external(value):
        refuse("une référence « url(…) » ou « @import » vise un fichier extérieur")


def _internal(target: str) -> bool:
    target = target.strip()
    return target.startswith("#") or target.lower().startswith(EMBEDDED)


def _external(content: str) -> bool:
    """Whether a style text calls anything but a part of the file (`url(#id)`)."""
    return any(m.group(0).lower() == "@import" or not _internal(m.group(1) or "")
               for m in URL.finditer(content))
