"""Logging in and out: ``POST /api/login``, ``POST /api/logout``, ``GET /api/me``."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse

from starclass.inspect import auth
from starclass.inspect.routes.deps import (
    EngineDep,
    UserDep,
    csrf_before_login,
    set_csrf_cookie,
    writer,
)

router = APIRouter(prefix="/api")


@router.post("/login", dependencies=[Depends(csrf_before_login)])
async def api_login(request: Request, engine: EngineDep) -> JSONResponse:
    """JSON ``{"name", "password"}``: sets the session cookie and a new CSRF token."""
    try:
        body = await request.json()
        name, password = str(body["name"]), str(body["password"])
    except (ValueError, KeyError, TypeError):
        raise HTTPException(status_code=400, detail="send JSON {name, password}") from None
    res = auth.login(engine, name, password)
    if res is None:
        raise HTTPException(status_code=401, detail="wrong name or password")
    token, csrf, user = res
    resp = JSONResponse({"name": user["name"], "csrf": csrf})
    resp.set_cookie(auth.SESSION_COOKIE, token, httponly=True, samesite="strict", path="/",
                    max_age=auth.SESSION_HOURS * 3600)
    set_csrf_cookie(resp, csrf)
    return resp


@router.post("/logout", dependencies=[Depends(writer)])
def api_logout(request: Request, engine: EngineDep) -> JSONResponse:
    """Ends this session (the others of the same person stay)."""
    auth.logout(engine, request.cookies.get(auth.SESSION_COOKIE))
    resp = JSONResponse({"ok": True})
    resp.delete_cookie(auth.SESSION_COOKIE, path="/")
    return resp


@router.get("/me", response_model=None)
def api_me(user: UserDep) -> dict:
    """Who is logged in."""
    return {"name": user["name"], "is_admin": user["is_admin"]}
