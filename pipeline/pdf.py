"""Stage 4 — PDF: WeasyPrint behind the project's single door to files.

`ConfinedFetcher` is the only way WeasyPrint reads anything: `file:` URLs inside the
allowed folders (after resolving symlinks), nothing from the network, nothing too
large. Every WeasyPrint warning (missing image, bad CSS, missing glyph) fails the build
with its message instead of passing silently.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint import HTML, Document
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from pipeline.errors import Finding, PipelineError, SourceLocation

MAX_RESOURCE_BYTES = 8 * 1024 * 1024


class ConfinedFetcher(URLFetcher):  # type: ignore[misc]
    """Serves `file:` URLs under `roots`; refuses every other URL."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(fail_on_errors=True)
        self.roots = [r.resolve() for r in roots]

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        parsed = urlparse(url)
        if parsed.scheme != "file":
            raise FatalURLFetchingError(f"ressource externe refusée : {url}")
        path = Path(unquote(parsed.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise FatalURLFetchingError(f"fichier hors du projet refusé : {url}")
        if not path.is_file():
            raise FatalURLFetchingError(f"fichier introuvable : {path}")
        if path.stat().st_size > MAX_RESOURCE_BYTES:
            raise FatalURLFetchingError(f"fichier trop volumineux (> 8 Mo) : {path}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _warnings_are_errors(source: str) -> Iterator[None]:
    collector = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        yield
    except FatalURLFetchingError as exc:
        collector.messages.append(str(exc.__cause__ or exc))
    finally:
        logger.removeHandler(collector)
    if collector.messages:
        location = SourceLocation.of(source)
        raise PipelineError([Finding(location, f"WeasyPrint : {m}") for m in collector.messages])


def render_document(html: str, base: Path, fetcher: ConfinedFetcher, source: str) -> Document:
    """Lay out `html` (relative URLs resolved against `base`) into pages."""
    with _warnings_are_errors(source):
        return HTML(string=html, base_url=str(base) + "/", url_fetcher=fetcher).render()
    raise AssertionError("unreachable")  # pragma: no cover
