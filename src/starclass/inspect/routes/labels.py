"""Labels: ``POST /api/label``, ``GET /api/history/{id}``, ``GET /api/scheme``,
``GET /api/consensus`` (admins)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from starclass.errors import StarclassError
from starclass.inspect import db
from starclass.inspect.export import consensus_of
from starclass.inspect.field import json_safe
from starclass.inspect.routes.deps import (
    EngineDep,
    FieldDep,
    SchemeDep,
    UserDep,
    WriterDep,
    row_of,
)

router = APIRouter(prefix="/api")


@router.post("/label", response_model=None)
async def api_label(request: Request, field: FieldDep, engine: EngineDep, user: WriterDep,
                    scheme: SchemeDep) -> dict:
    """JSON ``{"candidate_id", "cls", "subclass", "comment"}``: the logged-in person's label.

    A ``user`` field naming anyone else is refused with 403: nobody changes another's labels.
    A class that is not a JSON integer (``1.9``, ``true``, ``" 2 "``) or not a value of the label
    scheme (a 3 for ``m31-check``, a 0 for ``phangs``), or a comment that is not text, is too
    long or carries a lone surrogate, is refused with 422 naming the field, rather than coerced.
    A subclass that is not one of the scheme's (``"4.1"``..``"4.12"``, as text, with class 4
    only) is refused the same way: 422 naming ``subclass`` and the values allowed. A new score of a
    candidate that has all the scores the scheme takes from others (``m31-check``: 2) is refused
    with 409.
    """
    try:
        body = await request.json()
        cid = str(body["candidate_id"])
        cls = body["cls"]
    except (ValueError, KeyError, TypeError):
        raise HTTPException(status_code=400, detail="send JSON {candidate_id, cls, subclass, comment}") from None
    raw_id = body["candidate_id"]
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)):
        # str() made null the id 'None' and a list "['a']": refused, not looked up as such
        raise HTTPException(status_code=422, detail=f"candidate_id: must be text (or an integer), not {raw_id!r}")
    owner = body.get("user")
    if owner is not None and owner != user["name"]:
        raise HTTPException(status_code=403, detail="you can change only your own labels")
    try:
        cls = scheme.check(cls, "cls")
        # checked here with the class: left to save_label, a bad subclass answered 400 (the app's
        # handler for any StarclassError) where a bad class answered 422
        subclass = db.check_label(cls, body.get("subclass"), scheme)
        comment = db.check_comment(body.get("comment"))
    except StarclassError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None
    row_of(field, cid)
    try:
        return db.save_label(engine, field.dataset, cid, user["id"], cls, subclass, comment, scheme=scheme)
    except db.ScoresComplete as exc:
        # 409: the request was fine, the candidate's state refuses it (the page undoes the score and says why)
        raise HTTPException(status_code=409, detail=str(exc)) from None


@router.get("/scheme", response_model=None)
def api_scheme(scheme: SchemeDep, user: UserDep) -> dict:
    """The label scheme: its values, keys and meanings, and how the consensus is formed."""
    return scheme.to_dict()


@router.get("/history/{cid:path}", response_model=None)
def api_history(cid: str, field: FieldDep, engine: EngineDep, user: UserDep) -> dict:
    """The label history of a candidate: one's own, or everyone's for administrators."""
    row_of(field, cid)
    rows = db.history_of(engine, field.dataset, cid)
    if not user["is_admin"]:
        rows = [r for r in rows if r["user"] == user["name"]]
    for r in rows:
        r["changed_at"] = r["changed_at"].isoformat()
    return {"id": cid, "history": rows}


@router.get("/consensus", response_model=None)
def api_consensus(field: FieldDep, engine: EngineDep, user: UserDep, scheme: SchemeDep) -> dict:
    """Agreement summary of the field's labels (administrators only)."""
    if not user["is_admin"]:
        raise HTTPException(status_code=403, detail="administrators only")
    _table, summary = consensus_of(engine, field.dataset, field.ids, scheme=scheme)
    return json_safe(summary)
