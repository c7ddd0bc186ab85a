"""What plain (non-GraphQL) routes share: the caller's principal (coded errors become HTTP in api.errors).

Media, uploads, DICOMweb and the UI all authenticate exactly as /graphql does: a bearer token
(a person's session token or a partner's API token) or the UI's session cookie.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from api.db import SessionFactory
from content.principal import Principal
from content.security.authentication import authenticate
from content.security.revocation import RevocationCache

SESSION_COOKIE = "lightbox_session"


def bearer_of(request: Request, *, allow_cookie: bool = False) -> str | None:
    """The token of the Authorization header; the session cookie only where asked.

    Only safe (GET/HEAD) routes such as media accept the cookie, since an <img> cannot send a
    header; state-changing routes take the header alone, which keeps them out of CSRF's reach.
    """
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    if allow_cookie and request.method in ("GET", "HEAD"):
        return request.cookies.get(SESSION_COOKIE) or None
    return None


def get_session(request: Request) -> Iterator[Session]:
    sessions: SessionFactory = request.app.state.sessions
    with sessions.scope() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def revocations(request: Request) -> RevocationCache | None:
    """The app's cache of live sessions and tokens (None in a bare test app: every check then reads rows)."""
    runtime = getattr(request.app.state, "runtime", None)
    return runtime.revocations if runtime is not None else None


def get_principal(request: Request, session: SessionDep) -> Principal:
    """The caller from the Authorization header; anonymous without one. A bad or ended token is 401."""
    return authenticate(
        bearer_of(request), session=session, secret=request.app.state.secret, revocations=revocations(request)
    )


def get_reader(request: Request, session: SessionDep) -> Principal:
    """As get_principal, but GET/HEAD routes (media) also accept the UI's session cookie."""
    return authenticate(
        bearer_of(request, allow_cookie=True),
        session=session,
        secret=request.app.state.secret,
        revocations=revocations(request),
    )


PrincipalDep = Annotated[Principal, Depends(get_principal)]
ReaderDep = Annotated[Principal, Depends(get_reader)]
