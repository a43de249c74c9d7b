"""Stage 1 (chapters) — Markdown chapter files with their YAML front matter.

A chapter is `content/chapitres/<nom>.md` opening with a front matter block giving its
`id` and `titre`; the body stays Markdown source, rendered later by `markdown`.
"""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.errors import Findings, PipelineError, SourceLocation
from pipeline.fields import Fields
from pipeline.model import Chapter
from pipeline.yamlsrc import load_yaml, read_text

FENCE = "---"
BOM = "\ufeff"


def load_chapters(folder: Path, findings: Findings) -> tuple[Chapter, ...]:
    """Every chapter of `folder`, in file-name order."""
    chapters = []
    for path in _chapter_files(folder, findings):
        try:
            chapters.append(load_chapter(path, findings))
        except PipelineError as exc:  # reported; stands in so that nothing else is reported
            findings.extend(exc.findings)
            chapters.append(Chapter(path.stem, "", "", SourceLocation.of(path, 1)))
    return tuple(chapters)


def _chapter_files(folder: Path, findings: Findings) -> list[Path]:
    """The `*.md` of `folder`, sorted; an unreadable folder is reported, not taken as empty."""
    try:
        with os.scandir(folder) as entries:
            names = [e.name for e in entries if e.name.endswith(".md")]
    except FileNotFoundError:
        return []
    except OSError as exc:
        reason = "permission refusée" if isinstance(exc, PermissionError) else exc.strerror
        findings.error(SourceLocation.of(folder), f"dossier illisible ({reason}) : vérifiez ses "
                       "droits (chmod a+rx)")
        return []
    return sorted(folder / name for name in names)


def load_chapter(path: Path, findings: Findings) -> Chapter:
    text = read_text(path).removeprefix(BOM)
    if not text.strip():
        raise PipelineError.at(SourceLocation.of(path, 1), "le fichier est vide")
    lines = text.split("\n")
    if lines[0].strip() != FENCE:
        raise PipelineError.at(
            SourceLocation.of(path, 1),
            "en-tête manquant : le chapitre doit commencer par « --- », id:, titre:, « --- »",
        )
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == FENCE), None)
    if end is None:
        raise PipelineError.at(SourceLocation.of(path, 1),
                               "en-tête non fermé : ajoutez une ligne « --- »")
    header = "\n".join(lines[:end]).replace(FENCE, "", 1)
    if not header.strip():
        raise PipelineError.at(SourceLocation.of(path, 1),
                               "en-tête vide : écrivez id: et titre: entre les lignes « --- »")
    f = Fields(load_yaml(path, header), path, findings, "chapitre",
               {"id", "titre", "note_editoriale"}, 1)
    return Chapter(
        id=f.text("id") or path.stem, title=f.text("titre") or "",
        body="\n".join(lines[end + 1 :]), location=SourceLocation.of(path, 1), body_line=end + 2,
        title_line=getattr(f.node.get("titre"), "line", 1),
    )
