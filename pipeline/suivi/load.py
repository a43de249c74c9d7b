"""Stage 1 (load) — content/fiches/*.yml and content/suivi/*.yml become the model.

Both folders are optional: a Schéma has no fiche and no monitoring on the day it is
signed. Only their structure is checked here (keys, types) with `Fields`; every rule
that compares them with the Schéma (ids, statuses, numbers, years) is in `suivi.rules`.
Numbers are kept as the text typed, with their value when they are one.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from pipeline.errors import Findings
from pipeline.fields import NOTE_KEYS, Fields
from pipeline.inputs import is_source
from pipeline.model import Text
from pipeline.suivi.model import Fiche, Indicator, Referent, Report, Value, Year
from pipeline.yamlsrc import YMap, YStr, YValue, read_or_report

NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")
FICHE = {"action", "referent", "partenaires", "objectifs", "indicateurs",
         "modalites_evaluation", "moyens"} | NOTE_KEYS
INDICATOR = {"id", "libelle", "unite", "cible", "annee_cible"} | NOTE_KEYS
YEAR = {"annee", "arrete_le", "actions"} | NOTE_KEYS
REPORT = {"statut", "avancement", "commentaire", "indicateurs", "realisations"} | NOTE_KEYS


def number(text: str) -> float | None:
    """« 12 », « 0,5 », « 2.5 » → their value; anything else → None."""
    cleaned = text.strip().replace("\u202f", "").replace(" ", "")
    return float(cleaned.replace(",", ".")) if NUMBER.fullmatch(cleaned) else None


def sources(content: Path, folder: str) -> list[Path]:
    """The YAML files of an optional folder of content/ (README and leftovers skipped)."""
    where = content / folder
    if not where.is_dir():
        return []
    return sorted(p for p in where.iterdir()
                  if p.is_file() and is_source(PurePosixPath(folder, p.name)))


def load_fiches(content: Path, findings: Findings) -> tuple[Fiche, ...]:
    fiches = (_fiche(path, root, findings) for path in sources(content, "fiches")
              if (root := read_or_report(path, findings)) is not None)
    return tuple(f for f in fiches if f is not None)


def load_years(content: Path, findings: Findings) -> tuple[Year, ...]:
    years = (_year(path, root, findings) for path in sources(content, "suivi")
             if (root := read_or_report(path, findings)) is not None)
    return tuple(sorted((y for y in years if y is not None), key=lambda y: y.year))


def _fiche(path: Path, root: YValue, findings: Findings) -> Fiche | None:
    f = Fields(root, path, findings, "fiche-action", FICHE, 1)
    if not isinstance(root, YMap):
        return None
    referent = f.mapping("referent", "référent", {"nom", "fonction", "organisation"})
    empty = Text("", f.loc(f.key_line("referent")))
    return Fiche(
        action=f.string("action"),
        referent=Referent(referent.string("nom"), referent.string("fonction"),
                          referent.string("organisation")) if referent
        else Referent(empty, empty, empty),
        partners=f.texts("partenaires", required=False),
        objectives=f.texts("objectifs"),
        indicators=tuple(_indicator(i) for i in f.each("indicateurs", "indicateur", INDICATOR,
                                                        required=False)),
        evaluation=f.string("modalites_evaluation"),
        means=f.text("moyens", required=False),
        location=f.loc(),
    )


def _indicator(f: Fields) -> Indicator:
    target = f.string("cible")
    year = f.string("annee_cible")
    return Indicator(f.string("id"), f.string("libelle"), f.string("unite"),
                     number(target) if target else None,
                     int(year) if year.isascii() and year.isdigit() else None, f.loc(), target)


def _year(path: Path, root: YValue, findings: Findings) -> Year | None:
    f = Fields(root, path, findings, "suivi", YEAR, 1)
    if not isinstance(root, YMap):
        return None
    actions = f.node.get("actions")
    reports: list[Report] = []
    if isinstance(actions, YMap):
        reports = [_report(key, actions, f) for key in actions]
    elif actions is not None:
        f.error(f.key_line("actions"), "suivi : « actions » doit être une liste de champs "
                "« \"1.1.1\": {statut: …} »")
    return Year(f.integer("annee") or 0, f.text("arrete_le", required=False), tuple(reports),
                f.loc())


def _report(key: str, actions: YMap, year: Fields) -> Report:
    line = actions.key_lines[key]
    f = Fields(actions[key], year.path, year.findings, f"action {key}", REPORT, line)
    progress = f.text("avancement", required=False)
    return Report(
        action=Text(key, year.loc(line)),
        status=f.text("statut", required=False),
        progress=int(progress) if progress and progress.isascii() and progress.isdigit()
        else None,
        progress_text=progress,
        comment=f.text("commentaire", required=False),
        values=_values(f),
        achievements=f.texts("realisations", required=False),
        location=year.loc(line),
    )


def _values(f: Fields) -> tuple[Value, ...]:
    node = f.node.get("indicateurs")
    if node is None:
        return ()
    if not isinstance(node, YMap):
        f.error(f.key_line("indicateurs"), f"{f.what} : « indicateurs » doit être une liste "
                "de champs « indicateur: valeur »")
        return ()
    values = []
    for key, raw in node.items():
        where = f.loc(node.key_lines[key])
        text = Text(str(raw).strip() if isinstance(raw, YStr) else "", where)
        values.append(Value(Text(key, where), text, number(text)))
    return tuple(values)
