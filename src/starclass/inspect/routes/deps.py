"""What the routes share: the field and database from ``app.state``, the person, CSRF checks.

Route parameters annotated with :data:`FieldDep`, :data:`EngineDep`, :data:`UserDep`,
:data:`WriterDep` or :data:`SchemeDep` (the label scheme) receive these through FastAPI's
dependency injection, so the routers need no closures over the application's data.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy.engine import Engine

from starclass.inspect import auth
from starclass.inspect.field import Field
from starclass.inspect.schemes import LabelScheme


def get_field(request: Request) -> Field:
    """The field this application serves (``app.state.field``)."""
    return request.app.state.field


def get_engine(request: Request) -> Engine:
    """The label database of this application (``app.state.engine``)."""
    return request.app.state.engine


def get_scheme(request: Request) -> LabelScheme:
    """The label scheme of this application (``app.state.scheme``)."""
    return request.app.state.scheme


def current_user(request: Request, engine: Annotated[Engine, Depends(get_engine)]) -> dict | None:
    """The logged-in person of the request's session cookie, or None."""
    return auth.session_user(engine, request.cookies.get(auth.SESSION_COOKIE))


def need_user(user: Annotated[dict | None, Depends(current_user)]) -> dict:
    """The logged-in person; 401 when there is none."""
    if user is None:
        raise HTTPException(status_code=401, detail="log in first")
    return user


def check_csrf(request: Request, user: dict | None) -> None:
    """403 unless the CSRF header equals the cookie and, once logged in, the session's token."""
    header = request.headers.get(auth.CSRF_HEADER)
    cookie = request.cookies.get(auth.CSRF_COOKIE)
    if not auth.tokens_equal(header, cookie):
        raise HTTPException(status_code=403, detail="missing or wrong CSRF token")
    if user is not None and not auth.tokens_equal(header, user["csrf"]):
        raise HTTPException(status_code=403, detail="CSRF token does not belong to this session")


def csrf_before_login(request: Request) -> None:
    """The CSRF check of a request made before logging in (the double-submit cookie only)."""
    check_csrf(request, None)


def writer(request: Request, user: Annotated[dict, Depends(need_user)]) -> dict:
    """The logged-in person of a state-changing request, its CSRF token checked (401, then 403)."""
    check_csrf(request, user)
    return user


FieldDep = Annotated[Field, Depends(get_field)]
EngineDep = Annotated[Engine, Depends(get_engine)]
UserDep = Annotated[dict, Depends(need_user)]
WriterDep = Annotated[dict, Depends(writer)]
SchemeDep = Annotated[LabelScheme, Depends(get_scheme)]


def row_of(field: Field, cid: str) -> int:
    """The catalogue row of candidate ``cid``; 404 when there is none."""
    row = field.row_of.get(cid)
    if row is None:
        raise HTTPException(status_code=404, detail=f"no candidate {cid!r}")
    return row


def cookies_secure(request: Request) -> bool:
    """Whether cookies get the ``Secure`` flag: when forced, or the request came over HTTPS.

    HTTPS is seen in the request's scheme or, behind a proxy that ends TLS, in its
    ``X-Forwarded-Proto`` header (a client that forges it only keeps its own cookies from
    coming back over plain HTTP).
    """
    if request.app.state.force_secure_cookies:
        return True
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def set_csrf_cookie(request: Request, response: Response, token: str) -> None:
    """The CSRF cookie the page's script copies into the header (so not HttpOnly)."""
    response.set_cookie(auth.CSRF_COOKIE, token, httponly=False, samesite="strict", path="/",
                        secure=cookies_secure(request))
