"""Stage 6 — edition: an archival edition, reproducible, immutable, packaged as a bag.

`build/editions/<version>/` is a BagIt bag (SHA-256 and SHA-512 manifests) whose payload
holds every publication as PDF/A-3a and PDF/UA-1 (the full Schéma carrying its sources as
associated files), the sources themselves, `edition.json` and `changes.json`. Nothing in it depends
on the clock, the folder or the locale: dates come from the register (`editions.yml`),
so two builds of one edition are identical byte for byte. An edition already on disk is
never overwritten: a rebuild that would change one byte is refused. In a git checkout,
an edition is built from committed inputs only, named by their commit in `edition.json`:
an input that differs from it is refused before anything is written.
"""

from __future__ import annotations

import filecmp
import hashlib
import json
import os
import platform
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bagit
import fontTools
import pydyf
import weasyprint
from weasyprint import Attachment, Document

from pipeline.build import Writer, compose, fetcher_for, publish
from pipeline.changes import Changes, compare
from pipeline.errors import Finding, Findings, PipelineError, SourceLocation
from pipeline.figures.render import missing as missing_figures
from pipeline.inputs import content_files, last_commit, uncommitted
from pipeline.load import load_schema
from pipeline.model import EditionRecord, Schema
from pipeline.output import Artifact, write_atomic
from pipeline.pdf import Stamp, archival_pdf, source_attachments
from pipeline.project import Project, check
from pipeline.views import authors, slug

Provenance = tuple[str | None, bool | None]  # last commit of the inputs, modified since?
STATES = {"?": "nouveau, jamais committé", "A": "ajouté à l'index, pas encore committé",
          "D": "supprimé depuis le dernier commit", "R": "renommé depuis le dernier commit"}


@dataclass(frozen=True)
class Outcome:
    path: Path
    identical: bool  # the edition was already there, byte for byte the same
    files: int


def editions_dir(project: Project) -> Path:
    return project.out / "editions"


def build_edition(project: Project) -> Outcome:
    """Build the edition named in edition.yml into build/editions/<version>/."""
    provenance = _committed(project.root)
    schema, _warnings = check(project, edition=True)
    record = registered(schema, project)
    stamp = Stamp(record.version, record.date, authors(schema))
    os.environ["SOURCE_DATE_EPOCH"] = str(stamp.epoch)
    changes = _changes(project, schema, record)
    final = editions_dir(project) / record.version
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{record.version}."))
    try:
        staging.chmod(0o755)
        _write_payload(project, schema, record, stamp, changes, provenance, staging)
        _bag(staging, schema, record, stamp)
        return _settle(staging, final, record)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _committed(root: Path) -> Provenance:
    """The last commit of the inputs (None, None outside a git work tree); refused, before
    anything is written, when an input differs from it: edition.json could not name it."""
    changed = uncommitted(root)
    if changed is None:
        return None, None
    if changed:
        raise PipelineError([Finding(SourceLocation.of(root / name), (
            f"{_state(code)} : une édition d'archive se construit depuis des sources "
            "committées (edition.json nomme leur commit) ; committez d'abord "
            "(git add, git commit), puis relancez make edition")) for code, name in changed])
    return last_commit(root), False


def _state(code: str) -> str:
    return next((STATES[c] for c in code if c in STATES), "modifié depuis le dernier commit")


def registered(schema: Schema, project: Project) -> EditionRecord:
    """The register's entry for the version edition.yml names, or a located error."""
    edition = schema.edition
    record = next((r for r in schema.editions if r.version == edition.version), None)
    if record is None:
        raise PipelineError.at(
            SourceLocation.of(project.content / "edition.yml", edition.version_line),
            f"la version « {edition.version} » n'est pas inscrite au registre "
            "content/editions.yml : ajoutez-y sa date et le résumé de ses changements")
    return record


def _changes(project: Project, schema: Schema, record: EditionRecord) -> Changes:
    index = schema.editions.index(record)
    if index == 0:
        return compare(record.version, schema, None, None)
    previous = schema.editions[index - 1]
    sources = editions_dir(project) / previous.version / "data" / "sources" / "content"
    if not sources.is_dir():
        raise PipelineError.at(record.location, (
            f"l'édition précédente {previous.version} est introuvable "
            f"({os.path.relpath(sources.parent.parent.parent, project.root)}) : les changements "
            "se calculent sur ses sources archivées ; remettez son dossier en place depuis "
            "l'archive, puis relancez"))
    findings = Findings()
    before = load_schema(sources, findings)
    if findings.errors:
        raise PipelineError.at(record.location, f"les sources archivées de l'édition "
                               f"{previous.version} ne se lisent plus : {findings.errors[0]}")
    return compare(record.version, schema, before, previous.version)


def _write_payload(project: Project, schema: Schema, record: EditionRecord, stamp: Stamp,
                   changes: Changes, provenance: Provenance, staging: Path) -> None:
    composed = compose(Project(project.root, staging), schema, changes=changes)
    sources = source_files(project)
    attachments = source_attachments(sources, fetcher_for(project), stamp)
    _laid, artifacts = publish(composed, _writer(stamp, attachments), html=False)  # and data
    copies = [_copy_source(path, name, staging) for path, name in sources]
    _write_json(staging / "changes.json", changes.as_json())
    _write_json(staging / "edition.json",
                _description(project, schema, record, provenance, artifacts, copies, staging))


