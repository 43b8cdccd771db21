"""The candidates: the queue, one candidate's values and stamp, its pictures and profile fit.

``GET /api/queue?order=``, ``GET /api/progress``, ``GET /api/candidate/{id}``, ``GET /api/fit/{id}`` and
``GET /img/{id}/{kind}.png``.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

from starclass.inspect import db
from starclass.inspect.field import json_safe
from starclass.inspect.render import KINDS
from starclass.inspect.routes.deps import EngineDep, FieldDep, SchemeDep, UserDep, row_of

router = APIRouter()
# ids are matched as paths ({cid:path}): a cutout's id is its file (cluster/o0.png), and the
# server decodes an encoded "/" before routing, so a plain {cid} answered 404 for every cutout


def _progress(field, engine, user: dict, scheme, ids: list[str]) -> dict:
    """``labelled`` (by this person) and ``done`` (by the others, as the scheme counts), in the order of ids."""
    mine, done = db.queue_progress(engine, field.dataset, user["id"], scheme.n_inspectors)
    return {"labelled": [c for c in ids if c in mine], "done": [c for c in ids if c in done],
            "needed": scheme.n_inspectors}


@router.get("/api/queue", response_model=None)
def api_queue(field: FieldDep, engine: EngineDep, user: UserDep, scheme: SchemeDep,
              order: str = "catalogue") -> dict:
    """Candidate ids in the order asked for, which of them this person has labelled, and which the others
    have finished (``done``: as many labels as the scheme takes, ``needed``; m31-check's 2 scores)."""
    rows = field.order(order, user["name"])
    ids = [field.ids[r] for r in rows]
    return {"order": order, "ids": ids, **_progress(field, engine, user, scheme, ids)}


@router.get("/api/progress", response_model=None)
def api_progress(field: FieldDep, engine: EngineDep, user: UserDep, scheme: SchemeDep) -> dict:
    """What ``/api/queue`` says of the labels, now: the page asks after each label and every few seconds.

    A page kept what it was told when it opened: a candidate labelled meanwhile in another tab, or
    finished by others, stayed "not labelled yet" in its counts and was served again.
    """
    return _progress(field, engine, user, scheme, field.ids)


@router.get("/api/candidate/{cid:path}", response_model=None)
def api_candidate(cid: str, field: FieldDep, engine: EngineDep, user: UserDep,
                  prediction: int = 0) -> dict:
    """Catalogue values, this person's label, the V stamp as numbers and the picture URLs.

    ``?prediction=1`` adds the model's prediction (left out by default, to avoid bias).
    """
    row = row_of(field, cid)
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
        "stamp": field.cache.stamp(row),
        "images": {k: f"/img/{quote(cid, safe='')}/{k}.png" for k in KINDS},
        "fit": json_safe(field.cache.fit(row)), "star_fwhm": s.star_fwhm,
    }
    if prediction and field.predictions:
        out["prediction"] = field.predictions.get(row)
        if out["prediction"] is not None:
            out["prediction"] = {k: v for k, v in out["prediction"].items() if k != "top_prob"}
    return out


@router.get("/img/{cid:path}/{kind}.png")
def api_image(cid: str, kind: str, field: FieldDep, user: UserDep) -> Response:
    """A cached PNG: ``composite``, ``profile`` or ``context``."""
    row = row_of(field, cid)
    if kind not in KINDS:
        raise HTTPException(status_code=404, detail=f"no picture kind {kind!r}")
    png = field.cache.get(row, kind)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


@router.get("/api/fit/{cid:path}", response_model=None)
def api_fit(cid: str, field: FieldDep, user: UserDep) -> dict:
    """The radial-profile fit of a candidate (rendering its profile first if needed)."""
    row = row_of(field, cid)
    field.cache.get(row, "profile")
    return {"fit": json_safe(field.cache.fit(row)), "star_fwhm": field.cache.settings.star_fwhm}
