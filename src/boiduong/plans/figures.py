"""Figures a plan states, read from its own words, and the rule they imply.

DESIGN §4: totals are computed, never typed. KH 451/KH-BGDĐT §II.3 states the workshop's
delegates as "BCĐ và đại biểu Bộ: 20 người; … Mỗi sở 02 người; … Mỗi cơ sở 02 người. Tổng số
đại biểu: Khoảng 150 người": the rule is 20 + 2 × Sở + 2 × institutions, and with the 63 Sở of
2020 it already gives more than 150. KH 361/KH-BGDĐT §III.2 states "khoảng 200 người/1 miền"
in "03 miền". This module only reads what the text says (the composition lines and the stated
total); `selectors.plan_figures` counts the registry and the courses and compares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from boiduong.core.text import fold

#: What a composition term is multiplied by: nothing (a fixed number), each provincial
#: department, each training institution.
FIXED, PER_DEPARTMENT, PER_INSTITUTION = "fixed", "department", "institution"

_NUMBER = r"(?P<approx>khoang|du kien|gan|tren|toi da)?\s*(?P<n>\d{1,5})\s*(?:nguoi|dai bieu)\b"
_PER_DEPARTMENT = re.compile(r"\bmoi (?:so|don vi so)\b[^:;]*?:?\s*" + _NUMBER)
_PER_INSTITUTION = re.compile(r"\bmoi (?:co so|truong)\b[^:;]*?:?\s*" + _NUMBER)
_TOTAL = re.compile(r"\btong (?:so|cong)\b[^:]*:\s*" + _NUMBER)
_FIXED = re.compile(r":\s*" + _NUMBER + r"\s*[;.,]?\s*$")
_PER_REGION = re.compile(
    r"(?P<approx>khoang|du kien)?\s*(?P<n>\d{1,5})\s*nguoi\s*/\s*(?:1|01|mot|moi)?\s*mien\b"
)
_REGIONS = re.compile(r"\b(?P<n>\d{1,2})\s*mien\b")
_HEADING = re.compile(r"^(?:[IVXLC]+|\d+(?:\.\d+)*)[.)]\s+\S")


@dataclass
class Term:
    """One line of a composition: "Mỗi sở 02 người" is 2 per department."""

    text: str
    count: int
    per: str = FIXED


@dataclass
class StatedFigure:
    """A total a plan states, with the composition lines above it (when it gives them)."""

    label: str
    stated: int
    text: str
    is_approximate: bool
    terms: list[Term] = field(default_factory=list)
    per_region: bool = False
    regions: int | None = None  # "03 miền"

    @property
    def has_rule(self) -> bool:
        return any(term.per != FIXED for term in self.terms)


def _bullet(line: str) -> str:
    return line.strip().lstrip("-+•*–").strip()


def stated_figures(parts: list[tuple[str, str]]) -> list[StatedFigure]:
    """The figures stated in a plan's texts, given as (label, text) pairs in reading order.

    A composition is the lines counted since the last heading ("20 người", "Mỗi sở 02
    người") closed by its total ("Tổng số đại biểu: Khoảng 150 người"); a per-region figure
    ("khoảng 200 người/1 miền") stands alone, with the number of regions when the text gives it.
    """
    found: list[StatedFigure] = []
    for label, text in parts:
        heading = label
        terms: list[Term] = []
        regions = None
        for raw in (text or "").splitlines():
            line = _bullet(raw)
            if not line:
                continue
            key = fold(line)
            if _HEADING.match(line) and not _TOTAL.search(key):
                heading, terms = line, []
            match = _REGIONS.search(key)
            if match:
                regions = int(match["n"])
            match = _PER_REGION.search(key)
            if match:
                found.append(
                    StatedFigure(
                        label=heading,
                        stated=int(match["n"]),
                        text=line,
                        is_approximate=bool(match["approx"]),
                        per_region=True,
                        regions=regions,
                    )
                )
                continue
            match = _TOTAL.search(key)
            if match:
                found.append(
                    StatedFigure(
                        label=heading,
                        stated=int(match["n"]),
                        text=line,
                        is_approximate=bool(match["approx"]),
                        terms=terms,
                    )
                )
                terms = []
                continue
            for pattern, per in (
                (_PER_DEPARTMENT, PER_DEPARTMENT),
                (_PER_INSTITUTION, PER_INSTITUTION),
                (_FIXED, FIXED),
            ):
                match = pattern.search(key)
                if match:
                    terms.append(Term(text=line, count=int(match["n"]), per=per))
                    break
    return found
