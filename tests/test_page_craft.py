"""Page craft, read back from every PDF: hyphenation of names, quotes and dots, short
pages, footnotes on their call's page, running headers (pdftotext -raw and -bbox)."""

from __future__ import annotations

import re

from pypdf import PdfReader

from pipeline.model import Schema
from pipeline.views import kept_names
from tests.conftest import ROOT, Word

BODY_TOP, BODY_BOTTOM = 60.0, 785.0  # points from the trimmed page's top: the text block
TEXT_COLUMN_X = 51 + 62 * 72 / 25.4  # where the running text's column starts (points)
BROKEN = re.compile(r"(\S+)[-‐]\n(\S+)")
ACTION_ID = re.compile(r"^(\d+)\.\d+\.\d+$")


def _offset(path: str) -> float:
    return 8 * 72 / 25.4 if "impression/" in path else 0.0  # print.css: 8 mm laid out


def test_no_name_hyphenated_at_a_line_end(schema: Schema,
                                          pdf_pages: dict[str, list[str]]) -> None:
    words = {w.strip("’'") for n in kept_names(schema) for w in re.split(r"[\s’']+", n)
             if len(w) > 2 and (w[0].isupper())}
    found = []
    for path, pages in pdf_pages.items():
        for number, text in enumerate(pages, start=1):
            for a, b in BROKEN.findall(text):
                head, tail = re.split(r"[\s’'(]", a)[-1], re.sub(r"[^\w-]+$", "", b)
                if {head + tail, f"{head}-{tail}"} & words:
                    found.append((path, number, f"{a}-/{b}"))
    assert found == []


def test_no_three_dots_nor_straight_quotes(pdf_pages: dict[str, list[str]],
                                           manifest: dict) -> None:
    bad = [(path, n) for path, pages in pdf_pages.items()
           for n, text in enumerate(pages, start=1)
           if "..." in text or "'" in text or '"' in text]
    assert bad == []
    titles = [a["title"] for a in manifest["artifacts"]]
    titles += [PdfReader(ROOT / a["path"]).metadata.title for a in manifest["artifacts"]
               if a["path"].endswith(".pdf")]
    assert [t for t in titles if "..." in t or "'" in t or '"' in t] == []


def _body_lines(words: list[Word], offset: float) -> int:
    rows = {round(w[1]) for w in words if BODY_TOP < w[1] - offset < BODY_BOTTOM}
    return len(rows)


def test_no_page_with_fewer_than_three_lines(pdf_words: dict[str, list[list[Word]]]) -> None:
    """A page holds at least three lines of text, but a planned one: a cover, a blank
    verso, a part opener, a back cover (their words are few or none, or they are set
    outside the text block)."""
    short = []
    for path, pages in pdf_words.items():
        for number, words in enumerate(pages, start=1):
            lines = _body_lines(words, _offset(path))
            if 0 < lines < 3 and len(words) > 12:
                short.append((path, number, lines))
    assert short == []


def _footnotes(words: list[Word]) -> list[str]:
    """Footnote markers (« 3. » in the notes' smaller type)."""
    return [w[4][:-1] for w in words if re.fullmatch(r"\d+\.", w[4]) and w[3] - w[1] < 8.6]


def test_each_footnote_on_the_page_of_its_call(pdf_words: dict[str, list[list[Word]]]) -> None:
    missing = []
    for path, pages in pdf_words.items():
        for number, words in enumerate(pages, start=1):
            calls = {w[4] for w in words if w[4].isdigit() and w[3] - w[1] < 8}
            calls |= {m[1] for w in words if (m := re.search(r"[^\W\d](\d+)\W*$", w[4]))}
            missing += [(path, number, n) for n in _footnotes(words) if n not in calls]
    assert missing == []


def test_running_header_names_the_axis_of_the_first_action(
        pdf_words: dict[str, list[list[Word]]]) -> None:
    wrong = []
    for path, pages in pdf_words.items():
        offset = _offset(path)
        for number, words in enumerate(pages, start=1):
            body = sorted((w for w in words if BODY_TOP < w[1] - offset < BODY_BOTTOM),
                          key=lambda w: (round(w[1]), w[0]))
            if "Calendrier des actions" in " ".join(w[4] for w in body):
                continue  # a calendar figure: its chips are action ids, not table rows
            first = next((m[1] for w in body if (m := ACTION_ID.match(w[4]))), None)
            header = " ".join(w[4] for w in words if w[1] - offset < BODY_TOP - 8)
            if first and f"Axe {first}" not in header:
                wrong.append((path, number, first, header))
    assert wrong == []


def test_footnote_calls_are_legible(pdf_words: dict[str, list[list[Word]]]) -> None:
    """A call is drawn at 70 % of the running text's size or more (10 pt text)."""
    full = next(words for path, words in pdf_words.items() if path.endswith("/schema.pdf"))
    calls = [w for page in full for w in page
             if w[4].isdigit() and w[3] - w[1] < 8 and w[3] - w[1] > 4]
    assert calls
    assert min(w[3] - w[1] for w in calls) >= 7.0


def test_the_plan_at_a_glance_keeps_each_axis_whole(schema: Schema,
                                                     pdf_pages: dict[str, list[str]]) -> None:
    """The plan at a glance takes one page or two, cut between two axes: each axis's head
    and its last objective are on the same page."""
    pages = pdf_pages["build/schema.pdf"]
    where = {}
    for axis in schema.axes:
        head = f"AXE {axis.number} "
        last = axis.strategic[-1].objectives[-1]
        tail = f"Objectif {last.number}"
        found = [n for n, text in enumerate(pages) if head in text.upper().replace("\n", " ")
                 and "pilotes principaux" in text]
        assert found, f"axe {axis.number} absent du plan"
        assert tail in pages[found[0]], f"axe {axis.number} coupé"
        where[axis.number] = found[0]
    assert len(set(where.values())) <= 2
    assert sorted(where.values()) == list(where.values())
    used = sorted(set(where.values()))
    if len(used) == 2:  # two even pages, not a full one and a spilled axis
        first, second = (len(pages[n].strip().splitlines()) for n in used)
        assert min(first, second) >= max(first, second) / 2, (first, second)


def test_no_word_hyphenated_across_a_page_break(
        pdf_words: dict[str, list[list[Word]]]) -> None:
    """The last line of running text on a page (in the side column and in the text
    column, tables included) never ends with a hyphenated word."""
    broken = []
    for path, pages in pdf_words.items():
        offset = _offset(path)
        for number, words in enumerate(pages, start=1):
            body = [w for w in words  # running text, not the 7.8 pt footnotes
                    if BODY_TOP < w[1] - offset < BODY_BOTTOM and w[3] - w[1] > 8.5]
            for column in (True, False):
                lines = [w for w in body if (w[0] - offset < TEXT_COLUMN_X) == column]
                if not lines:
                    continue
                bottom = max(w[1] for w in lines)
                last = max((w for w in lines if abs(w[1] - bottom) < 2), key=lambda w: w[0])
                if re.search(r"\w-$", last[4]):
                    broken.append((path, number, last[4]))
    assert broken == []
