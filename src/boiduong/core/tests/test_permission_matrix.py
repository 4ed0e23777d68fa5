"""The permission matrix, generated from the apps' `tests/matrix.py` declarations."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.urls import get_resolver, reverse

from boiduong.core.matrix import EXEMPT_NAMES, EXEMPT_PREFIXES, Case

APPS = ["core", "accounts", "orgs", "plans", "people", "events"]


def _cases() -> list[Case]:
    cases = []
    for app in APPS:
        try:
            module = import_module(f"boiduong.{app}.tests.matrix")
        except ModuleNotFoundError:
            continue
        cases.extend(module.CASES)
    return cases


CASES = _cases()


def _url_names(resolver=None, namespace="") -> set[str]:
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, ns)
        elif pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_is_declared():
    declared = {case.url_name for case in CASES}
    names = {
        name
        for name in _url_names()
        if not name.startswith(EXEMPT_PREFIXES)
        and name not in EXEMPT_NAMES
        and not name.endswith("-format")  # DRF's format-suffix twins of declared routes
    }
    missing = sorted(names - declared)
    assert not missing, f"URLs without a permission-matrix case: {missing}"


def _url(case: Case, world, kwargs=None) -> str:
    return (
        reverse(
            case.url_name,
            kwargs=kwargs if kwargs is not None else (case.kwargs(world) if case.kwargs else None),
        )
        + case.query
    )


def _ids(cases):
    return [case.url_name for case in cases]


PRIVATE = [case for case in CASES if not case.public]


@pytest.mark.parametrize("case", PRIVATE, ids=_ids(PRIVATE))
def test_anonymous_is_sent_to_login(case, world):
    response = world.client_for(None).get(_url(case, world))
    if case.api:
        assert response.status_code in {401, 403}
    else:
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("case", PRIVATE, ids=_ids(PRIVATE))
def test_user_without_role_is_forbidden(case, world):
    client = world.client_for(None)
    client.force_login(world.no_role_user())
    response = client.get(_url(case, world))
    if case.url_name in {"core:home", "accounts:password_change"}:
        assert response.status_code == 200  # every logged-in user has a home page
    elif case.url_name.startswith("core:job"):
        assert response.status_code == 403
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_right_role_gets_the_page(case, world):
    response = world.client_for(case.allowed).get(_url(case, world))
    assert response.status_code == case.expect, response.content[:500]


WRONG_ROLE = [(case, user) for case in CASES for user in case.denied]


@pytest.mark.parametrize("case,user", WRONG_ROLE, ids=[f"{c.url_name}-{u}" for c, u in WRONG_ROLE])
def test_role_without_the_permission_is_forbidden(case, user, world):
    assert world.client_for(user).get(_url(case, world)).status_code == 403


FOREIGN = [case for case in CASES if case.foreign]


@pytest.mark.parametrize("case", FOREIGN, ids=_ids(FOREIGN))
def test_other_provinces_object_is_not_found(case, world):
    response = world.client_for(case.allowed).get(_url(case, world, case.foreign(world)))
    assert response.status_code == 404
