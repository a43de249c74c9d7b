"""Stage 3a — Markdown: the one configured MarkdownIt of the project.

CommonMark with raw HTML off, footnotes (rendered in place, for WeasyPrint's
`float: footnote`), the `[[kind:target|label]]` cross-reference syntax, `:::` blocks
(figure placeholders, governance tables, editorial notes that are never printed) and
French typography on text tokens. `parse` is the one parse of a text: validation walks
its tokens and the renderer renders them, so the two never disagree. Every link is parsed
as a link so that validation can refuse a link to anything but a web address, and the
renderer prints such a link as its text only; raw HTML stays text (never markup).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
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

from pipeline.errors import SourceLocation
from pipeline.model import Text
from pipeline.typography import PLAIN, Keeper, french, segments

XREF = re.compile(r"\[\[([a-z]+):([^\]|\n]{1,100}?)(?:\|([^\]\n]{1,300}))?\]\]")
XREF_KINDS = ("axe", "objectif", "action", "chapitre", "instance", "figure")
HIDDEN_BLOCKS = ("note-editoriale", "a-completer", "requete")
FIGURE_BLOCKS = ("figure", "graphique")  # one `<figure>` each (pipeline.figures)
BLOCKS = (*FIGURE_BLOCKS, "chiffres-cles", "frise", "instance", "signature", *HIDDEN_BLOCKS)
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

    def __init__(self, labels: dict[str, str], instance: Callable[[str], Markup],
                 keeper: Keeper = PLAIN, figure: Figure | None = None,
                 timeline: Callable[[str], Markup] | None = None,
                 signature: Callable[[str], Markup] | None = None) -> None:
        self.labels = labels
        self.instance = instance
        self.signature = signature
        self.keeper = keeper
        self.figure = figure
        self.timeline = timeline
        self.md = build_markdown()
        self.md.add_render_rule("text", _rule(lambda tokens, idx: str(keeper.html(
            tokens[idx].content))))
        self.md.add_render_rule("xref", lambda _renderer, *args: self._render_xref(*args))
        self.md.add_render_rule("footnote_ref", _render_footnote_ref)
        for name in ("link_open", "link_close"):
            self.md.add_render_rule(name, _web_link_only)
        self.md.add_render_rule("image", _rule(lambda tokens, idx: str(escape(
            tokens[idx].content))))
        self.md.add_render_rule("section_open", lambda *_: '<div class="sect">\n')
        self.md.add_render_rule("section_close", lambda *_: "</div>\n")
        self.md.add_render_rule("side_head_open", lambda *_: '<span class="side-head">')
        self.md.add_render_rule("side_head_close", lambda *_: "</span>")
        for name in BLOCKS:
            self.md.add_render_rule(f"container_{name}_open", _rule(self._render_block_open))
            self.md.add_render_rule(f"container_{name}_close", _rule(self._render_block_close))

    def block(self, source: str, pages: Mapping[str, int] | None = None) -> Markup:
        """`pages`: set in a publication that holds none of the targets (a pilot extract):
        a renvoi then names the full Schéma (and its target's page there, if `pages` has
        it) instead of being a link."""
        parsed = parse(source)
        env = {**parsed.env, "xref_pages": pages}
        tokens = self._figures(_prepare(list(parsed.tokens), self.md, env), env)
        return Markup(self.md.renderer.render(_sections(tokens), self.md.options, env))

    def inline(self, source: str, pages: Mapping[str, int] | None = None) -> Markup:
        """A text of one paragraph (a table cell, a title), without its paragraph."""
        parsed = parse(source)
        inline = parsed.paragraph
        if inline is None:  # refused by validation; never markup, even so
            return escape(source)
        env = {**parsed.env, "xref_pages": pages}
        return Markup(self.md.renderer.render(inline.children or [], self.md.options, env))

    def _render_xref(self, tokens: Sequence[Token], idx: int, _options: OptionsDict,
                     env: EnvType) -> str:
        kind, target, label = (tokens[idx].meta[k] for k in ("kind", "target", "label"))
        href = anchor(kind, target)
        text = str(self.keeper.to_html(label or self.labels.get(href, target)))
        pages = env.get("xref_pages")
        if pages is not None:
            where = f", p.\u202f{pages[href]}" if href in pages else ""
            return f'<span class="xref xref-{kind}">{text}, Schéma complet{where}</span>'
        return f'<a class="xref xref-{kind}" href="#{href}">{text}</a>'

    def _figures(self, tokens: list[Token], env: EnvType) -> list[Token]:
        """Each figure or chart block as one token: the `<figure>` the callback renders."""
        from pipeline.figures.blocks import read_block  # figures read this module's parse

        result: list[Token] = []
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if block_name(token) in FIGURE_BLOCKS and self.figure is not None:
                block, index = read_block(tokens, index)
                html = Token("html_block", "", 0)
                html.content = str(self.figure(block, self._inline(block.caption, env),
                                               self._inline(block.source, env)))
                result.append(html)
            else:
                result.append(token)
            index += 1
        return result

    def _inline(self, token: Token | None, env: EnvType) -> Markup:
        if token is None:
            return Markup("")
        return Markup(self.md.renderer.render(token.children or [], self.md.options, env))

    def _render_block_open(self, tokens: Sequence[Token], idx: int, *_: Any) -> str:
        name, _sep, arg = tokens[idx].info.strip().partition(" ")
        if name == "instance":
            return str(self.instance(arg.strip()))
        if name == "chiffres-cles":
            return '<div class="key-figures">'
        if name == "signature":
            return str(self.signature(arg.strip())) if self.signature else ""
        if name == "frise":
            return str(self.timeline(arg.strip())) if self.timeline else ""
        fid = anchor("figure", arg)  # a figure block when no figure renderer is given
        return (f'<figure class="placeholder" id="{fid}"><div class="placeholder-frame">'
                "Figure à insérer</div><figcaption>")

    def _render_block_close(self, tokens: Sequence[Token], idx: int, *_: Any) -> str:
        name = block_name(tokens[idx])
        if name == "chiffres-cles":
            return "</div>"
        return "</figcaption></figure>" if name in FIGURE_BLOCKS else ""


Figure = Callable[[Any, Markup, Markup], Markup]  # (figures.blocks.Block, caption, source)


def _rule(method: Callable[..., str]) -> Callable[..., str]:
    """A render rule (called with the renderer first) that calls `method`."""
    return lambda _renderer, tokens, idx, *_: method(tokens, idx)


class _EveryLink(MarkdownIt):
    """MarkdownIt that parses every link as a link: validation refuses those that do not
    lead to a web address, and the renderer prints them as their text only."""

    def validateLink(self, url: str) -> bool:
        return True


def build_markdown() -> MarkdownIt:
    md = _EveryLink("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.use(footnote_plugin)
    for name in BLOCKS:
        md.use(container_plugin, name, validate=_validator(name))
    md.inline.ruler.before("link", "xref", _xref_rule)
    md.core.ruler.push("french", _french_rule)
    return md


def is_web_link(url: str) -> bool:
    """Only web addresses are links; any other target (file:, ../) stays text."""
    return urlparse(url.strip()).scheme.lower() in WEB_SCHEMES


@dataclass(frozen=True)
class Parsed:
    """A text parsed once: its tokens, the parser's env (footnotes), or why it cannot be."""

    tokens: tuple[Token, ...]
    env: dict[str, Any]
    failure: str | None = None  # the text nests too deep to be parsed

    @property
    def paragraph(self) -> Token | None:
        """The inline token of a text that is exactly one paragraph, else None."""
        types = [t.type for t in self.tokens]
        if types == ["paragraph_open", "inline", "paragraph_close"]:
            return self.tokens[1]
        return None


