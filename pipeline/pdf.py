"""Stage 4 — PDF: WeasyPrint behind the project's single door to files.

`ConfinedFetcher` is the only way WeasyPrint reads anything: `file:` URLs inside the
allowed folders (after resolving symlinks), nothing from the network, nothing too
large. Every WeasyPrint warning (missing image, bad CSS, missing glyph) fails the build
with its message instead of passing silently.
"""

from __future__ import annotations

import datetime
import logging
import mimetypes
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse
from xml.etree import ElementTree

from weasyprint import HTML, Attachment, Document
from weasyprint.pdf.metadata import NS as XMP_NS
from weasyprint.pdf.metadata import DocumentMetadata
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from pipeline.errors import Finding, PipelineError, SourceLocation
from pipeline.tagging import write_tagged
from pipeline.uaxmp import add_pdfua_identification

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


# --- Archival PDF (PDF/A-3a, PDF/UA-1) ---------------------------------------------------

PDFA_VARIANT = "pdf/a-3a"  # level 3: sources as associated files; A: tagged (and Unicode)
mimetypes.add_type("application/yaml", ".yml")
mimetypes.add_type("text/markdown", ".md")


@dataclass(frozen=True)
class Stamp:
    """What identifies an edition inside each of its PDFs (XMP and document information)."""

    version: str
    day: datetime.date
    authors: str  # the signing institutions, one string (PDF/A: Author == dc:creator[0])

    @property
    def instant(self) -> datetime.datetime:
        """Midnight UTC of the edition's day: every date written in the edition."""
        return datetime.datetime.combine(self.day, datetime.time(), datetime.UTC)

    @property
    def moment(self) -> str:
        return self.instant.isoformat()

    @property
    def epoch(self) -> int:
        return int(self.instant.timestamp())


class EditionMetadata(DocumentMetadata):  # type: ignore[misc]
    """WeasyPrint's metadata plus the edition's language, date and version in the XMP."""

    def __init__(self, base: DocumentMetadata, stamp: Stamp) -> None:
        super().__init__(title=base.title, authors=[stamp.authors], description=base.description,
                         keywords=base.keywords, generator=base.generator, created=stamp.moment,
                         modified=stamp.moment, lang="fr-FR")
        self.stamp = stamp

    def generate_rdf_metadata(self, variant: str, version: int, conformance: str) -> bytes:
        rdf = ElementTree.fromstring(super().generate_rdf_metadata(variant, version, conformance))
        about = ElementTree.SubElement(rdf, _ns("rdf", "Description"), {_ns("rdf", "about"): ""})
        _xmp_list(about, "dc", "language", "Bag", "fr-FR")
        _xmp_list(about, "dc", "date", "Seq", self.stamp.day.isoformat())
        ElementTree.SubElement(about, _ns("xmpMM", "VersionID")).text = self.stamp.version
        ElementTree.SubElement(about, _ns("xmp", "MetadataDate")).text = self.stamp.moment
        add_pdfua_identification(rdf)
        return bytes(ElementTree.tostring(rdf, encoding="utf-8"))


def _ns(prefix: str, name: str) -> str:
    return f"{{{XMP_NS[prefix]}}}{name}"


def _xmp_list(parent: ElementTree.Element, prefix: str, name: str, kind: str, value: str) -> None:
    container = ElementTree.SubElement(ElementTree.SubElement(parent, _ns(prefix, name)),
                                       _ns("rdf", kind))
    ElementTree.SubElement(container, _ns("rdf", "li")).text = value


def source_attachments(files: list[tuple[Path, str]], fetcher: ConfinedFetcher,
                       stamp: Stamp) -> list[Attachment]:
    """Each (file, name in the PDF) as a PDF/A-3 associated file of relationship Source."""
    return [Attachment(url=path.resolve().as_uri(), url_fetcher=fetcher, name=name,
                       description=f"Source de l'édition {stamp.version} : {name}",
                       created=stamp.instant, modified=stamp.instant, relationship="Source")
            for path, name in files]


def archival_pdf(document: Document, stamp: Stamp, attachments: list[Attachment]) -> bytes:
    """`document` as PDF/A-3a and PDF/UA-1 bytes (tagged, XMP uncompressed): same input,
    same bytes (no clock, no path)."""
    document.metadata = EditionMetadata(document.metadata, stamp)
    with _warnings_are_errors("layouts/base.html.j2"):
        return write_tagged(document, plain_metadata=True, pdf_variant=PDFA_VARIANT,
                            attachments=attachments)
    raise AssertionError("unreachable")  # pragma: no cover
