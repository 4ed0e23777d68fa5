"""Link unit names as documents write them to org units.

Documents name units loosely: "Cục NGCBQL" for Cục Nhà giáo và Cán bộ quản lý giáo dục,
"Trường ĐHSP Hà Nội", "Sở GDĐT Cà Mau", "Sở GD, KH và CN Bạc Liêu" (a name the department
carried 2019-2023). The resolver compares diacritic-folded forms (`core.text.fold`) of each
unit's name, short name, abbreviation and the initials of its name, as they were on the
document's date, and answers only when exactly one unit fits. Plural groups ("Các Sở GDĐT",
"Các đơn vị có liên quan") are never resolved: the original text is always kept beside the link.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from django.utils import timezone

from boiduong.core.text import fold
from boiduong.orgs.choices import OrgUnitKind
from boiduong.orgs.models import OrgUnit

# Leading words naming a kind of unit, folded -> the kinds they may name.
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "bo": (OrgUnitKind.MINISTRY,),
    "cuc": (OrgUnitKind.MINISTRY_DEPARTMENT,),
    "vu": (OrgUnitKind.MINISTRY_DEPARTMENT,),
    "thanh tra": (OrgUnitKind.MINISTRY_DEPARTMENT,),
    "van phong": (OrgUnitKind.MINISTRY_DEPARTMENT,),
    "truong": (OrgUnitKind.TRAINING_INSTITUTION, OrgUnitKind.SCHOOL),
    "so": (OrgUnitKind.PROVINCIAL_DEPARTMENT,),
}
RESOLVABLE_KINDS = (
    OrgUnitKind.MINISTRY,
    OrgUnitKind.MINISTRY_DEPARTMENT,
    OrgUnitKind.PROVINCIAL_DEPARTMENT,
    OrgUnitKind.TRAINING_INSTITUTION,
)
_PLURAL = re.compile(r"^(cac|nhung|moi|toan bo|tat ca)\b")
_SUFFIX_NOISE = re.compile(r"\s*\((?:de|đe)[^)]*\)\s*$|[\s.;,:]+$")
_PROVINCIAL_DEPARTMENT = re.compile(
    r"^so (?:gd ?dt|gd ?& ?dt|gd va dt|giao duc va dao tao|giao duc, khoa hoc va cong nghe|"
    r"gd, ?kh va cn|gd-dt)\s*(?:tinh |thanh pho |tp\.? ?)?(?P<province>.*)$"
)
_LOCALITY_PREFIX = re.compile(r"^(?:ubnd|uy ban nhan dan)?\s*(?:tinh|thanh pho|tp\.?)\s+")
_INTERNAL_DIVISION = re.compile(r"^(?:phong|van phong so|thanh tra so|to)\b")
_DISTRICT_WORDS = re.compile(r"\b(?:huyen|quan|thi xa|thanh pho|xa|phuong|cac)\b")
_STOP_WORDS = {"va", "&", "-", "cua", "thuoc"}


def _clean(text: str) -> str:
    folded = fold(text)
    previous = None
    while previous != folded:
        previous = folded
        folded = _SUFFIX_NOISE.sub("", folded).strip()
    return folded


def initials(name: str) -> str:
    """Folded initials of a unit's name without its kind word: "Cục Nhà giáo và Cán bộ quản lý
    giáo dục" -> "ngcbqlgd" (the way abbreviations in document numbers are formed)."""
    words = _clean(name).replace("-", " ").split()
    for kind_word in sorted(KIND_WORDS, key=len, reverse=True):
        parts = kind_word.split()
        if words[: len(parts)] == parts:
            words = words[len(parts) :]
            break
    return "".join(word[0] for word in words if word not in _STOP_WORDS and word[0].isalnum())


def province_key(text: str) -> str:
    """ "UBND tỉnh Cà Mau" / "Tỉnh Cà Mau" / "Cà Mau" -> "ca mau"."""
    return _LOCALITY_PREFIX.sub("", _clean(text)).strip()


