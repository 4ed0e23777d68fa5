from boiduong.core.matrix import Case


def _job(world):
    from boiduong.core.models import Job

    job = Job.objects.create(kind="test", title="Test", created_by=world.user("so.hanoi"))
    return {"pk": job.pk}


def _foreign_job(world):
    from boiduong.core.models import Job

    job = Job.objects.create(kind="test", title="Test", created_by=world.user("so.camau"))
    return {"pk": job.pk}


CASES = [
    Case("core:home", allowed="so.hanoi", public=False),
    Case("core:audit_log", allowed="admin", denied=["so.hanoi", "cuc.ngcbqlgd"]),
    Case("core:job_list", allowed="so.hanoi"),
    Case("core:job_active_count", allowed="so.hanoi"),
    Case("core:job_detail", allowed="so.hanoi", kwargs=_job, foreign=_foreign_job),
    Case("core:job_download", allowed="so.hanoi", kwargs=_job, foreign=_foreign_job, expect=404),
    Case("accounts:login", allowed=None, public=True),
    Case("accounts:password_change", allowed="so.hanoi"),
    Case("api-schema", allowed=None, public=True),
    Case("api-docs", allowed=None, public=True),
]
