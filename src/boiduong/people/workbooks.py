"""Workbooks the import hands to users: the blank template and the error report."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from boiduong.core.exports import neutralise

from .importing import COLUMNS, ImportOutcome

HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
ERROR_FILL = PatternFill("solid", fgColor="F8CBAD")
EXAMPLE = {
    "national_id": "001189012345",
    "full_name": "Nguyễn Thị Lan",
    "gender": "Nữ",
    "birth_date": "15/03/1989",
    "phone": "0912345678",
    "email": "lan.nt@mnhoasen.edu.vn",
    "province": "Thành phố Hà Nội",
    "school": "Trường Mầm non Hoa Sen",
    "position": "Giáo viên",
    "qualification": "Đại học",
    "year": 2020,
    "rating": "Khá",
    "core": "GV cốt cán",
    "training_result": "Đạt",
    "course": "Bồi dưỡng giáo viên mầm non cốt cán 2020",
}
CHOICES = {
    "gender": "Nam,Nữ",
    "position": "Giáo viên,Hiệu trưởng,Phó hiệu trưởng,Chuyên viên,Giảng viên,Tổ trưởng,Khác",
    "rating": "Chưa đạt,Đạt,Khá,Tốt",
    "core": "GV cốt cán,CBQL cốt cán",
    "training_result": "Đạt,Không đạt",
}
NOTES = [
    "Mỗi dòng là một người; số định danh cá nhân (CCCD) gồm 12 chữ số và không trùng nhau.",
    "Cột bắt buộc: Số định danh, Họ và tên, Tỉnh/thành phố, Trường.",
    "Ngày sinh viết dd/mm/yyyy. Tên tỉnh cũ (trước 01/07/2025) được chuyển sang tỉnh mới.",
    "Trường chưa có trong hệ thống sẽ được tạo thuộc Sở GDĐT của tỉnh.",
    "Năm áp dụng cho xếp loại chuẩn nghề nghiệp, cốt cán và kết quả bồi dưỡng của dòng đó.",
    "Ô để trống ở cột Cốt cán nghĩa là năm đó không phải cốt cán.",
    "Không dùng công thức: hãy dán giá trị.",
]


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_xlsx() -> bytes:
    """The blank import template: Vietnamese headers, one example row, drop-down lists."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        example = sheet.cell(row=2, column=index, value=EXAMPLE[column.key])
        example.number_format = "@"
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, min(40, len(column.header) + 2))
        if column.key in CHOICES:
            rule = DataValidation(
                type="list", formula1=f'"{CHOICES[column.key]}"', allow_blank=True
            )
            rule.add(f"{letter}2:{letter}100000")
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("Hướng dẫn")
    notes.column_dimensions["A"].width = 110
    for number, line in enumerate(NOTES, start=1):
        notes.cell(row=number, column=1, value=line)
    return _save(workbook)


def error_report_xlsx(outcome: ImportOutcome) -> bytes:
    """The rows with problems, as in the file, faulty cells filled and commented."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Lỗi"
    headers = ["Dòng", *outcome.headers, "Lỗi"]
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index, value=neutralise(header))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = 18
    sheet.column_dimensions[get_column_letter(len(headers))].width = 70
    by_row: dict[int, list] = {}
    for issue in outcome.issues:
        by_row.setdefault(issue.row, []).append(issue)
    for out_row, (number, issues) in enumerate(sorted(by_row.items()), start=2):
        sheet.cell(row=out_row, column=1, value=number)
        for index, value in enumerate(outcome.bad_rows.get(number, []), start=2):
            if value is not None:
                sheet.cell(row=out_row, column=index, value=neutralise(value))
        for issue in issues:
            if issue.column is None:
                continue
            cell = sheet.cell(row=out_row, column=issue.column + 2)
            cell.fill = ERROR_FILL
            cell.comment = Comment(issue.message, "boiduong")
        summary = sheet.cell(
            row=out_row, column=len(headers), value="; ".join(str(i) for i in issues)
        )
        summary.alignment = Alignment(wrap_text=True)
    if outcome.file_errors:
        notes = workbook.create_sheet("Lỗi tệp", 0)
        notes.column_dimensions["A"].width = 110
        for number, message in enumerate(outcome.file_errors, start=1):
            notes.cell(row=number, column=1, value=message)
    sheet.freeze_panes = "B2"
    return _save(workbook)
