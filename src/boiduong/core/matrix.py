"""The permission-matrix declaration format (used by core/tests/test_permission_matrix.py).

Every URL of the project must have one `Case` in some app's `tests/matrix.py` (`CASES`).
From each case the test derives: anonymous -> login redirect (API: 401/403); a user with no
role -> 403; the `allowed` demo user -> 200; the `allowed` user on another province's object
(`foreign`) -> 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Case:
    url_name: str
    allowed: str | None  # demo username who gets 200; None for public pages
    kwargs: Callable[[Any], dict] | None = None
    foreign: Callable[[Any], dict] | None = None
    query: str = ""
    api: bool = False
    public: bool = False
    denied: list[str] = field(
        default_factory=list
    )  # demo users with a role but not this permission
    expect: int = 200


# URL names that are not pages of boiduong (Django's own) and need no case.
EXEMPT_PREFIXES = ("admin:", "set_language", "api-root")
# Logout and the token endpoint accept POST only; test_accounts.py covers them.
EXEMPT_NAMES = {"accounts:logout", "accounts:password_change_done", "api-token"}
