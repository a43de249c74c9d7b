"""Stage 1 — load: content/ becomes the typed `Schema` model.

Nothing is read when a file of content/ leads out of it (a symbolic link to
/etc/passwd). Then each file is read on its own; a file that cannot be read adds its
findings and the others are still read, so that one run tells the editor everything at
once, without the echoes of the unreadable file. The axes' structure is checked here
(fields, types); cross-file rules live in `validate`. Every printed string of the model is
a `Text` that remembers its file and line; the editorial notes of every YAML file are
gathered with theirs. Axes are ordered by their number, never by their file's name.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import TypeVar

from pipeline.axes import load_axis
from pipeline.chapters import load_chapters
from pipeline.errors import Findings, PipelineError, SourceLocation
from pipeline.fields import NOTE_KEYS, Fields
from pipeline.figures.assets import load_assets
from pipeline.identity import identity_files
from pipeline.inputs import REGISTRIES, is_source
from pipeline.model import (
    Colophon,
    Edition,
    EditorialNote,
    Instance,
    InstanceMember,
    NoteKind,
    Organisation,
    Schema,
    Service,
    Signatory,
    Term,
    Text,
)
from pipeline.register import RECORD, check_register, dated, read_record
from pipeline.suivi.load import load_fiches, load_years
from pipeline.yamlsrc import YList, YMap, YStr, YValue, read_or_report

T = TypeVar("T")
Files = dict[Path, YValue]


FOLDERS = {"axes": "*.yml", "chapitres": "*.md"}  # each required, with at least one file


def load_schema(content: Path, findings: Findings) -> Schema:
    """Read every file of `content` into a `Schema`; problems go to `findings`."""
    refuse_links_outside(content)
    if not content.is_dir():
        raise PipelineError.at(SourceLocation.of(content), "dossier content/ introuvable : "
                               "lancez la commande à la racine du projet (ou --root DOSSIER)")
    files = {content / name: read_or_report(content / name, findings) for name in REGISTRIES}
    axes = {p: read_or_report(p, findings) for p in required_files(content, "axes", findings)}
    glossary = content / "glossaire.yml"
    register = _load_list(files, content / "editions.yml", "editions", ("édition", RECORD),
                          read_record, findings)
    check_register(register, findings)
    edition = _load_edition(files[content / "edition.yml"], content / "edition.yml", findings)
    chapters = load_chapters(required_files(content, "chapitres", findings), findings)
    organisations = _load_list(files, content / "organisations.yml", "organisations",
                               ("organisation", ORGANISATION), _organisation, findings)
    org_ids = {str(o.id) for o in organisations}
    return Schema(
        edition=dated(edition, register),
        editions=register,
        organisations=organisations,
        logos=identity_files(content, "logo", org_ids, findings),
        portraits=identity_files(content, "portrait", org_ids, findings),
        signatories=_load_list(files, content / "signataires.yml", "signataires",
                               ("signataire", SIGNATORY), _signatory, findings),
        chapters=chapters,
        axes=tuple(sorted((load_axis(_root(root, path, findings, "axe"), path, findings)
                           for path, root in axes.items()),
                          key=lambda axis: axis.number)),
        instances=_load_list(files, content / "instances.yml", "instances",
                             ("instance", INSTANCE), _instance, findings),
        glossary=_load_list(files, glossary, "sigles", ("sigle", TERM), _term, findings,
                            {"hors_sigles"}),
        not_acronyms=_names_in_capitals(files[glossary], glossary, findings),
        notes=tuple(n for path, root in (files | axes).items()
                    for n in editorial_notes(root, path, findings, _subject_of(path)))
        + tuple(n for chapter in chapters for n in chapter.notes),
        fiches=load_fiches(content, findings),
        years=load_years(content, findings),
        assets=load_assets(content, findings),
    )


def required_files(content: Path, folder: str, findings: Findings) -> list[Path]:
    """The files of a required folder of content/ (leftovers and stray files skipped)."""
    where = content / folder
    if not where.is_dir():
        findings.error(SourceLocation.of(f"{where}/"), f"dossier {folder}/ introuvable dans "
                       "content/ : il est requis")
        return []
    try:
        names = [entry.name for entry in os.scandir(where)]
    except OSError as exc:
        reason = "permission refusée" if isinstance(exc, PermissionError) else exc.strerror
        findings.error(SourceLocation.of(f"{where}/"), f"dossier illisible ({reason}) : "
                       "vérifiez ses droits (chmod a+rx)")
        return []
    found = sorted(where / n for n in names if is_source(PurePosixPath(folder, n)))
    if not found:
        findings.error(SourceLocation.of(f"{where}/"), f"dossier {folder}/ vide : aucun fichier "
                       f"« {FOLDERS[folder]} »")
    return found


def refuse_links_outside(content: Path) -> None:
    """Raise, before anything is read, if a file or folder of `content` leads out of it."""
    root = content.resolve()
    findings = Findings()
    for folder, dirs, files in os.walk(content):
        for name in sorted(dirs + files):
            path = Path(folder) / name
            if not path.is_symlink():
                continue
            try:
                target = path.resolve(strict=False)
            except (OSError, RuntimeError):
                findings.error(SourceLocation.of(path, 1), "lien symbolique en boucle : "
                               "remplacez-le par le fichier lui-même")
                continue
            if not target.is_relative_to(root):
                findings.error(SourceLocation.of(path, 1), f"lien symbolique vers « {target} », "
                               "hors du projet : remplacez-le par le fichier lui-même")
    findings.raise_if_errors()


def _root(root: YValue, path: Path, findings: Findings, what: str) -> YMap | None:
    """The file's top mapping; None, reported once, when the file holds something else."""
    if root is None or isinstance(root, YMap):
        return root
    findings.error(SourceLocation.of(path, getattr(root, "line", 1) or 1),
                   f"{what} : le fichier doit être une liste de champs « clé: valeur »")
    return None


