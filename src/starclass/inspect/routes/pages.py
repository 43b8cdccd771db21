"""The HTML pages: ``GET /login`` and the classification page ``GET /``."""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from starclass import schema
from starclass.inspect import auth
from starclass.inspect.field import ORDERS
from starclass.inspect.routes.deps import FieldDep, SchemeDep, current_user, set_csrf_cookie

#: Keys that pick subclasses 4.1-4.12 after class 4: the twelve keys of the number row.
SUBCLASS_KEYS = "1234567890-="

templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))
router = APIRouter()


@functools.cache
def favicon_bytes() -> bytes:
    """A 16 x 16 icon drawn here: a bright round cluster on a dark sky, as an ICO file.

    Browsers ask for ``/favicon.ico`` on every page load; it answered 404, a console error
    each time.

    Examples
    --------
    >>> favicon_bytes()[:4]
    b'\\x00\\x00\\x01\\x00'
    """
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (16, 16), (16, 20, 36, 255))
    draw = ImageDraw.Draw(img)
    draw.ellipse((3, 3, 12, 12), fill=(150, 170, 220, 255))
    draw.ellipse((5, 5, 10, 10), fill=(255, 250, 225, 255))
    buf = io.BytesIO()
    img.save(buf, format="ICO", sizes=[(16, 16)])
    return buf.getvalue()


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    """The page's icon (no login needed: the login page asks for it too)."""
    return Response(favicon_bytes(), media_type="image/x-icon",
                    headers={"Cache-Control": "public, max-age=86400"})


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    """The login form, with a CSRF cookie for the login request."""
    token = request.cookies.get(auth.CSRF_COOKIE) or auth.new_token()
    resp = templates.TemplateResponse(request, "login.html", {"csrf": token})
    set_csrf_cookie(request, resp, token)
    return resp


@router.get("/", response_class=HTMLResponse)
def index(request: Request, field: FieldDep, scheme: SchemeDep,
          user: Annotated[dict | None, Depends(current_user)]) -> Response:
    """The classification page (buttons and keys of the label scheme); the login page for a
    visitor without a session."""
    if user is None:
        return RedirectResponse("/login", status_code=303)
    subclasses = [(code, name, SUBCLASS_KEYS[i])
                  for i, (code, name) in enumerate(schema.SUBCLASS_NAMES.items())
                  ] if scheme.subclass_of is not None else []
    resp = templates.TemplateResponse(request, "index.html", {
        "user": user["name"], "csrf": user["csrf"], "n": len(field.ids),
        "has_pred": bool(field.predictions), "orders": ORDERS, "subclasses": subclasses,
        "scheme": scheme,
        "rgb": "/".join(b.upper() for b in field.cache.settings.rgb),
        "v_band": field.v_band.upper(), "dataset": field.dataset or field.data_dir.name,
        "cutouts": field.kind == "cutouts"})
    set_csrf_cookie(request, resp, user["csrf"])
    return resp
