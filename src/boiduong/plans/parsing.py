"""Read Vietnamese official documents (Nghị định 30/2020/NĐ-CP format) into structured data.

Pure Python, no Django: ``parse_document(text)`` turns the text of a plan (Kế hoạch), decision
(Quyết định), report, notice, công văn … into a :class:`ParsedDocument`; ``extract_text`` gets
that text out of an uploaded ``.txt``/``.md``/``.docx`` file first.

Layouts read
------------
* Header as separate lines (a web page or a ``.docx`` header table flattened column by column):
  issuer lines ("UBND TỈNH CÀ MAU" / "SỞ GIÁO DỤC VÀ ĐÀO TẠO": the lowest line is the issuer,
  the one above its parent body), "--------", the national motto, "Số: 451/KH-BGDĐT",
  "Hà Nội, ngày 22 tháng 06 năm 2020"; also both columns on one line separated by wide gaps.
* A metadata block copied from legal-text sites ("Số hiệu", "Ngày ban hành", "Loại văn bản",
  "Cơ quan ban hành", "Người ký" …), used as a fallback and cross-checked.
* No header at all: the number and date come from the appendix line
  "(Ban hành kèm theo Kế hoạch số 361/KH-BGDĐT ngày 07 tháng 4 năm 2021 của Bộ trưởng …)".
* The type line ("KẾ HOẠCH", "QUYẾT ĐỊNH", "BÁO CÁO" …) and the title (trích yếu), sentence case
  or UPPERCASE over several lines; a công văn's "V/v …" title and "Kính gửi" block.
* Legal basis in the preamble ("Căn cứ …", "Thực hiện …", "Triển khai thực hiện …"), with codes
  such as "51/KH-BGDĐT", "86/2022/NĐ-CP", "33/QĐ-TTg", "43/2019/QH14".
* Sections: Roman ("I. Mục đích, yêu cầu", level 1), "Điều 1." articles and "Phần"/"Chương"
  (level 1), Arabic ("1. Mục đích", level 2), "1.1." (level 3), appendices ("PHỤ LỤC", level 1).
* "Nơi nhận:" list (before or after the signature, or side by side with it), the signature
  block ("KT. BỘ TRƯỞNG" / "THỨ TRƯỞNG" / name; TL., TM., Q., TUQ. or a title alone).
* Task tables (appendix or body) as markdown pipes, tab-separated rows or ``.docx`` tables, with
  the usual header variants (STT/TT, Nội dung công việc, Thời gian thực hiện/hoàn thành,
  Sản phẩm, Đơn vị chủ trì/Chủ trì, Đơn vị phối hợp/Phối hợp), group rows, wrapped rows.
* Texts cut part-way ("[...]", a table cut mid-row): what is there is read and the missing parts
  are listed in ``warnings`` (Vietnamese). NFD input, CRLF, non-breaking spaces, markdown bold.

Refused with :class:`DocumentParseError` (Vietnamese message)
--------------------------------------------------------------
Empty or whitespace-only text, binary content, prose without document markers (news articles,
random text), a header fragment alone ("BỘ GIÁO DỤC VÀ ĐÀO TẠO"), a type word with nothing else.
A document needs a type line or a number/notation ("Số: …", "Số hiệu …", "kèm theo … số …");
a titled document without a number is read with the warning "Chưa có số hiệu".
"""

from __future__ import annotations

import calendar
import functools
import io
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import TypeGuard

logger = logging.getLogger(__name__)

__all__ = [
    "DocumentParseError",
    "LegalRef",
    "ParsedDocument",
    "ParsedTask",
    "Section",
    "extract_text",
    "legal_refs",
    "parse_document",
    "parse_period",
    "parse_vn_date",
]

MAX_TEXT_LENGTH = 2_000_000

# --------------------------------------------------------------------------------------------
# Public data
# --------------------------------------------------------------------------------------------


class DocumentParseError(ValueError):
    """The input is not a readable official document; ``str(e)`` is a Vietnamese message."""


@dataclass
class LegalRef:
    """A document cited as legal basis ("Căn cứ Nghị định số 86/2022/NĐ-CP ngày 24/10/2022")."""

    code: str
    doc_type: str
    number: int | None
    issued_on: date | None
    text: str

    def to_json(self) -> dict:
        return {"code": self.code, "issued_on": _iso(self.issued_on)}


@dataclass
class Section:
    """A numbered part of the body: Roman/Điều/Phụ lục are level 1, "1." level 2, "1.1." 3."""

    heading: str
    text: str
    level: int


@dataclass
class ParsedTask:
    """One row of a task table (nội dung công việc)."""

    ordinal: str
    content: str
    period_text: str
    starts_on: date | None
    ends_on: date | None
    product: str
    lead_unit: str
    cooperating_units: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "ordinal": self.ordinal,
            "content": self.content,
            "period_text": self.period_text,
            "starts_on": _iso(self.starts_on),
            "ends_on": _iso(self.ends_on),
            "product": self.product,
            "lead_unit": self.lead_unit,
            "cooperating_units": list(self.cooperating_units),
        }


@dataclass
class ParsedDocument:
    """Everything read from one official document; missing parts are listed in ``warnings``."""

    code: str = ""
    number: int | None = None
    doc_type: str = ""
    notation: str = ""
    issuer: str = ""
    issuer_abbr: str = ""
    drafting_unit_abbr: str = ""
    place: str = ""
    issued_on: date | None = None
    signer_name: str = ""
    signer_title: str = ""
    signer_authority: str = ""
    title: str = ""
    type_name: str = ""
    legal_basis: list[LegalRef] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    tasks: list[ParsedTask] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Extras, not part of to_json(): the body above the issuer ("UBND tỉnh Cà Mau"), the
    # "Kính gửi" addressees of a công văn, and whether the text was cut part-way.
    parent_issuer: str = ""
    addressees: list[str] = field(default_factory=list)
    is_truncated: bool = False

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "number": self.number,
            "doc_type": self.doc_type,
            "notation": self.notation,
            "issuer": self.issuer,
            "issuer_abbr": self.issuer_abbr,
            "drafting_unit_abbr": self.drafting_unit_abbr,
            "place": self.place,
            "issued_on": _iso(self.issued_on),
            "signer_name": self.signer_name,
            "signer_title": self.signer_title,
            "signer_authority": self.signer_authority,
            "title": self.title,
            "type_name": self.type_name,
            "legal_basis": [ref.to_json() for ref in self.legal_basis],
            "recipients": list(self.recipients),
            "sections": [{"heading": s.heading, "text": s.text} for s in self.sections],
            "tasks": [task.to_json() for task in self.tasks],
            "warnings": list(self.warnings),
        }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


# --------------------------------------------------------------------------------------------
# User-facing messages (Vietnamese)
# --------------------------------------------------------------------------------------------

_EXPECTED = (
    "Cần một văn bản hành chính có tên loại văn bản (KẾ HOẠCH, QUYẾT ĐỊNH, BÁO CÁO, "
    "THÔNG BÁO…) hoặc số, ký hiệu (ví dụ “Số: 361/KH-BGDĐT”)."
)
MSG_EMPTY = "Văn bản trống: không có nội dung để đọc."
MSG_BINARY = "Nội dung không phải văn bản chữ (có dữ liệu nhị phân). " + _EXPECTED
MSG_NOT_DOCUMENT = "Không nhận ra văn bản hành chính trong nội dung này. " + _EXPECTED
MSG_BINARY_FILE = (
    "Tệp không phải văn bản chữ (có dữ liệu nhị phân); hãy tải lên tệp .txt, .md hoặc .docx."
)
MSG_TOO_LONG = "Văn bản quá dài để đọc (hơn 2 triệu ký tự)."
MSG_INTERNAL = (
    "Không đọc được văn bản do một lỗi không mong đợi; hãy kiểm tra lại tệp hoặc nhập tay."
)
MSG_HEADER_ONLY = (
    "Văn bản chỉ có tên cơ quan “{issuer}”, thiếu tên loại văn bản và số, ký hiệu. " + _EXPECTED
)
MSG_TYPE_ONLY = "Văn bản chỉ có tên loại “{type_name}”, không có trích yếu, số hiệu hay nội dung."

W_TRUNCATED = "Văn bản bị cắt: chỉ đọc được phần có trong văn bản"
W_NO_NUMBER = "Chưa có số hiệu"
W_NO_DATE = "Không tìm thấy ngày ban hành"
W_BLANK_DATE = "Ngày ban hành còn để trống"
W_NO_TITLE = "Không tìm thấy trích yếu văn bản"
W_NO_ISSUER = "Không xác định được cơ quan ban hành"
W_NO_RECIPIENTS = "Không tìm thấy phần Nơi nhận"
W_NO_RECIPIENTS_CUT = "Văn bản bị cắt: không có phần Nơi nhận"
W_NO_SIGNER = "Không tìm thấy người ký"
W_NO_SIGNER_CUT = "Văn bản bị cắt: không có phần chữ ký"
W_SIGNER_FROM_META = "Người ký “{name}” lấy từ thông tin văn bản (mục “Người ký”), chưa rõ chức vụ"
W_NO_HEADER = (
    "Không có phần tiêu đề văn bản: số hiệu và ngày ban hành lấy từ dòng "
    "“kèm theo {kind} số {code}” của phụ lục"
)
W_DEFAULT_PLACE = (
    "Không ghi địa danh ban hành; lấy mặc định “Hà Nội” vì cơ quan ban hành là {issuer}"
)
W_ISSUER_GUESSED = "Cơ quan ban hành suy ra từ {source}: {issuer}"
W_ATTACHED_TO = "{type_name} ban hành kèm theo {kind} số {code}; văn bản chưa có số hiệu riêng"
W_MISMATCH = "{what} không khớp: “{first}” ({first_source}) và “{second}” ({second_source})"
W_TABLE_CUT = "Bảng công việc bị cắt ở dòng {ordinal}: dòng này chưa đủ các cột"
W_TASK_PERIOD = "Không hiểu thời gian “{period}” của công việc {ordinal}"

# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

