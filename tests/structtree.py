"""Test helper: a tagged PDF's structure tree read back, with the text of each element.

Each page's text is taken per marked-content id (pypdf's extraction, followed operator by
operator), then the tree is walked from the StructTreeRoot, in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from pypdf import PdfReader


@dataclass
class Element:
    role: str
    obj: Any  # the pikepdf dictionary
    kids: list[Element | str] = field(default_factory=list)  # elements and texts, in order

    def text(self) -> str:
        return "".join(k if isinstance(k, str) else k.text() for k in self.kids)

    def walk(self) -> list[Element]:
        found = [self]
        for kid in self.kids:
            if isinstance(kid, Element):
                found += kid.walk()
        return found


def marked_texts(path: Path) -> list[dict[int, str]]:
    """Per page, the text of each marked-content id."""
    return [_page_texts(page) for page in PdfReader(path).pages]


def _page_texts(page: Any) -> dict[int, str]:
    texts: dict[int, str] = {}
    stack: list[int | None] = []

    def before(op: bytes, args: list[Any], *_: Any) -> None:
        if op == b"BDC":
            props = args[1] if len(args) > 1 else {}
            mcid = props.get("/MCID") if hasattr(props, "get") else None
            stack.append(None if mcid is None else int(mcid))
        elif op == b"BMC":
            stack.append(None)
        elif op == b"EMC" and stack:
            stack.pop()

    def text(chunk: str, *_: Any) -> None:
        current = next((m for m in reversed(stack) if m is not None), None)
        if current is not None and chunk:
            texts[current] = texts.get(current, "") + chunk

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return texts


def read_tree(path: Path) -> tuple[Element, pikepdf.Pdf]:
    """The Document element of a tagged PDF, with texts; the open pikepdf.Pdf."""
    texts = marked_texts(path)
    pdf = pikepdf.open(path)
    pages = {page.objgen: n for n, page in enumerate(pdf.pages)}
    root = pdf.Root.StructTreeRoot

    def build(obj: Any) -> Element:
        element = Element(str(obj.get("/S", "/?"))[1:], obj)
        kids = obj.get("/K", pikepdf.Array())
        if not isinstance(kids, pikepdf.Array):
            kids = [kids]
        for kid in kids:
            if isinstance(kid, int):
                element.kids.append(texts[pages[obj.Pg.objgen]].get(kid, ""))
            elif kid.get("/Type") == "/MCR":
                element.kids.append(texts[pages[kid.Pg.objgen]].get(int(kid.MCID), ""))
            elif kid.get("/Type") == "/OBJR":
                continue
            else:
                element.kids.append(build(kid))
        return element

    return build(root.K[0] if isinstance(root.K, pikepdf.Array) else root.K), pdf


def dump(element: Element, depth: int = 0, limit: int = 70) -> list[str]:
    """An indented outline of the tree, each element with the start of its own text."""
    lines = ["  " * depth + element.role]
    for kid in element.kids:
        if isinstance(kid, Element):
            lines += dump(kid, depth + 1, limit)
        elif kid.strip():
            lines.append("  " * (depth + 1) + repr(kid[:limit]))
    return lines
