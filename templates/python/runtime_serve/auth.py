"""Who calls: an authenticator turns a request's headers into the caller's Context.

Production authenticators are the user's function (verify a token, look up a
key) and return the caller's id, level and organization (``org_id``: what a
``policy.rateLimit`` keyed ``org`` counts by). The development authenticator
trusts the header: ``Authorization: Bearer <level>`` or ``Bearer
<level>@<org>``, the level one of anonymous, user, service and admin; without
it the caller is anonymous.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import get_args

from .. import AuthLevel, Context

#: Request headers (lower-case names) -> the caller, synchronously or not.
Authenticator = Callable[[Mapping[str, str]], Context | Awaitable[Context]]

_LEVELS: dict[str, AuthLevel] = {level: level for level in get_args(AuthLevel)}


def anonymous(headers: Mapping[str, str]) -> Context:
    """Every caller is anonymous: the safe default when no authenticator is given."""
    return Context()


def dev_authenticator(headers: Mapping[str, str]) -> Context:
    """Development only: the bearer token is the caller's level, and after an ``@``
    its organization (``Bearer user@acme``: subject ``user@acme``, level ``user``,
    organization ``acme``)."""
    scheme, _, token = headers.get("authorization", "").partition(" ")
    name, _, org = token.strip().partition("@")
    level = _LEVELS.get(name) if scheme.lower() == "bearer" else None
    if level is None or level == "anonymous":
        return Context()
    subject = f"{level}@{org}" if org else level
    return Context(subject_id=subject, auth=level, org_id=org or None)
