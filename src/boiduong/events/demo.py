"""Demo courses: KH 361/KH-BGDĐT's three regional courses, built through the real services.

- 361-MB (Miền Bắc): dates fixed, call issued, nominations from Hà Nội, Hải Phòng and Thái
  Nguyên confirmed (one rejected as ineligible, two waitlisted), five days of attendance,
  results, certificates (one revoked with its reason, one replaced), and a cascade in Hà Nội;
- 361-MTTN (Miền Trung và Tây Nguyên): tentative dates, call issued, nominations submitted
  and waiting for the ministry;
- 361-MN (Miền Nam): tentative dates, call issued, a few nominations (Cà Mau among them) and
  Cà Mau's planned cascade.

Idempotent: if the courses exist, nothing is written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch

from boiduong.accounts.models import User
from boiduong.orgs.models import OrgUnit, Region
from boiduong.people.models import CoreStaffStatus, Person

from . import notify, rules, services
from .certificates import DEFAULT_BODY
from .choices import Audience, CourseStatus, Mode, NominationStatus, Outcome, StaffRole
from .models import CertificateTemplate, Course, Nomination

TITLE = (
    "Tập huấn, bồi dưỡng đội ngũ giáo viên và cán bộ quản lý cơ sở giáo dục mầm non cốt cán "
    "dựa trên tiếp cận mới về chức năng và nhiệm vụ của đội ngũ cốt cán"
)
MODULES = [
    "Bồi dưỡng về các năng lực: ứng dụng công nghệ thông tin và triển khai các khóa bồi dưỡng "
    "nâng cao năng lực chuyên môn cho đội ngũ giáo viên mầm non; hỗ trợ, tư vấn cho cán bộ quản "
    "lý cơ sở giáo dục mầm non xây dựng kế hoạch tự học, tự phát triển năng lực quản trị "
    "nhà trường",
    "Bồi dưỡng cập nhật những quy định, yêu cầu, nhiệm vụ mới liên quan đến giáo dục mầm non",
    "Bồi dưỡng cập nhật những kiến thức, kỹ năng trên cơ sở các nội dung trong chương trình bồi "
    "dưỡng thường xuyên đối với giáo viên mầm non",
]
# code, region code, region label, venue, plan task ordinal
COURSES = [
    ("361-MB", "mien-bac", "miền Bắc",
     "Trường Đại học Sư phạm Hà Nội, 136 Xuân Thủy, Cầu Giấy, Hà Nội", 4),
    ("361-MTTN", "mien-trung-tay-nguyen", "miền Trung và Tây Nguyên",
     "Trường Cao đẳng Sư phạm Trung ương - Nha Trang, Khánh Hòa", 5),
    ("361-MN", "mien-nam", "miền Nam", "Trường Đại học Sư phạm Thành phố Hồ Chí Minh", 6),
]  # fmt: skip
STAFF = [
    (StaffRole.ORGANISER, "Nguyễn Thị Hương", "Cục Nhà giáo và Cán bộ quản lý giáo dục"),
    (StaffRole.ORGANISER, "Trần Quốc Bảo", "Cục Nhà giáo và Cán bộ quản lý giáo dục"),
    (StaffRole.ORGANISER, "Lê Thị Thanh Hà", "Vụ Giáo dục Mầm non"),
    (StaffRole.ORGANISER, "Phạm Văn Khải", "Vụ Giáo dục Mầm non"),
    (StaffRole.ORGANISER, "Đặng Thu Trang", "Văn phòng Bộ"),
    (StaffRole.EXPERT, "Hoàng Minh Tuấn", "Trường Đại học Sư phạm Hà Nội"),
    (StaffRole.EXPERT, "Bùi Thị Kim Oanh", "Trường Cao đẳng Sư phạm Trung ương"),
    (StaffRole.EXPERT, "Ngô Thị Hợp", "Trường Đại học Sư phạm Hà Nội"),
    (StaffRole.EXPERT, "Đỗ Thị Minh Liên", "Vụ Giáo dục Mầm non"),
    (StaffRole.REPORTER, "Phan Thị Lan Anh", "Trường Cao đẳng Sư phạm Trung ương"),
    (StaffRole.REPORTER, "Vũ Thị Ngọc Minh", "Trường Đại học Sư phạm Hà Nội"),
    (StaffRole.REPORTER, "Nguyễn Thị Thu Hiền", "Trường Đại học Sư phạm Hà Nội"),
    (StaffRole.REPORTER, "Trịnh Thị Xuân", "Trường Cao đẳng Sư phạm Trung ương"),
    (StaffRole.REPORTER, "Lương Thị Bình", "Trường Cao đẳng Sư phạm Trung ương"),
    (StaffRole.REPORTER, "Hồ Sỹ Hùng", "Trường Đại học Sư phạm Hà Nội"),
    (StaffRole.REPORTER, "Cao Thị Hồng Nhung", "Vụ Giáo dục Mầm non"),
    (StaffRole.REPORTER, "Đinh Thị Phương", "Trường Đại học Sư phạm Hà Nội"),
    (StaffRole.REPORTER, "Tạ Thị Thu Thủy", "Trường Cao đẳng Sư phạm Trung ương"),
    (StaffRole.REPORTER, "Chu Văn Dũng", "Cục Nhà giáo và Cán bộ quản lý giáo dục"),
]
# 2021 departments whose demo people are nominated, per course.
NOMINATING = {"361-MB": ["SGD01", "SGD31", "SGD19"], "361-MTTN": ["SGD48", "SGD40", "SGD46"],
              "361-MN": ["SGD96", "SGD79", "SGD92"]}  # fmt: skip
MAI = "001190999999"  # Hoàng Thị Mai, the `giaovien` login: a participant of 361-MB


def _template(log) -> CertificateTemplate:
    template = CertificateTemplate.objects.filter(is_default=True).first()
    if template is None:
        template = services.certificate_template_save(
            actor=None,
            template=CertificateTemplate(
                name="Giấy chứng nhận tập huấn cốt cán (mặc định)",
                parent_body="BỘ GIÁO DỤC VÀ ĐÀO TẠO",
                issuer="CỤC NHÀ GIÁO VÀ CÁN BỘ QUẢN LÝ GIÁO DỤC",
                title="GIẤY CHỨNG NHẬN",
                body=DEFAULT_BODY,
                place="Hà Nội",
                signer_authority="KT. CỤC TRƯỞNG",
                signer_title="PHÓ CỤC TRƯỞNG",
                signer_name="Nguyễn Minh Đức",
                is_default=True,
            ),
        )
    return template


def _plan_task(ordinal: int):
    """KH 361's appendix task, when the plans app has imported the plan."""
    from django.apps import apps

    if not apps.is_installed("boiduong.plans"):
        return None
    task_model = apps.get_model("plans", "PlanTask")
    return (
        task_model.objects.filter(plan__document__code="361/KH-BGDĐT", plan__document__year=2021)
        .filter(ordinal__in=[str(ordinal), f"{ordinal}."])
        .first()
    )