# Canonical type name -> (stable ASCII code, abbreviation used in the notation).
_DOC_TYPES: dict[str, tuple[str, str]] = {
    "KẾ HOẠCH": ("KH", "KH"),
    "QUYẾT ĐỊNH": ("QD", "QĐ"),
    "BÁO CÁO": ("BC", "BC"),
    "THÔNG BÁO": ("TB", "TB"),
    "GIẤY MỜI": ("GM", "GM"),
    "HƯỚNG DẪN": ("HD", "HD"),
    "CHỈ THỊ": ("CT", "CT"),
    "TỜ TRÌNH": ("TTR", "TTr"),
    "NGHỊ QUYẾT": ("NQ", "NQ"),
    "THÔNG TƯ LIÊN TỊCH": ("TTLT", "TTLT"),
    "THÔNG TƯ": ("TT", "TT"),
    "NGHỊ ĐỊNH": ("ND", "NĐ"),
    "CHƯƠNG TRÌNH": ("CTR", "CTr"),
    "PHƯƠNG ÁN": ("PA", "PA"),
    "ĐỀ ÁN": ("DEAN", "ĐA"),
    "DỰ ÁN": ("DUAN", "DA"),
    "BIÊN BẢN": ("BB", "BB"),
    "QUY CHẾ": ("QC", "QC"),
    "QUY ĐỊNH": ("QYD", "QyĐ"),
    "KẾT LUẬN": ("KL", "KL"),
    "CÔNG ĐIỆN": ("CD", "CĐ"),
    "GIẤY GIỚI THIỆU": ("GGT", "GGT"),
    "HỢP ĐỒNG": ("HDONG", "HĐ"),
    "CÔNG VĂN": ("CV", ""),
}
_CODE_CV = "CV"
_DECISION_TYPES = {"QD", "NQ", "CT", "TT", "TTLT", "ND"}

_ABBR_EXACT = {abbr: code for code, abbr in _DOC_TYPES.values() if abbr}
_ABBR_AMBIGUOUS_FOLDED = {"DA", "HD"}  # ĐA/DA and HĐ/HD differ only by the stroke on D

# Words naming a cited document, before its number ("Công văn số 1234/BGDĐT-NGCBQLGD").
_REF_KINDS: dict[str, str] = {
    "bộ luật": "LUAT",
    "luật": "LUAT",
    "pháp lệnh": "PL",
    "nghị quyết": "NQ",
    "nghị định": "ND",
    "quyết định": "QD",
    "thông tư liên tịch": "TTLT",
    "thông tư": "TT",
    "chỉ thị": "CT",
    "kế hoạch": "KH",
    "công văn": "CV",
    "văn bản": "CV",
    "hướng dẫn": "HD",
    "thông báo": "TB",
    "báo cáo": "BC",
    "chương trình": "CTR",
    "đề án": "DEAN",
    "tờ trình": "TTR",
}

# Positions that sign documents or head an authority line ("BỘ TRƯỞNG BỘ GIÁO DỤC VÀ ĐÀO TẠO").
_POSITIONS = (
    "BỘ TRƯỞNG",
    "THỨ TRƯỞNG",
    "THỦ TƯỚNG",
    "TỔNG CỤC TRƯỞNG",
    "CỤC TRƯỞNG",
    "VỤ TRƯỞNG",
    "GIÁM ĐỐC",
    "CHỦ TỊCH",
    "HIỆU TRƯỞNG",
    "VIỆN TRƯỞNG",
    "CHÁNH VĂN PHÒNG",
    "CHÁNH THANH TRA",
    "TRƯỞNG BAN",
    "TRƯỞNG PHÒNG",
    "TRƯỞNG ĐOÀN",
    "THỦ TRƯỞNG",
    "NGƯỜI LẬP BIỂU",
    "NGƯỜI LẬP",
)

# Leading words of an organisation's name, uppercase -> properly cased.
_ORG_PREFIXES: tuple[tuple[str, str], ...] = (
    ("ỦY BAN NHÂN DÂN", "Ủy ban nhân dân"),
    ("UỶ BAN NHÂN DÂN", "Ủy ban nhân dân"),
    ("HỘI ĐỒNG NHÂN DÂN", "Hội đồng nhân dân"),
    ("THỦ TƯỚNG CHÍNH PHỦ", "Thủ tướng Chính phủ"),
    ("VĂN PHÒNG CHÍNH PHỦ", "Văn phòng Chính phủ"),
    ("CHÍNH PHỦ", "Chính phủ"),
    ("TRƯỜNG ĐẠI HỌC", "Trường Đại học"),
    ("TRƯỜNG CAO ĐẲNG", "Trường Cao đẳng"),
    ("TRƯỜNG MẦM NON", "Trường Mầm non"),
    ("BAN CHỈ ĐẠO", "Ban Chỉ đạo"),
    ("ĐẠI HỌC", "Đại học"),
    ("HỌC VIỆN", "Học viện"),
    ("TỔNG CỤC", "Tổng cục"),
    ("VĂN PHÒNG", "Văn phòng"),
    ("THANH TRA", "Thanh tra"),
    ("TRUNG TÂM", "Trung tâm"),
    ("CÔNG ĐOÀN", "Công đoàn"),
    ("TRƯỜNG", "Trường"),
    ("BỘ", "Bộ"),
    ("SỞ", "Sở"),
    ("CỤC", "Cục"),
    ("VỤ", "Vụ"),
    ("PHÒNG", "Phòng"),
    ("VIỆN", "Viện"),
    ("BAN", "Ban"),
    ("UBND", "UBND"),
    ("HĐND", "HĐND"),
)

# Issuers known by the abbreviation in the notation, when the document does not name them.
_ISSUER_BY_ABBR = {
    "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "SGDĐT": "Sở Giáo dục và Đào tạo",
    "PGDĐT": "Phòng Giáo dục và Đào tạo",
    "TTg": "Thủ tướng Chính phủ",
    "CP": "Chính phủ",
    "BTC": "Bộ Tài chính",
    "BNV": "Bộ Nội vụ",
    "UBND": "Ủy ban nhân dân",
}

# Province names (before and after the 2025 merger) so "CÀ MAU" is cased "Cà Mau" in names.
_PLACE_NAMES = (
    "An Giang",
    "Bà Rịa - Vũng Tàu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bạc Liêu",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Định",
    "Bình Dương",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cần Thơ",
    "Cao Bằng",
    "Đà Nẵng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Nội",
    "Hà Tĩnh",
    "Hải Dương",
    "Hải Phòng",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lâm Đồng",
    "Lạng Sơn",
    "Lào Cai",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thừa Thiên Huế",
    "Huế",
    "Tiền Giang",
    "Hồ Chí Minh",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
    "Trung ương",
    "Việt Nam",
    "",
)

_KNOWN_ABBREVIATIONS = {"UBND", "HĐND", "GDĐT", "ĐHSP", "CĐSP", "THPT", "THCS", "TW", "TP", "KHCN"}

# --------------------------------------------------------------------------------------------
# Regular expressions
# --------------------------------------------------------------------------------------------

_NOTATION = r"[A-ZĐ][A-Za-zĐđ0-9&]*(?:\s?-\s?[A-Za-zĐđ0-9&]+)*"
_CODE = re.compile(
    r"(?<![\w/])(?P<num>\d{1,6})\s*/\s*(?:(?P<year>(?:19|20)\d{2})\s*/\s*)?(?P<notation>"
    + _NOTATION
    + r")"
)
_NUMBER_LINE = re.compile(
    r"^\s*(?:Số|SỐ|số)(?:\s+(?:hiệu|HIỆU))?\s*[:.]?\s*(?P<num>\d{0,6})\s*/\s*"
    r"(?:(?P<year>(?:19|20)\d{2})\s*/\s*)?(?P<notation>" + _NOTATION + r")"
)
_DATE_WORDS = re.compile(
    r"ngày\s*(?P<day>\d{1,2})\s*tháng\s*(?P<month>\d{1,2})\s*năm\s*(?P<year>\d{4})", re.I
)
_DATE_NUMERIC = re.compile(
    r"(?<![\d/])(?P<day>\d{1,2})\s*[/.\-]\s*(?P<month>\d{1,2})\s*[/.\-]\s*(?P<year>\d{4})(?!\d)"
)
_DATE_DRAFT = re.compile(r"ngày\s*[.…_\s]*tháng\s*[\d.…_\s]*năm\s*(?P<year>\d{4})", re.I)
_PLACE_DATE = re.compile(r"(?P<place>[^\W\d_][^\d,;:|()]{0,60}?)\s*,\s*(?P<when>ngày\b.*)$", re.I)
_TYPE_LINE = re.compile(
    r"^(?P<type>"
    + "|".join(re.escape(name) for name in sorted(_DOC_TYPES, key=len, reverse=True))
    + r")(?:\s+(?P<rest>.+))?$",
    re.I,
)
_OPERATIVE = re.compile(r"^(?:QUYẾT ĐỊNH|QUYẾT NGHỊ|CHỈ THỊ)\s*:\s*$")
_VV_LINE = re.compile(r"^(?:V/v|V/V|v/v|Về việc|VỀ VIỆC)\s*[:.]?\s*(?P<rest>\S.*)$")
_ADDRESSEE = re.compile(r"^Kính\s+gửi\s*[:.]?\s*(?P<rest>.*)$", re.I)
_RECIPIENTS = re.compile(r"^Nơi\s+nhận\s*[:.]?\s*(?P<rest>.*)$", re.I)
_KEPT_LINE = re.compile(r"^Lưu\s*[:.]?\s*(?P<rest>.*)$", re.I)
_AUTHORITY = re.compile(
    r"^(?:(?P<prefix>KT|TL|TM|TUQ|Q)\.|(?P<slashed>K/T|T/L|T/M)\.?)\s*(?P<rest>[^\W\d_].*)$"
)
_POSITION_PREFIX = r"(?:PHÓ\s+)?(?:" + "|".join(_POSITIONS) + r")"
_POSITION_LINE = re.compile(r"^" + _POSITION_PREFIX + r"$")
_POSITION_START = re.compile(r"^" + _POSITION_PREFIX + r"\b")
_SIGNER_META = re.compile(r"^Người\s+ký\s*[:.]?\s*(?P<name>\S.*)$", re.I)
_APPENDIX_REF = re.compile(
    r"^[(\[]?\s*(?:ban\s+hành\s+)?kèm\s+theo\s+(?P<kind>"
    + "|".join(sorted(_REF_KINDS, key=len, reverse=True))
    + r")\s+(?:số\s*[:.]?\s*)?(?P<code>\d{1,6}\s*/\s*(?:(?:19|20)\d{2}\s*/\s*)?"
    + _NOTATION
    + r")(?P<after>[^)\n]*)",
    re.I,
)
_ISSUED_BY = re.compile(r"\bcủa\s+(?P<who>[^;()\n]+?)\s*(?:[);.]|$)")
_META_KEY = re.compile(
    r"^(?P<key>Số hiệu|Ngày ban hành|Ngày có hiệu lực|Ngày hết hiệu lực|Loại văn bản|"
    r"Cơ quan ban hành|Nơi ban hành|Người ký|Lĩnh vực|Tình trạng(?: hiệu lực)?|Ngày công báo|"
    r"Số công báo)\s*[:\t|]?\s*(?P<value>.*)$",
    re.I,
)
_MOTTO = re.compile(r"cong\s+hoa\s+xa\s+hoi|doc\s+lap\s*[-–,]\s*tu\s+do")
_SEPARATOR = re.compile(r"^[\s\-_=*.~–—]{3,}$")
_TRUNCATION_MARK = re.compile(
    r"^(?:[\[(]\s*(?:\.{3}|…|còn tiếp|còn nữa|tiếp theo|hết trích)\s*[\])]|\.{3}|…)$", re.I
)
_BULLET = re.compile(r"^[-+•–*]\s*")
_BASIS_START = re.compile(
    r"^(?:Căn cứ|Thực hiện|Triển khai|Theo|Tiếp theo|Nhằm|Để|Thi hành|Xét|Trên cơ sở)\b"
)
_ROMAN_NUMERAL = r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})"
_HEADINGS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"^(?:PHẦN|Phần|CHƯƠNG|Chương)\s+(?:[IVX]+|\d+|thứ\s+\w+|THỨ\s+\w+)\b.*$"), 1),
    (re.compile(r"^Điều\s+\d{1,3}\b\s*[.:]?.*$"), 1),
    (re.compile(r"^" + _ROMAN_NUMERAL + r"\s*\.\s*\d{1,2}\s*[.)]?\s+\S.*$"), 2),
    (re.compile(r"^" + _ROMAN_NUMERAL + r"\s*[.\-–)]\s*(?:\S.*)?$"), 1),
    (re.compile(r"^\d{1,2}\.\d{1,2}(?:\.\d{1,2})?\.?\s+\S.*$"), 3),
    (re.compile(r"^\d{1,2}\s*[.)]\s+\S.*$"), 2),
)
_APPENDIX_HEADING = re.compile(
    r"^(?:PHỤ LỤC(?:\s.*)?|Phụ lục(?:\s+(?:số\s+)?(?:[IVX]+|\d+[a-z]?))?\s*[.:]?)$"
)
_ARTICLE_SPLIT = re.compile(r"^(?P<head>Điều\s+\d{1,3}\s*[.:]?)\s*(?P<rest>.*)$")
_ROW_SEPARATOR_CELL = re.compile(r"^\s*:?-{1,}:?\s*$")
_CELL_BREAK = re.compile(r"\s*<br\s*/?>\s*", re.I)
_PIPE_SPLIT = re.compile(r"(?<!\\)\|")
_UNIT_START = re.compile(
    r"^(?:Các|các|Cục|Vụ|Sở|Văn phòng|Thanh tra|Viện|Trường|Phòng|Ban|Bộ|Tổng cục|Học viện|"
    r"Trung tâm|UBND|Ủy ban|Uỷ ban|Đại học|ĐH|CĐ|Cơ sở|Cơ quan|Đơn vị|đơn vị|Hội|Công đoàn|"
    r"Nhà xuất bản|NXB|Tạp chí|Quỹ|Đoàn|Liên đoàn|BCĐ|Tổ|Chuyên gia|Chuyên viên|Giảng viên|"
    r"Báo cáo viên|Cổng|Trung ương|Tỉnh|Thành phố|Huyện|Quận|Xã|Phường)\b"
)

