"""Stage 2 (texts) — the rules that read what is printed, on the renderer's own tokens.

Each printed string (`printed`) is parsed once by `markdown.parse`, the very tokens the
renderer renders; the rules walk them, each token at its line in its file. Nothing here
re-parses Markdown: a renvoi is an `xref` token, a link a `link_open`, a note call a
`footnote_ref`. What the parser leaves as text but the page would print raw (a `[[` never
closed, a `[^note]` never defined, an HTML tag) is looked for in text tokens only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it.token import Token

from pipeline.errors import Findings, SourceLocation
from pipeline.fonts import font_files, missing
from pipeline.markdown import MAX_LEVEL, XREF_KINDS, anchor, is_web_link, parse, walk
from pipeline.model import Schema, Text
from pipeline.printed import Field, Way, printed
from pipeline.views import ACRONYM_WORD, xref_labels

RAW_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]{0,2000}>")
NOTE_CALL = re.compile(r"\[\^([^\]\s^]{1,50})\]")
NOT_ACRONYMS = {"II", "III", "IV", "VI", "VII", "VIII", "IX", "XX", "XXI"}
BREAKS = re.compile(r"[\s\-‐‑–—/]+")
PRINTED_CONTENT = {"text", "code_inline", "code_block", "fence"}


@dataclass
class Context:
    """What the rules know of the whole Schéma, and what they have seen so far."""

    labels: dict[str, str]
    instances: set[str]
    acronyms: set[str]
    signing: set[str]  # the organisations with a signatory (signataires.yml)
    open_notes_are_errors: bool
    fonts: bool  # the project's fonts are there to check glyphs against
    seen_acronyms: set[str] = field(default_factory=set)


def check_texts(schema: Schema, findings: Findings) -> None:
    """Every rule on every printed string of the Schéma."""
    # no glossary (unreadable or empty: reported when loaded): no acronym rule
    known = {t.acronym.upper() for t in schema.glossary} | set(schema.not_acronyms) \
        if schema.glossary else set()
    context = Context(_published_targets(schema), {i.id for i in schema.instances}, known,
                      {str(s.organisation) for s in schema.signatories},
                      schema.edition.status == "edition", bool(font_files()))
    for item in printed(schema):
        if item.way is Way.PLAIN:
            _plain(item, context, findings)
        else:
            _markdown(item, context, findings)


def _published_targets(schema: Schema) -> dict[str, str]:
    """The renvoi targets the full Schéma prints: not a chapter left out of `structure`."""
    unlisted = {anchor("chapitre", c.id) for c in schema.chapters
                if c.id not in schema.edition.structure}
    return {name: label for name, label in xref_labels(schema).items() if name not in unlisted}


def _plain(item: Field, context: Context, findings: Findings) -> None:
    """A string printed as written: no Markdown, so no markup at all."""
    for offset, line in enumerate(item.text.split("\n")):
        where = item.text.line_at(offset)
        if "[[" in line or NOTE_CALL.search(line) or RAW_HTML.search(line):
            findings.error(where, f"{item.what} : renvoi, note ou balise impossible ici (ce "
                           "texte est imprimé tel quel) : retirez-les")
        _glyphs(line, where, context, findings)
        _long_words(line, item, where, findings)


def _markdown(item: Field, context: Context, findings: Findings) -> None:
    parsed = parse(item.text)
    if parsed.failure:
        findings.error(item.text.location, parsed.failure)
        return
    if item.way is Way.INLINE and item.text and parsed.paragraph is None:
        findings.error(_first_block(parsed.tokens, item.text), (
            f"{item.what} : un seul paragraphe de texte est possible ici ; une liste (« - »), "
            "un titre (« # »), une citation (« > »), une ligne vide ou un bloc « ::: » y "
            "seraient imprimés tels quels : récrivez le texte sur une ligne"))
    deep = next((t for t in parsed.tokens if t.level > MAX_LEVEL), None)
    if deep is not None:
        findings.error(item.text.line_at((deep.map or [0])[0]), (
            "listes ou citations imbriquées sur plus de 6 niveaux : la suite ne serait pas "
            "imprimée ; simplifiez"))
    for token, where, hidden in walk(parsed.tokens, item.text):
        _token(token, where, hidden, item, context, findings)
    _notes_never_called(parsed.env, item.text, findings)


def _first_block(tokens: tuple[Token, ...], text: Text) -> SourceLocation:
    first = next((t for t in tokens if t.type != "paragraph_open" and t.map), None)
    return text.line_at(first.map[0]) if first and first.map else text.location


def _token(token: Token, where: SourceLocation, hidden: bool, item: Field, context: Context,
           findings: Findings) -> None:
    if token.type == "xref":
        _xref(token, where, context, findings)
    elif token.type == "link_open":
        url = str(token.attrGet("href") or "")
        if not is_web_link(url):
            findings.error(where, f"lien « {url} » : seules les adresses web (https://…) sont "
                           "permises ; pour renvoyer à une partie du Schéma, écrivez "
                           "[[chapitre:…]], [[axe:…]]…")
    elif token.type == "image":
        findings.error(where, f"image « {token.attrGet('src')} » : les images ne sont pas "
                       "prises en charge ; utilisez un emplacement « ::: figure »")
    elif token.type == "container_instance_open":
        _instance(token, where, context, findings)
    elif token.type == "container_signature_open":
        _signature(token, where, context, findings)
    elif token.type == "container_a-completer_open":
        _open_note(where, context, findings)
    if token.type in PRINTED_CONTENT:
        _text(token.content, where, hidden, item, context, findings)


def _text(content: str, where: SourceLocation, hidden: bool, item: Field, context: Context,
          findings: Findings) -> None:
    if "[[" in content:
        findings.error(where, "renvoi « [[ » non fermé sur la ligne : écrivez "
                       "[[type:cible|texte]] sur une seule ligne (il serait imprimé tel quel)")
    for label in NOTE_CALL.findall(content):
        findings.error(where, f"note [^{label}] appelée mais jamais définie")
    if RAW_HTML.search(content):
        findings.error(where, "HTML interdit dans le contenu : écrivez en Markdown (le code "
                       "HTML serait imprimé tel quel)")
    if hidden:
        return
    _glyphs(content, where, context, findings)
    _long_words(content, item, where, findings)
    if item.acronyms:
        _acronyms(content, where, context, findings)


def _xref(token: Token, where: SourceLocation, context: Context, findings: Findings) -> None:
    kind, target = token.meta["kind"], token.meta["target"]
    written = f"[[{kind}:{target}]]"
    if kind not in XREF_KINDS:
        findings.error(where, f"renvoi « {written} » : type inconnu ({', '.join(XREF_KINDS)})")
    elif anchor(kind, target) not in context.labels:
        findings.error(where, f"renvoi « {written} » : cible introuvable")


def _instance(token: Token, where: SourceLocation, context: Context,
              findings: Findings) -> None:
    wanted = token.info.strip().partition(" ")[2].strip()
    if wanted not in context.instances:
        findings.error(where, f"« ::: instance {wanted} » : instance inconnue (instances.yml : "
                       f"{', '.join(sorted(context.instances)) or 'aucune'})")


def _signature(token: Token, where: SourceLocation, context: Context,
               findings: Findings) -> None:
    wanted = token.info.strip().partition(" ")[2].split()
    if not wanted:
        findings.error(where, "« ::: signature » : nommez l'organisation qui signe "
                       "(par exemple « ::: signature ville »)")
    for org in wanted:
        if org not in context.signing:
            findings.error(where, f"« ::: signature {org} » : aucun signataire de cette "
                           f"organisation dans signataires.yml (organisations qui signent : "
                           f"{', '.join(sorted(context.signing)) or 'aucune'})")


def _open_note(where: SourceLocation, context: Context, findings: Findings) -> None:
    report = findings.error if context.open_notes_are_errors else findings.warning
    report(where, "question éditoriale ouverte (« à compléter ») : à régler avant une édition")


def _notes_never_called(env: dict[str, object], text: Text, findings: Findings) -> None:
    refs = env.get("footnotes", {})
    assert isinstance(refs, dict)
    for key, number in refs.get("refs", {}).items():
        if number == -1:  # defined, never called
            label = key[1:]
            line = next((i for i, x in enumerate(text.split("\n"))
                         if x.lstrip().startswith(f"[^{label}]:")), 0)
            findings.error(text.line_at(line), f"note [^{label}] définie mais jamais appelée")


def _glyphs(content: str, where: SourceLocation, context: Context, findings: Findings) -> None:
    if not context.fonts:  # no font in layouts/fonts: the build reports it
        return
    for char in missing(content):
        findings.error(where, f"caractère absent de la police Lato : « {char} » "
                       f"(U+{ord(char):04X})")


def _long_words(content: str, item: Field, where: SourceLocation, findings: Findings) -> None:
    for word in BREAKS.split(content):
        if len(word) > item.column and not is_web_link(word):
            findings.warning(where, f"{item.what} : mot insécable de {len(word)} caractères "
                             f"(« {word[:30]}… ») : plus large que sa colonne "
                             f"(environ {item.column}), il déborderait ; coupez-le")


def _acronyms(content: str, where: SourceLocation, context: Context, findings: Findings) -> None:
    if not context.acronyms:
        return
    for match in ACRONYM_WORD.findall(content):
        for word in [match] if match in context.acronyms else match.split("-"):
            if word in context.acronyms or word in NOT_ACRONYMS:
                continue
            if word not in context.seen_acronyms:
                context.seen_acronyms.add(word)
                findings.error(where, f"sigle « {word} » absent de glossaire.yml : ajoutez sa "
                               "définition")
