"""The editor's loop — `python -m pipeline preview`: a live HTML preview of the full Schéma.

Watches content/ and layouts/ (`watchfiles`) and serves, on 127.0.0.1 only, the full
Schéma's HTML as the layouts make it, with a small script that reloads the page after
each change and brings the edited action into view (or keeps the reader's place). A
content error never stops the server: the page shows the located findings, as `make
check` prints them, above the last good preview, and the terminal prints them too. The
full PDF of the last good content is laid out in the background by parts
(`pipeline.parts`): after an edit, only the parts whose HTML changed are laid out again
(those after a part whose page count changed, and the sommaire, among them); it is
served at `/schema.pdf`, the same bytes as a clean layout of the same HTML. Nothing is
written to disk: build/ is `make`'s alone.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from markupsafe import escape
from weasyprint import Document

from pipeline.build import fetcher_for, full_page
from pipeline.errors import PipelineError
from pipeline.html import renderer_for
from pipeline.markdown import anchor
from pipeline.model import Schema
from pipeline.parts import PartLayout, fingerprint, part_starts
from pipeline.pdf import render_document
from pipeline.printing import screen
from pipeline.project import Project, check

SCRIPT = """<script>
(function () {
  var version = %(version)d;
  var key = "apercu-position";
  var saved = sessionStorage.getItem(key);
  if (saved && !location.hash) { window.scrollTo(0, parseInt(saved, 10)); }
  setInterval(function () {
    fetch("/version").then(function (r) { return r.json(); }).then(function (state) {
      if (state.version === version) { return; }
      sessionStorage.setItem(key, String(window.scrollY));
      if (state.focus) { location.replace("/#" + state.focus); location.reload(); }
      else { location.reload(); }
    }).catch(function () {});
  }, 400);
})();
</script>"""
BANNER_STYLE = ("position:sticky;top:0;z-index:9;margin:0;padding:8px 14px;background:#fff3f3;"
                "border-bottom:3px solid #b0001e;font:13px/1.45 monospace;white-space:pre-wrap")


@dataclass
class State:
    """What the server shows: the last good HTML, the current findings, a version."""

    html: str = ""
    problems: list[str] = field(default_factory=list)
    version: int = 0
    focus: str | None = None
    schema: Schema | None = None
    pdf: bytes | None = None
    pdf_version: int = 0  # the version whose content the PDF shows
    lock: threading.Lock = field(default_factory=threading.Lock)


class Preview:
    """One project's preview: refreshed on each change, served over HTTP."""

    def __init__(self, project: Project, report: Callable[[str], None] = print) -> None:
        self.project = project
        self.report = report
        self.state = State()
        self.stop = threading.Event()
        self._pdf_wanted = threading.Event()
        self.parts = PartLayout(project.layouts, self._render)

    def refresh(self) -> float:
        """Check and render the content again; return how long it took (seconds)."""
        started = time.perf_counter()
        try:
            schema, warnings = check(self.project, review=False)
            html = full_page(renderer_for(schema, self.project.layouts)[1], schema)
        except PipelineError as exc:
            self._publish(None, None, [self._line(str(f)) for f in exc.findings])
            return time.perf_counter() - started
        self._publish(schema, html, [self._line(str(w)) for w in warnings])
        self._pdf_wanted.set()
        return time.perf_counter() - started

    def _line(self, finding: str) -> str:
        return finding.replace(str(self.project.root) + "/", "")

    def _publish(self, schema: Schema | None, html: str | None, problems: list[str]) -> None:
        with self.state.lock:
            if schema is not None and html is not None:
                self.state.focus = edited_action(self.state.schema, schema)
                self.state.schema, self.state.html = schema, html
            self.state.problems = problems
            self.state.version += 1
        for line in problems:
            self.report(line)
        self.report(f"aperçu à jour (version {self.state.version})" if html is not None
                    else f"{len(problems)} problème(s) : l'aperçu garde la dernière version "
                    "valide")

    def page(self) -> str:
        """The preview page: findings first, then the last good HTML, and the reload script."""
        with self.state.lock:
            html, problems, version = self.state.html, self.state.problems, self.state.version
        banner = (f'<pre role="alert" style="{BANNER_STYLE}">{escape(chr(10).join(problems))}'
                  "</pre>") if problems else ""
        script = SCRIPT % {"version": version}
        if "<body" not in html:
            return f"<!DOCTYPE html><html lang=\"fr\"><body>{banner}{script}</body></html>"
        head, _, rest = html.partition("<body")
        tag, _, body = rest.partition(">")
        return f"{head}<body{tag}>{banner}{body}".replace("</body>", f"{script}</body>", 1)

    def watch(self) -> None:
        """Refresh after each change to content/ or layouts/, until `stop` is set."""
        from watchfiles import watch

        folders = [self.project.content, self.project.layouts]
        for _changes in watch(*folders, stop_event=self.stop, debounce=50, step=20,
                              rust_timeout=200, yield_on_timeout=False):
            self.refresh()

    def lay_out_pdfs(self) -> None:
        """Lay out the full PDF of the last good content whenever it changes (background):
        the parts whose HTML changed only."""
        while not self.stop.is_set():
            if not self._pdf_wanted.wait(0.2):
                continue
            self._pdf_wanted.clear()
            with self.state.lock:
                html, schema, version = self.state.html, self.state.schema, self.state.version
            if schema is None:
                continue
            try:
                document = self.parts.lay_out(html, part_starts(schema), fingerprint(
                    [self.project.layouts, self.project.content]))
                data = screen(document).write_pdf()
            except PipelineError as exc:
                self.report("; ".join(self._line(str(f)) for f in exc.findings))
                continue
            with self.state.lock:
                self.state.pdf, self.state.pdf_version = data, version

    def _render(self, html: str) -> Document:
        return render_document(html, self.project.layouts, fetcher_for(self.project),
                               "layouts/full.html.j2")