# --------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    if char in "đĐ":
        return "d"
    decomposed = unicodedata.normalize("NFD", char)
    return decomposed[0] if decomposed else char


def _fold(text: str) -> str:
    """Lower-case skeleton without diacritics; one character per character of NFC input."""
    return "".join(_fold_char(c) for c in text).lower()


def _clean(text: str) -> str:
    """Collapse whitespace runs to single spaces."""
    return " ".join(text.split())


def _is_upper(text: str) -> bool:
    """True when the letters of ``text`` are (nearly) all capitals: header and title lines."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 2:
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper / len(letters) >= 0.85


def _capitalize(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def _person_case(name: str) -> str:
    """Title-case an uppercase name ("TRẦN NGỌC THƯƠNG" -> "Trần Ngọc Thương")."""
    name = _clean(name)
    return " ".join(_capitalize(w) for w in name.split()) if _is_upper(name) else name


def _is_abbreviation(word: str) -> bool:
    core = word.strip(".,;:()")
    if core in _KNOWN_ABBREVIATIONS or any(c in core for c in "&./0123456789"):
        return True
    return bool(core) and len(core) <= 6 and not re.search(r"[aeiouy]", _fold(core))


def _case_words(words: list[str], *, capital_first: bool) -> list[str]:
    out = []
    for i, word in enumerate(words):
        if _is_abbreviation(word):
            out.append(word)
        elif i == 0 and capital_first:
            out.append(_capitalize(word))
        else:
            out.append(word.lower())
    return out


def _place_suffix(words: list[str]) -> list[str]:
    """Properly cased province name ending ``words`` ("... HÀ NỘI" -> ["Hà", "Nội"]), or []."""
    folded = [_fold(w) for w in words]
    for name in sorted(_PLACE_NAMES, key=len, reverse=True):
        parts = name.split()
        if len(parts) <= len(words) and folded[len(words) - len(parts) :] == [
            _fold(p) for p in parts
        ]:
            return parts
    return []


def _case_field(text: str) -> str:
    """Case the field part of a name: each conjunct starts with a capital (Giáo dục và Đào tạo)."""
    pieces = re.split(r"(\s+VÀ\s+|\s*,\s*|\s+-\s+)", text)
    out = []
    for i, piece in enumerate(pieces):
        if i % 2:
            out.append(" và " if "VÀ" in piece else " - " if "-" in piece else ", ")
            continue
        words = piece.split()
        if not words:
            continue
        cased = _case_words(words, capital_first=True)
        place = _place_suffix(words)
        if place:
            cased = cased[: len(words) - len(place)] + place
        out.append(" ".join(cased))
    return _clean("".join(out))


_LOCALITY = re.compile(
    r"(?:^|\s)(?P<kind>TỈNH|THÀNH PHỐ|TP\.?|HUYỆN|QUẬN|THỊ XÃ|XÃ(?!\s+HỘI)|PHƯỜNG|THỊ TRẤN)"
    r"\s+(?P<name>\S.*)$"
)


def _org_case(name: str) -> str:
    """Case an uppercase organisation name: "BỘ GIÁO DỤC VÀ ĐÀO TẠO" -> "Bộ Giáo dục và Đào tạo"."""
    name = _clean(name)
    if not _is_upper(name):
        return name
    prefix, rest = "", name
    for upper, cased in _ORG_PREFIXES:
        if name == upper or name.startswith(upper + " "):
            prefix, rest = cased, name[len(upper) :].strip()
            break
    locality = ""
    match = _LOCALITY.search(rest)
    if match:
        kind = match.group("kind")
        place = " ".join(_capitalize(w) for w in match.group("name").split())
        locality = (kind if kind.startswith("TP") else kind.lower()) + " " + place
        rest = rest[: match.start()].strip()
    field_part = _case_field(rest) if rest else ""
    if not prefix and field_part:
        field_part = field_part[:1].upper() + field_part[1:]
    return _clean(" ".join(p for p in (prefix, field_part, locality) if p))


def _starts_with_org(text: str) -> bool:
    upper = text.upper()
    return any(upper == p or upper.startswith(p + " ") for p, _ in _ORG_PREFIXES)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        if 1900 <= year <= 2100:
            return date(year, month, day)
    except ValueError:
        return None
    return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# --------------------------------------------------------------------------------------------
# Dates and periods
# --------------------------------------------------------------------------------------------


def parse_vn_date(text: str) -> date | None:
    """The first valid date in ``text``: "ngày 07 tháng 4 năm 2021", "07/4/2021", "22/06/2020"."""
    if not isinstance(text, str) or not text:
        return None
    text = unicodedata.normalize("NFC", text)
    found: list[tuple[int, date]] = []
    for pattern in (_DATE_WORDS, _DATE_NUMERIC):
        for match in pattern.finditer(text):
            value = _safe_date(int(match["year"]), int(match["month"]), int(match["day"]))
            if value:
                found.append((match.start(), value))
                break
    return min(found)[1] if found else None


@dataclass
class _Point:
    """One end of a period: a day, month, quarter or year, possibly without its year yet."""

    unit: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    quarter: int | None = None

    def order(self) -> tuple[int, int]:
        if self.unit == "day":
            return (self.month or 0, self.day or 0)
        if self.unit == "month":
            return (self.month or 0, 0)
        if self.unit == "quarter":
            return ((self.quarter or 0) * 3 - 2, 0)
        return (0, 0)

    def start(self) -> date | None:
        if self.year is None:
            return None
        if self.unit == "day" and self.month and self.day:
            return _safe_date(self.year, self.month, self.day)
        if self.unit == "month" and self.month:
            return _safe_date(self.year, self.month, 1)
        if self.unit == "quarter" and self.quarter:
            return _safe_date(self.year, self.quarter * 3 - 2, 1)
        if self.unit == "year":
            return _safe_date(self.year, 1, 1)
        return None

    def end(self) -> date | None:
        start = self.start()
        if start is None or self.unit == "day":
            return start
        if self.unit == "month":
            return _month_end(start.year, start.month)
        if self.unit == "quarter":
            return _month_end(start.year, start.month + 2)
        return date(start.year, 12, 31)


_ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_POINT_DAY_WORDS = re.compile(
    r"^ngày\s*(?P<d>\d{1,2})\s*tháng\s*(?P<m>\d{1,2})(?:\s*năm\s*(?P<y>\d{4}))?$"
)
_POINT = re.compile(
    r"^(?:(?P<unit>ngày|tháng|quý|năm)\s*)?(?P<a>\d{1,4}|[ivx]{1,4})"
    r"(?:\s*/\s*(?P<b>\d{1,4}|[ivx]{1,4}))?(?:\s*/\s*(?P<c>\d{4}))?"
    r"(?:\s*(?:năm|/)\s*(?P<y>\d{4}))?$"
)
_UNIT_NAMES = {"ngày": "day", "tháng": "month", "quý": "quarter", "năm": "year"}
_PERIOD_FILLERS = re.compile(
    r"^(?:(?:dự kiến|khoảng|trong|vào|các|thời gian)\s+|(?:đầu|giữa|cuối)\s+(?=tháng))"
)
_DEADLINE = re.compile(r"^(?:trước|chậm nhất|muộn nhất|hạn chót|hạn|không quá)\s+(?P<rest>.+)$")
_SINCE = re.compile(r"^(?:kể từ|bắt đầu từ|từ|sau)\s+(?P<rest>.+)$")
_HALF_YEAR = re.compile(r"^(?:6|sáu)\s+tháng\s+(?P<half>đầu|cuối)\s+năm\s*(?P<y>\d{4})$")
_RANGE_SPLIT = re.compile(r"\s*(?:-|đến|tới|,)\s*")


def _parse_point(text: str, hint: str | None = None) -> _Point | None:
    text = text.strip()
    match = _POINT_DAY_WORDS.match(text)
    if match:
        return _Point("day", year=_int(match["y"]), month=int(match["m"]), day=int(match["d"]))
    match = _POINT.match(text)
    if not match:
        return None
    unit = _UNIT_NAMES.get(match["unit"] or "", hint)
    a, b, c = match["a"], match["b"], match["c"]
    year_text: str | None = c or match["y"]
    if unit is None:
        if b and len(b) == 4 and b.isdigit() and not c:
            unit = "month"
        elif b:
            unit = "day"
        elif a.isdigit() and len(a) == 4:
            unit = "year"
        else:
            return None
    if unit == "quarter":
        return _quarter_point(a, b, year_text)
    if not a.isdigit() or (b and not b.isdigit()):
        return None
    if unit == "year":
        return _Point("year", year=int(a)) if len(a) == 4 and not b else None
    if unit == "month":
        if b and len(b) == 4 and not year_text:
            year_text = b
        elif b:
            return None
        return _Point("month", year=_int(year_text), month=int(a))
    if b and len(b) == 4:  # "ngày 15/2021" is not a day
        return None
    return _Point("day", year=_int(year_text), month=_int(b), day=int(a))


def _quarter_point(a: str, b: str | None, year_text: str | None) -> _Point | None:
    quarter = int(a) if a.isdigit() else _ROMAN_QUARTERS.get(a)
    if b and not year_text:
        year_text = b if b.isdigit() and len(b) == 4 else None
        if year_text is None:
            return None
    if not quarter or not 1 <= quarter <= 4:
        return None
    return _Point("quarter", year=_int(year_text), quarter=quarter)


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def _valid_point(point: _Point | None) -> TypeGuard[_Point]:
    if point is None:
        return False
    if point.month is not None and not 1 <= point.month <= 12:
        return False
    return point.day is None or 1 <= point.day <= 31


def _complete_range(left: _Point, right: _Point, default_year: int | None) -> None:
    """Give each end what it lacks from the other: "tháng 12 - 2/2021" starts in 2020."""
    if left.unit == "day" and right.unit == "day" and left.month is None:
        left.month = right.month
    if left.year is None and right.year is not None:
        left.year = right.year
        if left.unit == right.unit and left.order() > right.order():
            left.year -= 1
    if right.year is None and left.year is not None:
        right.year = left.year
        if left.unit == right.unit and left.order() > right.order():
            right.year += 1
    if left.year is None and default_year:
        left.year = right.year = default_year


def _normalise_period(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"[–—−‐‑]", "-", text)
    text = _clean(text).strip(" .;:,")
    previous = None
    while previous != text:
        previous = text
        text = _PERIOD_FILLERS.sub("", text)
    return text


def _parse_span(text: str, default_year: int | None) -> tuple[date | None, date | None]:
    parts = _RANGE_SPLIT.split(text, maxsplit=1)
    if len(parts) == 1:
        point = _parse_point(text)
        if not _valid_point(point):
            return (None, None)
        if point.year is None:
            point.year = default_year
        return (point.start(), point.end())
    left = _parse_point(parts[0])
    if not _valid_point(left):
        return (None, None)
    right = _parse_point(_PERIOD_FILLERS.sub("", parts[1]), hint=left.unit)
    if not _valid_point(right):
        return (None, None)
    _complete_range(left, right, default_year)
    start, end = left.start(), right.end()
    if start is None or end is None or start > end:
        return (None, None)
    return (start, end)


def parse_period(text: str, *, default_year: int | None = None) -> tuple[date | None, date | None]:
    """First and last day of a period as written in a task table; (None, None) if not understood.

    "Tháng 3-6/2021", "Tháng 8/2021", "Quý III/2021", "Tháng 12/2020 - tháng 2/2021",
    "Từ 15/3/2021 đến 30/4/2021", "Năm 2021", "Trước 30/6/2021" (no start), "Từ tháng 9/2021"
    (no end), "6 tháng đầu năm 2021"; ``default_year`` completes "Tháng 8".
    """
    if not isinstance(text, str):
        return (None, None)
    try:
        return _parse_period(_normalise_period(text), default_year)
    except (ValueError, OverflowError, TypeError):
        return (None, None)


def _parse_period(text: str, default_year: int | None) -> tuple[date | None, date | None]:
    if not text or len(text) > 120:
        return (None, None)
    match = _HALF_YEAR.match(text)
    if match:
        year = int(match["y"])
        if match["half"] == "đầu":
            return (_safe_date(year, 1, 1), _safe_date(year, 6, 30))
        return (_safe_date(year, 7, 1), _safe_date(year, 12, 31))
    match = _DEADLINE.match(text)
    if match:
        rest = re.sub(r"^(?:là|vào)\s+", "", match["rest"])
        point = _parse_point(rest)
        if not _valid_point(point):
            return (None, None)
        if point.year is None:
            point.year = default_year
        if point.unit == "day":
            return (None, point.end())
        start = point.start()
        return (None, date.fromordinal(start.toordinal() - 1) if start else None)
    match = _SINCE.match(text)
    if match:
        rest = match["rest"]
        if _RANGE_SPLIT.search(rest):
            return _parse_span(rest, default_year)
        start, _ = _parse_span(rest, default_year)
        return (start, None)
    return _parse_span(text, default_year)


# --------------------------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------------------------

_TEXT_EXTENSIONS = (".txt", ".md", ".markdown", ".text")


def extract_text(data: bytes, filename: str) -> str:
    """Text of an uploaded ``.txt``/``.md`` (UTF-8, UTF-16, Windows-1258/1252) or ``.docx`` file.

    ``.docx`` tables with three or more columns become "| a | b | c |" lines (paragraphs inside a
    cell joined by "<br>") so the task-table reader sees them; the header and signature tables
    (two columns, national motto, "Nơi nhận") are flattened into lines, column by column.
    """
    name = (filename or "").strip().lower()
    if not isinstance(data, bytes | bytearray) or not data:
        raise DocumentParseError("Tệp trống: không có nội dung để đọc.")
    data = bytes(data)
    if name.endswith(".docx"):
        return _docx_text(data)
    if name.endswith(_TEXT_EXTENSIONS):
        return _decode_text(data)
    if name.endswith(".doc"):
        raise DocumentParseError(
            "Tệp .doc (Word 97-2003) chưa được hỗ trợ; hãy mở bằng Word và lưu lại thành .docx."
        )
    if name.endswith(".pdf"):
        raise DocumentParseError(
            "Tệp PDF chưa được hỗ trợ; hãy dùng bản .docx hoặc chép nội dung ra tệp .txt."
        )
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    shown = f"“.{extension}”" if extension else "không có phần mở rộng"
    raise DocumentParseError(
        f"Định dạng tệp {shown} không được hỗ trợ; chỉ nhận tệp .txt, .md hoặc .docx."
    )


def _decode_text(data: bytes) -> str:
    text = _decode_bytes(data)
    if _looks_like_binary_text(text):
        raise DocumentParseError(MSG_BINARY_FILE)
    return text


def _decode_bytes(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return _nfc(data[3:].decode("utf-8", errors="replace"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _nfc(data.decode("utf-16", errors="replace"))
    utf16 = _guess_utf16(data)
    if utf16:
        return _nfc(data.decode(utf16, errors="replace"))
    if _looks_binary(data):
        raise DocumentParseError(MSG_BINARY_FILE)
    try:
        return _nfc(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    try:
        vietnamese = _nfc(data.decode("cp1258"))
    except UnicodeDecodeError:
        vietnamese = ""
    if vietnamese and re.search(r"[ăâđêôơưĂÂĐÊÔƠƯ]", vietnamese):
        return vietnamese
    return _nfc(data.decode("cp1252", errors="replace"))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _guess_utf16(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:8000]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > 0.02 * len(sample)


def _docx_text(data: bytes) -> str:
    try:
        import docx  # python-docx, imported lazily so this module loads without it
        from docx.table import Table
    except ImportError as exc:  # pragma: no cover - a deployment problem, not the user's
        raise DocumentParseError("Máy chủ chưa cài thư viện đọc tệp .docx.") from exc
    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_docx_table_lines(block))
            else:
                lines.append(block.text)
    except Exception as exc:  # noqa: BLE001 - zip, XML and python-docx errors all mean "corrupt"
        raise DocumentParseError(
            "Tệp .docx bị hỏng hoặc không phải tệp Word hợp lệ; hãy mở bằng Word và lưu lại."
        ) from exc
    return _nfc("\n".join(lines))


def _docx_table_lines(table) -> list[str]:
    rows: list[list[list[str]]] = []
    for row in table.rows:
        cells, previous = [], None
        for cell in row.cells:
            if previous is not None and cell._tc is previous._tc:
                continue  # a horizontally merged cell is returned once per grid column
            previous = cell
            cells.append([p.text for p in cell.paragraphs])
        rows.append(cells)
    if not rows:
        return []
    width = max(len(cells) for cells in rows)
    flat = "\n".join(p for cells in rows for cell in cells for p in cell)
    folded = _fold(flat)
    is_layout = (
        width <= 2
        or _MOTTO.search(folded)
        or "noi nhan" in folded
        or re.search(r"(?m)^(?:KT|TL|TM)\.", flat)
    )
    if is_layout:
        return [line for cells in rows for cell in cells for p in cell for line in p.split("\n")]
    lines = [""]
    for cells in rows:
        texts = []
        for cell in cells:
            pieces = [_clean(x) for p in cell for x in p.split("\n") if x.strip()]
            texts.append("<br>".join(pieces).replace("|", "\\|"))
        lines.append("| " + " | ".join(texts) + " |")
    lines.append("")
    return lines


# --------------------------------------------------------------------------------------------
# Task tables
# --------------------------------------------------------------------------------------------


@dataclass
class _Row:
    cells: list[str]
    index: int
    complete: bool


@dataclass
class _Table:
    rows: list[_Row]
    columns: dict[str, int]
    width: int
    header_rows: int
    lines: set[int] = field(default_factory=set)  # every line of the table, separators included


def _column_role(label: str) -> str | None:
    folded = _clean(re.sub(r"[^a-z0-9/ ]", " ", _fold(label)))
    if folded in {"tt", "stt", "so tt", "so thu tu", "thu tu"}:
        return "ordinal"
    if folded.startswith(("thoi gian", "thoi han", "tien do", "moc thoi gian")):
        return "period"
    if "san pham" in folded or folded.startswith("ket qua"):
        return "product"
    if "phoi hop" in folded:
        return "coop"
    if "chu tri" in folded or folded in {
        "don vi thuc hien",
        "co quan thuc hien",
        "don vi",
        "trach nhiem",
        "don vi thuc hien/chu tri",
    }:
        return "lead"
    if any(word in folded for word in ("noi dung", "nhiem vu", "cong viec", "hoat dong")):
        return "content"
    if "ghi chu" in folded:
        return "note"
    return None


def _roles(cells: list[str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for i, cell in enumerate(cells):
        role = _column_role(cell)
        if role and role not in roles:
            roles[role] = i
    return roles


def _is_task_header(cells: list[str]) -> bool:
    roles = _roles(cells)
    return "content" in roles and len({"period", "lead", "product"} & set(roles)) >= 1


def _split_row(line: str) -> tuple[list[str], bool] | None:
    """Cells of a markdown pipe row or a tab-separated row, and whether the row is complete."""
    stripped = line.strip()
    if stripped.startswith("|"):
        complete = stripped.endswith("|") and not stripped.endswith("\\|") and len(stripped) > 1
        cells = _PIPE_SPLIT.split(stripped[1:-1] if complete else stripped[1:])
        return [c.replace("\\|", "|").strip() for c in cells], complete
    if "\t" in line:
        return [c.strip() for c in line.strip(" ").split("\t")], True
    return None


def _is_separator_row(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    return bool(filled) and all(_ROW_SEPARATOR_CELL.match(c) for c in filled)


def _find_tables(lines: list[str]) -> list[_Table]:
    """Task tables: runs of pipe or tab rows starting with a recognised header row."""
    tables: list[_Table] = []
    i = 0
    while i < len(lines):
        split = _split_row(lines[i])
        if split is None or not _is_task_header(split[0]):
            i += 1
            continue
        kind_pipe = lines[i].strip().startswith("|")
        rows = [_Row(split[0], i, split[1])]
        j = i + 1
        while j < len(lines):
            if not lines[j].strip():
                j += 1
                continue
            nxt = _split_row(lines[j])
            if nxt is None or lines[j].strip().startswith("|") != kind_pipe:
                break
            if not _is_separator_row(nxt[0]):
                rows.append(_Row(nxt[0], j, nxt[1]))
            j += 1
        table = _make_table(rows)
        table.lines = set(range(i, j))
        tables.append(table)
        i = j
    return tables


def _make_table(rows: list[_Row]) -> _Table:
    header = list(rows[0].cells)
    header_rows = 1
    if len(rows) > 1 and _is_sub_header(rows[1].cells):
        sub = rows[1].cells
        header += [""] * (len(sub) - len(header))
        header = [_clean(f"{h} {sub[k]}" if k < len(sub) else h) for k, h in enumerate(header)]
        header_rows = 2
    return _Table(rows=rows, columns=_roles(header), width=len(header), header_rows=header_rows)


def _is_sub_header(cells: list[str]) -> bool:
    """Second header row under a merged "Đơn vị thực hiện" cell: "Chủ trì | Phối hợp"."""
    roles = {_column_role(c) for c in cells if c}
    return (
        bool({"lead", "coop"} & roles)
        and roles <= {"lead", "coop", "ordinal", None}
        and not _ordinal_like(cells[0] if cells else "")
    )


_ORDINAL = re.compile(
    r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|[IVX]{1,5}(?:\.\d{1,3})*\.?|[a-zđ]\)|[a-zđ]\.|[A-Z]\.?)$"
)
_GROUP_ORDINAL = re.compile(r"^(?:[IVX]{1,5}|[A-Z])\.?$")


def _ordinal_like(text: str) -> bool:
    return bool(_ORDINAL.match(text.strip()))


def _cell_text(text: str) -> str:
    """Cell text with "<br>" breaks turned into "; " (or a space after punctuation)."""
    pieces = [_BULLET.sub("", p).strip() for p in _CELL_BREAK.split(text) if p.strip()]
    if not pieces:
        return ""
    out = pieces[0]
    for piece in pieces[1:]:
        out += (" " if out.endswith((".", ";", ",", ":")) else "; ") + piece
    return _clean(out)


def _split_units(text: str) -> list[str]:
    """Cooperating units: split on ";" and line breaks, and on "," only before a unit name.

    "Vụ GDMN, Cục CSVC; các Sở GDĐT" -> three units; "Các đơn vị có liên quan" stays whole,
    and so does "Sở GD, KH và CN Bạc Liêu" (the comma does not start a new unit).
    """
    units: list[str] = []
    for chunk in re.split(r";|\n|<br\s*/?>", text or "", flags=re.I):
        chunk = _BULLET.sub("", chunk.strip())
        pieces = [p.strip() for p in chunk.split(",")]
        current = ""
        for piece in pieces:
            if current and piece and _UNIT_START.match(piece):
                units.append(current)
                current = piece
            else:
                current = f"{current}, {piece}" if current else piece
        if current:
            units.append(current)
    return [_clean(u).strip(" .;,") for u in units if _clean(u).strip(" .;,")]


def _tasks_from_table(
    table: _Table, default_year: int | None, warnings: list[str]
) -> list[ParsedTask]:
    cols = table.columns
    tasks: list[ParsedTask] = []

    def cell(cells: list[str], role: str) -> str:
        k = cols.get(role)
        return cells[k] if k is not None and k < len(cells) else ""

    for row in table.rows[table.header_rows :]:
        cells = row.cells
        if not any(c.strip() for c in cells) or _is_task_header(cells):
            continue
        if all(re.fullmatch(r"\(?\d{1,2}\)?", c.strip()) for c in cells if c.strip()) and len(
            [c for c in cells if c.strip()]
        ) >= max(3, table.width - 1):
            continue  # a "(1) | (2) | (3)" column-number row
        ordinal = _clean(cell(cells, "ordinal"))
        content = _cell_text(cell(cells, "content"))
        period = _cell_text(cell(cells, "period"))
        product = _cell_text(cell(cells, "product"))
        lead = _cell_text(cell(cells, "lead"))
        coop = cell(cells, "coop")
        if _GROUP_ORDINAL.match(ordinal) and not (period or product or lead or coop.strip()):
            continue  # a group heading row ("I | Công tác chỉ đạo")
        if not ordinal and "ordinal" in cols and tasks:
            _merge_into(tasks[-1], content, period, product, lead, coop)
        else:
            if "ordinal" not in cols:
                ordinal = str(len(tasks) + 1)
            tasks.append(
                ParsedTask(
                    ordinal=ordinal,
                    content=content,
                    period_text=period,
                    starts_on=None,
                    ends_on=None,
                    product=product,
                    lead_unit=lead,
                    cooperating_units=_split_units(coop),
                )
            )
        if not row.complete or len(cells) < table.width:
            label = ordinal or (tasks[-1].ordinal if tasks else "?")
            warnings.append(W_TABLE_CUT.format(ordinal=label))
    for task in tasks:
        task.starts_on, task.ends_on = parse_period(task.period_text, default_year=default_year)
        if task.period_text and task.starts_on is None and task.ends_on is None:
            warnings.append(W_TASK_PERIOD.format(period=task.period_text, ordinal=task.ordinal))
    return tasks


def _merge_into(
    task: ParsedTask, content: str, period: str, product: str, lead: str, coop: str
) -> None:
    """A row without an ordinal continues the previous task (a row wrapped over two lines)."""
    task.content = _clean(f"{task.content} {content}")
    task.period_text = _clean(f"{task.period_text} {period}")
    task.product = _clean(f"{task.product} {product}")
    task.lead_unit = _clean(f"{task.lead_unit} {lead}")
    task.cooperating_units += _split_units(coop)


# --------------------------------------------------------------------------------------------
# Legal references
# --------------------------------------------------------------------------------------------


def _notation_type(notation: str) -> str | None:
    """Stable type code from the notation's first part ("QĐ-BGDĐT" -> "QD"), None for a CV."""
    first = notation.split("-")[0].strip()
    if first in _ABBR_EXACT:
        return _ABBR_EXACT[first]
    folded = _fold(first).upper()
    if folded not in _ABBR_AMBIGUOUS_FOLDED:
        for abbr, code in _ABBR_EXACT.items():
            if _fold(abbr).upper() == folded:
                return code
    if re.fullmatch(r"QH\d{1,2}", first):
        return "LUAT"
    return None


