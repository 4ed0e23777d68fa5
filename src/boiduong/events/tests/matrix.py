"""The events rows of the permission matrix (core/tests/test_permission_matrix.py).

Foreign objects for so.hanoi (Sở GDĐT Hà Nội): Cà Mau's cascade course, Cà Mau's quota and
nominations on the Miền Nam course, Hải Phòng's certificate and result on the Miền Bắc course.
"""

from boiduong.core.matrix import Case


def _course(code):
    def kwargs(world):
        from boiduong.events.models import Course

        return {"pk": Course.objects.get(code=code).pk}

    return kwargs


def _nominate(code, department):
    def kwargs(world):
        from boiduong.events.models import Course

        return {"pk": Course.objects.get(code=code).pk, "department": world.unit(department).pk}

    return kwargs


def _nomination(code, department):
    def kwargs(world):
        from boiduong.events.models import Nomination

        found = Nomination.objects.filter(course__code=code, department__code=department)
        return {"pk": found.order_by("pk").first().pk}

    return kwargs


def _certificate(department):
    def kwargs(world):
        from boiduong.events.models import Certificate

        found = Certificate.objects.filter(
            course__code="361-MB", nomination__department__code=department, status="valid"
        )
        return {"pk": found.order_by("serial").first().pk}

    return kwargs


def _quota(code, department):
    def kwargs(world):
        from boiduong.events.models import Quota

        return {"pk": Quota.objects.filter(course__code=code, department__code=department)[0].pk}

    return kwargs


def _result(department):
    def kwargs(world):
        from boiduong.events.models import Result

        found = Result.objects.filter(nomination__department__code=department)
        return {"pk": found.order_by("pk").first().pk}

    return kwargs


def _attendance(world):
    from boiduong.events.models import Attendance

    return {"pk": Attendance.objects.order_by("pk").first().pk}


def _template(world):
    from boiduong.events.models import CertificateTemplate

    return {"pk": CertificateTemplate.objects.get(is_default=True).pk}


def _code(world):
    from boiduong.events.models import Certificate

    return {"code": Certificate.objects.filter(status="valid").order_by("pk").first().code}


def _region(world):
    from boiduong.orgs.models import Region

    return {"pk": Region.objects.get(code="mien-bac").pk}


MB = _course("361-MB")
HANOI_CASCADE = _course("361-MB-HN1")
CAMAU_CASCADE = _course("361-MN-CM1")
HANOI_NOMINATE = _nominate("361-MB", "SGD01")
CAMAU_NOMINATE = _nominate("361-MN", "SGD96")
HANOI_NOMINATION = _nomination("361-MB", "SGD01")
CAMAU_NOMINATION = _nomination("361-MN", "SGD96")
HANOI_CERTIFICATE = _certificate("SGD01")
HAIPHONG_CERTIFICATE = _certificate("SGD31")
MINISTRY = "cuc.ngcbqlgd"
TRAINER = "giangvien"
OFFICER = "so.hanoi"
MAI = "001190999999"  # Hoàng Thị Mai, a teacher of Hà Nội (events/demo.py)