def edited_action(before: Schema | None, after: Schema) -> str | None:
    """The anchor of the first action whose content changed (or appeared), if any."""
    if before is None:
        return None
    old = {a.id: a for a in before.actions}
    for action in after.actions:
        if old.get(action.id) != action:
            return anchor("action", action.id)
    return None


def serve(preview: Preview, port: int = 0) -> ThreadingHTTPServer:
    """An HTTP server for `preview` on 127.0.0.1 (port 0: a free one), not yet started."""
    handler = type("Handler", (_Handler,), {"preview": preview})
    return ThreadingHTTPServer(("127.0.0.1", port), handler)


class _Handler(BaseHTTPRequestHandler):
    preview: Preview

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path in ("/", "/index.html"):
            self._send(self.preview.page().encode(), "text/html; charset=utf-8")
        elif path == "/version":
            with self.preview.state.lock:
                state = {"version": self.preview.state.version, "focus": self.preview.state.focus,
                         "problems": self.preview.state.problems,
                         "pdf": self.preview.state.pdf_version}
            self._send(json.dumps(state).encode(), "application/json")
        elif path == "/schema.pdf" and self.preview.state.pdf is not None:
            self._send(self.preview.state.pdf, "application/pdf")
        else:
            self._layout_file(path)

    def _layout_file(self, path: str) -> None:
        """A file of layouts/ (the stylesheet, the fonts), never anything outside it."""
        layouts = self.preview.project.layouts.resolve()
        target = (layouts / path.lstrip("/")).resolve()
        if not target.is_relative_to(layouts) or not target.is_file():
            self.send_error(404)
            return
        kinds = {".css": "text/css", ".ttf": "font/ttf", ".svg": "image/svg+xml"}
        self._send(target.read_bytes(), kinds.get(target.suffix, "application/octet-stream"))

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal shows the content's findings, not every request."""


def run(project: Project, port: int) -> int:
    """`make preview`: serve until Ctrl-C."""
    preview = Preview(project)
    took = preview.refresh()
    server = serve(preview, port)
    threads = [threading.Thread(target=preview.watch, daemon=True),
               threading.Thread(target=preview.lay_out_pdfs, daemon=True),
               threading.Thread(target=server.serve_forever, daemon=True)]
    for thread in threads:
        thread.start()
    url = f"http://127.0.0.1:{server.server_port}/"
    print(f"aperçu : {url} (PDF : {url}schema.pdf) ; premier rendu en {took:.2f} s ; "
          "Ctrl-C pour arrêter", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("aperçu arrêté", flush=True)
    finally:
        preview.stop.set()
        server.shutdown()
        server.server_close()
    return 0


__all__ = ["Preview", "edited_action", "run", "serve"]
