"""Who calls: an authenticator turns a request's headers into the caller's Context.

Production authenticators are the user's function (verify a token, look up a
key). The development authenticator trusts the header: ``Authorization: Bearer
<anonymous|user|service|admin>``; without it the caller is anonymous.
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
    """Development only: the caller's level is the bearer token itself."""
    scheme, _, token = headers.get("authorization", "").partition(" ")
    level = _LEVELS.get(token.strip()) if scheme.lower() == "bearer" else None
    if level is None or level == "anonymous":
        return Context()
    return Context(subject_id=level, auth=level)
