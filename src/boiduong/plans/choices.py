"""Stable codes for programmes, documents, plans and tasks; labels are translated.

Document types follow Nghị định 30/2020/NĐ-CP, Phụ lục III (abbreviations of the names of
administrative documents) plus the normative types that plans cite (Luật, Nghị định, Thông tư).
The codes are ASCII and match those of ``plans.parsing`` (KH, QD, CV …): the notation keeps the
Vietnamese abbreviation ("QĐ"), the code never does.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    PLAN = "KH", _("plan (Kế hoạch)")
    DECISION = "QD", _("decision (Quyết định)")
    REPORT = "BC", _("report (Báo cáo)")
    NOTICE = "TB", _("notice (Thông báo)")
    INVITATION = "GM", _("invitation (Giấy mời)")
    GUIDANCE = "HD", _("guidance (Hướng dẫn)")
    DIRECTIVE = "CT", _("directive (Chỉ thị)")
    SUBMISSION = "TTR", _("submission (Tờ trình)")
    DISPATCH = "CV", _("official letter (công văn)")
    RESOLUTION = "NQ", _("resolution (Nghị quyết)")
    CIRCULAR = "TT", _("circular (Thông tư)")
    JOINT_CIRCULAR = "TTLT", _("joint circular (Thông tư liên tịch)")
    DECREE = "ND", _("decree (Nghị định)")
    LAW = "LUAT", _("law (Luật)")
    ORDINANCE = "PL", _("ordinance (Pháp lệnh)")
    PROGRAMME_OF_ACTION = "CTR", _("programme of action (Chương trình)")
    SCHEME = "PA", _("scheme (Phương án)")
    PROJECT = "DEAN", _("project (Đề án)")
    INVESTMENT_PROJECT = "DUAN", _("investment project (Dự án)")
    MINUTES = "BB", _("minutes (Biên bản)")
    RULES = "QC", _("rules (Quy chế)")
    REGULATION = "QYD", _("regulation (Quy định)")
    CONCLUSION = "KL", _("conclusion (Kết luận)")
    TELEGRAM = "CD", _("official telegram (Công điện)")
    INTRODUCTION = "GGT", _("letter of introduction (Giấy giới thiệu)")
    CONTRACT = "HDONG", _("contract (Hợp đồng)")


#: The type name printed on the document (Phụ lục I mục II.5), never translated. A công văn has
#: none: its summary is printed as "V/v …" under its number.
TYPE_NAMES: dict[str, str] = {
    "KH": "KẾ HOẠCH",
    "QD": "QUYẾT ĐỊNH",
    "BC": "BÁO CÁO",
    "TB": "THÔNG BÁO",
    "GM": "GIẤY MỜI",
    "HD": "HƯỚNG DẪN",
    "CT": "CHỈ THỊ",
    "TTR": "TỜ TRÌNH",
    "CV": "",
    "NQ": "NGHỊ QUYẾT",
    "TT": "THÔNG TƯ",
    "TTLT": "THÔNG TƯ LIÊN TỊCH",
    "ND": "NGHỊ ĐỊNH",
    "LUAT": "LUẬT",
    "PL": "PHÁP LỆNH",
    "CTR": "CHƯƠNG TRÌNH",
    "PA": "PHƯƠNG ÁN",
    "DEAN": "ĐỀ ÁN",
    "DUAN": "DỰ ÁN",
    "BB": "BIÊN BẢN",
    "QC": "QUY CHẾ",
    "QYD": "QUY ĐỊNH",
    "KL": "KẾT LUẬN",
    "CD": "CÔNG ĐIỆN",
    "GGT": "GIẤY GIỚI THIỆU",
    "HDONG": "HỢP ĐỒNG",
}

#: The abbreviation a type carries in a notation (Phụ lục III): "KH-BGDĐT", "QĐ-BGDĐT".
NOTATION_ABBREVIATIONS: dict[str, str] = {
    "KH": "KH",
    "QD": "QĐ",
    "BC": "BC",
    "TB": "TB",
    "GM": "GM",
    "HD": "HD",
    "CT": "CT",
    "TTR": "TTr",
    "CV": "",
    "NQ": "NQ",
    "TT": "TT",
    "TTLT": "TTLT",
    "ND": "NĐ",
    "LUAT": "",
    "PL": "",
    "CTR": "CTr",
    "PA": "PA",
    "DEAN": "ĐA",
    "DUAN": "DA",
    "BB": "BB",
    "QC": "QC",
    "QYD": "QyĐ",
    "KL": "KL",
    "CD": "CĐ",
    "GGT": "GGT",
    "HDONG": "HĐ",
}

#: Types a Plan can hang on: a KH, or a QĐ approving a plan (QĐ 296/QĐ-BGDĐT approves the 2020
#: implementation plan of the Đề án).
PLAN_DOCUMENT_TYPES = ("KH", "QD")
#: Types whose legal basis is a list of "Căn cứ …;" lines above "QUYẾT ĐỊNH:" (Phụ lục I mục
#: II.6.a) rather than a sentence in the opening paragraph.
DECISION_TYPES = ("QD", "NQ", "CT", "TT", "TTLT", "ND")


class SignerAuthority(models.TextChoices):
    """How the signer signs (Nghị định 30/2020/NĐ-CP, Điều 13 and Phụ lục I mục II.8)."""

    NONE = "", _("in their own name")
    ON_BEHALF = "KT", _("KT. (signing for the head)")
    BY_ORDER = "TL", _("TL. (by order of the head)")
    FOR_BODY = "TM", _("TM. (on behalf of the collective body)")
    ACTING = "Q", _("Q. (acting head)")
    DELEGATED = "TUQ", _("TUQ. (by delegation)")


class DocumentState(models.TextChoices):
    PLACEHOLDER = "placeholder", _("referenced, not yet in the system")
    DRAFT = "draft", _("draft (no number yet)")
    ISSUED = "issued", _("issued")


class PlanKind(models.TextChoices):
    """Where a plan sits in the tree: programme → annual plan → thematic plan → provincial."""

    ANNUAL = "annual", _("annual implementation plan")
    THEMATIC = "thematic", _("thematic plan")
    PROVINCIAL = "provincial", _("provincial plan")
    OTHER = "other", _("other plan")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


CLOSED_STATUSES = (TaskStatus.DONE, TaskStatus.CANCELLED)


class DueState(models.TextChoices):
    """A task's standing against its end date today (computed, never stored)."""

    ON_TIME = "on_time", _("on time")
    DUE_SOON = "due_soon", _("due soon")
    OVERDUE = "overdue", _("overdue")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


#: A task ending within this many days is "due soon".
DUE_SOON_DAYS = 14
