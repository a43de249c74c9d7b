"""Stage 7 — verify: an archived edition is still what was published, and is PDF/A-shaped.

Checks the bag (every payload file against its SHA-256 and SHA-512, nothing missing or
added, nothing outside the BagIt layout), every payload file against the SHA-256 that
`edition.json` records for it (manifests recomputed after a change do not hide it) and no
file it does not list, then each PDF: it parses (`qpdf --check`), is not encrypted,
carries the PDF/A identification in its XMP and an output intent, embeds every font, has
no external reference, and its associated files declare their relationship; it is tagged,
and page-validation finds no failure to PDF/A-3a nor to PDF/UA-1. What veraPDF would
check beyond this is listed in the README; it is not installable here.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import shutil
import subprocess
from collections.abc import Iterator
from fnmatch import fnmatchcase
from pathlib import Path

import bagit
import pikepdf
from pikepdf.models.metadata import decode_pdf_date

FORBIDDEN_ACTIONS = {"/GoToR", "/Launch", "/ImportData", "/JavaScript", "/GoToE", "/Sound",
                     "/Movie", "/ResetForm", "/SubmitForm"}
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
BAG_FILES = ("bagit.txt", "bag-info.txt", "manifest-*.txt", "tagmanifest-*.txt")
DESCRIPTION_FILES = {"edition.json", "changes.json"}


def verify_edition(bag_dir: Path) -> list[str]:
    """Every problem found, as `path: message` (paths relative to the bag); [] when sound."""
    if not (bag_dir / "bagit.txt").is_file():
        return [f"{bag_dir}: pas d'édition ici (bagit.txt manquant)"]
    problems = list(_bag_problems(bag_dir))
    for pdf in sorted((bag_dir / "data").rglob("*.pdf")):
        name = pdf.relative_to(bag_dir).as_posix()
        problems += [f"{name}: {p}" for p in pdf_problems(pdf)]
    problems += list(_layout_problems(bag_dir))
    problems += list(_description_problems(bag_dir))
    return problems


def _bag_problems(bag_dir: Path) -> Iterator[str]:
    try:
        bag = bagit.Bag(str(bag_dir))
        bag.validate(processes=1)
    except bagit.BagValidationError as exc:
        details = list(getattr(exc, "details", None) or [])
        for detail in details:
            yield f"{getattr(detail, 'path', bag_dir.name)}: {_detail(detail)}"
        if not details:
            yield f"{bag_dir.name}: {exc.message}"
            yield from _entry_mismatches(bag_dir)
    except (bagit.BagError, ValueError, OSError) as exc:  # bagit trips on a foreign fetch.txt
        yield f"{bag_dir.name}: sac BagIt illisible : {exc}"


def _detail(detail: object) -> str:
    if isinstance(detail, bagit.ChecksumMismatch):
        return (f"empreinte {detail.algorithm} différente de celle du manifeste : "
                "fichier modifié")
    if isinstance(detail, bagit.FileMissing):
        return "fichier manquant"
    if isinstance(detail, bagit.UnexpectedFile):
        return "fichier inattendu, absent des manifestes"
    return str(detail)


def _entry_mismatches(bag_dir: Path) -> Iterator[str]:
    """Name the files whose SHA-256 differs (bagit stops at the payload's total size)."""
    manifest = bag_dir / "manifest-sha256.txt"
    for line in manifest.read_text("utf-8").splitlines():
        digest, _, name = line.partition("  ")
        path = bag_dir / name
        if not path.is_file():
            yield f"{name}: fichier manquant"
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            yield f"{name}: empreinte sha256 différente de celle du manifeste : fichier modifié"


def pdf_problems(path: Path) -> list[str]:
    """What keeps one PDF from being a sound archival file."""
    problems = _qpdf_check(path)
    try:
        with pikepdf.open(path) as pdf:
            if pdf.is_encrypted:
                problems.append("chiffré (interdit en PDF/A)")
            problems += _pdfa_identification(pdf)
            problems += _info_matches_xmp(pdf)
            problems += _output_intent(pdf)
            problems += _fonts(pdf)
            problems += _external_references(pdf)
            problems += _tagged(pdf)
    except pikepdf.PdfError as exc:
        problems.append(f"illisible : {exc}")
    except (AttributeError, KeyError, IndexError, TypeError, ValueError) as exc:
        # a damaged file: an object where another was expected (a flipped byte in a stream)
        problems.append(f"endommagé : objet PDF inattendu ({type(exc).__name__} : {exc})")
    return problems + _conformance(path)


def _tagged(pdf: pikepdf.Pdf) -> list[str]:
    marked = bool(pdf.Root.get("/MarkInfo", pikepdf.Dictionary()).get("/Marked", False))
    if "/StructTreeRoot" not in pdf.Root or not marked:
        return ["non balisé : pas d'arbre de structure (PDF/A-3a 6.7.2, PDF/UA-1 7.1)"]
    return []


PROFILES = ("3a", "ua1")


def _conformance(path: Path) -> list[str]:
    """Each rule of PDF/A-3a and PDF/UA-1 that page-validation finds broken."""
    try:
        import page
    except ImportError:
        return ["page-validation absent : installez les dépendances (make setup)"]
    found = []
    for profile in PROFILES:
        try:
            failures = page.validate_pdf(path, profile=profile).failures
        except page.PageError as exc:
            found.append(f"page-validation {profile} : illisible ({exc})")
            continue
        found += sorted({f"page-validation {profile} : {f.rule_id} {f.message}"
                         for f in failures})
    return found


def _qpdf_check(path: Path) -> list[str]:
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        return ["qpdf introuvable : installez-le (make system-deps) pour vérifier la structure"]
    # errors="replace": qpdf quotes a damaged file's bytes, which need not be UTF-8
    done = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True,
                          errors="replace", timeout=120)
    if done.returncode == 0:
        return []
    message = " ".join((done.stderr or done.stdout).split())[:300]
    return [f"qpdf --check échoue (code {done.returncode}) : {message}"]