def _valid_code(match: re.Match[str]) -> bool:
    return "-" in match["notation"] or bool(match["year"])


def _code_text(match: re.Match[str]) -> str:
    notation = re.sub(r"\s*-\s*", "-", match["notation"])
    year = f"{match['year']}/" if match["year"] else ""
    return f"{int(match['num'])}/{year}{notation}"


_REF_KIND_RE = re.compile(
    r"(?P<kind>" + "|".join(sorted(_REF_KINDS, key=len, reverse=True)) + r")\b", re.I
)
_REF_DATE = re.compile(
    r"^\s*,?\s*(?:ban hành\s+)?ngày\s*(?P<date>\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}|"
    r"\d{1,2}\s*tháng\s*\d{1,2}\s*năm\s*\d{4})",
    re.I,
)


def _legal_refs(paragraph: str, own_code: str) -> list[LegalRef]:
    refs = []
    for match in _CODE.finditer(paragraph):
        if not _valid_code(match):
            continue
        code = _code_text(match)
        if code == own_code:
            continue
        before = paragraph[max(0, match.start() - 80) : match.start()]
        kinds = list(_REF_KIND_RE.finditer(before))
        kind = _REF_KINDS.get(kinds[-1]["kind"].lower()) if kinds else None
        notation_type = _notation_type(match["notation"])
        doc_type = notation_type or kind or (_CODE_CV if "-" in match["notation"] else "")
        date_match = _REF_DATE.match(paragraph[match.end() : match.end() + 40])
        issued_on = parse_vn_date("ngày " + date_match["date"]) if date_match else None
        refs.append(
            LegalRef(
                code=code,
                doc_type=doc_type,
                number=int(match["num"]),
                issued_on=issued_on,
                text=_clause(paragraph, match.start()),
            )
        )
    return refs


