"""Stage 1b — identity files: the organisations' logos and the signatories' portraits.

`content/identite/<organisation-id>.svg|png` (a logo, optional, one per organisation of
the registry) and `content/identite/portraits/<organisation-id>.svg|png|jpg` (the portrait
of the organisation's first signatory, set beside its édito). Each file is checked like
a figure before anything is laid out: a known format whose bytes say so, a size limit,
and for SVG well-formed XML with no script, no event handler, no embedded HTML and no
reference outside the file. A file that fails is an error at its path.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

from pipeline.errors import Findings, SourceLocation

MAX_BYTES = 2 * 1024 * 1024
MAGIC = {".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff"}
LOGO_TYPES = (".svg", ".png")
PORTRAIT_TYPES = (".svg", ".png", ".jpg", ".jpeg")
_FORBIDDEN = {"script", "foreignObject", "iframe", "object", "embed"}
_EXTERNAL = re.compile(r"url\(\s*['\"]?(?!#)", re.IGNORECASE)


def identity_files(content: Path, kind: str, org_ids: set[str],
                   findings: Findings) -> tuple[tuple[str, str], ...]:
    """(organisation id, path relative to content/) of each valid file of `kind`
    ("logo" or "portrait"), in name order."""
    folder = content / "identite" / ("portraits" if kind == "portrait" else "")
    allowed = PORTRAIT_TYPES if kind == "portrait" else LOGO_TYPES
    if not folder.is_dir():
        return ()
    found = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()
                       and not p.name.startswith(".") and not p.name.endswith("~")):
        if _acceptable(path, allowed, org_ids, kind, findings):
            found.append((path.stem, path.relative_to(content).as_posix()))
    return tuple(found)


def _acceptable(path: Path, allowed: tuple[str, ...], org_ids: set[str], kind: str,
                findings: Findings) -> bool:
    where = SourceLocation.of(path, 1)
    suffix = path.suffix.lower()
    if suffix not in allowed:
        findings.error(where, f"{kind} : format « {suffix or '?'} » refusé "
                       f"({', '.join(allowed)} seulement)")
        return False
    if path.stem not in org_ids:
        findings.error(where, f"{kind} : « {path.stem} » n'est l'identifiant d'aucune "
                       "organisation de organisations.yml : renommez le fichier")
        return False
    if path.stat().st_size > MAX_BYTES:
        findings.error(where, f"{kind} : fichier trop volumineux (> 2 Mo)")
        return False
    problem = _svg_problem(path.read_bytes()) if suffix == ".svg" else _magic_problem(path)
    if problem:
        findings.error(where, f"{kind} : {problem}")
    return problem is None


def _magic_problem(path: Path) -> str | None:
    magic = MAGIC[path.suffix.lower()]
    with path.open("rb") as handle:
        if handle.read(len(magic)) != magic:
            return f"le contenu n'est pas celui d'un fichier {path.suffix.lower()}"
    return None


def _svg_problem(data: bytes) -> str | None:
    """Why an SVG cannot be printed safely, or None."""
    if b"<!ENTITY" in data or b"<!DOCTYPE" in data:
        return "SVG avec DOCTYPE ou entités : refusé"
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        return f"SVG illisible ({exc})"
    if _local(root.tag) != "svg":
        return "le fichier n'est pas un SVG (élément racine)"
    for element in root.iter():
        if _local(element.tag) in _FORBIDDEN:
            return f"élément <{_local(element.tag)}> refusé dans un SVG"
        for name, value in element.attrib.items():
            if _local(name).lower().startswith("on"):
                return f"attribut « {_local(name)} » (script) refusé dans un SVG"
            if _local(name) == "href" and not value.startswith(("#", "data:image/")):
                return f"référence externe « {value} » refusée dans un SVG"
            if _EXTERNAL.search(value):
                return f"référence externe refusée dans un SVG ({value[:40]})"
        if _local(element.tag) == "style" and _EXTERNAL.search(element.text or ""):
            return "référence externe refusée dans le style d'un SVG"
    return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
