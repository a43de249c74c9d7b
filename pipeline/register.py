"""Stage 1b — the register of editions (`editions.yml`): which editions exist, and when.

Each published edition has a version, a date and a summary of its changes; the register
goes from the oldest to the newest and never names a version twice. The edition that
content/ constitutes takes its date from here.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools

from pipeline.errors import Findings
from pipeline.fields import NOTE_KEYS, Fields
from pipeline.model import Edition, EditionRecord

RECORD = {"version", "date", "resume"} | NOTE_KEYS


def dated(edition: Edition, register: tuple[EditionRecord, ...]) -> Edition:
    """The edition with its date, when its version is in the register."""
    record = next((r for r in register if r.version == edition.version), None)
    return dataclasses.replace(edition, date=record.date) if record else edition


def check_register(register: tuple[EditionRecord, ...], findings: Findings) -> None:
    """Each version once, dates never going back: the register is the editions' history."""
    for before, record in itertools.pairwise(register):
        if record.date < before.date:
            findings.error(record.location, f"édition {record.version} datée du {record.date}, "
                           f"avant l'édition {before.version} ({before.date}) : le registre va "
                           "de la plus ancienne à la plus récente")
    seen: set[str] = set()
    for record in register:
        if record.version in seen:
            findings.error(record.location, f"version « {record.version} » déjà inscrite au "
                           "registre : une édition publiée ne change plus, donnez un autre numéro")
        seen.add(record.version)


def read_record(f: Fields) -> EditionRecord:
    """One entry of the register; a date not written AAAA-MM-JJ is reported."""
    raw = f.text("date") or ""
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        if raw:
            f.error(f.key_line("date"), f"date « {raw} » : écrivez-la AAAA-MM-JJ (ex. 2026-11-25)")
        day = datetime.date.min
    return EditionRecord(f.text("version") or "", day, f.text("resume") or "", f.loc())