def _load_list(
    files: Files, path: Path, key: str, entry: tuple[str, set[str]],
    build: Callable[[Fields], T], findings: Findings, other_keys: set[str] | None = None,
) -> tuple[T, ...]:
    """The entries listed under `key` in a registry; `entry`: what each is, its keys."""
    root = _root(files[path], path, findings, path.name)
    if root is None:
        return ()
    fields = Fields(root, path, findings, path.name, {key} | NOTE_KEYS | (other_keys or set()))
    entries = fields.each(key, *entry)
    if not entries and isinstance(fields.node.get(key), YList):
        fields.error(fields.key_line(key), f"« {key} » : la liste est vide")
    return tuple(build(item) for item in entries)


def _names_in_capitals(root: YValue, path: Path, findings: Findings) -> tuple[Text, ...]:
    """Words written in capitals that are names, not acronyms (`hors_sigles`)."""
    if not isinstance(root, YMap):
        return ()
    return Fields(root, path, findings, path.name, set(root)).texts("hors_sigles", required=False)


_SUBJECTS = {
    "actions": "action", "objectifs": "objectif", "objectifs_strategiques": "objectif stratégique",
    "sigles": "sigle", "organisations": "organisation", "services": "service",
    "signataires": "signataire", "instances": "instance", "composition": "membre",
}
_NAMES = ("id", "sigle", "numero", "lettre", "nom", "role")


def _subject_of(path: Path) -> str:
    return "axe" if path.parent.name == "axes" else path.name


def editorial_notes(node: YValue, path: Path, findings: Findings,
                    subject: str) -> Iterator[EditorialNote]:
    """Every `note_editoriale` and `a_completer` under `node`, saying what it is written on."""
    if isinstance(node, YList):
        for item in node:
            yield from editorial_notes(item, path, findings, subject)
    if not isinstance(node, YMap):
        return
    name = next((node[k] for k in _NAMES if isinstance(node.get(k), YStr)), None)
    label = f"{subject} {name}" if name else subject
    for key, value in node.items():
        if key not in NOTE_KEYS:
            yield from editorial_notes(value, path, findings, _SUBJECTS.get(key, subject))
        elif isinstance(value, YStr):
            if value.strip():
                location = SourceLocation.of(path, value.line)
                yield EditorialNote(value.strip(), location, NoteKind(key), label)
        elif value is not None:
            findings.error(SourceLocation.of(path, node.key_lines[key]),
                           f"{label} : « {key} » doit être un texte")


