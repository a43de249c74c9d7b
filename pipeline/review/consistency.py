"""Stage 2 (review: consistency) — what the Schéma says twice, or in two ways.

Rules on the whole printed text (`text.Reading`), each a function returning `Issue`s
with every place involved: two actions with the same title or the same descriptif; one
name (an organisation, a place, an institution) written in two forms that differ by
capitals, accents or hyphens; an acronym printed before the words it stands for. The
typographic rules (numbers, final stops, straight quotes) are in `typesetting`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache
from itertools import accumulate

from pipeline.model import Action, Text
from pipeline.review.issues import Issue, Place
from pipeline.review.text import Piece, Reading

NAME = re.compile(r"(?<![\w’'-])[^\W\d_][\w’'-]*[^\W_]|(?<![\w’'-])[^\W\d_]{3}(?![\w’'-])")
WORD = re.compile(r"[^\W_]+(?:[-’'][^\W_]+)*")
ACCENTED_CAPITALS = str.maketrans("ÉÈÊËÀÂÎÏÔÛÙÇ", "EEEEAAIIOUUC")
PLAIN = str.maketrans("àâäéèêëîïôöùûüçÿÀÂÄÉÈÊËÎÏÔÖÙÛÜÇŸ’-‐‑\u00a0\u202f",
                      "aaaeeeeiioouuucyAAAEEEEIIOOUUUCY'     ")


def same_actions(reading: Reading) -> list[Issue]:
    """Two actions (or more) with the same title, or the same descriptif."""
    issues = []
    for label, text_of in (("intitulé", _title), ("descriptif", _descriptif)):
        groups: dict[str, list[Action]] = {}
        for action in reading.schema.actions:
            text = text_of(action)
            if text:
                groups.setdefault(_squeeze(text), []).append(action)
        for actions in (g for g in groups.values() if len(g) > 1):
            ids = ", ".join(a.id for a in actions)
            places = tuple(Place.text(reading, _first(a, text_of), f"action {a.id} : {label}")
                           for a in actions)
            issues.append(Issue("doublon", f"les actions {ids} ont le même {label}, mot pour "
                                "mot", places))
    return issues


def _title(action: Action) -> str:
    return action.title


def _descriptif(action: Action) -> str:
    d = action.descriptif
    return "\n".join(t for t in (d.text, *d.points, d.after) if t)


def _first(action: Action, text_of: Callable[[Action], str]) -> Text:
    d = action.descriptif
    return action.title if text_of is _title else next(t for t in (d.text, *d.points) if t)


def _squeeze(text: str) -> str:
    return " ".join(text.split()).casefold()


def name_forms(reading: Reading) -> list[Issue]:
    """One name written in several forms: capitals, accents or hyphens differ."""
    forms: dict[str, dict[str, list[tuple[Piece, int, int]]]] = {}
    names = _registry_names(reading)
    starts = {name.split()[0] for name in names}
    lengths = sorted({len(k.split()) for k in names} | {1})
    for piece in reading.pieces:
        for key, start, end in _candidates(piece.text, names, starts, lengths):
            written = piece.text[start:end].replace("’", "'")  # typography's, not the text's
            forms.setdefault(key, {}).setdefault(written, []).append((piece, start, end))
    issues = []
    for key, by_form in forms.items():
        if len(by_form) > 1 and _several_forms(set(by_form), key in names):
            issues.append(_forms_issue(reading, by_form))
    return issues


@cache
def _key(text: str) -> str:
    """What stays of a name when capitals, accents and hyphens are set aside."""
    if text.isascii():
        return " ".join(text.replace("-", " ").casefold().split())
    return " ".join(text.translate(PLAIN).casefold().split())


def _registry_names(reading: Reading) -> set[str]:
    """The keys of the registries' names of two words or more (organisations, services…)."""
    schema = reading.schema
    names = [o.name for o in schema.organisations] + [o.full_name or "" for o in
                                                      schema.organisations]
    names += [s.name for o in schema.organisations for s in o.services]
    names += [i.name for i in schema.instances]
    return {_key(n) for n in names if len(_key(n).split()) > 1}