@cache
def _parser() -> MarkdownIt:
    return build_markdown()


@lru_cache(maxsize=4096)
def parse(source: str) -> Parsed:
    """The tokens of `source` (cached: validation and rendering share them)."""
    env: dict[str, Any] = {}
    try:
        return Parsed(tuple(_parser().parse(str(source), env)), env)
    except RecursionError:
        return Parsed((), {}, "texte imbriqué trop profondément pour être lu : simplifiez-le")
    except IndexError:  # mdit-py-plugins' container rule, on a `:::` ending a quote at the end
        return Parsed((), {}, "bloc « ::: » dans une citation (« > ») en fin de texte : "
                      "l'analyseur Markdown ne sait pas le lire ; sortez le bloc de la citation")


def block_name(token: Token) -> str:
    """"note-editoriale" for container_note-editoriale_open, "" for tokens of no `:::` block."""
    if not token.type.startswith("container_"):
        return ""
    return token.type.removeprefix("container_").rpartition("_")[0]


def walk(tokens: tuple[Token, ...], text: Text) -> Iterator[tuple[Token, SourceLocation, bool]]:
    """Every token of a parsed `text` and every inline child, each with its place in the
    file, and whether a hidden block (an editorial note, a query) holds it."""
    hidden = 0
    line = 0
    for token in tokens:
        if block_name(token) in HIDDEN_BLOCKS:
            hidden += token.nesting
        line = token.map[0] if token.map else line
        yield token, text.line_at(line), hidden > 0
        offset = line
        for child in token.children or []:
            yield child, text.line_at(offset), hidden > 0
            offset += child.type in ("softbreak", "hardbreak")