CASES = [
    # courses
    Case("events:course_list", allowed=OFFICER, query="?region=&q=mien bac"),
    Case("events:course_create", allowed=MINISTRY, denied=[OFFICER, TRAINER]),
    Case("events:course_detail", allowed=OFFICER, kwargs=MB, foreign=CAMAU_CASCADE),
    Case("events:course_update", allowed=MINISTRY, kwargs=MB, denied=[OFFICER]),
    Case("events:course_mode", allowed=MINISTRY, kwargs=MB, denied=[OFFICER], expect=405),
    Case("events:staff_add", allowed=MINISTRY, kwargs=MB, denied=[OFFICER], expect=405),
    # quotas, calls, inbox
    Case("events:quota_list", allowed=OFFICER, kwargs=MB, foreign=CAMAU_CASCADE),
    Case("events:call_create", allowed=MINISTRY, kwargs=MB, denied=[OFFICER]),
    Case("events:inbox", allowed=OFFICER, denied=[MINISTRY, TRAINER]),
    # nominations
    Case("events:nomination_list", allowed=OFFICER, kwargs=MB, foreign=CAMAU_CASCADE),
    Case(
        "events:nominate",
        allowed=OFFICER,
        kwargs=HANOI_NOMINATE,
        foreign=CAMAU_NOMINATE,
        denied=[MINISTRY, TRAINER],
    ),
    Case(
        "events:nomination_template",
        allowed=OFFICER,
        kwargs=HANOI_NOMINATE,
        foreign=CAMAU_NOMINATE,
        denied=[MINISTRY],
    ),
    Case(
        "events:nomination_upload",
        allowed=OFFICER,
        kwargs=HANOI_NOMINATE,
        foreign=CAMAU_NOMINATE,
        denied=[MINISTRY],
        expect=405,
    ),
    Case(
        "events:nomination_detail",
        allowed=OFFICER,
        kwargs=HANOI_NOMINATION,
        foreign=CAMAU_NOMINATION,
    ),
    Case(
        "events:nomination_action",
        allowed=OFFICER,
        kwargs=HANOI_NOMINATION,
        foreign=CAMAU_NOMINATION,
        expect=405,
    ),
    Case("events:my_courses", allowed="giaovien"),
    # attendance and results (trainers; a department only on its own cascade)
    Case("events:attendance", allowed=TRAINER, kwargs=MB, denied=[OFFICER], query="?day=2"),
    Case("events:attendance_toggle", allowed=TRAINER, kwargs=MB, denied=[OFFICER], expect=405),
    Case("events:attendance_scan", allowed=TRAINER, kwargs=MB, denied=[OFFICER]),
    Case("events:attendance_import", allowed=TRAINER, kwargs=MB, denied=[OFFICER]),
    Case("events:badges", allowed=TRAINER, kwargs=MB, denied=[OFFICER]),
    Case("events:results", allowed=TRAINER, kwargs=MB, denied=[OFFICER, "giaovien"]),
    # certificates
    Case("events:certificate_list", allowed=OFFICER, kwargs=MB, foreign=CAMAU_CASCADE),
    Case(
        "events:certificate_generate",
        allowed=MINISTRY,
        kwargs=MB,
        denied=[OFFICER, TRAINER],
        expect=405,
    ),
    Case(
        "events:certificate_detail",
        allowed=OFFICER,
        kwargs=HANOI_CERTIFICATE,
        foreign=HAIPHONG_CERTIFICATE,
    ),
    Case(
        "events:certificate_pdf",
        allowed=OFFICER,
        kwargs=HANOI_CERTIFICATE,
        foreign=HAIPHONG_CERTIFICATE,
    ),
    Case(
        "events:certificate_action",
        allowed=MINISTRY,
        kwargs=HANOI_CERTIFICATE,
        denied=[OFFICER],
        expect=405,
    ),
    Case("events:template_list", allowed=MINISTRY, denied=[OFFICER, TRAINER]),
    Case("events:template_create", allowed=MINISTRY, denied=[OFFICER]),
    Case("events:template_edit", allowed=MINISTRY, kwargs=_template, denied=[OFFICER]),
    Case("events:template_preview", allowed=MINISTRY, kwargs=_template, denied=[OFFICER]),
    Case("verify", allowed=None, public=True, kwargs=_code),
    Case("verify_lookup", allowed=None, public=True),
    # reports and cascades
    Case(
        "events:course_report",
        allowed=OFFICER,
        kwargs=MB,
        foreign=CAMAU_CASCADE,
        denied=["giaovien"],
    ),
    Case("events:region_report", allowed=OFFICER, kwargs=_region, denied=["giaovien"]),
    Case("events:reach", allowed=OFFICER, denied=["giaovien"]),
    Case("events:cascade_create", allowed=OFFICER, kwargs=MB, denied=[MINISTRY, TRAINER]),
    Case(
        "events:cascade_add",
        allowed=OFFICER,
        kwargs=HANOI_CASCADE,
        foreign=CAMAU_CASCADE,
        denied=[MINISTRY],
        expect=405,
    ),
    # API
    Case("course-list", allowed=OFFICER, api=True, query="?region=&status=completed"),
    Case("course-detail", allowed=OFFICER, api=True, kwargs=MB, foreign=CAMAU_CASCADE),
    # whether a person may be nominated: the department (events.nominate) or the ministry
    Case(
        "course-eligibility",
        allowed=OFFICER,
        api=True,
        kwargs=MB,
        query=f"?national_id={MAI}",
        foreign=CAMAU_CASCADE,
        denied=[TRAINER, "giaovien"],
    ),
    Case("course-eligibility", allowed=MINISTRY, api=True, kwargs=MB, query=f"?national_id={MAI}"),
    Case("quota-list", allowed=OFFICER, api=True),
    Case(
        "quota-detail",
        allowed=OFFICER,
        api=True,
        kwargs=_quota("361-MB", "SGD01"),
        foreign=_quota("361-MN", "SGD96"),
    ),
    Case("nomination-list", allowed=OFFICER, api=True, query="?status=confirmed"),
    Case(
        "nomination-detail",
        allowed=OFFICER,
        api=True,
        kwargs=HANOI_NOMINATION,
        foreign=CAMAU_NOMINATION,
    ),
    # nomination actions are POSTs: a GET is 405, after the permission gate and the scope check
    *[
        Case(
            f"nomination-{name}",
            allowed=OFFICER,
            api=True,
            kwargs=HANOI_NOMINATION,
            foreign=CAMAU_NOMINATION,
            denied=[MINISTRY, TRAINER, "giaovien"],
            expect=405,
        )
        for name in ("submit", "withdraw", "substitute")
    ],
    *[
        Case(
            f"nomination-{name}",
            allowed=MINISTRY,
            api=True,
            kwargs=HANOI_NOMINATION,
            denied=[OFFICER, TRAINER, "giaovien"],
            expect=405,
        )
        for name in ("confirm", "reject", "override")
    ],
    # a whole list at once (a POST): the department's
    Case(
        "nomination-bulk",
        allowed=OFFICER,
        api=True,
        denied=[MINISTRY, TRAINER, "giaovien"],
        expect=405,
    ),
    # off the waitlist: the department (events.nominate on it) or the ministry (events.confirm)
    Case(
        "nomination-promote",
        allowed=OFFICER,
        api=True,
        kwargs=HANOI_NOMINATION,
        foreign=CAMAU_NOMINATION,
        denied=[TRAINER, "giaovien"],
        expect=405,
    ),
    Case(
        "nomination-promote",
        allowed=MINISTRY,
        api=True,
        kwargs=HANOI_NOMINATION,
        denied=[],
        expect=405,
    ),
    Case("attendance-list", allowed=TRAINER, api=True, denied=["giaovien"]),
    Case("attendance-detail", allowed=TRAINER, api=True, kwargs=_attendance),
    # scanning is a POST; a department passes the gate (its own cascades), a teacher does not
    Case("attendance-scan", allowed=TRAINER, api=True, denied=["giaovien"], expect=405),
    Case("result-list", allowed=OFFICER, api=True),
    Case(
        "result-detail",
        allowed=OFFICER,
        api=True,
        kwargs=_result("SGD01"),
        foreign=_result("SGD31"),
    ),
    Case("certificate-list", allowed=OFFICER, api=True, query="?status=valid"),
    Case(
        "certificate-detail",
        allowed=OFFICER,
        api=True,
        kwargs=HANOI_CERTIFICATE,
        foreign=HAIPHONG_CERTIFICATE,
    ),
    Case("certificate-verify", allowed=None, api=True, public=True, kwargs=_code),
]