def _candidates(codes: list[str]) -> dict[str, list[Person]]:
    """Core staff of 2020 under each department's lineage, eligible first, Mai first of all."""
    people = list(
        Person.objects.select_related("workplace")
        .prefetch_related(
            Prefetch("core_statuses", queryset=CoreStaffStatus.objects.filter(is_core=True)),
            "training_results",
        )
        .filter(core_statuses__year=2020, core_statuses__is_core=True)
        .order_by("sort_key", "id")
    )
    found = {}
    for code in codes:
        department = OrgUnit.objects.get(code=code)
        paths = rules.lineage_paths(department)
        mine = [p for p in people if rules.works_in(p, paths)]
        mine.sort(key=lambda p: (p.national_id != MAI, not _eligible(p)))
        found[code] = mine
    return found


def _eligible(person) -> bool:
    return rules.eligibility(rule=rules.KH361_RULE, person=person).ok


def _nominate(course: Course, codes: list[str], *, actor) -> list[Nomination]:
    made = []
    for code, people in _candidates(codes).items():
        department = OrgUnit.objects.get(code=code)
        for person in people:
            audience = rules.suggested_audience(person, course.eligibility_rule)
            quota = course.quotas.get(department=department, audience=audience)
            nomination = services.nomination_create(actor=actor, quota=quota, person=person)
            made.append(services.nomination_submit(actor=actor, nomination=nomination))
    return made


