"""Stage 3 — HTML: the Jinja environment and the rendering of one publication.

Autoescape on, undefined variables are errors, templates only from layouts/. Content
is never a template: Markdown is rendered to `Markup` first and handed to the
templates as data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from pipeline.errors import PipelineError, SourceLocation
from pipeline.figures.listing import Timelines, figure_list
from pipeline.figures.palette import axis_colour, axis_text
from pipeline.figures.render import FigureRenderer
from pipeline.markdown import Renderer, anchor
from pipeline.model import Instance, Schema
from pipeline.typography import Keeper, french
from pipeline.views import (
    authors,
    doc_title,
    edition_label,
    glance,
    kept_names,
    parts,
    pilot_lines,
    sigles,
    signed,
    xref_labels,
)


class _Compiled(jinja2.BytecodeCache):
    """The templates compiled once per process, whatever the environments: the live
    preview makes one on every save, and compiling the layouts took most of its time to
    HTML. Jinja compiles a template again when its source changed (checksum)."""

    def __init__(self) -> None:
        self.codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self.codes.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.codes[bucket.key] = bucket.bytecode_to_string()


COMPILED = _Compiled()


def environment(layouts: Path, renderer: Renderer, schema: Schema) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(layouts),
        bytecode_cache=COMPILED,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters |= {
        "md": jinja2.pass_context(lambda ctx, text: renderer.block(text, ctx.get("xref_pages"))),
        "mdi": jinja2.pass_context(lambda ctx, text: renderer.inline(text,
                                                                      ctx.get("xref_pages"))),
        "typo": renderer.keeper.to_html,
        "fr": french,  # plain text (an attribute, metadata): typography without markup
        "anchor": lambda target, kind: anchor(kind, str(target)),
    }
    env.globals |= {"pilots": lambda action: pilot_lines(schema, action),
                    "edition_label": edition_label(schema.edition), "authors": authors(schema),
                    "axis_colour": axis_colour,
                    "axis_text": axis_text, "signed": signed}
    return env


def renderer_for(schema: Schema, layouts: Path) -> tuple[Renderer, jinja2.Environment]:
    """The Markdown renderer and Jinja environment bound to this Schéma."""
    holder: dict[str, jinja2.Environment] = {}
    instances: dict[str, Instance] = {i.id: i for i in schema.instances}

    def instance(instance_id: str) -> Markup:
        found: Instance | None = instances.get(instance_id)
        if found is None:
            return Markup("")
        template = holder["env"].get_template("partials/instance.html.j2")
        return Markup(template.render(instance=found))

    def signature(organisations: str) -> Markup:
        """The signatories of these organisations (ids), as signataires.yml lists them."""
        wanted = organisations.split()
        people = [s for s in schema.signatories if s.organisation in wanted]
        template = holder["env"].get_template("partials/edito-signature.html.j2")
        return Markup(template.render(signatories=people, portraits=dict(schema.portraits)))

    def template(name: str, context: dict[str, object]) -> Markup:
        return Markup(holder["env"].get_template(name).render(**context))

    timeline = Timelines(schema)
    renderer = Renderer(xref_labels(schema), instance, Keeper(kept_names(schema)),
                        FigureRenderer(schema, template), timeline, signature)
    holder["env"] = environment(layouts, renderer, schema)
    holder["env"].globals |= {"timeline": timeline, "figure_list": figure_list(schema)}
    return renderer, holder["env"]


def render(env: jinja2.Environment, template: str, **context: Any) -> str:
    """Render `template`; Jinja's errors become located findings."""
    try:
        return env.get_template(template).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise PipelineError.at(SourceLocation.of(exc.filename or template, exc.lineno),
                               exc.message or "") from None
    except jinja2.UndefinedError as exc:
        raise PipelineError.at(SourceLocation.of(Path("layouts") / template),
                               f"gabarit : {exc.message}") from None


def page(env: jinja2.Environment, template: str, schema: Schema, **context: object) -> str:
    """The HTML of one publication: `template` over the whole Schéma and `context`."""
    return render(env, template, **{**full_context(schema), "doc_title": doc_title(schema),
                                    **context})


def full_context(schema: Schema) -> dict[str, Any]:
    """What every publication's template sees of the Schéma, computed once per Schéma (a
    build renders some twenty pages from one; the acronyms alone took 0.08 s each time)."""
    kept = _CONTEXTS.get(id(schema))
    if kept is None or kept[0] is not schema:
        kept = (schema, _context(schema))
        _CONTEXTS.clear()  # one Schéma at a time: the preview's next one replaces it
        _CONTEXTS[id(schema)] = kept
    return dict(kept[1])


_CONTEXTS: dict[int, tuple[Schema, dict[str, Any]]] = {}


def _context(schema: Schema) -> dict[str, Any]:
    return {"schema": schema, "edition": schema.edition, "parts": parts(schema), "changes": None,
            "glance": glance(schema), "sigles": sigles(schema),
            "logos": {org: f"../content/{path}" for org, path in schema.logos},
            "portraits": {org: f"../content/{path}" for org, path in schema.portraits}}
