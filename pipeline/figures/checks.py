"""Stage 2 (figure rules) — every figure, chart, key-figure and timeline block checked.

Each rule is a small function adding located findings, on the parser's own tokens
(`blocks`), run by `validate` with the others: what `make check` accepts, `make` lays
out. The files themselves were checked when found (`files`, `svgcheck`, `data`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.errors import Findings, SourceLocation
from pipeline.figures.blocks import Block, read_block
from pipeline.figures.model import Assets, Chart
from pipeline.markdown import parse
from pipeline.model import Schema, Text
from pipeline.printed import Way, printed

NAME_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def check_figures(schema: Schema, findings: Findings) -> None:
    """Every figure and chart block of every printed Markdown text, and the unused files."""
    seen: dict[str, SourceLocation] = {}
    for text in _texts(schema):
        for block, where in _blocks(text):
            _identity(block, where, seen, findings)
            _parts(block, where, findings)
            _file_or_data(block, where, schema, findings)
    _unused(schema.assets, set(seen), findings)
    for text in _texts(schema):
        _other_blocks(text, schema, findings)


def _texts(schema: Schema) -> Iterator[Text]:
    return (item.text for item in printed(schema) if item.way is Way.BLOCK)


def _blocks(text: Text) -> Iterator[tuple[Block, SourceLocation]]:
    tokens = parse(text).tokens
    for index, token in enumerate(tokens):
        if token.type in ("container_figure_open", "container_graphique_open"):
            block = read_block(tokens, index)[0]
            yield block, text.line_at(block.offset)


def _identity(block: Block, where: SourceLocation, seen: dict[str, SourceLocation],
              findings: Findings) -> None:
    if not block.id or not NAME_ID.fullmatch(block.id):
        findings.error(where, f"« ::: {block.kind} {block.id} » : identifiant attendu après "
                       f"« {block.kind} », en minuscules sans accent, chiffres et tirets")
    elif block.id in seen:
        findings.error(where, f"{block.kind} « {block.id} » en double (déjà en "
                       f"{seen[block.id]}) : chaque figure est unique")
    seen.setdefault(block.id, where)


def _parts(block: Block, where: SourceLocation, findings: Findings) -> None:
    if block.kind == "figure" and not block.caption:
        findings.error(where, f"figure « {block.id} » : légende manquante (le premier "
                       "paragraphe du bloc)")
    for offset in block.extra:
        findings.error(SourceLocation(where.path, where.line + offset - block.offset),
                       f"{block.kind} « {block.id} » : seuls la légende, « Source : … » et "
                       "« Description : … » (chacun un paragraphe) vont dans le bloc")


def _file_or_data(block: Block, where: SourceLocation, schema: Schema,
                  findings: Findings) -> None:
    assets = schema.assets
    if block.kind == "graphique":
        if block.id not in assets.charts:
            findings.error(where, f"graphique « {block.id} » : données introuvables ou "
                           f"illisibles (content/donnees/{block.id}.yml ou .csv)")
        else:
            _quoted(assets.charts[block.id], findings)
    elif block.id in assets.files:
        if not block.alt:
            findings.error(where, f"figure « {block.id} » : texte alternatif manquant : ajoutez "
                           "un paragraphe « Description : ce que montre la figure »")
        if not block.source:
            findings.error(where, f"figure « {block.id} » : ligne de source manquante : "
                           "ajoutez un paragraphe « Source : … »")
    elif block.id in assets.charts:
        _quoted(assets.charts[block.id], findings)
    elif block.id not in assets.maps:
        printed_as = ("« Figure non reproduite dans cette édition »"
                      if schema.edition.status == "edition" else "un emplacement réservé")
        findings.warning(where, f"figure « {block.id} » sans fichier : {printed_as} est "
                         f"imprimé ; fournissez content/figures/{block.id}.svg (ou .png, "
                         ".jpg), ou ses données dans content/donnees/")


def _quoted(chart: Chart, findings: Findings) -> None:
    """Numbers come from the source: each value is in the sentence quoted (`citation`)."""
    if not chart.citation:
        return
    digits = re.sub(r"[\s\u202f\u00a0]", "", chart.citation)
    for series in chart.series:
        for value in series.values:
            if value.written.lstrip("-") not in digits:
                findings.warning(value.location, f"valeur « {value.written} » absente de la "
                                 "citation de la source (« citation: ») : vérifiez-la")


def _unused(assets: Assets, used: set[str], findings: Findings) -> None:
    for fid, path in sorted(assets.files.items()):
        if fid not in used:
            findings.warning(SourceLocation.of(path, 1), f"figure « {fid} » : aucun bloc "
                             f"« ::: figure {fid} » ne l'imprime")
    for fid, chart in sorted(assets.charts.items()):
        if fid not in used:
            findings.warning(chart.location, f"données « {fid} » : aucun bloc "
                             f"« ::: graphique {fid} » ne les imprime")


def _other_blocks(text: Text, schema: Schema, findings: Findings) -> None:
    """`::: chiffres-cles` holds one list; `::: frise` names an existing axis, or none."""
    tokens = parse(text).tokens
    for index, token in enumerate(tokens):
        where = text.line_at((token.map or [0])[0])
        if token.type == "container_chiffres-cles_open":
            inner = tokens[index + 1].type if index + 1 < len(tokens) else ""
            after = _after_list(tokens, index + 1)
            if inner != "bullet_list_open" or after != "container_chiffres-cles_close":
                findings.error(where, "« ::: chiffres-cles » : une seule liste (« - ») attendue, "
                               "un chiffre clé par ligne : « - **22 %** des ménages… »")
        elif token.type == "container_frise_open":
            wanted = token.info.split()[1:]
            known = {str(a.number) for a in schema.axes}
            if wanted and wanted[0] not in known:
                findings.error(where, f"« ::: frise {wanted[0]} » : axe inconnu (axes : "
                               f"{', '.join(sorted(known))}) ; sans numéro : tous les axes")


def _after_list(tokens: tuple[object, ...], start: int) -> str:
    """The type of the token after the list opening at `start`."""
    depth = 0
    for index in range(start, len(tokens)):
        token = tokens[index]
        depth += getattr(token, "nesting", 0)
        if depth == 0:
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            return str(getattr(following, "type", ""))
    return ""