def _copy_source(path: Path, name: str, staging: Path) -> dict[str, str]:
    """Copy one source into the payload; its entry in edition.json."""
    data = path.read_bytes()
    write_atomic(staging / "sources" / name, data)
    return {"chemin": f"sources/{name}", "sha256": hashlib.sha256(data).hexdigest()}


def _writer(stamp: Stamp, attachments: list[Attachment]) -> Writer:
    """PDF/A-3a (tagged, PDF/UA-1) for every publication; the sources ride along in the full
    Schéma only."""
    def write(document: Document, full: bool) -> bytes:
        return archival_pdf(document, stamp, attachments if full else [])
    return write


def source_files(project: Project) -> list[tuple[Path, str]]:
    """The content files the pipeline reads, with their names relative to the project."""
    return [(p, p.relative_to(project.root).as_posix()) for p in content_files(project.content)]


def _description(project: Project, schema: Schema, record: EditionRecord,
                 provenance: Provenance, artifacts: list[Artifact],
                 sources: list[dict[str, str]], staging: Path) -> dict[str, Any]:
    commit, modified = provenance
    return {
        "titre": f"{schema.edition.title} {schema.edition.start}-{schema.edition.end}",
        "edition": record.version,
        "date": record.date.isoformat(),
        "resume": record.summary,
        "format": "PDF/A-3a, PDF/UA-1",
        "commit_source": commit,
        "sources_modifiees_depuis_le_commit": modified,
        "outils": _tools(),
        "publications": [_relative(a, project.root, staging) for a in artifacts],
        "sources": sources,
        "figures_non_reproduites": missing_figures(schema),
    }


def _relative(item: Artifact, root: Path, staging: Path) -> dict[str, Any]:
    data = item.as_json()
    data["path"] = (root / item.path).resolve().relative_to(staging.resolve()).as_posix()
    return data


def _tools() -> dict[str, str]:
    from weasyprint.text.ffi import pango

    return {
        "python": platform.python_version(),
        "weasyprint": weasyprint.__version__,
        "pydyf": pydyf.__version__,
        "pango": _dotted(pango.pango_version()),
        "fonttools": fontTools.version,
        "bagit": bagit.VERSION,
    }


def _dotted(number: int) -> str:
    """Pango's 15005 → "1.50.5"."""
    return f"{number // 10000}.{number // 100 % 100}.{number % 100}"


def _bag(staging: Path, schema: Schema, record: EditionRecord, stamp: Stamp) -> None:
    edition = schema.edition
    bagit.make_bag(str(staging), checksums=["sha256", "sha512"], processes=1, bag_info={
        "Source-Organization": stamp.authors,
        "External-Identifier": f"{slug(edition.title)}-{edition.start}-{edition.end}-edition-"
                               f"{record.version}",
        "External-Description": f"{edition.title} {edition.start}-{edition.end}, édition "
                                f"{record.version} du {record.date.isoformat()}",
        "Bagging-Date": record.date.isoformat(),
        "Bag-Software-Agent": f"schema-familles (bagit.py {bagit.VERSION})",
    })
    for manifest in staging.glob("tagmanifest-*.txt"):  # bagit lists them in folder order
        lines = sorted(manifest.read_text("utf-8").splitlines(),
                       key=lambda line: line.split(" ", 1)[1])
        manifest.write_text("\n".join(lines) + "\n", "utf-8")


def _cause_first(name: str) -> tuple[bool, ...]:
    """The order changed files are named in: the sources (the cause), the Schéma, the other
    PDFs, the rest of the payload, the tag files."""
    return (not name.startswith("data/sources/"), name != "data/schema.pdf",
            not name.endswith(".pdf"), not name.startswith("data/"))


def _settle(staging: Path, final: Path, record: EditionRecord) -> Outcome:
    """Move the new edition into place, or check it equals the one already there."""
    count = sum(1 for p in staging.rglob("*") if p.is_file())
    if final.exists():
        changed = sorted(differences(staging, final), key=_cause_first)
        if changed:
            shown = ", ".join(changed[:8]) + (" …" if len(changed) > 8 else "")
            raise PipelineError.at(record.location, (
                f"l'édition {record.version} existe déjà ({final}) et cette construction en "
                f"changerait {len(changed)} fichier(s) : {shown}. Une édition publiée ne "
                "change plus : inscrivez une nouvelle version au registre"))
        return Outcome(final, True, count)
    for path in staging.rglob("*"):
        if path.is_file():
            path.chmod(0o444)
    staging.rename(final)
    return Outcome(final, False, count)


def differences(new: Path, old: Path) -> list[str]:
    """Relative paths of the files that differ between two folders, or exist in one only."""
    def files(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    names_new, names_old = files(new), files(old)
    return sorted(n for n in names_new | names_old if n not in names_new or n not in names_old
                  or not filecmp.cmp(new / n, old / n, shallow=False))


def _write_json(target: Path, data: dict[str, Any]) -> None:
    write_atomic(target, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode())
