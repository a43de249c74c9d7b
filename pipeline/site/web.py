"""Stage 3 (web edition) — the Markdown renderer of the PDF, set for web pages.

The same `Renderer` and the same parse as the PDF (so the same text), with four web rules:
a renvoi links to the page that holds its target (`places`); a footnote call becomes a
numbered link, its text a numbered note gathered by `with_notes` at the end of its section
(with a back-link); the first use of each glossary acronym on a page is an
`<abbr title>`; headings get a stable id (for links and search results). Page state
(notes, acronyms met, ids given) is reset by `start_page`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup, escape

from pipeline.markdown import Figure, Renderer, anchor
from pipeline.views import slug

CALL = re.compile(r'id="appel-(\d+)"')


@dataclass
class PageState:
    notes: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)


class WebRenderer(Renderer):
    def __init__(self, labels: dict[str, str], instance: Callable[[str], Markup],
                 places: Mapping[str, str], glossary: Mapping[str, str],
                 figure: Figure | None = None) -> None:
        super().__init__(labels, instance, figure=figure)
        self.places = places
        self.glossary = glossary
        words = sorted(glossary, key=len, reverse=True)
        self.acronyms = re.compile(
            r"(?<![\w-])(" + "|".join(re.escape(w) for w in words) + r")(?![\w-])"
            if words else r"(?!x)x")
        self.page = PageState()
        self.md.add_render_rule("xref", lambda _r, *args: self._web_xref(*args))
        self.md.add_render_rule("footnote_ref", lambda _r, *args: self._call(*args))
        self.md.add_render_rule("text", lambda _r, tokens, idx, *_: str(
            self.abbr(escape(tokens[idx].content))))
        self.md.add_render_rule("heading_open", lambda r, *args: self._heading(r, *args))

    def start_page(self) -> None:
        self.page = PageState()

    def abbr(self, html: Markup) -> Markup:
        """`html` (escaped text) with the acronyms not yet met on this page in `<abbr>`."""
        def mark(match: re.Match[str]) -> str:
            word = match[1]
            if word in self.page.seen:
                return word
            self.page.seen.add(word)
            return f'<abbr title="{escape(self.glossary[word])}">{word}</abbr>'
        return Markup(self.acronyms.sub(mark, str(html)))

    def unique_id(self, text: str) -> str:
        base = slug(text)[:60].strip("-") or "section"
        candidate, n = base, 1
        while candidate in self.page.ids:
            n += 1
            candidate = f"{base}-{n}"
        self.page.ids.add(candidate)
        return candidate

    def href(self, target: str) -> str:
        return f"{self.places.get(target, '')}#{target}"

    def _web_xref(self, tokens: Sequence[Token], idx: int, _options: OptionsDict,
                  _env: EnvType) -> str:
        kind, target, label = (tokens[idx].meta[k] for k in ("kind", "target", "label"))
        key = anchor(kind, target)
        text = str(self.keeper.to_html(label or self.labels.get(key, target)))
        return f'<a class="xref xref-{kind}" href="{self.href(key)}">{text}</a>'

    def _call(self, tokens: Sequence[Token], idx: int, _options: OptionsDict,
              env: EnvType) -> str:
        self.page.notes.append(env.get("footnote_bodies", {}).get(tokens[idx].meta["id"], ""))
        n = len(self.page.notes)
        return (f'<sup class="appel"><a id="appel-{n}" href="#note-{n}" '
                f'aria-label="note {n}">{n}</a></sup>')

    def _heading(self, renderer: Any, tokens: Sequence[Token], idx: int, options: OptionsDict,
                 env: EnvType) -> str:
        token = tokens[idx]
        if idx + 1 < len(tokens) and not token.attrGet("id"):
            token.attrSet("id", self.unique_id(tokens[idx + 1].content))
        return str(renderer.renderToken(tokens, idx, options, env))


def with_notes(html: Markup, notes: Sequence[str]) -> Markup:
    """`html` with, at the end of each of its sections (before each `<h2`), the numbered
    notes called in it, each with a link back to its call."""
    pieces = re.split(r"(?=<h2[ >])", str(html))
    out = []
    for piece in pieces:
        out.append(piece)
        numbers = [int(n) for n in CALL.findall(piece)]
        if numbers:
            items = "".join(
                f'<li id="note-{n}" value="{n}">{notes[n - 1]} <a class="retour" '
                f'href="#appel-{n}" aria-label="Retour à l’appel de la note {n}">↑</a></li>'
                for n in numbers)
            out.append(f'<aside class="notes" aria-label="Notes"><ol>{items}</ol></aside>\n')
    return Markup("".join(out))


def context_filters(renderer: WebRenderer, typo: Callable[[str], Markup]) -> dict[str, Any]:
    """The site's Jinja filters: Markdown with notes at the end of sections, `typo` with
    acronyms marked."""
    def block(text: str) -> Markup:
        start = len(renderer.page.notes)
        html = renderer.block(text)
        return with_notes(html, renderer.page.notes) if len(renderer.page.notes) > start \
            else html
    return {"md": block, "mdi": lambda text: renderer.inline(text),
            "typo": lambda text: renderer.abbr(typo(text)),
            "anchor": lambda target, kind: anchor(kind, str(target))}
