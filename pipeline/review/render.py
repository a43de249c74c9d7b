"""Stage 3-5 (review pack: its layout) — `make relecture`: build/relecture/relecture.html, .pdf.

The pack is laid out like the publication (layouts/style.css, Lato) with its own
template, `layouts/relecture.html.j2`, and stylesheet, `layouts/relecture.css`. The
content must validate first (an error stops the pack as it stops `make`); WeasyPrint is
imported here only, never by `make check`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.html import render, renderer_for
from pipeline.output import write_atomic
from pipeline.project import Project, check
from pipeline.review import review
from pipeline.review.pack import Section, sections

TEMPLATE = "relecture.html.j2"


@dataclass(frozen=True)
class Pack:
    html: Path
    pdf: Path
    pages: int
    sections: list[Section]

    @property
    def spelling_checked(self) -> bool:
        return bool(next(s for s in self.sections if s.key == "orthographe").answer)


def build_pack(project: Project) -> Pack:
    """Check the content, review it, lay the pack out and write it (HTML and PDF)."""
    schema, _warnings = check(project, review=False)
    made = sections(review(schema, project.content), project.root)
    _renderer, env = renderer_for(schema, project.layouts)
    edition = schema.edition
    title = f"{edition.title} {edition.start}-{edition.end}"
    html = render(env, TEMPLATE, schema=schema, edition=edition, sections=made,
                  doc_title=f"Dossier de relecture — {title}", title=title,
                  body_class="relecture")
    from pipeline.pdf import ConfinedFetcher, render_document  # imports WeasyPrint
    from pipeline.tagging import write_tagged

    document = render_document(html, project.layouts, ConfinedFetcher([project.layouts]),
                               f"layouts/{TEMPLATE}")
    data = write_tagged(document, pdf_variant="pdf/ua-1", pdf_identifier=False)  # accessible too
    folder = project.out / "relecture"
    write_atomic(folder / "relecture.html", html.encode())
    write_atomic(folder / "relecture.pdf", data)
    return Pack(folder / "relecture.html", folder / "relecture.pdf", len(document.pages), made)
