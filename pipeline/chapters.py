"""Stage 1 (chapters) — Markdown chapter files with their YAML front matter.

A chapter is `content/chapitres/<nom>.md` opening with a front matter block giving its
`id` and `titre`; the body stays Markdown source, rendered later by `markdown`.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import Findings, PipelineError, SourceLocation
from pipeline.fields import NOTE_KEYS, Fields, notes_of
from pipeline.model import Chapter, Text
from pipeline.yamlsrc import load_yaml, read_text

FENCE = "---"
BOM = "\ufeff"


def load_chapters(paths: list[Path], findings: Findings) -> tuple[Chapter, ...]:
    """Every chapter of `paths`, in that order."""
    chapters = []
    for path in paths:
        try:
            chapters.append(load_chapter(path, findings))
        except PipelineError as exc:  # reported; stands in so that nothing else is reported
            findings.extend(exc.findings)
            where = SourceLocation.of(path, 1)
            chapters.append(Chapter(Text(path.stem, where), Text("", where), Text("", where),
                                    where))
    return tuple(chapters)


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
    f = Fields(load_yaml(path, header), path, findings, "chapitre", {"id", "titre"} | NOTE_KEYS, 1)
    chapter_id = f.text("id") or Text(path.stem, f.loc(1))
    return Chapter(
        id=chapter_id, title=f.string("titre"),
        body=Text("\n".join(lines[end + 1 :]), SourceLocation.of(path, end + 2)),
        location=SourceLocation.of(path, 1), notes=notes_of(f, f"chapitre {chapter_id}"),
    )