def _candidates(text: str, names: set[str], starts: set[str],
                lengths: list[int]) -> Iterator[tuple[str, int, int]]:
    """(key, start, end) of each capitalised word or compound, and of each registry name."""
    spans = [(m.start(), m.end()) for m in WORD.finditer(text)]
    for index, (start, end) in enumerate(spans):
        if not text[start].isupper():
            continue
        key = _key(text[start:end])
        if len(key) >= 3:
            yield key, start, end
        if key not in starts:
            continue
        for size in lengths[1:]:
            if index + size > len(spans):
                break
            stop = spans[index + size - 1][1]
            if _key(text[start:stop]) in names:
                yield _key(text[start:stop]), start, stop


def _several_forms(forms: set[str], registry: bool) -> bool:
    """Forms that differ by more than a sentence's first capital.

    A registry name may differ anywhere; another word only by its capitals (« CAF »,
    « Caf »), its initial accent (« Etat », « État ») or its hyphens: « Des » and « Dès »
    are two words."""
    if len({form[:1].lower() + form[1:] for form in forms}) < 2:
        return False
    return registry or len({_initial(form) for form in forms}) == 1


def _forms_issue(reading: Reading, by_form: dict[str, list[tuple[Piece, int, int]]]) -> Issue:
    counts = Counter({form: len(places) for form, places in by_form.items()})
    usual = counts.most_common(1)[0][0]
    said = ", ".join(f"« {form} » ({n} fois)" for form, n in counts.most_common())
    places = tuple(Place.of(reading, *found) for form, where in by_form.items()
                   if form != usual for found in where)
    return Issue("graphie", f"un même nom écrit de {len(counts)} façons : {said} ; "
                 f"gardez-en une (la plus fréquente : « {usual} »)", places)


def _initial(form: str) -> str:
    """The form without capitals, without the accent of its first letter, nor hyphens."""
    return (form[:1].translate(ACCENTED_CAPITALS) + form[1:]).casefold().replace("-", " ")


def acronyms_spelled_out(reading: Reading) -> list[Issue]:
    """An acronym printed before the words it stands for, or never with them."""
    stream = [p for p in reading.pieces if not p.location.path.endswith(REGISTRIES)]
    keyed = "\x00".join(_key(p.text) for p in stream)
    ends = list(accumulate(len(_key(p.text)) + 1 for p in stream))
    issues = []
    uses = _first_uses(stream, [t.acronym for t in reading.schema.glossary])
    for term in reading.schema.glossary:
        if term.acronym not in uses:
            continue
        index, start = uses[term.acronym]
        found = keyed.find(_key(term.definition))
        spelled = bisect_right(ends, found) if found >= 0 else None
        if spelled is not None and spelled <= index:
            continue
        if spelled is None:
            said = f"« {term.acronym} » n'est développé nulle part dans le texte"
        else:
            said = (f"« {term.acronym} » est employé avant d'être développé (il ne l'est "
                    f"qu'en {stream[spelled].location})")
        issues.append(Issue("sigle", f"{said} ; glossaire : « {term.definition} »",
                            (Place.of(reading, stream[index], start, start + len(term.acronym)),)))
    return issues


REGISTRIES = ("organisations.yml", "instances.yml", "glossaire.yml", "editions.yml")


def _first_uses(stream: list[Piece], acronyms: list[str]) -> dict[str, tuple[int, int]]:
    """Each acronym → (piece, offset) where it is first printed."""
    if not acronyms:
        return {}
    alternatives = "|".join(re.escape(a) for a in sorted(acronyms, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")
    first: dict[str, tuple[int, int]] = {}
    for index, piece in enumerate(stream):
        for match in pattern.finditer(piece.text):
            first.setdefault(match[0], (index, match.start()))
    return first
