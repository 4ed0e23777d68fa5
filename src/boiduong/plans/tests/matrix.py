from boiduong.core.matrix import Case


def _plan(which):
    def kwargs(world):
        from . import factories

        return {"pk": getattr(factories, f"{which}_plan")().pk}

    return kwargs


def _document(which):
    def kwargs(world):
        from . import factories

        return {"pk": getattr(factories, f"{which}_plan")().document_id}

    return kwargs


def _task(which):
    def kwargs(world):
        from . import factories

        return {"pk": factories.first_task(getattr(factories, f"{which}_plan")()).pk}

    return kwargs


def _attachment(which):
    def kwargs(world):
        from . import factories

        document = getattr(factories, f"{which}_plan")().document
        return {"pk": document.pk, "attachment_pk": document.attachments.get().pk}

    return kwargs


def _draft(username):
    def kwargs(world):
        from . import factories

        return {"pk": factories.draft_for(world.user(username)).pk}

    return kwargs


def _programme(world):
    from boiduong.plans.models import Programme

    return {"pk": Programme.objects.get(code="gdmn-2018-2025").pk}


def _indicator(world):
    from boiduong.plans.models import Programme

    programme = Programme.objects.get(code="gdmn-2018-2025")
    return {"pk": programme.pk, "indicator_pk": programme.indicators.order_by("pk")[0].pk}


def _kh361(world):
    from boiduong.plans.models import Document

    return {"pk": Document.objects.get(code="361/KH-BGDĐT", year=2021).pk}


HANOI_PLAN, CAMAU_PLAN = _plan("hanoi"), _plan("camau")
HANOI_DOC, CAMAU_DOC = _document("hanoi"), _document("camau")
NO_PLANS = ["giaovien"]  # participants do not see plans or documents
# Editing programmes, plans and documents is the ministry's (plans.manage, documents.manage); a
# ministry officer's scope is the whole tree, so "another province" is covered in
# test_editing.py with an officer scoped to one department.
NOT_MANAGERS = ["so.hanoi", "lanhdao", "thanhtra"]

CASES = [
    Case("plans:programme_list", allowed="so.hanoi", denied=NO_PLANS, query="?q=mam non"),
    Case("plans:programme_detail", allowed="so.hanoi", kwargs=_programme, denied=NO_PLANS),
    Case("plans:my_tasks", allowed="so.hanoi", query="?due=overdue", denied=NO_PLANS),
    Case(
        "plans:task_edit",
        allowed="so.hanoi",
        kwargs=_task("hanoi"),
        foreign=_task("camau"),
        denied=["thanhtra", "giangvien", "lanhdao"],
    ),
    Case(
        "plans:task_inline",
        allowed="so.hanoi",
        kwargs=_task("hanoi"),
        foreign=_task("camau"),
        denied=["thanhtra", "giangvien", "lanhdao"],
    ),
    Case(
        "plans:task_row",
        allowed="so.hanoi",
        kwargs=_task("hanoi"),
        foreign=_task("camau"),
        denied=NO_PLANS,
    ),
    Case("plans:plan_detail", allowed="so.hanoi", kwargs=HANOI_PLAN, foreign=CAMAU_PLAN),
    Case("plans:plan_edit", allowed="cuc.ngcbqlgd", kwargs=HANOI_PLAN, denied=NOT_MANAGERS),
    Case(
        "plans:indicator_create",
        allowed="cuc.ngcbqlgd",
        kwargs=_programme,
        denied=NOT_MANAGERS,
    ),
    Case("plans:indicator_edit", allowed="cuc.ngcbqlgd", kwargs=_indicator, denied=NOT_MANAGERS),
    Case(
        "plans:indicator_delete",
        allowed="cuc.ngcbqlgd",
        kwargs=_indicator,
        denied=NOT_MANAGERS,
        expect=405,  # removing is a POST with a reason
    ),
    Case("plans:plan_tasks", allowed="so.hanoi", kwargs=HANOI_PLAN, foreign=CAMAU_PLAN),
    Case("plans:plan_timeline", allowed="so.hanoi", kwargs=HANOI_PLAN, foreign=CAMAU_PLAN),
    Case(
        "plans:plan_history",
        allowed="so.hanoi",
        kwargs=HANOI_PLAN,
        foreign=CAMAU_PLAN,
        denied=NO_PLANS,
    ),
    Case("plans:document_list", allowed="so.hanoi", query="?doc_type=KH", denied=NO_PLANS),
    Case("plans:document_detail", allowed="so.hanoi", kwargs=HANOI_DOC, foreign=CAMAU_DOC),
    Case("plans:document_docx", allowed="so.hanoi", kwargs=HANOI_DOC, foreign=CAMAU_DOC),
    Case("plans:document_pdf", allowed="so.hanoi", kwargs=HANOI_DOC, foreign=CAMAU_DOC),
    Case(
        "plans:attachment_download",
        allowed="so.hanoi",
        kwargs=_attachment("hanoi"),
        foreign=_attachment("camau"),
    ),
    Case(
        "plans:document_sign",
        allowed="cuc.ngcbqlgd",
        kwargs=_kh361,
        denied=["so.hanoi", "lanhdao"],
        expect=405,  # signing is a POST; a GET says so (after the scope check)
    ),
    Case("plans:document_edit", allowed="cuc.ngcbqlgd", kwargs=HANOI_DOC, denied=NOT_MANAGERS),
    Case(
        "plans:attachment_upload",
        allowed="cuc.ngcbqlgd",
        kwargs=HANOI_DOC,
        denied=NOT_MANAGERS,
        expect=405,  # uploading is a POST
    ),
    Case(
        "plans:attachment_delete",
        allowed="cuc.ngcbqlgd",
        kwargs=_attachment("hanoi"),
        denied=NOT_MANAGERS,
        expect=405,  # removing is a POST with a reason
    ),
    Case("plans:import", allowed="cuc.ngcbqlgd", denied=["so.hanoi", "lanhdao", "thanhtra"]),
    Case(
        "plans:import_preview",
        allowed="cuc.ngcbqlgd",
        kwargs=_draft("cuc.ngcbqlgd"),
        foreign=_draft("admin"),  # another user's draft
        denied=["so.hanoi"],
    ),
    Case(
        "plans:import_confirm",
        allowed="cuc.ngcbqlgd",
        kwargs=_draft("cuc.ngcbqlgd"),
        foreign=_draft("admin"),
        expect=302,  # a GET goes back to the preview; confirming is a POST
    ),
    Case("programme-list", allowed="so.hanoi", api=True),
    Case("programme-detail", allowed="so.hanoi", api=True, kwargs=_programme),
    Case("document-list", allowed="so.hanoi", api=True, query="?doc_type=KH"),
    Case("document-detail", allowed="so.hanoi", api=True, kwargs=HANOI_DOC, foreign=CAMAU_DOC),
    Case("plan-list", allowed="so.hanoi", api=True),
    Case("plan-detail", allowed="so.hanoi", api=True, kwargs=HANOI_PLAN, foreign=CAMAU_PLAN),
    Case("plantask-list", allowed="so.hanoi", api=True, query="?due=overdue"),
    Case(
        "plantask-detail",
        allowed="so.hanoi",
        api=True,
        kwargs=_task("hanoi"),
        foreign=_task("camau"),
    ),
]
