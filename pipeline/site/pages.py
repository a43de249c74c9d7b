"""Stage 3 (web edition) — the pages of the site and how they link, from the model.

One page per chapter and per axis in the order of `edition.yml`, then the glossary, the
list of pilot organisations and one page per pilot; the home page first and the search
page last. Each page knows its file, title, breadcrumb and neighbours; `places` says which
page holds each cross-reference target, so that a renvoi links across pages.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pipeline.markdown import anchor, parse
from pipeline.model import Action, Axis, Chapter, Organisation, Schema
from pipeline.typography import french
from pipeline.views import figure_ids

HOME = "index.html"


@dataclass(frozen=True)
class Page:
    file: str
    title: str  # the page's heading, plain text
    kind: str  # home | chapter | axis | glossary | pilots | pilot | search
    crumbs: tuple[tuple[str, str], ...] = ()  # (label, file) above it
    chapter: Chapter | None = None
    axis: Axis | None = None
    organisation: Organisation | None = None
    actions: tuple[Action, ...] = ()  # a pilot's
    previous: Page | None = None
    next: Page | None = None

    @property
    def short(self) -> str:
        """Its label in the menu and the breadcrumb."""
        if self.axis:
            return f"Axe {self.axis.number}"
        return short(self.title)


def short(title: str, width: int = 26) -> str:
    """A title cut before a colon, or at a word within `width` characters, with "…"."""
    head = title.split(" : ")[0]
    if len(head) <= width:
        return head
    cut = head[:width].rsplit(" ", 1)[0].rstrip(" ,;'’")
    return f"{cut}…"


def site_pages(schema: Schema) -> list[Page]:
    """Every page, in reading order, with its neighbours."""
    home = ("Accueil", HOME)
    pages = [Page(HOME, "Accueil", "home")]
    for name in schema.edition.structure:
        chapter = schema.chapter(name)
        if chapter:
            pages.append(Page(chapter_file(chapter), french(chapter.title), "chapter", (home,),
                              chapter=chapter))
        elif name == "axes":
            pages += [Page(axis_file(a), french(f"Axe {a.number} : {a.title}"), "axis", (home,),
                           axis=a) for a in schema.axes]
    pages.append(Page("glossaire.html", "Sigles", "glossary", (home,)))
    pages.append(Page("pilotes.html", "Les pilotes des actions", "pilots", (home,)))
    pilots = ("Pilotes", "pilotes.html")
    pages += [Page(pilot_file(org), french(org.name), "pilot", (home, pilots), organisation=org,
                   actions=actions) for org, actions in piloted(schema)]
    linked = [replace(p, previous=pages[i - 1] if i else None,
                      next=pages[i + 1] if i + 1 < len(pages) else None)
              for i, p in enumerate(pages)]
    return [*linked, Page("recherche.html", "Rechercher", "search", (home,))]


def chapter_file(chapter: Chapter) -> str:
    return f"chapitre-{chapter.id}.html"


def axis_file(axis: Axis) -> str:
    return f"axe-{axis.number}.html"


def pilot_file(org: Organisation) -> str:
    return f"pilote-{org.id}.html"


def piloted(schema: Schema) -> list[tuple[Organisation, tuple[Action, ...]]]:
    """Each organisation that pilots at least one action, with those actions."""
    result = []
    for org in schema.organisations:
        actions = tuple(a for a in schema.actions
                        if any(ref.organisation == org.id for ref in a.pilots))
        if actions:
            result.append((org, actions))
    return result


def places(schema: Schema) -> dict[str, str]:
    """Cross-reference target (anchor) → the file of the page that holds it."""
    where: dict[str, str] = {}
    for chapter in schema.chapters:
        file = chapter_file(chapter)
        where[anchor("chapitre", chapter.id)] = file
        where |= {anchor("figure", f): file for f in figure_ids(chapter.body)}
        where |= {anchor("instance", t.info.split()[1]): file for t in parse(chapter.body).tokens
                  if t.type == "container_instance_open" and len(t.info.split()) > 1}
    for axis in schema.axes:
        file = axis_file(axis)
        where[anchor("axe", str(axis.number))] = file
        where |= {anchor("figure", f): file for f in figure_ids(axis.introduction)}
        where |= {anchor("objectif", o.key): file for o in axis.objectives}
        where |= {anchor("action", a.id): file for a in axis.actions}
    return where
