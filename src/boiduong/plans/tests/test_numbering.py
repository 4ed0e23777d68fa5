"""The register of outgoing documents: numbers per issuer per calendar year from 01."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, transaction

from boiduong.plans import services
from boiduong.plans.models import Document, NumberCounter, NumberRegister

from . import factories


def _draft(issuer, doc_type="KH", **fields) -> Document:
    document = Document(
        doc_type=doc_type, issuer=issuer, issuer_name=issuer.name, owner=issuer, **fields
    )
    document.save()
    return document


def test_numbers_start_at_01_per_issuer_and_year(world):
    cuc, ministry = world.unit("NGCBQLGD"), world.unit("BGDDT")
    officer = world.user("cuc.ngcbqlgd")
    day = dt.date(2027, 1, 2)
    first = services.document_sign(actor=officer, document=_draft(cuc), signed_on=day)
    second = services.document_sign(actor=officer, document=_draft(cuc, "BC"), signed_on=day)
    other = services.document_sign(actor=officer, document=_draft(ministry, "QD"), signed_on=day)
    next_year = services.document_sign(
        actor=officer, document=_draft(cuc), signed_on=dt.date(2028, 1, 1)
    )
    assert [first.code, second.code, other.code, next_year.code] == [
        "01/KH-NGCBQLGD",  # numbers under 10 take a leading zero (Phụ lục I mục II.3)
        "02/BC-NGCBQLGD",
        "01/QĐ-BGDĐT",
        "01/KH-NGCBQLGD",
    ]
    assert first.issued_on == day and first.year == 2027 and first.signed_by == officer
    assert first.register.number == 1
    assert next_year.year == 2028


def test_a_dispatch_gets_issuer_and_drafting_unit_in_its_notation(world):
    ministry = world.unit("BGDDT")
    letter = _draft(ministry, "CV", drafting_unit_abbr="NGCBQLGD")
    signed = services.document_sign(actor=None, document=letter, signed_on=dt.date(2027, 3, 3))
    assert signed.code == "01/BGDĐT-NGCBQLGD"


def test_the_register_continues_after_numbers_imported_for_that_year(world):
    ministry = world.unit("BGDDT")
    known = Document.objects.filter(issuer=ministry, year=2021, number__isnull=False)
    highest = max(known.values_list("number", flat=True))
    assert highest >= 361  # KH 361/KH-BGDĐT of 2021 is already in the system
    signed = services.document_sign(
        actor=None, document=_draft(ministry), signed_on=dt.date(2021, 12, 30)
    )
    assert signed.number == highest + 1


def test_an_imported_draft_is_signed_with_its_own_notation(world):
    plan = factories.import_plan(factories.DRAFT)
    signed = services.document_sign(
        actor=world.user("cuc.ngcbqlgd"), document=plan.document, signed_on=dt.date(2026, 11, 20)
    )
    assert signed.code == "01/KH-NGCBQLGD" and signed.state == "issued"


def test_signing_twice_placeholders_and_unknown_issuers_are_refused(world):
    plan = factories.import_plan(factories.DRAFT)
    services.document_sign(actor=None, document=plan.document)
    with pytest.raises(services.DocumentSignError, match="đã có số"):
        services.document_sign(actor=None, document=plan.document)
    with pytest.raises(services.DocumentSignError):
        services.document_sign(actor=None, document=Document.objects.get(code="51/KH-BGDĐT"))
    orphan = Document(doc_type="KH", title="Không rõ cơ quan")
    orphan.save()
    with pytest.raises(services.DocumentSignError, match="cơ quan ban hành"):
        services.document_sign(actor=None, document=orphan)


def test_the_database_refuses_a_number_given_twice(world):
    ministry = world.unit("BGDDT")
    signed = services.document_sign(actor=None, document=_draft(ministry))
    with pytest.raises(IntegrityError), transaction.atomic():
        NumberRegister.objects.create(
            issuer=ministry, year=signed.year, number=signed.number, document=_draft(ministry)
        )


def test_signing_through_the_page_needs_documents_manage(world):
    plan = factories.import_plan(factories.DRAFT)
    url = f"/plans/documents/{plan.document_id}/sign/"
    assert world.client_for("so.hanoi").post(url).status_code == 403
    response = world.client_for("cuc.ngcbqlgd").post(url, follow=True)
    assert "Đã ký và cấp số" in response.content.decode()
    plan.document.refresh_from_db()
    assert plan.document.number == 1


def _in_own_connection(work):
    """Run `work` in a thread with its own connection (it commits, unlike the test's)."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks (PostgreSQL)")
@pytest.mark.postgres
@pytest.mark.django_db
def test_concurrent_signing_never_gives_a_number_twice():
    """Eight drafts signed at once from eight connections get 01..08, each once.

    The threads commit (they do not share the test's transaction), so they clean up after
    themselves and the demo world stays as the other tests expect it."""
    from django.contrib.contenttypes.models import ContentType

    from boiduong.core.models import AuditEvent
    from boiduong.orgs.models import OrgUnit

    year, count = 2099, 8
    issuer = OrgUnit.objects.get(code="VP")
    drafts = _in_own_connection(lambda: [_draft(issuer, "TB").pk for _ in range(count)])
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def sign(pk):
        try:
            barrier.wait(timeout=10)
            services.document_sign(
                actor=None, document=Document(pk=pk), signed_on=dt.date(year, 5, 5)
            )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    def cleanup():
        NumberRegister.objects.filter(issuer=issuer, year=year).delete()
        NumberCounter.objects.filter(issuer=issuer, year=year).delete()
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Document),
            object_id__in=[str(pk) for pk in drafts],
        ).delete()
        Document.objects.filter(pk__in=drafts).delete()

    threads = [threading.Thread(target=sign, args=(pk,)) for pk in drafts]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, errors
        numbers = sorted(
            NumberRegister.objects.filter(issuer=issuer, year=year).values_list("number", flat=True)
        )
        assert numbers == list(range(1, count + 1))
        assert NumberCounter.objects.get(issuer=issuer, year=year).last_number == count
        codes = set(Document.objects.filter(pk__in=drafts).values_list("code", flat=True))
        assert codes == {f"{n:02d}/TB-VP" for n in range(1, count + 1)}
    finally:
        _in_own_connection(cleanup)
