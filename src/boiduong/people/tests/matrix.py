from boiduong.core.matrix import Case


def _person(national_id):
    def kwargs(world):
        from boiduong.people.models import Person

        return {"pk": Person.objects.get(national_id=national_id).pk}

    return kwargs


HANOI_TEACHER = _person("001190999999")  # Hoàng Thị Mai, the `giaovien` login


def CAMAU_PERSON(world):
    from boiduong.people.models import Person

    return {"pk": Person.objects.filter(workplace__province__code="96").first().pk}


def _import_job(username):
    def kwargs(world):
        from boiduong.core.models import Job

        job = Job.objects.create(
            kind="people.import",
            title="Kiểm tra",
            params={"dry_run": True, "filename": "x.csv"},
            status=Job.Status.SUCCEEDED,
            created_by=world.user(username),
        )
        return {"pk": job.pk}

    return kwargs


CASES = [
    Case("people:person_list", allowed="so.hanoi", query="?q=mai&core=any&year=2020"),
    Case("people:person_detail", allowed="so.hanoi", kwargs=HANOI_TEACHER, foreign=CAMAU_PERSON),
    Case(
        "people:person_reveal",
        allowed="so.hanoi",
        kwargs=HANOI_TEACHER,
        foreign=CAMAU_PERSON,
        denied=["giangvien", "cuc.ngcbqlgd"],
        expect=405,  # revealing is a POST; a GET tells so (after the scope check)
    ),
    Case("people:import", allowed="so.hanoi", denied=["giangvien", "thanhtra"]),
    Case("people:import_template", allowed="so.hanoi", denied=["giangvien"]),
    Case(
        "people:import_detail",
        allowed="so.hanoi",
        kwargs=_import_job("so.hanoi"),
        foreign=_import_job("so.camau"),
        denied=["giangvien"],
    ),
    Case(
        "people:import_confirm",
        allowed="so.hanoi",
        kwargs=_import_job("so.hanoi"),
        foreign=_import_job("so.camau"),
        expect=302,  # a GET goes back to the preview; confirming is a POST
    ),
    Case("person-list", allowed="so.hanoi", api=True, query="?q=nguyen"),
    Case("person-detail", allowed="so.hanoi", api=True, kwargs=HANOI_TEACHER, foreign=CAMAU_PERSON),
]
