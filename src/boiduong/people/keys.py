"""Search and sort keys of a person, computed word by word with a cache.

A national import computes them for hundreds of thousands of names built from a few thousand
syllables, so each word is folded and encoded once. The results equal `core.text.fold` and
`core.text.person_sort_key` (a test checks it).
"""

from __future__ import annotations

import unicodedata

from boiduong.core.text import _encode, _letter_key, fold

_CACHE_LIMIT = 200_000
_folded: dict[str, str] = {}
_encoded: dict[str, tuple[str, str]] = {}


def _fold_word(word: str) -> str:
    found = _folded.get(word)
    if found is None:
        if len(_folded) > _CACHE_LIMIT:
            _folded.clear()
        found = _folded[word] = fold(word)
    return found


def _sortable_word(word: str) -> tuple[str, str]:
    found = _encoded.get(word)
    if found is None:
        if len(_encoded) > _CACHE_LIMIT:
            _encoded.clear()
        word_nfc = unicodedata.normalize("NFC", word)
        found = _encoded[word] = (
            "".join(_encode(ch) for ch in word_nfc),
            "".join(str(_letter_key(ch)[1]) for ch in word_nfc),
        )
    return found


def _sortable(words: list[str]) -> str:
    parts = [_sortable_word(word) for word in words]
    return "aa".join(p for p, _ in parts) + "aaaa" + "".join(t for _, t in parts)


def person_sort_key(full_name: str) -> str:
    """Given name first, then family and middle names (as `core.text.person_sort_key`)."""
    words = full_name.split()
    if not words:
        return ""
    return _sortable(words[-1:]) + "aa" + _sortable(words[:-1])


def fold_name(full_name: str) -> str:
    return " ".join(_fold_word(word) for word in full_name.split())


def person_search_text(*, full_name: str, national_id: str, school_folded: str) -> str:
    """Folded name, national ID and school name: what the people search looks in."""
    return f"{fold_name(full_name)} {national_id} {school_folded}"