def legal_refs(sentence: str, *, own_code: str = "") -> list[LegalRef]:
    """The documents one citing sentence names ("Căn cứ Quyết định số 33/QĐ-TTg ngày
    08/01/2019 …"), as the importer reads a preamble; `own_code` (the citing document's) is
    skipped."""
    return _legal_refs(_clean(sentence), own_code)


def _clause(paragraph: str, position: int) -> str:
    """The ";"-separated clause of ``paragraph`` around ``position``."""
    start = paragraph.rfind(";", 0, position) + 1
    end = paragraph.find(";", position)
    return _clean(paragraph[start : end if end >= 0 else len(paragraph)])


# --------------------------------------------------------------------------------------------
# The parser
# --------------------------------------------------------------------------------------------


def parse_document(text: str) -> ParsedDocument:
    """Read an official document's text; raise :class:`DocumentParseError` if it is not one."""
    if not isinstance(text, str):
        raise DocumentParseError(MSG_NOT_DOCUMENT)
    try:
        return _Parser(text).parse()
    except DocumentParseError:
        raise
    except Exception as exc:  # noqa: BLE001 - the caller shows a message, never a traceback
        logger.exception("Unexpected error while parsing an official document")
        raise DocumentParseError(MSG_INTERNAL) from exc


def _normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n")
    text = re.sub(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]", " ", text)
    text = re.sub(r"[\u200b-\u200d\u2060\ufeff\u00ad]", "", text)
    text = re.sub(r"[\u2010\u2011]", "-", text)
    text = text.replace("Ð", "Đ").replace("ð", "đ")
    text = text.replace("**", "").replace("__", "")
    lines = []
    for line in text.split("\n"):
        line = line.strip(" ")
        line = re.sub(r"^#{1,6}\s+", "", line)
        line = re.sub(r"\\([.\-\[\]()*_#+!])", r"\1", line)
        wrapped = re.fullmatch(r"[*_](\S(?:.*\S)?)[*_]", line)
        if wrapped:
            line = wrapped.group(1)
        line = re.sub(r"^\*\s+", "- ", line)
        lines.append(line)
    return "\n".join(lines)


