"""Stage 2 (figure files) — each file of content/figures/ checked before any layout.

A figure file is `content/figures/ID.svg` (preferred), `.png` or `.jpg`. Refused, each
at its file and line: another format, a file over its size limit, an SVG that could run
or fetch something (`svgcheck`). Warned: a picture under 200 dpi at its printed width.
Sizes are read from the file's own header: no image library.
"""

from __future__ import annotations

import struct
from pathlib import Path

from pipeline.errors import Findings, SourceLocation
from pipeline.figures.svgcheck import check_svg

FORMATS = (".svg", ".png", ".jpg")
LIMITS = {".svg": 2 * 1024 * 1024, ".png": 8 * 1024 * 1024, ".jpg": 8 * 1024 * 1024}
PRINTED_WIDTH_MM = 160  # a figure is set at the column's width (layouts/figures.css)
MIN_DPI = 200
PNG = b"\x89PNG\r\n\x1a\n"


def check_file(path: Path, findings: Findings) -> None:
    """Format, size, safety (SVG) and resolution (PNG, JPEG) of one figure file."""
    where = SourceLocation.of(path, 1)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        findings.error(where, f"format « {path.suffix or 'sans extension'} » non pris en charge "
                       "pour une figure : SVG (de préférence), PNG ou JPEG (« .jpg »)")
        return
    size = path.stat().st_size
    if size > LIMITS[suffix]:
        findings.error(where, f"fichier de {size / 1048576:.1f} Mo : trop volumineux (SVG : "
                       "2 Mo au plus ; PNG, JPEG : 8 Mo au plus) ; allégez-le")
        return
    data = path.read_bytes()
    if suffix == ".svg":
        check_svg(data, path, findings)
        return
    pixels = _png_width(data) if suffix == ".png" else _jpeg_width(data)
    if pixels is None:
        findings.error(where, f"fichier illisible comme image {suffix[1:].upper()} : "
                       "enregistrez-le de nouveau depuis le logiciel d'origine")
    elif pixels / (PRINTED_WIDTH_MM / 25.4) < MIN_DPI:
        dpi = round(pixels / (PRINTED_WIDTH_MM / 25.4))
        findings.warning(where, f"image de {pixels} pixels de large : {dpi} dpi une fois "
                         f"imprimée sur {PRINTED_WIDTH_MM} mm (200 dpi au moins, soit "
                         f"{round(MIN_DPI * PRINTED_WIDTH_MM / 25.4)} pixels) ; elle "
                         "sera floue : fournissez un SVG ou une image plus grande")


def _png_width(data: bytes) -> int | None:
    if not data.startswith(PNG) or data[12:16] != b"IHDR" or len(data) < 24:
        return None
    width: int = struct.unpack(">I", data[16:20])[0]
    return width


def _jpeg_width(data: bytes) -> int | None:
    """The width of a JPEG's frame (its first SOFn segment)."""
    if not data.startswith(b"\xff\xd8"):
        return None
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            return None
        marker = data[index + 1]
        length = struct.unpack(">H", data[index + 2:index + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            width: int = struct.unpack(">H", data[index + 7:index + 9])[0]
            return width
        index += 2 + length
    return None