def _web_link_only(_renderer: Any, tokens: Sequence[Token], idx: int, options: OptionsDict,
                   env: EnvType) -> str:
    """A link to a web address; any other link prints as its text alone."""
    token = tokens[idx]
    opener = token if token.type == "link_open" else _opener(tokens, idx)
    if not is_web_link(str(opener.attrGet("href") or "")):
        return ""
    return str(_renderer.renderToken(tokens, idx, options, env))


def _opener(tokens: Sequence[Token], idx: int) -> Token:
    """The link_open of the link_close at `idx`."""
    depth = 0
    for token in reversed(tokens[:idx]):
        if token.type == "link_close":
            depth += 1
        elif token.type == "link_open":
            if depth == 0:
                return token
            depth -= 1
    return tokens[idx]


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


def _prepare(tokens: list[Token], md: MarkdownIt, env: EnvType) -> list[Token]:
    """Drop editorial notes; move each footnote's text into its call."""
    bodies: dict[int, str] = {}
    kept: list[Token] = []
    hidden = footnote = 0
    current = -1
    for token in tokens:
        if block_name(token) in HIDDEN_BLOCKS:
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


SECTION_HEADINGS = ("h2", "h3")


def _sections(tokens: list[Token]) -> list[Token]:
    """Each top-level h2 or h3 with the blocks that follow it, up to the next one, in one
    `div.sect`: a side head then stands level with its own text, whatever the length of
    the section before it. The heading's text is one `span.side-head`, an inline block
    that a page break cannot split (WeasyPrint splits a float's lines across pages and
    may repeat them), so a section's head moves to the next page whole, with its text."""
    result: list[Token] = []
    open_ = False
    for token in tokens:
        side = token.level == 0 and token.tag in SECTION_HEADINGS
        if token.type == "heading_open" and side:
            if open_:
                result.append(Token("section_close", "div", -1))
            result.append(Token("section_open", "div", 1))
            open_ = True
        if token.type == "heading_close" and side:
            result.append(Token("side_head_close", "span", -1))
        result.append(token)
        if token.type == "heading_open" and side:
            result.append(Token("side_head_open", "span", 1))
    if open_:
        result.append(Token("section_close", "div", -1))
    return result


def _render_footnote_ref(
    _renderer: Any, tokens: Sequence[Token], idx: int, _options: OptionsDict, env: EnvType
) -> str:
    body = env.get("footnote_bodies", {}).get(tokens[idx].meta["id"], "")
    return f'<span class="footnote">{body}</span>'


__all__ = ["Renderer", "anchor", "french"]