def _load_edition(root: YValue, path: Path, findings: Findings) -> Edition:
    node = _root(root, path, findings, "édition")
    if node is None:
        empty = Text("", SourceLocation.of(path, 1))
        return Edition(empty, empty, 0, 0, "", None, "brouillon", empty, (), empty.location)
    keys = {"titre", "sous_titre", "periode", "version", "date_signature", "statut", "lieu",
            "structure", "mots_cles", "bilan_en_annexe", "lieux", "colophon"}
    f = Fields(node, path, findings, "édition", keys | NOTE_KEYS)
    period = f.mapping("periode", "période", {"debut", "fin"})
    status = f.text("statut") or "brouillon"
    if status not in {"brouillon", "edition"}:
        f.error(f.key_line("statut"), f"statut « {status} » inconnu : brouillon ou edition")
    structure = f.texts("structure")
    return Edition(
        title=f.string("titre"),
        subtitle=f.string("sous_titre", required=False),
        start=(period.integer("debut") or 0) if period else 0,
        end=(period.integer("fin") or 0) if period else 0,
        version=f.string("version"),
        signing_date=f.text("date_signature", required=False),
        status=status,
        place=f.string("lieu"),
        structure=structure,
        location=f.loc(),
        version_line=f.key_line("version"),
        keywords=f.texts("mots_cles", required=False),
        bilan_annex=f.flag("bilan_en_annexe"),
        places=f.texts("lieux", required=False),
        colophon=_colophon(f),
    )


def _colophon(edition: Fields) -> Colophon:
    """The credits; each field may stay empty (validation then warns: à compléter)."""
    if edition.node.get("colophon") is None:
        return Colophon(location=edition.loc(edition.key_line("colophon")))
    keys = {key for key, _, _ in Colophon.FIELDS}
    f = Fields(edition.node["colophon"], edition.path, edition.findings, "colophon",
               keys | NOTE_KEYS, edition.key_line("colophon"))
    values = {attr: f.text(key, required=False) or None for key, attr, _ in Colophon.FIELDS}
    return Colophon(**values, location=f.loc())


ORGANISATION = {"id", "nom", "nom_complet", "article", "type", "services"} | NOTE_KEYS
ARTICLES = ("le", "la", "les", "l'")  # `article`: how a sentence names the organisation
SIGNATORY = {"nom", "titre", "organisation"} | NOTE_KEYS
TERM = {"sigle", "definition", "source"} | NOTE_KEYS
INSTANCE = {"id", "nom", "periodicite", "composition", "roles"} | NOTE_KEYS


def _organisation(f: Fields) -> Organisation:
    services = [Service(s.string("id"), s.string("nom"))
                for s in f.each("services", "service", {"id", "nom"} | NOTE_KEYS, False)]
    return Organisation(
        id=f.string("id"), name=f.string("nom"),
        full_name=f.text("nom_complet", required=False), kind=f.string("type"),
        services=tuple(services), location=f.loc(), article=_article(f),
    )


def _article(f: Fields) -> Text | None:
    article = f.text("article", required=False)
    if article and article.replace("’", "'") not in ARTICLES:
        f.error(f.key_line("article"), f"organisation : article « {article} » inconnu ; "
                "écrivez le, la, les ou l' (ou rien : le nom seul)")
        return None
    return article or None


def _signatory(f: Fields) -> Signatory:
    return Signatory(f.string("nom"), f.string("titre"), f.string("organisation"), f.loc())


def _term(f: Fields) -> Term:
    return Term(f.string("sigle"), f.string("definition"), f.loc())


def _instance(f: Fields) -> Instance:
    members = [InstanceMember(m.string("role"), m.string("texte"))
               for m in f.each("composition", "membre", {"role", "texte"})]
    roles = f.mapping("roles", "rôles", {"titre", "points"})
    return Instance(
        id=f.string("id"), name=f.string("nom"), frequency=f.string("periodicite"),
        composition=tuple(members),
        roles_title=roles.string("titre") if roles else Text("", f.loc()),
        roles=roles.texts("points") if roles else (), location=f.loc(),
    )