def _looks_like_binary_text(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:8000]
    controls = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v")
    replacement = sample.count("\ufffd")
    return (controls + replacement) > 0.05 * len(sample)


@dataclass
class _Header:
    number_line: int | None = None
    number: int | None = None
    code: str = ""
    notation: str = ""
    place: str = ""
    issued_on: date | None = None
    date_is_blank: bool = False
    draft_year: int | None = None  # "ngày    tháng 4 năm 2024": the year of a draft
    issuer_lines: list[str] = field(default_factory=list)
    title: str = ""


@dataclass
class _AppendixRef:
    kind: str  # lower case, a key of _REF_KINDS
    kind_text: str  # as written ("Kế hoạch")
    code_match: re.Match[str]
    issued_on: date | None
    issuer: str


class _Parser:
    """One pass over one document; each ``_read_*`` method fills part of ``self.doc``."""

    def __init__(self, text: str) -> None:
        if len(text) > MAX_TEXT_LENGTH:
            raise DocumentParseError(MSG_TOO_LONG)
        if not text.strip():
            raise DocumentParseError(MSG_EMPTY)
        if _looks_like_binary_text(text):
            raise DocumentParseError(MSG_BINARY)
        self.lines = _normalise_text(text).split("\n")
        self.doc = ParsedDocument()
        self.truncated = False
        self.meta: dict[str, str] = {}
        self.meta_lines: set[int] = set()
        self.tables: list[_Table] = []
        self.table_lines: set[int] = set()

    # -- helpers -------------------------------------------------------------------------------

    def _text(self, i: int) -> str:
        return _clean(self.lines[i])

    def _next_filled(self, i: int, end: int | None = None) -> int | None:
        end = len(self.lines) if end is None else end
        while i < end:
            if self.lines[i].strip() and i not in self.table_lines:
                return i
            i += 1
        return None

    def _warn(self, message: str) -> None:
        if message not in self.doc.warnings:
            self.doc.warnings.append(message)

    # -- the pass ------------------------------------------------------------------------------

    def parse(self) -> ParsedDocument:
        self._strip_truncation_mark()
        self.tables = _find_tables(self.lines)
        self.table_lines = {i for table in self.tables for i in table.lines}
        self._read_metadata()
        type_idx = self._find_type_line()
        header_end = type_idx if type_idx is not None else self._guess_header_end()
        header = self._read_header(header_end)
        appendix_ref = self._find_appendix_ref()
        self._require_markers(type_idx, header, appendix_ref)

        cursor = header_end
        if type_idx is not None:
            cursor = self._read_title(type_idx)
        else:
            self.doc.title = header.title
        cursor = self._skip_authority_lines(cursor)
        cursor = self._read_addressees(cursor)

        markers = self._find_end_markers(cursor)
        appendices = self._appendix_starts(cursor)
        ends = [m for m in markers.values() if m is not None] + appendices + [len(self.lines)]
        body_end = min(ends)
        preamble_end = self._read_preamble(cursor, body_end)
        self.doc.sections = self._read_sections(preamble_end, body_end)
        recipients_used = self._read_recipients(markers["recipients"])
        self._read_signature(markers["signature"], recipients_used, appendices)
        self.doc.sections += self._read_appendices(appendices, markers, recipients_used)

        self._fill_identity(header, appendix_ref)
        self._read_tasks(self.doc.issued_on.year if self.doc.issued_on else header.draft_year)
        self._final_warnings()
        self.doc.is_truncated = self.truncated
        return self.doc

    # -- truncation and metadata -----------------------------------------------------------------

    def _strip_truncation_mark(self) -> None:
        for i in range(len(self.lines) - 1, -1, -1):
            if not self.lines[i].strip():
                continue
            if _TRUNCATION_MARK.match(self.lines[i].strip()):
                self.lines[i] = ""
                self.truncated = True
                self._warn(W_TRUNCATED)
            return

    def _read_metadata(self) -> None:
        """Key/value block from legal-text sites ("Số hiệu 451/KH-BGDĐT", "Người ký …")."""
        found: dict[str, tuple[str, int]] = {}
        for i, line in enumerate(self.lines[:60]):
            for key, value in self._meta_pairs(line):
                found.setdefault(key, (value, i))
        keys = set(found)
        if len(keys) >= 2 or ("số hiệu" in keys and _CODE.search(found["số hiệu"][0])):
            self.meta = {key: value for key, (value, _) in found.items()}
            self.meta_lines = {i for _, i in found.values()}

    @staticmethod
    def _meta_pairs(line: str) -> list[tuple[str, str]]:
        split = _split_row(line) if line.strip().startswith("|") else None
        if split:
            cells = [c.strip().rstrip(":").strip() for c in split[0]]
            pairs = []
            for k in range(len(cells) - 1):
                if _META_KEY.fullmatch(cells[k]) and cells[k + 1]:
                    pairs.append((cells[k].lower(), _clean(cells[k + 1])))
            return pairs
        match = _META_KEY.match(line.strip())
        if match and match["value"].strip():
            return [(_clean(match["key"]).lower(), _clean(match["value"]))]
        return []

    # -- header --------------------------------------------------------------------------------

    def _is_type_line(self, i: int) -> re.Match[str] | None:
        line = self._text(i)
        match = _TYPE_LINE.match(line)
        if not match or line.endswith(":"):
            return None
        rest = match["rest"] or ""
        if rest and not (_is_upper(match["type"]) and _is_upper(rest)):
            return None
        return match

    def _find_type_line(self) -> int | None:
        for i in range(min(len(self.lines), 80)):
            if i in self.meta_lines or i in self.table_lines or not self.lines[i].strip():
                continue
            line = self._text(i)
            if _RECIPIENTS.match(line) or _heading_level(line) == 1:
                return None
            if self._is_type_line(i):
                return i
        return None

    def _guess_header_end(self) -> int:
        """Without a type line (công văn): the header ends at "Kính gửi" or the first body line."""
        limit = min(len(self.lines), 60)
        for i in range(limit):
            if _ADDRESSEE.match(self._text(i)):
                return i
        number_seen = False
        for i in range(limit):
            line = self._text(i)
            if not line or i in self.meta_lines:
                continue
            if _NUMBER_LINE.match(line):
                number_seen = True
                continue
            if number_seen and (_heading_level(line) or _BASIS_START.match(line)):
                return i
        return limit

    def _read_header(self, end: int) -> _Header:
        header = _Header()
        uppers: list[str] = []
        i = 0
        while i < end:
            line = self._text(i)
            if not line or i in self.meta_lines or i in self.table_lines:
                i += 1
                continue
            number = _NUMBER_LINE.match(line)
            if number and header.number_line is None:
                self._set_number(header, number, i)
            place_date = _PLACE_DATE.search(self.lines[i])
            if place_date and not header.place:
                self._set_place_date(header, place_date)
            vv = _VV_LINE.match(line)
            if vv and not header.title:
                i = self._read_vv_title(header, vv, i, end)
                continue
            left = self._left_of_motto(line)
            if (
                left
                and not number
                and not place_date
                and _is_upper(left)
                and not _SEPARATOR.match(left)
            ):
                uppers.append(left)
            i += 1
        header.issuer_lines = self._issuer_groups(uppers)
        return header

    def _set_number(self, header: _Header, match: re.Match[str], i: int) -> None:
        header.number_line = i
        notation = re.sub(r"\s*-\s*", "-", match["notation"])
        header.notation = notation
        header.number = int(match["num"]) if match["num"] else None
        year = f"{match['year']}/" if match["year"] else ""
        header.code = f"{header.number}/{year}{notation}" if header.number is not None else ""

    @staticmethod
    def _set_place_date(header: _Header, match: re.Match[str]) -> None:
        place = re.split(r"\s{2,}|\t", match["place"].strip())[-1]
        place = re.sub(r"^Số\b.*", "", place).strip()
        header.place = _clean(place)
        header.issued_on = parse_vn_date(match["when"])
        draft = _DATE_DRAFT.search(match["when"]) if header.issued_on is None else None
        header.date_is_blank = draft is not None
        header.draft_year = int(draft["year"]) if draft else None

    def _read_vv_title(self, header: _Header, first: re.Match[str], i: int, end: int) -> int:
        """A công văn's "V/v …" title, possibly wrapped over the next lines."""
        parts = ["V/v " + first["rest"]]
        j = i + 1
        while j < end:
            line = self._text(j)
            if (
                not line
                or _MOTTO.search(_fold(line))
                or _PLACE_DATE.search(line)
                or _SEPARATOR.match(line)
                or _ADDRESSEE.match(line)
                or _NUMBER_LINE.match(line)
                or (_is_upper(line) and not _is_upper(parts[-1]))
            ):
                break
            parts.append(line)
            j += 1
        header.title = _clean(" ".join(parts))
        return j

    @staticmethod
    def _left_of_motto(line: str) -> str:
        match = _MOTTO.search(_fold(line))
        if not match:
            return line
        return line[: match.start()].strip()

    @staticmethod
    def _issuer_groups(lines: list[str]) -> list[str]:
        """Join wrapped issuer lines: a line not starting with an organisation word continues."""
        groups: list[str] = []
        for line in lines:
            if groups and not _starts_with_org(line):
                groups[-1] = _clean(f"{groups[-1]} {line}")
            else:
                groups.append(line)
        return groups

    def _find_appendix_ref(self) -> _AppendixRef | None:
        for line in self.lines:
            match = _APPENDIX_REF.match(line.strip())
            if not match:
                continue
            code_match = _CODE.search(match["code"])
            if not code_match or not _valid_code(code_match):
                continue
            after = match["after"]
            issued_on = None
            date_match = _REF_DATE.match(after)
            if date_match:
                issued_on = parse_vn_date("ngày " + date_match["date"])
            who = _ISSUED_BY.search(after)
            issuer = _strip_position(who["who"]) if who else ""
            kind = _clean(match["kind"])
            return _AppendixRef(kind.lower(), kind, code_match, issued_on, issuer)
        return None

    def _require_markers(
        self, type_idx: int | None, header: _Header, appendix_ref: _AppendixRef | None
    ) -> None:
        has_number = bool(header.notation) or bool(
            _CODE.search(self.meta.get("số hiệu", "")) or appendix_ref
        )
        if type_idx is None and not has_number:
            org = next(
                (self._text(i) for i in range(min(len(self.lines), 20)) if self._org_line(i)),
                "",
            )
            if org:
                raise DocumentParseError(MSG_HEADER_ONLY.format(issuer=org))
            raise DocumentParseError(MSG_NOT_DOCUMENT)
        if type_idx is not None and not has_number:
            has_more = any(line.strip() for line in self.lines[type_idx + 1 :])
            type_line = self._text(type_idx)
            if not has_more and type_line.upper() in _DOC_TYPES:
                raise DocumentParseError(MSG_TYPE_ONLY.format(type_name=type_line.upper()))

    def _org_line(self, i: int) -> bool:
        line = self._text(i)
        return bool(line) and _is_upper(line) and _starts_with_org(line)

    # -- title, authority line, addressees -------------------------------------------------------

    def _read_title(self, type_idx: int) -> int:
        match = self._is_type_line(type_idx)
        if match is None:  # pragma: no cover - type_idx comes from _find_type_line
            return type_idx + 1
        self.doc.type_name = match["type"].upper()
        parts = [match["rest"]] if match["rest"] else []
        upper = bool(parts)
        j = type_idx + 1
        blank = False
        while j < len(self.lines) and len(parts) < 6:
            line = self._text(j)
            if not line:
                blank = True
                j += 1
                continue
            if _SEPARATOR.match(line):
                j += 1
                if parts:
                    break
                continue
            if self._ends_title(line, parts, upper, blank):
                break
            if not parts:
                upper = _is_upper(line)
            parts.append(line)
            blank = False
            j += 1
        self.doc.title = _clean(" ".join(parts))
        return j

    def _ends_title(self, line: str, parts: list[str], upper: bool, blank: bool) -> bool:
        if (
            _heading_level(line)
            or _ADDRESSEE.match(line)
            or _RECIPIENTS.match(line)
            or _OPERATIVE.match(line)
            or _POSITION_START.match(line)
            or line.startswith(("(", "|"))
            or line.startswith("Căn cứ")
            or _APPENDIX_HEADING.match(line)
            or _is_signature_start(line)
            or (self.doc.type_name and self._is_authority_line(line))
        ):
            return True
        if not parts:
            return False
        if upper:
            return not _is_upper(line)
        if blank or _is_upper(line) or _BASIS_START.match(line):
            return True
        return not (line[:1].islower() or line[:1].isdigit()) or line.endswith((":", "."))

    def _is_authority_line(self, line: str) -> bool:
        """An uppercase line naming who decides ("BỘ TRƯỞNG BỘ GIÁO DỤC VÀ ĐÀO TẠO")."""
        if not _is_upper(line):
            return False
        if _POSITION_START.match(line) and not _POSITION_LINE.match(line):
            return True
        code = _DOC_TYPES.get(self.doc.type_name, ("", ""))[0]
        return code in _DECISION_TYPES and _starts_with_org(line)

    def _skip_authority_lines(self, cursor: int) -> int:
        while True:
            j = self._next_filled(cursor)
            if j is None:
                return cursor
            line = self._text(j)
            if _SEPARATOR.match(line) or self._is_authority_line(line):
                cursor = j + 1
                continue
            return cursor

    def _read_addressees(self, cursor: int) -> int:
        j = self._next_filled(cursor)
        match = _ADDRESSEE.match(self._text(j)) if j is not None else None
        if j is None or match is None:
            return cursor
        rest = match["rest"]
        items = [rest] if rest else []
        k = j + 1
        while k < len(self.lines):
            line = self._text(k)
            if not line:
                k += 1
                continue
            if _BULLET.match(line) and not _heading_level(line):
                items.append(line)
                k += 1
                continue
            break
        addressees = [_clean_item(item).rstrip(".") for item in items]
        self.doc.addressees = [item for item in addressees if item]
        return k

    # -- body ----------------------------------------------------------------------------------

    def _find_end_markers(self, cursor: int) -> dict[str, int | None]:
        markers: dict[str, int | None] = {"recipients": None, "signature": None}
        for i in range(cursor, len(self.lines)):
            if i in self.table_lines or not self.lines[i].strip():
                continue
            line = self._text(i)
            left, right = _split_columns(self.lines[i])
            if markers["recipients"] is None and _RECIPIENTS.match(left or line):
                markers["recipients"] = i
            if markers["signature"] is None and _is_signature_start(right or line):
                markers["signature"] = i
            if markers["recipients"] is not None and markers["signature"] is not None:
                break
        return markers

    def _appendix_starts(self, cursor: int) -> list[int]:
        return [
            i
            for i in range(cursor, len(self.lines))
            if i not in self.table_lines and _APPENDIX_HEADING.match(self._text(i))
        ]

    def _read_preamble(self, start: int, end: int) -> int:
        """Legal basis from the paragraphs before the first heading; returns the heading's index."""
        first_heading = None
        for i in range(start, end):
            if i in self.table_lines:
                continue
            line = self._text(i)
            if _heading_level(line) or _OPERATIVE.match(line):
                first_heading = i
                break
        bounded = first_heading is not None
        stop = first_heading if first_heading is not None else end
        own = self._own_code_guess()
        seen = {ref.code for ref in self.doc.legal_basis}
        for i in range(start, stop):
            line = self._text(i)
            if not line or i in self.table_lines:
                continue
            if not bounded and not _BASIS_START.match(line):
                continue
            for ref in _legal_refs(line, own):
                if ref.code not in seen:
                    seen.add(ref.code)
                    self.doc.legal_basis.append(ref)
        if first_heading is not None and _OPERATIVE.match(self._text(first_heading)):
            return first_heading + 1
        return stop

    def _own_code_guess(self) -> str:
        for i in range(min(len(self.lines), 80)):
            match = _NUMBER_LINE.match(self._text(i))
            if match and match["num"] and i not in self.meta_lines:
                code_match = _CODE.search(self._text(i))
                return _code_text(code_match) if code_match else ""
        return ""

    def _read_sections(self, start: int, end: int) -> list[Section]:
        sections: list[Section] = []
        body: list[str] = []
        pending_title = False
        for i in range(start, end):
            if i in self.table_lines:
                continue
            line = self._text(i)
            if not line:
                continue
            level = _heading_level(line)
            if level:
                _flush(sections, body)
                heading, inline = _split_heading(line)
                sections.append(Section(heading=heading, text="", level=level))
                body = [inline] if inline else []
                pending_title = bool(re.fullmatch(_ROMAN_NUMERAL + r"\s*[.\-–)]", heading))
            elif pending_title:
                sections[-1].heading = f"{sections[-1].heading} {line}"
                pending_title = False
            elif sections:
                body.append(line)
        _flush(sections, body)
        return sections

    def _read_appendices(
        self, starts: list[int], markers: dict[str, int | None], used: set[int]
    ) -> list[Section]:
        sections = []
        stops = sorted(
            set(starts) | {m for m in (markers["recipients"], markers["signature"]) if m}
        )
        for start in starts:
            end = next((s for s in stops if s > start), len(self.lines))
            lines = [
                self._text(i)
                for i in range(start + 1, end)
                if i not in self.table_lines and i not in used and self.lines[i].strip()
            ]
            sections.append(Section(heading=self._text(start), text="\n".join(lines), level=1))
        return sections

    # -- recipients and signature ----------------------------------------------------------------

    def _read_recipients(self, start: int | None) -> set[int]:
        """Read "Nơi nhận:" items; return the indices of lines used up entirely."""
        used: set[int] = set()
        if start is None:
            return used
        left, _ = _split_columns(self.lines[start])
        match = _RECIPIENTS.match(left or self._text(start))
        first = match["rest"] if match else ""
        items = [first] if first.strip() else []
        if not _split_columns(self.lines[start])[1]:
            used.add(start)
        for i in range(start + 1, len(self.lines)):
            if i in self.table_lines:
                break
            raw = self.lines[i]
            if not raw.strip():
                continue
            left, right = _split_columns(raw)
            text = _clean(left or raw)
            if _BULLET.match(text) and not _is_signature_start(text):
                items.append(text)
            elif (
                items
                and not items[-1].rstrip().endswith((";", "."))
                and not _is_upper(text)
                and not _is_signature_start(text)
                and not _APPENDIX_HEADING.match(text)
            ):
                items[-1] = f"{items[-1]} {text}"
            else:
                break
            if not right:
                used.add(i)
        self.doc.recipients = [_clean_item(item) for item in items if _clean_item(item)]
        return used

    def _read_signature(self, start: int | None, used: set[int], appendices: list[int]) -> None:
        if start is None:
            return
        stream: list[str] = []
        stop = next((a for a in appendices if a > start), len(self.lines))
        for i in range(start, stop):
            if i in used or i in self.table_lines or not self.lines[i].strip():
                continue
            left, right = _split_columns(self.lines[i])
            stream.append(_clean(right) if right else self._text(i))
        authority, title, name = _parse_signature(stream)
        self.doc.signer_authority = authority
        self.doc.signer_title = title
        self.doc.signer_name = name

    # -- identity: number, type, issuer, place, date ---------------------------------------------

    def _fill_identity(self, header: _Header, appendix_ref: _AppendixRef | None) -> None:
        doc = self.doc
        meta_code = _CODE.search(self.meta.get("số hiệu", ""))
        if header.notation:
            doc.code, doc.number, doc.notation = header.code, header.number, header.notation
        elif meta_code and _valid_code(meta_code):
            self._set_code(meta_code)
        own_ref = appendix_ref if appendix_ref and self._appendix_is_own(appendix_ref) else None
        if own_ref and not doc.notation:
            self._set_code(own_ref.code_match)
            code = _code_text(own_ref.code_match)
            self._warn(W_NO_HEADER.format(kind=own_ref.kind_text, code=code))
        elif appendix_ref and not own_ref:
            self._add_attached_to(appendix_ref)
        if own_ref and doc.code and _code_text(own_ref.code_match) != doc.code:
            self._warn(
                W_MISMATCH.format(
                    what="Số hiệu",
                    first=doc.code,
                    first_source="tiêu đề",
                    second=_code_text(own_ref.code_match),
                    second_source="phụ lục",
                )
            )
        self._fill_type()
        self._fill_abbreviations()
        self._fill_issuer(header, own_ref)
        self._fill_place_and_date(header, appendix_ref)
        self._cross_check_meta()

    def _set_code(self, match: re.Match[str]) -> None:
        self.doc.code = _code_text(match)
        self.doc.number = int(match["num"])
        self.doc.notation = re.sub(r"\s*-\s*", "-", match["notation"])

    def _appendix_is_own(self, ref: _AppendixRef) -> bool:
        kind_code = _REF_KINDS.get(ref.kind)
        if not self.doc.type_name:
            return True
        own_code = _DOC_TYPES.get(self.doc.type_name, ("", ""))[0]
        return kind_code == own_code

    def _add_attached_to(self, ref: _AppendixRef) -> None:
        code = _code_text(ref.code_match)
        if not any(r.code == code for r in self.doc.legal_basis):
            self.doc.legal_basis.append(
                LegalRef(
                    code=code,
                    doc_type=_REF_KINDS.get(ref.kind, ""),
                    number=int(ref.code_match["num"]),
                    issued_on=ref.issued_on,
                    text=f"Ban hành kèm theo {ref.kind_text} số {code}",
                )
            )
        if not self.doc.notation:
            type_name = self.doc.type_name.capitalize() or "Văn bản"
            self._warn(W_ATTACHED_TO.format(type_name=type_name, kind=ref.kind_text, code=code))

    def _fill_type(self) -> None:
        doc = self.doc
        from_notation = _notation_type(doc.notation) if doc.notation else None
        if doc.type_name:
            doc.doc_type = _DOC_TYPES[doc.type_name][0]
        elif from_notation:
            doc.doc_type = from_notation
            doc.type_name = next(
                (name for name, (code, _) in _DOC_TYPES.items() if code == from_notation), ""
            )
        elif doc.notation:
            doc.doc_type = _CODE_CV
        else:
            meta_type = self.meta.get("loại văn bản", "").upper()
            doc.doc_type = _DOC_TYPES.get(meta_type, ("", ""))[0]
        if doc.doc_type == _CODE_CV:
            doc.type_name = ""

    def _fill_abbreviations(self) -> None:
        doc = self.doc
        parts = [p for p in doc.notation.split("-") if p]
        if parts and _notation_type(doc.notation) is not None:
            parts = parts[1:]  # "KH-BGDĐT": the type code comes first
        if parts:
            doc.issuer_abbr = parts[0]
            doc.drafting_unit_abbr = parts[1] if len(parts) > 1 else ""
        kept = next((m for r in doc.recipients if (m := _KEPT_LINE.match(r))), None)
        if kept and not doc.drafting_unit_abbr:
            doc.drafting_unit_abbr = _drafting_unit(kept["rest"])

    def _fill_issuer(self, header: _Header, appendix_ref: _AppendixRef | None) -> None:
        doc = self.doc
        if header.issuer_lines:
            doc.issuer = _org_case(header.issuer_lines[-1])
            if len(header.issuer_lines) > 1:
                doc.parent_issuer = _org_case(header.issuer_lines[-2])
            return
        sources = [
            ("dòng “kèm theo” của phụ lục", appendix_ref.issuer if appendix_ref else ""),
            ("mục “Cơ quan ban hành”", self.meta.get("cơ quan ban hành", "")),
            ("ký hiệu văn bản", _ISSUER_BY_ABBR.get(doc.issuer_abbr, "")),
        ]
        for source, issuer in sources:
            if issuer:
                doc.issuer = _org_case(issuer)
                if source != "mục “Cơ quan ban hành”":
                    self._warn(W_ISSUER_GUESSED.format(source=source, issuer=doc.issuer))
                return
        self._warn(W_NO_ISSUER)

    def _fill_place_and_date(self, header: _Header, appendix_ref: _AppendixRef | None) -> None:
        doc = self.doc
        doc.place = header.place
        doc.issued_on = header.issued_on
        if doc.issued_on is None and appendix_ref and appendix_ref.issued_on:
            # The appendix line of this document, or the decision it was issued with.
            doc.issued_on = appendix_ref.issued_on
        if doc.issued_on is None and self.meta.get("ngày ban hành"):
            doc.issued_on = parse_vn_date(self.meta["ngày ban hành"])
        if doc.issued_on is None:
            self._warn(W_BLANK_DATE if header.date_is_blank else W_NO_DATE)
        if not doc.place and self.meta.get("nơi ban hành"):
            doc.place = self.meta["nơi ban hành"]
        if not doc.place and _is_central_body(doc.issuer):
            doc.place = "Hà Nội"
            self._warn(W_DEFAULT_PLACE.format(issuer=doc.issuer))

    def _cross_check_meta(self) -> None:
        doc = self.doc
        meta_code = _CODE.search(self.meta.get("số hiệu", ""))
        if meta_code and doc.code and _code_text(meta_code) != doc.code:
            self._warn(
                W_MISMATCH.format(
                    what="Số hiệu",
                    first=doc.code,
                    first_source="văn bản",
                    second=_code_text(meta_code),
                    second_source="thông tin văn bản",
                )
            )
        meta_date = parse_vn_date(self.meta.get("ngày ban hành", ""))
        if meta_date and doc.issued_on and meta_date != doc.issued_on:
            self._warn(
                W_MISMATCH.format(
                    what="Ngày ban hành",
                    first=doc.issued_on.strftime("%d/%m/%Y"),
                    first_source="văn bản",
                    second=meta_date.strftime("%d/%m/%Y"),
                    second_source="thông tin văn bản",
                )
            )
        meta_signer = _clean(self.meta.get("người ký", ""))
        if meta_signer and doc.signer_name and _fold(meta_signer) != _fold(doc.signer_name):
            self._warn(
                W_MISMATCH.format(
                    what="Người ký",
                    first=doc.signer_name,
                    first_source="chữ ký",
                    second=meta_signer,
                    second_source="thông tin văn bản",
                )
            )

    # -- tasks and final warnings ----------------------------------------------------------------

    def _read_tasks(self, year: int | None) -> None:
        warnings: list[str] = []
        for table in self.tables:
            self.doc.tasks += _tasks_from_table(table, year, warnings)
        if any(w.startswith("Bảng công việc bị cắt") for w in warnings) and not self.truncated:
            self.truncated = True
            self._warn(W_TRUNCATED)
        for warning in warnings:
            self._warn(warning)

    def _final_warnings(self) -> None:
        doc = self.doc
        if not self.truncated and not doc.recipients and not doc.signer_name:
            last = next(
                (i for i in range(len(self.lines) - 1, -1, -1) if self.lines[i].strip()), None
            )
            text = self._text(last) if last is not None and last not in self.table_lines else ""
            if text and not text.endswith((".", ";", ":", "!", "?", ")")):
                self.truncated = True
                self._warn(W_TRUNCATED)
        if not doc.code:
            self._warn(W_NO_NUMBER)
        if not doc.title:
            self._warn(W_NO_TITLE)
        if not doc.recipients:
            self._warn(W_NO_RECIPIENTS_CUT if self.truncated else W_NO_RECIPIENTS)
        if not doc.signer_name:
            meta_signer = _clean(self.meta.get("người ký", ""))
            self._warn(W_NO_SIGNER_CUT if self.truncated else W_NO_SIGNER)
            if meta_signer:
                doc.signer_name = _person_case(meta_signer)
                self._warn(W_SIGNER_FROM_META.format(name=doc.signer_name))


