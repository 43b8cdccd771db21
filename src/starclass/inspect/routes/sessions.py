"""Logging in and out: ``POST /api/login``, ``POST /api/logout``, ``GET /api/me``."""

from __future__ import annotations

import math
import unicodedata

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from starclass.inspect import auth
from starclass.inspect.limits import LoginThrottle, retry_header
from starclass.inspect.routes.deps import (
    EngineDep,
    UserDep,
    cookies_secure,
    csrf_before_login,
    set_csrf_cookie,
    writer,
)

router = APIRouter(prefix="/api")


@router.post("/login", dependencies=[Depends(csrf_before_login)])
async def api_login(request: Request, engine: EngineDep) -> JSONResponse:
    """JSON ``{"name", "password"}``: sets the session cookie and a new CSRF token.

    Too many failures for the account or from the address answer 429 with ``Retry-After``
    (:class:`~starclass.inspect.limits.LoginThrottle`).
    """
    try:
        body = await request.json()
        name, password = str(body["name"]), str(body["password"])
    except (ValueError, KeyError, TypeError):
        raise HTTPException(status_code=400, detail="send JSON {name, password}") from None
    # the account as login looks it up (NFC): counted by the name as typed, 'Björn' composed and decomposed
    # were two accounts to the throttle, each with its own free tries, for one account
    name = unicodedata.normalize("NFC", name).strip()
    throttle: LoginThrottle = request.app.state.login_throttle
    address = request.client.host if request.client else ""
    wait = throttle.retry_after(name, address)
    if wait > 0:  # refused before any password work
        raise HTTPException(status_code=429, headers=retry_header(wait),
                            detail=f"too many failed logins; try again in {math.ceil(wait)} s")
    # argon2 takes tens of ms and 64 MiB: a few at a time, and off the event loop so that
    # other people's requests go on meanwhile
    async with request.app.state.hash_slots.here():
        res = await run_in_threadpool(auth.login, engine, name, password)
    if res is None:
        throttle.failed(name, address)
        raise HTTPException(status_code=401, detail="wrong name or password")
    throttle.succeeded(name)
    token, csrf, user = res
    resp = JSONResponse({"name": user["name"], "csrf": csrf})
    resp.set_cookie(auth.SESSION_COOKIE, token, httponly=True, samesite="strict", path="/",
                    max_age=auth.SESSION_HOURS * 3600, secure=cookies_secure(request))
    set_csrf_cookie(request, resp, csrf)
    return resp


@router.post("/logout", dependencies=[Depends(writer)])
def api_logout(request: Request, engine: EngineDep) -> JSONResponse:
    """Ends this session (the others of the same person stay)."""
    auth.logout(engine, request.cookies.get(auth.SESSION_COOKIE))
    resp = JSONResponse({"ok": True})
    resp.delete_cookie(auth.SESSION_COOKIE, path="/", secure=cookies_secure(request), httponly=True,
                       samesite="strict")
    return resp


@router.get("/me", response_model=None)
def api_me(user: UserDep) -> dict:
    """Who is logged in."""
    return {"name": user["name"], "is_admin": user["is_admin"]}
