"""Shared test fixtures: the reference world is loaded once per test database."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture(scope="session", autouse=True)
def _eager_jobs():
    """Jobs run in-process in tests (the real task code, no broker)."""
    from boiduong.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.db import connection

    from boiduong.core import demo

    name = str(connection.settings_dict["NAME"])
    if not (name.startswith("test_") or "memory" in name or "/test_" in name):
        # Never build the demo world into a developer's own database.
        pytest.fail(f"refusing to build the demo world into non-test database {name!r}")
    with django_db_blocker.unblock():
        demo.build(log=lambda line: None)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "media"


class World:
    """Handy references into the demo world."""

    def user(self, username: str):
        from boiduong.accounts.models import User

        return User.objects.get(username=username)

    def unit(self, code: str):
        from boiduong.orgs.models import OrgUnit

        return OrgUnit.objects.get(code=code)

    def client_for(self, username: str | None) -> Client:
        client = Client()
        if username:
            client.force_login(self.user(username))
        return client

    def no_role_user(self):
        from boiduong.accounts.models import User

        user, _ = User.objects.get_or_create(
            username="norole", defaults={"full_name": "Không vai trò"}
        )
        return user


@pytest.fixture
def world(db) -> World:
    return World()