def build(*, log) -> None:
    if Course.objects.filter(code="361-MB").exists():
        log("Events: the KH 361 courses are already there.")
        return
    with transaction.atomic(), notify.muted():
        _build(log=log)


def _build(*, log) -> None:
    template = _template(log)
    ministry = User.objects.filter(username="cuc.ngcbqlgd").first()
    hanoi_officer = User.objects.filter(username="so.hanoi").first()
    trainer = User.objects.filter(username="giangvien").first()
    owner = OrgUnit.objects.get(code="NGCBQLGD")
    courses: dict[str, Course] = {}
    for code, region_code, region_label, venue, task in COURSES:
        fixed = code == "361-MB"
        course = services.course_create(
            actor=None,
            code=code,
            title=f"{TITLE} — {region_label}",
            owner=owner,
            region=Region.objects.get(code=region_code),
            starts_on=dt.date(2021, 7, 19) if fixed else dt.date(2021, 7, 1),
            ends_on=dt.date(2021, 7, 23) if fixed else dt.date(2021, 8, 31),
            is_tentative=not fixed,
            tentative_text="" if fixed else "dự kiến tháng 7-8/2021",
            days=5,
            days_required=4,
            mode=Mode.IN_PERSON,
            venue=venue,
            capacity=200,
            audiences=[Audience.CORE_TEACHER, Audience.CORE_MANAGER],
            eligibility_rule=dict(rules.KH361_RULE),
            modules=MODULES,
            stated_participants=200,
            stated_staff=20,
            plan_task=_plan_task(task),
        )
        services.course_update(actor=None, course=course, certificate_template=template)
        services.quota_propose(actor=None, course=course)
        services.call_issue(
            actor=None,
            course=course,
            number=f"{2786 + len(courses)}/BGDĐT-NGCBQLGD",
            title=(
                "V/v cử giáo viên, cán bộ quản lý mầm non cốt cán tham dự tập huấn tại "
                + region_label
            ),
            issued_on=dt.date(2021, 6, 18),
            deadline=dt.date(2021, 7, 2),
            body=(
                "Thực hiện Kế hoạch số 361/KH-BGDĐT ngày 07/4/2021, Bộ Giáo dục và Đào tạo đề nghị "
                "các Sở GDĐT cử giáo viên, cán bộ quản lý mầm non cốt cán được đánh giá đạt trong "
                "đợt tập huấn năm 2020 tham dự theo chỉ tiêu phân bổ. Kinh phí đi lại do địa "
                "phương chi trả theo quy định."
            ),
        )
        courses[code] = course

    # 361-MB: the organising staff (20, as KH 361 §III.1 states), giangvien among the reporters.
    mb = courses["361-MB"]
    for role, name, unit in STAFF:
        services.staff_member_add(actor=None, course=mb, role=role, full_name=name, unit_name=unit)
    if trainer is not None:
        services.staff_member_add(
            actor=None,
            course=mb,
            role=StaffRole.REPORTER,
            full_name=trainer.full_name,
            unit_name="Trường Đại học Sư phạm Hà Nội",
            user=trainer,
        )

    for nomination in _nominate(mb, NOMINATING["361-MB"], actor=None):
        if nomination.is_eligible and nomination.status == NominationStatus.SUBMITTED:
            services.nomination_confirm(actor=ministry, nomination=nomination)
        elif not nomination.is_eligible:
            services.nomination_reject(
                actor=ministry,
                nomination=nomination,
                reason="Không đạt trong đợt tập huấn năm 2020 (KH 361/KH-BGDĐT mục III.1).",
            )
    confirmed = list(
        mb.nominations.filter(status=NominationStatus.CONFIRMED)
        .select_related("person", "department")
        .order_by("department__path", "person__sort_key")
    )
    # Travel paid by the sending departments (KH 361 §V.5): Hà Nội hosts, the others travel.
    fares = {"SGD01": Decimal(0), "SGD31": Decimal(1_350_000), "SGD19": Decimal(1_600_000)}
    for department in sorted({n.department for n in confirmed}, key=lambda d: d.path):
        services.travel_costs_set(
            actor=None,
            course=mb,
            department=department,
            costs={
                n.pk: fares.get(department.code) for n in confirmed if n.department == department
            },
        )
    # One Hải Phòng participant misses two days (and fails: 4 are required), one from Hà Nội
    # misses the last day (and passes); Mai (the `giaovien` login) attends all five.
    failing = next(i for i, n in enumerate(confirmed) if n.department.code == "SGD31")
    for index, nomination in enumerate(confirmed):
        missed = {2, 3} if index == failing else ({5} if index == 2 else set())
        for day in mb.day_numbers():
            services.attendance_set(
                actor=trainer, nomination=nomination, day=day, is_present=day not in missed
            )
        passed = index != failing
        services.result_record(
            actor=trainer,
            nomination=nomination,
            outcome=Outcome.PASSED if passed else Outcome.FAILED,
            score=Decimal(str(7 + (index * 37 % 30) / 10)) if passed else Decimal("4.5"),
            remarks="" if passed else "Vắng 02 ngày (ngày 2 và 3).",
        )
    issued = services.certificates_issue(actor=ministry, course=mb, issued_on=mb.ends_on)
    services.certificate_revoke(
        actor=ministry,
        certificate=issued[-1],
        reason="Hồ sơ cử tham dự không đúng đối tượng; Sở GDĐT đề nghị thu hồi (CV 512/SGDĐT).",
    )
    services.certificate_replace(
        actor=ministry, certificate=issued[1], reason="Sửa ngày sinh in sai trên giấy chứng nhận."
    )
    services.course_complete(actor=None, course=mb)

    # Hà Nội's cascade after 361-MB: two trainers certified nationally, a few participants.
    hanoi = OrgUnit.objects.get(code="SGD01")
    cascade = services.cascade_create(
        actor=hanoi_officer,
        parent=mb,
        department=hanoi,
        code="361-MB-HN1",
        title="Tập huấn lại cho giáo viên, cán bộ quản lý mầm non thành phố Hà Nội",
        starts_on=dt.date(2021, 9, 20),
        ends_on=dt.date(2021, 9, 21),
        venue="Trường Mầm non Hoa Sen, Hà Nội",
        capacity=60,
        days=2,
    )
    certified = [
        c.nomination.person
        for c in mb.certificates.filter(status="valid", nomination__department=hanoi)
        .select_related("nomination__person")
        .order_by("serial")
    ]
    for person in certified[:2]:
        services.cascade_trainer_add(actor=hanoi_officer, course=cascade, person=person)
    nominated = set(mb.nominations.values_list("person_id", flat=True))
    local = (
        Person.objects.filter(
            workplace__path__startswith=OrgUnit.objects.get(code="SGD01-2025").path
        )
        .exclude(pk__in=nominated)
        .order_by("sort_key")[:12]
    )
    for person in local:
        services.cascade_participant_add(actor=hanoi_officer, course=cascade, person=person)

    # 361-MTTN: nominations waiting for the ministry.
    _nominate(courses["361-MTTN"], NOMINATING["361-MTTN"], actor=None)
    # 361-MN: a few nominations, Cà Mau's cascade planned.
    mn = courses["361-MN"]
    _nominate(mn, NOMINATING["361-MN"], actor=None)
    camau = OrgUnit.objects.get(code="SGD96")
    services.cascade_create(
        actor=None,
        parent=mn,
        department=camau,
        code="361-MN-CM1",
        title="Tập huấn lại cho giáo viên mầm non cốt cán tỉnh Cà Mau",
        starts_on=dt.date(2021, 10, 11),
        venue="Sở GDĐT Cà Mau",
        capacity=80,
        days=2,
    )
    assert mb.status == CourseStatus.COMPLETED
    log(
        f"Events: 3 KH 361 courses, {Nomination.objects.count()} nominations, "
        f"{len(issued) + 1} certificates (1 revoked, 1 replaced), 2 cascades"
    )