def _pdfa_identification(pdf: pikepdf.Pdf) -> list[str]:
    meta = pdf.open_metadata()
    part, conformance = meta.get("pdfaid:part"), meta.get("pdfaid:conformance")
    if part is None or conformance is None:
        return ["pas d'identification PDF/A (pdfaid:part, pdfaid:conformance) dans le XMP"]
    if str(part) != "3" or str(conformance) not in {"A", "B", "U"}:
        return [f"identification PDF/A-{part}{conformance}, PDF/A-3 attendu"]
    return []


INFO_TO_XMP = {"/Title": "dc:title", "/Author": "dc:creator", "/Subject": "dc:description",
               "/Keywords": "pdf:Keywords", "/Creator": "xmp:CreatorTool",
               "/Producer": "pdf:Producer", "/CreationDate": "xmp:CreateDate",
               "/ModDate": "xmp:ModifyDate"}


def _info_matches_xmp(pdf: pikepdf.Pdf) -> list[str]:
    """PDF/A-3 6.6.2.3.1: each document information entry equals its XMP property."""
    meta = pdf.open_metadata()
    problems = []
    for key, prop in INFO_TO_XMP.items():
        if key not in pdf.docinfo:
            continue
        info, xmp = str(pdf.docinfo[key]), meta.get(prop)
        if isinstance(xmp, list):
            xmp = xmp[0] if len(xmp) == 1 else None
        if not _same(key, info, xmp):
            problems.append(f"{key[1:]} du dictionnaire Info ({info!r}) différent du XMP "
                            f"{prop} ({xmp!r})")
    return problems


def _same(key: str, info: str, xmp: object) -> bool:
    if not isinstance(xmp, str):
        return False
    if key.endswith("Date"):
        try:
            return decode_pdf_date(info) == datetime.datetime.fromisoformat(xmp)
        except ValueError:
            return False
    return info == xmp


def _output_intent(pdf: pikepdf.Pdf) -> list[str]:
    intents = pdf.Root.get("/OutputIntents")
    for intent in intents or []:
        if intent.get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in intent:
            return []
    return ["pas d'output intent PDF/A (GTS_PDFA1 avec profil ICC)"]


def _fonts(pdf: pikepdf.Pdf) -> list[str]:
    missing = set()
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font":
            continue
        subtype = obj.get("/Subtype")
        if subtype == "/Type3":
            continue
        font = obj.DescendantFonts[0] if subtype == "/Type0" else obj
        descriptor = font.get("/FontDescriptor")
        if descriptor is None or not any(k in descriptor for k in FONT_FILES):
            missing.add(str(obj.get("/BaseFont", "?")))
    return [f"police non incorporée : {name}" for name in sorted(missing)]


def _external_references(pdf: pikepdf.Pdf) -> list[str]:
    found = set()
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary):
            continue
        if obj.get("/S") in FORBIDDEN_ACTIONS:
            found.add(f"action {obj.get('/S')} interdite")
        if "/AA" in obj:
            found.add("actions automatiques (/AA) interdites")
        if obj.get("/Type") == "/Filespec":
            if "/EF" not in obj:
                found.add(f"référence à un fichier externe : {obj.get('/F')}")
            elif "/AFRelationship" not in obj:
                found.add(f"fichier associé sans /AFRelationship : {obj.get('/F')}")
        if obj.get("/Subtype") == "/Form" and "/Ref" in obj:
            found.add("XObject de référence vers un autre fichier")
    return sorted(found)


def _layout_problems(bag_dir: Path) -> Iterator[str]:
    """Nothing at the bag's root but the BagIt files and data/."""
    for entry in sorted(bag_dir.iterdir()):
        if not _in_layout(entry):
            yield (f"{entry.name}: hors de la structure du sac (seuls "
                   f"{', '.join(BAG_FILES)} et data/ y ont leur place)")


def _in_layout(entry: Path) -> bool:
    if entry.name == "data":
        return entry.is_dir()
    return entry.is_file() and any(fnmatchcase(entry.name, p) for p in BAG_FILES)


def _description_problems(bag_dir: Path) -> Iterator[str]:
    """edition.json names every file of the payload with its SHA-256, and nothing else is
    there: a file changed, even with the bag's manifests recomputed, differs from its record."""
    data = bag_dir / "data"
    try:
        description = json.loads((data / "edition.json").read_text("utf-8"))
        recorded = {p["path"]: (p["sha256"], "publications") for p in description["publications"]}
        recorded |= {s["chemin"]: (s["sha256"], "sources") for s in description["sources"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        yield f"data/edition.json: illisible ({type(exc).__name__})"
        return
    present = {p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file()}
    for name in sorted(set(recorded) - present):
        yield f"data/{name}: listé dans edition.json mais absent"
    for name in sorted(present - set(recorded) - DESCRIPTION_FILES):
        yield f"data/{name}: absent de edition.json (ni publication ni source) : fichier étranger"
    for name in sorted(set(recorded) & present):
        digest, section = recorded[name]
        if hashlib.sha256((data / name).read_bytes()).hexdigest() != digest:
            yield (f"data/{name}: sha256 différent de celui inscrit dans data/edition.json "
                   f"({section}) : fichier modifié depuis l'édition")
