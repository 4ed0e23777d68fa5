"""Vietnamese text rules: diacritic folding, collation, name ordering, official dates.

- Search ignores diacritics: "nguyen van a" finds "Nguyễn Văn A" and "d" matches "đ".
- Collation follows the Vietnamese alphabet (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t
  u ư v x y), then tone marks (none, grave, hook, tilde, acute, dot below), then case.
- Person lists sort by given name (the last word), then by the rest of the name, as
  Vietnamese class lists do.
- Official dates follow Nghị định 30/2020/NĐ-CP Phụ lục I: "ngày 07 tháng 4 năm 2021"
  (days under 10 and months 1-2 are zero-padded); tables use dd/mm/yyyy.
"""

from __future__ import annotations

import unicodedata
from datetime import date

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_ORDER = {ch: i for i, ch in enumerate(_ALPHABET)}
# Combining marks that change the letter (breve, circumflex, horn) vs. tone marks.
_LETTER_MARKS = {"\u0306": "ă", "\u0302": "â", "\u031b": "ơ"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def fold(text: str | None) -> str:
    """Lower-case ASCII form used for search: no diacritics, đ -> d, spaces collapsed."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


_MARKED = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}


def _letter_key(ch: str) -> tuple[int, int]:
    """(alphabet position, tone) of one character; non-letters sort first, by code point."""
    decomposed = unicodedata.normalize("NFD", ch.lower())
    base, marks = decomposed[0], decomposed[1:]
    letter, tone = base, 0
    for mark in marks:
        if mark in _TONES:
            tone = _TONES[mark]
        else:
            letter = _MARKED.get((base, mark), letter)
    position = _ORDER.get(letter)
    if position is None:
        return (-1_000_000 + ord(base), tone)
    return (position, tone)


def collation_key(text: str | None) -> tuple:
    """Sort key that orders text the Vietnamese way (a < ă < â < b ... d < đ ...).

    Letters decide first, then tone marks (none < huyền < hỏi < ngã < sắc < nặng), then case.
    """
    text = unicodedata.normalize("NFC", text or "")
    words = tuple(tuple(_letter_key(ch)[0] for ch in word) for word in text.split())
    tones = tuple(_letter_key(ch)[1] for ch in text if not ch.isspace())
    case = tuple(0 if ch.islower() else 1 for ch in text if not ch.isspace())
    return (words, tones, case)


def _encode(ch: str) -> str:
    """Two lower-case letters per character; "aa" is reserved as the word separator.

    Only [a-z] is used, so the order is the same under any database collation.
    Punctuation < digits < letters in the Vietnamese alphabet order.
    """
    position = _letter_key(ch)[0]
    if position >= 0:
        value = 40 + position
    elif ch.isdigit():
        value = 2 + int(ch) if ch in "0123456789" else 12
    else:
        value = 1
    return chr(97 + value // 26) + chr(97 + value % 26)


def sortable(text: str | None) -> str:
    """A string whose plain comparison gives the Vietnamese order of `text` (for ORDER BY)."""
    text = unicodedata.normalize("NFC", text or "")
    words = text.split()
    primary = "aa".join("".join(_encode(ch) for ch in word) for word in words)
    tones = "".join(str(_letter_key(ch)[1]) for ch in text if not ch.isspace())
    return f"{primary}aaaa{tones}"


def person_sort_key(full_name: str | None) -> str:
    """ORDER BY key for a person: given name first, then the rest of the name."""
    parts = (full_name or "").split()
    if not parts:
        return ""
    return sortable(parts[-1]) + "aa" + sortable(" ".join(parts[:-1]))


def person_name_key(full_name: str | None) -> tuple:
    """Sort key for a person: given name (last word) first, then the family and middle names."""
    parts = (full_name or "").split()
    if not parts:
        return ((), ())
    given, rest = parts[-1], " ".join(parts[:-1])
    return (collation_key(given), collation_key(rest))


def sort_people(items, *, name=lambda item: item.full_name):
    """Return items sorted the way Vietnamese lists of people are sorted."""
    return sorted(items, key=lambda item: person_name_key(name(item)))


def official_date(d: date | None) -> str:
    """'ngày 07 tháng 4 năm 2021' per Nghị định 30/2020/NĐ-CP (pad days < 10 and months 1-2)."""
    if d is None:
        return "ngày    tháng    năm     "
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def place_and_date(place: str, d: date | None) -> str:
    """'Hà Nội, ngày 07 tháng 4 năm 2021' — the italic line of an official document."""
    return f"{place}, {official_date(d)}"


def table_date(d: date | None) -> str:
    """dd/mm/yyyy, the form used in tables and exports."""
    return d.strftime("%d/%m/%Y") if d else ""


def money(value) -> str:
    """A sum in đồng the Vietnamese way: 12345000 -> "12.345.000"; nothing -> ""."""
    if value is None or value == "":
        return ""
    return f"{int(value):,}".replace(",", ".")
