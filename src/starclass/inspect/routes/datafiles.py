"""Files of the data directory: ``GET /data/{path}`` (e.g. a FITS mosaic to open in DS9).

Only the files the app itself shows are served (:attr:`starclass.inspect.field.Field.served`:
an allow-list); :func:`safe_path` keeps the request inside the folder.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

from starclass.inspect.routes.deps import FieldDep, UserDep

router = APIRouter()


def safe_path(root: Path, relative: str) -> Path | None:
    """``root / relative`` if it is an existing, visible file inside ``root``, else None.

    Links and ``..`` are resolved before the check; hidden names (the picture cache) and
    SQLite database names are refused.

    Parameters
    ----------
    root
        The data directory.
    relative
        The path asked for, relative to ``root``.

    Returns
    -------
    pathlib.Path or None
        The resolved file, or None when it may not be served.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> _ = (root / "candidates.ecsv").write_text("# id x y")
    >>> safe_path(root, "candidates.ecsv") == (root / "candidates.ecsv").resolve()
    True
    >>> safe_path(root, "../etc/passwd") is None
    True
    """
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


@router.get("/data/{path:path}")
def api_data(path: str, field: FieldDep, user: UserDep) -> FileResponse:
    """A file the field opened (a mosaic, the catalogue, the predictions); 404 for all else."""
    target = safe_path(field.data_dir, path)
    if target is None or target not in field.served:
        raise HTTPException(status_code=404, detail="not found")
    return FileResponse(target)
