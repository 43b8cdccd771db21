"""The FastAPI application of ``starclass inspect``.

Routes (all but the login page and ``/static`` need a logged-in person; every POST needs the
CSRF header, see :mod:`starclass.inspect.auth`):

=====================================  ===========================================================
``GET  /login``                        login page
``POST /api/login`` / ``/api/logout``  JSON ``{"name", "password"}``; sets the session cookie
``GET  /``                             the classification page
``GET  /api/me``                       who is logged in
``GET  /api/queue?order=``             candidate ids in ``catalogue``, ``random`` (fixed per
                                       person), ``brightest`` (V magnitude) or ``uncertain``
                                       (lowest top model probability first) order, and which of
                                       them this person has labelled
``GET  /api/candidate/{id}``           catalogue values, this person's label, the V stamp as
                                       numbers, image URLs; ``?prediction=1`` adds the model's
                                       prediction (left out by default, to avoid bias)
``GET  /img/{id}/{kind}.png``          ``composite``, ``profile`` or ``context`` (cached PNG)
``POST /api/label``                    ``{"candidate_id", "cls", "subclass", "comment"}``: writes
                                       the logged-in person's label (a ``user`` field naming
                                       anyone else is refused with 403)
``GET  /api/history/{id}``             the label history of a candidate (own; all for admins)
``GET  /api/consensus``                agreement summary (admins)
``GET  /data/{path}``                  a file inside the data directory (e.g. a FITS mosaic for
                                       DS9); nothing outside it
=====================================  ===========================================================
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from astropy.table import Table
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from starclass.errors import StarclassError
from starclass.inspect import auth, db
from starclass.inspect.render import KINDS, RenderCache, RenderSettings, catalogue_fwhm, v_stamp

HERE = Path(__file__).resolve().parent
ORDERS = ("catalogue", "random", "brightest", "uncertain")
CATALOGUE_NAMES = ("candidates.ecsv", "candidates.fits", "candidates.parquet", "candidates.csv",
                   "candidates.tab", "candidates.txt")
PREDICTION_NAMES = ("predictions.ecsv", "predictions.fits", "predictions.parquet", "predictions.csv")
#: Catalogue columns shown beside the pictures (with mag_*, magerr_*, mci_*). Anything else,
#: classes, probabilities and simulated truth (age, mass, mag_true_*), stays hidden: bias.
SHOWN_COLUMNS = ("x", "y", "ra", "dec", "ci", "bkg", "fwhm", "crowding", "redundant", "galaxy")

#: PHANGS class-4 subclasses (Whitmore et al. Table 3), keyed by text: as floats 4.1 and 4.10
#: are the same number.
SUBCLASS_NAMES: dict[str, str] = {
    "4.1": "single star", "4.2": "pair of stars", "4.3": "triplet of stars", "4.4": "saturated star",
    "4.5": "diffraction spike", "4.6": "galaxy nucleus", "4.7": "background galaxy", "4.8": "fluff",
    "4.9": "redundant", "4.10": "too faint", "4.11": "edge", "4.12": "bad pixel",
}
#: Keys that pick subclasses 4.1-4.12 after class 4: the twelve keys of the number row.
SUBCLASS_KEYS = "1234567890-="


# --------------------------------------------------------------------------------------------
# the data


@dataclass
class Field:
    """Everything the app serves for one data directory."""

    data_dir: Path
    table: Table
    ids: list[str]
    row_of: dict[str, int]
    cache: RenderCache
    bands: list[str]
    v_band: str
    predictions: dict[int, dict] | None
    catalogue_path: Path
    dataset: str = ""

    def order(self, order: str, user: str = "") -> list[int]:
        """Row numbers in the queue order asked for."""
        n = len(self.ids)
        if order == "catalogue":
            return list(range(n))
        if order == "random":
            seed = int.from_bytes(hashlib.sha256(f"{self.dataset}|{user}".encode()).digest()[:8], "little")
            return [int(i) for i in np.random.default_rng(seed).permutation(n)]
        if order == "brightest":
            col = f"mag_{self.v_band}"
            if col not in self.table.colnames:
                raise StarclassError(f"order 'brightest' needs column {col} in {self.catalogue_path}")
            mag = np.ma.filled(np.ma.asarray(self.table[col], dtype=float), np.nan)
            mag = np.where(np.isfinite(mag), mag, np.inf)
            return [int(i) for i in np.argsort(mag, kind="stable")]
        if order == "uncertain":
            if not self.predictions:
                raise StarclassError(
                    "order 'uncertain' needs model predictions (prob_<k> columns in the catalogue "
                    "or a predictions.ecsv beside it)")
            top = np.array([self.predictions.get(i, {}).get("top_prob", np.nan) for i in range(n)])
            top = np.where(np.isfinite(top), top, np.inf)
            return [int(i) for i in np.argsort(top, kind="stable")]
        raise StarclassError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")

    def values(self, row: int) -> dict:
        """Catalogue values worth showing (:data:`SHOWN_COLUMNS`, magnitudes, MCI; colours)."""
        from starclass.bands import ubvi_bands

        r = self.table[row]
        out: dict = {}
        for c in self.table.colnames:
            if c in SHOWN_COLUMNS or (c.startswith(("mag_", "magerr_", "mci_")) and not c.startswith("mag_true_")):
                out[c] = _jsonable(r[c])
        roles = ubvi_bands(self.bands)
        for a, b in (("u", "b"), ("v", "i"), ("b", "v")):
            ca, cb = roles.get(a), roles.get(b)
            if ca and cb and f"mag_{ca}" in self.table.colnames and f"mag_{cb}" in self.table.colnames:
                va, vb = _jsonable(r[f"mag_{ca}"]), _jsonable(r[f"mag_{cb}"])
                if isinstance(va, float) and isinstance(vb, float):
                    out[f"{a.upper()}-{b.upper()}"] = round(va - vb, 3)
        return out


def _jsonable(v):
    if v is np.ma.masked:
        return None
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float):
        return None if not math.isfinite(v) else round(v, 5)
    if isinstance(v, bytes):
        return v.decode(errors="replace")
    if isinstance(v, (int, str, bool)) or v is None:
        return v
    return str(v)


def _find(data_dir: Path, given: str | Path | None, names: tuple[str, ...], what: str) -> Path | None:
    if given is not None:
        p = Path(given)
        if not p.is_absolute() and not p.exists():
            p = data_dir / p
        if not p.exists():
            raise StarclassError(f"{what} {given} not found")
        return p
    for n in names:
        if (data_dir / n).exists():
            return data_dir / n
    return None


def _read_table(path: Path, *, require_xy: bool = True) -> Table:
    from starclass.io.catalog import read_catalog

    return read_catalog(path, require_xy=require_xy)


def _read_predictions(path: Path) -> Table:
    """A predictions table needs only ``id`` and ``prob_<k>``/``class_pred``: read it as is."""
    name = path.name.lower()
    fmt = "ascii.csv" if name.endswith(".csv") else None
    try:
        return Table.read(path, format=fmt) if fmt else Table.read(path)
    except Exception as exc:  # astropy raises many kinds
        raise StarclassError(f"predictions {path}: cannot read ({type(exc).__name__}: {exc})") from None


def _predictions(table: Table, pred_path: Path | None, ids: list[str]) -> dict[int, dict] | None:
    src = table
    if pred_path is not None:
        src = _read_predictions(pred_path)
        if "id" not in src.colnames:
            raise StarclassError(f"predictions {pred_path}: no id column")
    probs = sorted((c for c in src.colnames if c.startswith("prob_") and c[5:].isdigit()),
                   key=lambda c: int(c[5:]))
    if not probs and "class_pred" not in src.colnames:
        return None
    by_id = {str(v): i for i, v in enumerate(src["id"])} if src is not table else None
    out: dict[int, dict] = {}
    for row, cid in enumerate(ids):
        j = row if by_id is None else by_id.get(cid)
        if j is None:
            continue
        p = {c: _jsonable(src[c][j]) for c in probs}
        vals = [v for v in p.values() if isinstance(v, float)]
        entry = {"probs": p, "top_prob": max(vals) if vals else float("nan")}
        if "class_pred" in src.colnames:
            entry["class_pred"] = _jsonable(src["class_pred"][j])
        elif vals:
            entry["class_pred"] = int(probs[int(np.argmax([p[c] if p[c] is not None else -1 for c in probs]))][5:])
        out[row] = entry
    if pred_path is not None and not out:
        raise StarclassError(f"predictions {pred_path}: no id matches the candidate catalogue")
    return out


def load_field(data_dir: str | Path, *, catalogue: str | Path | None = None,
               predictions: str | Path | None = None, rgb: tuple[str, str, str] | None = None,
               cache_dir: str | Path | None = None, star_fwhm: float | None = None,
               dataset: str = "", stamp_size: int = 41) -> Field:
    """Open the mosaics and the candidate catalogue of a data directory.

    Parameters
    ----------
    data_dir
        Folder with one FITS mosaic per band and ``candidates.ecsv`` (or another
        ``candidates.*`` the catalogue reader knows, or ``catalogue``).
    catalogue, predictions
        Paths (absolute or relative to ``data_dir``); predictions default to
        ``predictions.ecsv`` when present, else the catalogue's own ``prob_<k>``/``class_pred``.
    rgb
        Bands shown as red, green, blue (default F814W, F555W, F336W or the nearest roles).
    cache_dir
        Where rendered PNGs go (default ``<data_dir>/.inspect_cache``).
    star_fwhm
        FWHM (px) of the typical star drawn beside each profile (default: the V band's PSF).
    dataset
        Key that separates the labels of several fields in one database.
    """
    from starclass.bands import BANDS, require_bands, ubvi_bands
    from starclass.io.mosaic import read_mosaics

    d = Path(data_dir)
    if not d.is_dir():
        raise StarclassError(f"data directory {d} does not exist")
    cat_path = _find(d, catalogue, CATALOGUE_NAMES, "catalogue")
    if cat_path is None:
        raise StarclassError(f"no candidate catalogue in {d}: expected one of {', '.join(CATALOGUE_NAMES)} "
                             "or --catalogue")
    pred_path = _find(d, predictions, PREDICTION_NAMES, "predictions")
    table = _read_table(cat_path)
    for c in ("id", "x", "y"):
        if c not in table.colnames:
            raise StarclassError(f"catalogue {cat_path}: no column {c!r}")
    ids = [str(v) for v in table["id"]]
    if len(set(ids)) != len(ids):
        raise StarclassError(f"catalogue {cat_path}: ids are not unique")
    skip = {cat_path.resolve()} | ({pred_path.resolve()} if pred_path else set())
    images = [p for p in sorted(d.glob("*.fits")) + sorted(d.glob("*.fits.gz"))
              if p.resolve() not in skip and not p.name.startswith(".")]
    if not images:
        raise StarclassError(f"no FITS mosaics (*.fits) in {d}")
    from starclass.io.mosaic import _is_weight_file

    images = [p for p in images if not _is_weight_file(p)]
    mosaics = read_mosaics(images, require_zeropoint=False)
    bands = list(mosaics.bands)
    vb = mosaics.v_band
    if rgb is None:
        roles = ubvi_bands(bands)
        by_wave = sorted(bands, key=lambda b: BANDS[b].photplam if b in BANDS else 0.0)
        red = roles["i"] or by_wave[-1]
        blue = roles["u"] or roles["b"] or by_wave[0]
        rgb = (red, vb, blue)
    rgb = tuple(require_bands(rgb, bands, context="--rgb"))
    if star_fwhm is None:
        star_fwhm = BANDS[vb].psf_fwhm_px if vb in BANDS else 2.1
    settings = RenderSettings(rgb=rgb, v_band=vb, star_fwhm=float(star_fwhm), stamp_size=stamp_size)
    cache = RenderCache(
        data={b: mosaics.data[b] for b in bands},
        xs=np.asarray(table["x"], float), ys=np.asarray(table["y"], float), settings=settings,
        root=Path(cache_dir) if cache_dir else d / ".inspect_cache", fwhm=catalogue_fwhm(table),
    )
    return Field(data_dir=d.resolve(), table=table, ids=ids, row_of={c: i for i, c in enumerate(ids)},
                 cache=cache, bands=bands, v_band=vb, predictions=_predictions(table, pred_path, ids),
                 catalogue_path=cat_path, dataset=dataset)


def prerender(field: Field, rows: list[int] | None = None, *, stop: threading.Event | None = None,
              progress: bool = False) -> int:
    """Render (and cache) the pictures of ``rows`` (default: all); returns how many were new."""
    rows = list(range(len(field.ids))) if rows is None else rows
    it = rows
    if progress:
        from tqdm import tqdm

        it = tqdm(rows, desc="rendering", unit="cand")
    n = 0
    for r in it:
        if stop is not None and stop.is_set():
            break
        if not field.cache.is_cached(r):
            field.cache.render(r)
            n += 1
    return n


# --------------------------------------------------------------------------------------------
# the application


LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]


def create_app(field: Field, engine, *, prerender_all: bool = False,
               allowed_hosts: list[str] | None = None):
    """Build the FastAPI application for one field and one database engine.

    The database must already be initialised (:func:`starclass.inspect.db.init_db`).

    Parameters
    ----------
    prerender_all
        Render every candidate's pictures in a background thread after start-up.
    allowed_hosts
        Host names the server answers to (others get 400), against DNS rebinding; ``serve``
        passes :data:`LOOPBACK_HOSTS` when bound to 127.0.0.1. None: any.
    """
    stop = threading.Event()

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        if prerender_all:
            threading.Thread(target=prerender, args=(field,), kwargs={"stop": stop}, daemon=True,
                             name="inspect-prerender").start()
        yield
        stop.set()

    app = FastAPI(title="starclass inspect", docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=lifespan)
    if allowed_hosts:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.state.field = field
    app.state.engine = engine
    app.state.stop = stop

    @app.middleware("http")
    async def _headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'")
        return response

    def current_user(request: Request) -> dict | None:
        return auth.session_user(engine, request.cookies.get(auth.SESSION_COOKIE))

    def need_user(request: Request) -> dict:
        user = current_user(request)
        if user is None:
            raise HTTPException(status_code=401, detail="log in first")
        return user

    def check_csrf(request: Request, user: dict | None) -> None:
        header = request.headers.get(auth.CSRF_HEADER)
        cookie = request.cookies.get(auth.CSRF_COOKIE)
        if not auth.tokens_equal(header, cookie):
            raise HTTPException(status_code=403, detail="missing or wrong CSRF token")
        if user is not None and not auth.tokens_equal(header, user["csrf"]):
            raise HTTPException(status_code=403, detail="CSRF token does not belong to this session")

    def row_of(cid: str) -> int:
        row = field.row_of.get(cid)
        if row is None:
            raise HTTPException(status_code=404, detail=f"no candidate {cid!r}")
        return row

    def _set_csrf_cookie(response: Response, token: str) -> None:
        response.set_cookie(auth.CSRF_COOKIE, token, httponly=False, samesite="strict", path="/")

    @app.exception_handler(StarclassError)
    async def _bad_input(_request: Request, exc: StarclassError):
        return JSONResponse({"detail": str(exc)}, status_code=400)

    # -- pages ---------------------------------------------------------------------------
    @app.get("/login", response_class=HTMLResponse)
    def login_page(request: Request):
        token = request.cookies.get(auth.CSRF_COOKIE) or auth.new_token()
        resp = templates.TemplateResponse(request, "login.html", {"csrf": token})
        _set_csrf_cookie(resp, token)
        return resp

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request):
        user = current_user(request)
        if user is None:
            return RedirectResponse("/login", status_code=303)
        subclasses = [(code, name, SUBCLASS_KEYS[i]) for i, (code, name) in enumerate(SUBCLASS_NAMES.items())]
        resp = templates.TemplateResponse(request, "index.html", {
            "user": user["name"], "csrf": user["csrf"], "n": len(field.ids),
            "has_pred": bool(field.predictions), "orders": ORDERS, "subclasses": subclasses,
            "rgb": "/".join(b.upper() for b in field.cache.settings.rgb),
            "v_band": field.v_band.upper(), "dataset": field.dataset or field.data_dir.name})
        _set_csrf_cookie(resp, user["csrf"])
        return resp

    # -- sessions ------------------------------------------------------------------------
    @app.post("/api/login")
    async def api_login(request: Request):
        check_csrf(request, None)
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
        _set_csrf_cookie(resp, csrf)
        return resp

    @app.post("/api/logout")
    def api_logout(request: Request, user: dict = Depends(need_user)):
        check_csrf(request, user)
        auth.logout(engine, request.cookies.get(auth.SESSION_COOKIE))
        resp = JSONResponse({"ok": True})
        resp.delete_cookie(auth.SESSION_COOKIE, path="/")
        return resp

    @app.get("/api/me")
    def api_me(user: dict = Depends(need_user)):
        return {"name": user["name"], "is_admin": user["is_admin"]}

    # -- candidates ----------------------------------------------------------------------
    @app.get("/api/queue")
    def api_queue(order: str = "catalogue", user: dict = Depends(need_user)):
        rows = field.order(order, user["name"])
        mine = {lab.candidate_id: lab for lab in db.labels_of(engine, field.dataset, user_id=user["id"])}
        ids = [field.ids[r] for r in rows]
        return {"order": order, "ids": ids, "labelled": [c for c in ids if c in mine]}

    @app.get("/api/candidate/{cid}")
    def api_candidate(cid: str, prediction: int = 0, user: dict = Depends(need_user)):
        row = row_of(cid)
        mine = db.labels_of(engine, field.dataset, user_id=user["id"], candidate_ids=[cid])
        label = None
        if mine:
            lab = mine[0]
            label = {"cls": lab.cls, "subclass": lab.subclass, "comment": lab.comment,
                     "revision": lab.revision, "updated_at": lab.updated_at.isoformat()}
        s = field.cache.settings
        out = {
            "id": cid, "row": row, "x": float(field.cache.xs[row]), "y": float(field.cache.ys[row]),
            "values": field.values(row), "label": label,
            "stamp": v_stamp(field.cache.data, field.cache.xs[row], field.cache.ys[row], s),
            "images": {k: f"/img/{_quote(cid)}/{k}.png" for k in KINDS},
            "fit": _clean(field.cache.fit(row)), "star_fwhm": s.star_fwhm,
        }
        if prediction and field.predictions:
            out["prediction"] = field.predictions.get(row)
            if out["prediction"] is not None:
                out["prediction"] = {k: v for k, v in out["prediction"].items() if k != "top_prob"}
        return out

    @app.get("/img/{cid}/{kind}.png")
    def api_image(cid: str, kind: str, user: dict = Depends(need_user)):
        row = row_of(cid)
        if kind not in KINDS:
            raise HTTPException(status_code=404, detail=f"no picture kind {kind!r}")
        png = field.cache.get(row, kind)
        return Response(png, media_type="image/png",
                        headers={"Cache-Control": "private, max-age=3600"})

    @app.get("/api/fit/{cid}")
    def api_fit(cid: str, user: dict = Depends(need_user)):
        row = row_of(cid)
        field.cache.get(row, "profile")
        return {"fit": _clean(field.cache.fit(row)), "star_fwhm": field.cache.settings.star_fwhm}

    # -- labels --------------------------------------------------------------------------
    @app.post("/api/label")
    async def api_label(request: Request, user: dict = Depends(need_user)):
        check_csrf(request, user)
        try:
            body = await request.json()
            cid = str(body["candidate_id"])
            cls = int(body["cls"])
        except (ValueError, KeyError, TypeError):
            raise HTTPException(status_code=400, detail="send JSON {candidate_id, cls, subclass, comment}") from None
        owner = body.get("user")
        if owner is not None and owner != user["name"]:
            raise HTTPException(status_code=403, detail="you can change only your own labels")
        row_of(cid)
        saved = db.save_label(engine, field.dataset, cid, user["id"], cls, body.get("subclass"),
                              str(body.get("comment") or ""))
        return saved

    @app.get("/api/history/{cid}")
    def api_history(cid: str, user: dict = Depends(need_user)):
        row_of(cid)
        rows = db.history_of(engine, field.dataset, cid)
        if not user["is_admin"]:
            rows = [r for r in rows if r["user"] == user["name"]]
        for r in rows:
            r["changed_at"] = r["changed_at"].isoformat()
        return {"id": cid, "history": rows}

    @app.get("/api/consensus")
    def api_consensus(user: dict = Depends(need_user)):
        if not user["is_admin"]:
            raise HTTPException(status_code=403, detail="administrators only")
        from starclass.inspect.export import consensus_of

        _table, summary = consensus_of(engine, field.dataset, field.ids)
        return _clean(summary)

    # -- files inside the data directory --------------------------------------------------
    @app.get("/data/{path:path}")
    def api_data(path: str, user: dict = Depends(need_user)):
        target = safe_path(field.data_dir, path)
        if target is None:
            raise HTTPException(status_code=404, detail="not found")
        return FileResponse(target)

    return app


def safe_path(root: Path, relative: str) -> Path | None:
    """``root / relative`` if it is an existing file inside ``root`` (after resolving links and
    ``..``) and not hidden; otherwise None."""
    if not relative or "\x00" in relative or relative.startswith(("/", "\\")):
        return None
    parts = Path(relative).parts
    if any(p.startswith(".") for p in parts):  # hidden files, the cache, and any '..'
        return None
    root = root.resolve()
    try:
        target = (root / relative).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not target.is_relative_to(root) or not target.is_file():
        return None
    if target.name.endswith((".sqlite", ".sqlite-wal", ".sqlite-shm", ".db")):
        return None  # the label database stays private
    return target


def _quote(s: str) -> str:
    from urllib.parse import quote

    return quote(s, safe="")


def _clean(obj):
    """JSON-safe copy: NaN/inf -> None, numpy scalars -> Python."""
    if obj is None:
        return None
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    return _jsonable(obj)


def serve(field: Field, engine, host: str = "127.0.0.1", port: int = 8000, *,
          prerender_all: bool = True, echo=print) -> None:
    """Run the app with uvicorn (blocking); prints the address first."""
    import uvicorn

    loopback = host in ("127.0.0.1", "localhost", "::1")
    app = create_app(field, engine, prerender_all=prerender_all,
                     allowed_hosts=LOOPBACK_HOSTS if loopback else None)
    shown = f"[{host}]" if ":" in host else host
    echo(f"starclass inspect: serving {len(field.ids)} candidates from {field.data_dir}")
    if prerender_all:
        todo = sum(not field.cache.is_cached(r) for r in range(len(field.ids)))
        if todo:
            echo(f"rendering the pictures of {todo} candidates in the background "
                 f"(cache: {field.cache.dir})")
    echo(f"open http://{shown}:{port}/ (Ctrl-C to stop)")
    if not loopback:
        echo(f"warning: bound to {host}, reachable from other machines; use HTTPS in front of it")
    uvicorn.run(app, host=host, port=port, log_level="warning")
