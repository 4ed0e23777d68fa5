"""Scoped reads of the people registry."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from boiduong.core import access

from .models import CoreStaffStatus, Person


def person_list(*, user) -> QuerySet[Person]:
    """People the user may see, with what list pages and the API show of them."""
    return access.restrict(
        Person.objects.select_related("workplace__province").prefetch_related(
            Prefetch(
                "core_statuses",
                queryset=CoreStaffStatus.objects.filter(is_core=True).order_by("-year"),
                to_attr="core_years",
            )
        ),
        user,
        "people.view",
    )


def national_id_for(user, person: Person) -> str:
    """The ID as this user may see it in a list: whole with people.view_national_id on the
    person's unit, masked otherwise."""
    if access.scope(user, "people.view_national_id").covers(person.workplace.path):
        return person.national_id
    return person.masked_national_id


def can_reveal(user, person: Person) -> bool:
    return access.scope(user, "people.view_national_id").covers(person.workplace.path)


def count_by_province(people: QuerySet[Person]) -> dict:
    """How many of `people` work in each province: {Province: count}, for the province map."""
    from boiduong.orgs.models import Province

    counts = dict(
        people.order_by()
        .values_list("workplace__province")
        .annotate(n=Count("id"))
        .values_list("workplace__province", "n")
    )
    provinces = Province.objects.in_bulk([pk for pk in counts if pk is not None])
    return {provinces[pk]: n for pk, n in counts.items() if pk in provinces}