class UnitResolver:
    """Resolves unit names against the units valid on one date (all units when undated).

    Build one per document: the candidate units are loaded once (a few hundred rows).
    """

    def __init__(self, *, on: dt.date | None = None, issuer: OrgUnit | None = None):
        self.on = on
        self.issuer = issuer
        units = OrgUnit.objects.filter(kind__in=RESOLVABLE_KINDS).select_related("province")
        if on is not None:
            units = units.valid_on(on)
        self.units = list(units.prefetch_related("names"))
        self.keys: dict[str, set[int]] = defaultdict(set)
        self.by_id = {unit.pk: unit for unit in self.units}
        self.provincial: dict[str, set[int]] = defaultdict(set)
        for unit in self.units:
            self._index(unit)

    def _index(self, unit: OrgUnit) -> None:
        names = [unit.name, unit.name_on(self.on)] + [entry.name for entry in unit.names.all()]
        for name in names:
            self.keys[_clean(name)].add(unit.pk)
        if unit.kind == OrgUnitKind.PROVINCIAL_DEPARTMENT:
            if unit.province is not None:
                self.provincial[province_key(unit.province.name)].add(unit.pk)
            return  # every department shares "SGDĐT" and "Sở GDĐT": only the province tells
        if unit.short_name:
            short = _clean(unit.short_name)
            self.keys[short].add(unit.pk)
            if unit.kind == OrgUnitKind.TRAINING_INSTITUTION and not short.startswith("truong"):
                self.keys[f"truong {short}"].add(unit.pk)
        if unit.abbreviation:
            self.keys[_clean(unit.abbreviation)].add(unit.pk)

    def _pick(self, ids: set[int]) -> OrgUnit | None:
        if len(ids) == 1:
            return self.by_id[next(iter(ids))]
        if len(ids) > 1 and self.on is None:
            today = timezone.localdate()
            current = {pk for pk in ids if self.by_id[pk].is_valid_on(today)}
            if len(current) == 1:
                return self.by_id[current.pop()]
        return None

    def resolve(self, text: str | None, *, context: str = "") -> OrgUnit | None:
        """The one unit `text` names, or None.

        `context` is a locality for a bare "Sở Giáo dục và Đào tạo" (the parent body "UBND tỉnh
        Cà Mau" or the place of issue).
        """
        key = _clean(text or "")
        if not key or _PLURAL.match(key):
            return None
        found = self._pick(self.keys.get(key, set()))
        if found:
            return found
        department = _PROVINCIAL_DEPARTMENT.match(key)
        if department:
            province = province_key(department["province"]) or province_key(context)
            return self._pick(self.provincial.get(province, set())) if province else None
        found = self._by_abbreviation_prefix(key) or self._by_name_prefix(key)
        if found:
            return found
        # "Phòng GDMN", "Văn phòng Sở": a division of the issuing department itself; district
        # offices ("Phòng GDĐT các huyện") are other bodies.
        if (
            self.issuer is not None
            and _INTERNAL_DIVISION.match(key)
            and not _DISTRICT_WORDS.search(key)
        ):
            return self.issuer
        return None

    def _kind_and_rest(self, key: str) -> tuple[tuple[str, ...], str]:
        for word in sorted(KIND_WORDS, key=len, reverse=True):
            if key.startswith(word + " "):
                return KIND_WORDS[word], key[len(word) + 1 :].strip()
        return (), key

    def _by_abbreviation_prefix(self, key: str) -> OrgUnit | None:
        """ "Cục NGCBQL": a kind word and a truncated abbreviation (at least four letters)."""
        kinds, rest = self._kind_and_rest(key)
        if not kinds or " " in rest or len(rest) < 4:
            return None
        ids = {
            unit.pk
            for unit in self.units
            if unit.kind in kinds
            and (
                _clean(unit.abbreviation).replace(" ", "").startswith(rest)
                or initials(unit.name).startswith(rest)
            )
        }
        return self._pick(ids)

    def _by_name_prefix(self, key: str) -> OrgUnit | None:
        """ "Cục Nhà giáo và Cán bộ quản lý": the start of a full name, four words or more."""
        if len(key.split()) < 4:
            return None
        ids = {
            unit.pk
            for unit in self.units
            if unit.kind != OrgUnitKind.PROVINCIAL_DEPARTMENT
            and _clean(unit.name).startswith(key + " ")
        }
        return self._pick(ids)

    def resolve_issuer(
        self, name: str, *, parent: str = "", place: str = "", abbreviation: str = ""
    ) -> OrgUnit | None:
        """The issuing unit from its name as written, its parent body and place, or the
        abbreviation in the notation ("KH-BGDĐT" -> BGDĐT) when that names one unit."""
        context = parent or place
        found = self.resolve(name, context=context) if name else None
        if found is None and abbreviation:
            found = self._pick(self.keys.get(_clean(abbreviation), set()))
        return found

    def resolve_drafting_unit(self, abbreviation: str) -> OrgUnit | None:
        """The drafting unit of "Lưu: VT, NGCBQLGD.": the issuer or one of its own units."""
        if not abbreviation or self.issuer is None:
            return None
        key = _clean(abbreviation)
        if key == _clean(self.issuer.abbreviation):
            return self.issuer
        ids = {
            pk
            for pk in self.keys.get(key, set())
            if self.by_id[pk].path.startswith(self.issuer.path)
        }
        return self._pick(ids)
