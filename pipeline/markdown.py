"""Stage 3a — Markdown: the one configured MarkdownIt of the project.

CommonMark with raw HTML off, footnotes (rendered in place, for WeasyPrint's
`float: footnote`), the `[[kind:target|label]]` cross-reference syntax, `:::` blocks
(figure placeholders, governance tables, editorial notes that are never printed) and
French typography on text tokens. Links lead to web addresses only. `problem` tells
validation, before anything is rendered, about a text the renderer would not keep whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any
from urllib.parse import urlparse

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup, escape
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from pipeline.typography import french, segments

XREF = re.compile(r"\[\[([a-z]+):([^\]|\n]{1,100}?)(?:\|([^\]\n]{1,300}))?\]\]")
XREF_KINDS = ("axe", "objectif", "action", "chapitre", "instance", "figure")
HIDDEN_BLOCKS = ("note-editoriale", "a-completer")
BLOCKS = ("figure", "instance", *HIDDEN_BLOCKS)
WEB_SCHEMES = ("http", "https", "mailto")
MAX_LEVEL = 13  # 6 lists inside each other; the parser drops what is deeper than 20


def anchor(kind: str, target: str) -> str:
    """The HTML id of a cross-reference target, e.g. ("objectif", "2.3") → objectif-2-3."""
    return f"{kind}-{re.sub(r'[^a-z0-9]+', '-', target.strip().lower()).strip('-')}"


class Renderer:
    """Markdown → HTML for chapters and the inline text of the YAML tables.

    `labels` maps an anchor to its default cross-reference label; `instance` renders a
    governance table by id.
    """

    def __init__(self, labels: dict[str, str], instance: Callable[[str], Markup]) -> None:
        self.labels = labels
        self.instance = instance
        self.md = build_markdown()
        self.md.add_render_rule("xref", _rule(self._render_xref))
        self.md.add_render_rule("footnote_ref", _render_footnote_ref)
        for name in BLOCKS:
            self.md.add_render_rule(f"container_{name}_open", _rule(self._render_block_open))
            self.md.add_render_rule(f"container_{name}_close", _rule(self._render_block_close))

    def block(self, source: str) -> Markup:
        env: dict[str, Any] = {}
        tokens = _prepare(self.md.parse(source, env), self.md, env)
        return Markup(self.md.renderer.render(tokens, self.md.options, env))

    def inline(self, source: str) -> Markup:
        env: dict[str, Any] = {}
        tokens = self.md.parseInline(source, env)
        return Markup(self.md.renderer.render(tokens, self.md.options, env)).replace(
            "<p>", ""
        ).replace("</p>", "")

    def _render_xref(self, tokens: Sequence[Token], idx: int, *_: Any) -> str:
        kind, target, label = (tokens[idx].meta[k] for k in ("kind", "target", "label"))
        href = anchor(kind, target)
        text = label or self.labels.get(href, target)
        return f'<a class="xref xref-{kind}" href="#{href}">{_typo_html(text)}</a>'

    def _render_block_open(self, tokens: Sequence[Token], idx: int, *_: Any) -> str:
        name, _sep, arg = tokens[idx].info.strip().partition(" ")
        if name == "instance":
            return str(self.instance(arg.strip()))
        fid = anchor("figure", arg)
        return (f'<figure class="placeholder" id="{fid}"><div class="placeholder-frame">'
                "Figure à insérer</div><figcaption>")

    def _render_block_close(self, tokens: Sequence[Token], idx: int, *_: Any) -> str:
        return "</figcaption></figure>" if _block_name(tokens[idx]) == "figure" else ""


def _block_name(token: Token) -> str | None:
    """"figure" for container_figure_open/close, None for other tokens."""
    match = re.fullmatch(r"container_(.+)_(?:open|close)", token.type)
    return match[1] if match else None


def _rule(method: Callable[..., str]) -> Callable[..., str]:
    """A render rule (called with the renderer first) that calls `method`."""
    return lambda _renderer, tokens, idx, *_: method(tokens, idx)


class _WebLinksOnly(MarkdownIt):
    """MarkdownIt whose links lead to web addresses only."""

    def validateLink(self, url: str) -> bool:
        return is_web_link(url)


def build_markdown() -> MarkdownIt:
    md = _WebLinksOnly("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")
    md.use(footnote_plugin)
    for name in BLOCKS:
        md.use(container_plugin, name, validate=_validator(name))
    md.inline.ruler.before("link", "xref", _xref_rule)
    md.core.ruler.push("french", _french_rule)
    return md


def is_web_link(url: str) -> bool:
    """Only web addresses are links; any other target (file:, ../) stays text."""
    return urlparse(url.strip()).scheme.lower() in WEB_SCHEMES


@cache
def _parser() -> MarkdownIt:
    return build_markdown()


def problem(source: str) -> tuple[int, str] | None:
    """(line, message) when `source` nests too deep to be printed whole, else None."""
    try:
        tokens = _parser().parse(source, {})
    except RecursionError:
        return 0, "texte imbriqué trop profondément pour être lu : simplifiez-le"
    deep = next((t for t in tokens if t.level > MAX_LEVEL), None)
    if deep is None:
        return None
    return (deep.map or [0])[0], ("listes ou citations imbriquées sur plus de 6 niveaux : la "
                                  "suite ne serait pas imprimée ; simplifiez")


def _validator(name: str) -> Callable[[str, str], bool]:
    return lambda params, *_: params.strip().split(" ", 1)[0] == name


def _xref_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[[", state.pos):
        return False
    match = XREF.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("xref", "a", 0)
        token.meta = {"kind": match[1], "target": match[2], "label": match[3]}
    state.pos = match.end()
    return True


def _french_rule(state: StateCore) -> None:
    for block in state.tokens:
        if block.type == "inline" and block.children:
            block.children = [t for child in block.children for t in _typo_tokens(child)]


def _typo_tokens(token: Token) -> list[Token]:
    if token.type != "text":
        return [token]
    result = []
    for piece, sup in segments(token.content):
        if not piece:
            continue
        new = Token("html_inline" if sup else "text", "", 0)
        new.content = f"<sup>{piece}</sup>" if sup else piece
        result.append(new)
    return result


def _typo_html(text: str) -> str:
    return "".join(f"<sup>{p}</sup>" if s else str(escape(p)) for p, s in segments(text))


def _prepare(tokens: list[Token], md: MarkdownIt, env: EnvType) -> list[Token]:
    """Drop editorial notes; move each footnote's text into its call."""
    bodies: dict[int, str] = {}
    kept: list[Token] = []
    hidden = footnote = 0
    current = -1
    for token in tokens:
        if _block_name(token) in HIDDEN_BLOCKS:
            hidden += 1 if token.nesting == 1 else -1
        elif token.type == "footnote_block_open":
            footnote += 1
        elif token.type == "footnote_block_close":
            footnote -= 1
        elif token.type == "footnote_open":
            current = token.meta["id"]
        elif footnote and token.type == "inline":
            bodies[current] = bodies.get(current, "") + md.renderer.render(
                token.children or [], md.options, env)
        elif not (hidden or footnote):
            kept.append(token)
    env["footnote_bodies"] = bodies
    return kept


def _render_footnote_ref(
    _renderer: Any, tokens: Sequence[Token], idx: int, _options: OptionsDict, env: EnvType
) -> str:
    body = env.get("footnote_bodies", {}).get(tokens[idx].meta["id"], "")
    return f'<span class="footnote">{body}</span>'


__all__ = ["Renderer", "anchor", "french"]