# --------------------------------------------------------------------------------------------
# Parser helpers without state
# --------------------------------------------------------------------------------------------


def _heading_level(line: str) -> int:
    for pattern, level in _HEADINGS:
        if pattern.match(line):
            return level
    return 0


def _split_heading(line: str) -> tuple[str, str]:
    """Heading and inline text: a long article or item keeps only its number or label."""
    article = _ARTICLE_SPLIT.match(line)
    if article:
        rest = article["rest"]
        if not rest or (len(rest) <= 100 and not rest.endswith((".", ":", ";"))):
            return _clean(line), ""
        return _clean(article["head"]), rest
    if len(line) > 120 and ": " in line[:100]:
        head, rest = line.split(": ", 1)
        return _clean(head), _clean(rest)
    return _clean(line), ""


def _flush(sections: list[Section], body: list[str]) -> None:
    if sections:
        sections[-1].text = "\n".join(body).strip()
        sections[-1].heading = _clean(sections[-1].heading)


def _split_columns(raw: str) -> tuple[str, str]:
    """Left and right column of a signature-area line written side by side ("- Như trên; KT. …")."""
    stripped = raw.strip()
    parts = [p for p in re.split(r"\t+|\s{3,}", stripped) if p.strip()]
    if len(parts) >= 2 and (_BULLET.match(parts[0]) or _RECIPIENTS.match(parts[0])):
        return _clean(parts[0]), _clean(" ".join(parts[1:]))
    return "", ""


