"""The results report (Báo cáo kết quả tập huấn) as XLSX and as a DOCX in the national format
(Nghị định 30/2020/NĐ-CP, through core.officialdoc); KH 361/KH-BGDĐT task 7."""

from __future__ import annotations

from django.utils import timezone

from boiduong.core.exports import xlsx_bytes
from boiduong.core.officialdoc import Appendix, BodyBlock, OfficialDocument, render_docx
from boiduong.core.text import money, table_date

from .selectors import Report

COLUMNS = [
    "STT",
    "Sở GDĐT",
    "Chỉ tiêu",
    "Đã cử",
    "Được xác nhận",
    "GV cốt cán",
    "CBQL cốt cán",
    "Đủ ngày học",
    "Đạt",
    "Không đạt",
    "GCN hợp lệ",
    "GCN thu hồi",
    "Chi phí đi lại do Sở chi trả (đồng)",
]
KEYS = [
    "seats",
    "nominated",
    "confirmed",
    "gv",
    "cbql",
    "full_attendance",
    "passed",
    "failed",
    "certificates",
    "revoked",
    "travel",
]


def report_rows(report: Report) -> list[list]:
    rows: list[list] = [COLUMNS]
    for number, row in enumerate(report.rows, start=1):
        rows.append([number, row["department"], *[row[k] for k in KEYS]])
    rows.append(["", "Tổng cộng", *[report.totals.get(k, 0) for k in KEYS]])
    return rows


def report_xlsx(report: Report) -> bytes:
    return xlsx_bytes(report_rows(report), title="Bao cao ket qua")


def _course_line(course) -> str:
    return (
        f"{course.title} ({course.code}): {course.dates_label}, tại {course.venue or '—'}; "
        f"hình thức {course.get_mode_display().lower()}; {course.days:02d} ngày không kể thời "
        f"gian đi lại; {course.staff.count()} thành viên Ban tổ chức, chuyên gia và báo cáo viên."
    )


def report_document(
    report: Report, *, basis: str = "Kế hoạch số 361/KH-BGDĐT ngày 07/4/2021"
) -> OfficialDocument:
    t = report.totals
    confirmed = t.get("confirmed", 0)
    departments = sum(1 for r in report.rows if r["confirmed"])
    cascades = sum(c.cascades.count() for c in report.courses)
    body = [
        BodyBlock(
            "paragraph",
            f"Thực hiện {basis} của Bộ Giáo dục và Đào tạo, Cục Nhà giáo và Cán bộ quản lý giáo "
            f"dục báo cáo kết quả {report.title.lower()} như sau:",
        ),
        BodyBlock("heading1", "I. TÌNH HÌNH TỔ CHỨC"),
        *[BodyBlock("bullet", "- " + _course_line(c)) for c in report.courses],
        BodyBlock("heading1", "II. KẾT QUẢ"),
        BodyBlock(
            "paragraph",
            f"1. Thành phần: {confirmed} học viên được xác nhận tham dự trên tổng số "
            f"{t.get('seats', 0)} chỉ tiêu phân bổ, gồm {t.get('gv', 0)} giáo viên và "
            f"{t.get('cbql', 0)} cán bộ quản lý cơ sở giáo dục mầm non cốt cán của "
            f"{departments} Sở Giáo dục và Đào tạo.",
        ),
        BodyBlock(
            "paragraph",
            f"2. Chuyên cần: {t.get('full_attendance', 0)}/{confirmed} học viên tham dự đủ số "
            "ngày theo quy định của lớp. Số học viên có mặt theo ngày: "
            + "; ".join(f"ngày {i}: {n}" for i, n in enumerate(report.attendance_by_day, 1))
            + ".",
        ),
        BodyBlock(
            "paragraph",
            f"3. Kết quả: {t.get('passed', 0)} học viên đạt, {t.get('failed', 0)} học viên không "
            f"đạt; đã cấp {t.get('certificates', 0)} giấy chứng nhận còn hiệu lực"
            + (f", thu hồi {t['revoked']} giấy chứng nhận" if t.get("revoked") else "")
            + ".",
        ),
        BodyBlock(
            "paragraph",
            f"4. Tập huấn lại tại địa phương: các Sở GDĐT đã tổ chức {cascades} lớp tập huấn lại "
            "(KH 361/KH-BGDĐT mục V.5).",
        ),
        BodyBlock(
            "paragraph",
            "5. Kinh phí: chi phí đi lại của học viên do Sở GDĐT cử tham dự chi trả (KH "
            f"361/KH-BGDĐT mục V.5); tổng số các Sở đã kê khai: {money(t.get('travel', 0))} đồng.",
        ),
        BodyBlock("heading1", "III. ĐỀ XUẤT, KIẾN NGHỊ"),
        BodyBlock(
            "paragraph",
            "Đề nghị các Sở GDĐT tiếp tục tổ chức tập huấn lại cho giáo viên, cán bộ quản lý cơ "
            "sở giáo dục mầm non trên địa bàn và báo cáo kết quả về Bộ Giáo dục và Đào tạo "
            "(qua Cục Nhà giáo và Cán bộ quản lý giáo dục).",
        ),
        BodyBlock("paragraph", "Số liệu chi tiết theo từng Sở GDĐT tại Phụ lục kèm theo./."),
    ]
    rows = [[str(c) for c in row] for row in report_rows(report)[1:]]
    return OfficialDocument(
        parent_body="BỘ GIÁO DỤC VÀ ĐÀO TẠO",
        issuer="CỤC NHÀ GIÁO VÀ CÁN BỘ QUẢN LÝ GIÁO DỤC",
        notation="BC-NGCBQLGD",
        place="Hà Nội",
        issued_on=None,
        type_name="BÁO CÁO",
        title=f"Kết quả {report.title[:1].lower()}{report.title[1:]}",
        body=body,
        signer_authority="KT. CỤC TRƯỞNG",
        signer_title="PHÓ CỤC TRƯỞNG",
        signer_name="",
        recipients=[
            "- Bộ trưởng (để b/c);",
            "- Thứ trưởng phụ trách (để b/c);",
            "- Vụ Giáo dục Mầm non;",
            "- Các Sở GDĐT;",
        ],
        drafting_unit_abbr="NGCBQLGD",
        appendices=[
            Appendix(
                heading="PHỤ LỤC",
                subtitle="Số liệu kết quả tập huấn theo Sở Giáo dục và Đào tạo",
                note="(Kèm theo Báo cáo số      /BC-NGCBQLGD, lập ngày "
                + table_date(timezone.localdate())
                + ")",
                columns=COLUMNS,
                rows=rows,
            )
        ],
    )


def report_docx(report: Report) -> bytes:
    return render_docx(report_document(report))