def _is_signature_start(text: str) -> bool:
    text = _clean(text)
    if len(text) > 80:
        return False
    authority = _AUTHORITY.match(text)
    if authority and _is_upper(authority["rest"]):
        return True
    return bool(_POSITION_LINE.match(text))


def _clean_item(text: str) -> str:
    text = _BULLET.sub("", _clean(text))
    return text.rstrip(";,").strip()


def _drafting_unit(kept: str) -> str:
    """First unit after the registry in "Lưu: VT, NGCBQLGD (02b)." -> "NGCBQLGD"."""
    for token in kept.split(","):
        token = re.sub(r"\(.*?\)", "", token).strip(" .;")
        if not token or token.upper() in {"VT", "VP", "VTLT"}:
            continue
        return token.split()[-1]
    return ""


def _is_placeholder(line: str) -> bool:
    folded = _fold(line).strip()
    if re.fullmatch(r"[\[(].*[\])]", folded):
        return True
    return folded.startswith(("da ky", "chu ky", "ky so", "ky ten", "ky boi", "ky,")) or (
        ":" in line and not _SIGNER_META.match(line)
    )


def _looks_like_name(line: str) -> bool:
    words = line.split()
    if not 2 <= len(words) <= 6 or any(c.isdigit() for c in line):
        return False
    if _is_upper(line):
        return not (_POSITION_START.match(line) or _starts_with_org(line) or _AUTHORITY.match(line))
    return all(w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words)


def _parse_signature(stream: list[str]) -> tuple[str, str, str]:
    """(authority, title, name) from the lines of a signature block."""
    authority: list[str] = []
    title: list[str] = []
    name = ""
    for line in stream:
        meta = _SIGNER_META.match(line)
        if meta:
            name = name or _person_case(meta["name"])
            continue
        if name:
            break
        match = _AUTHORITY.match(line)
        if match and _is_upper(match["rest"]) and not title:
            prefix = (match["prefix"] or match["slashed"].replace("/", "")) + "."
            authority.append(f"{prefix} {_clean(match['rest'])}")
            continue
        if _is_placeholder(line):
            continue
        if _is_upper(line) and not _looks_like_name(line):
            title.append(line)  # "THỨ TRƯỞNG", or a title over two lines ("CỤC TRƯỞNG" / "CỤC …")
            continue
        if _looks_like_name(line):
            name = _person_case(line)
            continue
        if authority or title:
            break
    return " ".join(authority), _clean(" ".join(title)), name


def _strip_position(who: str) -> str:
    """Drop the position: "Bộ trưởng Bộ Giáo dục và Đào tạo" -> "Bộ Giáo dục và Đào tạo"."""
    who = _clean(who)
    match = _POSITION_START.match(who.upper())
    if match and not who.upper().startswith("THỦ TƯỚNG"):
        rest = who[match.end() :].strip()
        if rest:
            return rest
    return who


def _is_central_body(issuer: str) -> bool:
    folded = _fold(issuer)
    return folded.startswith(("bo ", "chinh phu", "thu tuong", "van phong chinh phu"))
