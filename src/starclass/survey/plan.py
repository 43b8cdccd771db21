"""The survey plan: which fields, which model, how to tile; read and checked before any work.

A plan is a small YAML file (settings and a list of fields) or a CSV file (one row per field;
the settings then come from the command line). Paths in a plan are relative to the plan file.

.. code-block:: yaml

    model: model/                 # from `starclass train` (required here or --model)
    task: m31-binary-compact      # optional: checked against the model's own task (a name or a task file)
    tile_size: 2048               # core side of a tile (px)
    overlap: 64                   # margin read around each core (px, >= one stamp)
    photometry: growth            # growth | ci | none | skip (skip: positions given, no photometry)
    magsys: vega                  # vega | ab: the magnitudes' system (ab for bands without an AB - Vega offset)
    batch_size: 512
    retries: 2                    # dask retries of a failed tile before it is reported
    mask_extension: BPM           # optional: each mosaic's bad-pixel mask extension (nonzero = bad)
    dq_good_bits: "~4096"         # optional: apply each mosaic's DQ extension (astropy bit-flag syntax)
    mask_file: "{stem}_bpm.fits"  # optional: each mosaic's bad-pixel mask file, relative to its folder
    fields:
      - name: M31-A
        mosaics: m31_a/           # folder of band mosaics (or a list of FITS files, or a pattern: m31_a/*_drc.fits)
        positions: m31_a/cat.ecsv # optional: given positions, detection skipped
        truth: m31_a/truth.ecsv   # optional: scored against it (class_ref)

CSV plans hold the ``fields`` rows only, with columns ``name``, ``mosaics`` and optionally
``positions`` and ``truth``.

A ``mosaics`` entry (a YAML list item, or a CSV cell) that names no file or folder but holds ``*``, ``?`` or
``[...]`` is a pattern, expanded as a shell expands ``detect field/*.fits`` (relative to the plan's folder, sorted,
hidden files left out); a pattern that matches nothing is refused naming the field, its CSV row and the pattern.

Everything is checked by :func:`read_plan` / :func:`validate_plan` before a tile is run: unknown
keys, missing folders, unreadable mosaics, bands the model lacks, catalogues without ``x``/``y``,
an overlap smaller than the model's stamp. Each error names the plan file and the field or key.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from starclass.errors import StarclassError, agreeing, model_word, parse_error_text, refuse_no_rows
from starclass.io.fields import split_list_cell
from starclass.io.mosaic import PixelFlags
from starclass.io.paths import resolved
from starclass.schema import INFERENCE_BATCH_SIZE, check_match_radius, row_name

#: Keys a YAML plan may hold at the top level, and in each field entry.
PLAN_KEYS = ("model", "task", "tile_size", "overlap", "photometry", "batch_size", "retries", "fields",
             "match_radius", "mask_extension", "dq_good_bits", "mask_file", "magsys")
FIELD_KEYS = ("name", "mosaics", "positions", "truth")

#: Photometry modes: the three of ``starclass detect --aperture-correction`` and ``skip``.
PHOTOMETRY = ("growth", "ci", "none", "skip")

#: Magnitude systems of the catalogue's magnitudes (as ``detect --magsys``).
MAGSYS = ("vega", "ab")

#: Field names become folder names (``field=<name>``): keep them to portable characters.
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$")
#: The characters that make a mosaics entry a pattern (glob.glob's): *, ? and [...]
_MAGIC = re.compile(r"[*?[]")

#: Overlap used when a plan gives none and the model's stamp is smaller: detection's background
#: mesh (32 px boxes) and the growth-curve photometry (light out to 32 px) need that much.
DEFAULT_OVERLAP = 64


@dataclass(frozen=True)
class FieldSpec:
    """One field of a survey.

    Attributes
    ----------
    name
        Field name (folder of its outputs, ``field`` column, partition of the catalogue).
    mosaics
        Folder of band mosaics, or FITS files.
    positions
        Catalogue of given positions (detection skipped), or None.
    truth
        Catalogue with ``class_ref`` and ``x``, ``y`` or only ``ra``, ``dec`` to score against, or None.

    Examples
    --------
    >>> f = FieldSpec("ngc628", (Path("mosaics/ngc628"),), truth=Path("ngc628_truth.ecsv"))
    >>> f.name, f.positions is None     # no positions: the survey detects its candidates
    ('ngc628', True)
    """

    name: str
    mosaics: tuple[Path, ...]
    positions: Path | None = None
    truth: Path | None = None


@dataclass(frozen=True)
class SurveyPlan:
    """A checked survey plan (see the module docstring for the file format).

    Examples
    --------
    >>> p = SurveyPlan(fields=(FieldSpec("a", (Path("a"),)),), model=Path("m"))
    >>> p.tile_size, p.photometry, p.field_names
    (2048, 'growth', ['a'])
    """

    fields: tuple[FieldSpec, ...]
    model: Path | None = None
    task: str | None = None
    tile_size: int = 2048
    overlap: int | None = None
    photometry: str = "growth"
    batch_size: int = INFERENCE_BATCH_SIZE
    retries: int = 2
    match_radius: float = 2.0
    mask_extension: str | None = None
    dq_good_bits: str | None = None
    mask_file: str | None = None
    magsys: str = "vega"
    source: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: the settings :meth:`with_options` took from the command line (messages name them as options)
    from_command_line: tuple[str, ...] = ()

    @property
    def field_names(self) -> list[str]:
        """The fields' names, in plan order.

        Examples
        --------
        >>> p = SurveyPlan(fields=(FieldSpec("north", (Path("north"),)), FieldSpec("south", (Path("south"),))))
        >>> p.field_names
        ['north', 'south']
        """
        return [f.name for f in self.fields]

    def with_options(self, **options: Any) -> SurveyPlan:
        """A copy with the settings given on the command line (None: keep the plan's)."""
        given = {k: v for k, v in options.items() if v is not None}
        if "model" in given:
            given["model"] = Path(given["model"])
        cli = tuple(sorted({*self.from_command_line, *given}))
        return replace(self, **given, from_command_line=cli)

    def flag_names(self, text: str) -> str:
        """``text`` with ``--mask-extension`` / ``--dq-good-bits`` / ``--mask-file`` named as the user gave them.

        The pixel-flag messages name the command-line options; a setting that came from the
        plan file is named by its key there (``mask_extension``), one given on the command line
        (:meth:`with_options`) keeps the option's name.

        Examples
        --------
        >>> plan = SurveyPlan(fields=(), mask_extension="BPM", dq_good_bits="0")
        >>> plan.flag_names("--mask-extension: no BPM in a.fits")
        'mask_extension: no BPM in a.fits'
        >>> plan.with_options(mask_extension="BPM").flag_names("--mask-extension: no BPM in a.fits")
        '--mask-extension: no BPM in a.fits'
        """
        for option, key in (("--mask-extension", "mask_extension"), ("--dq-good-bits", "dq_good_bits"),
                            ("--mask-file", "mask_file")):
            if key not in self.from_command_line:
                text = text.replace(option, key)
        return text

    def settings(self) -> dict[str, Any]:
        """The settings that change a tile's result (for the tile digests).

        The mask and DQ flags enter as what they mean, not as spelt: ``bpm`` and ``BPM``,
        ``'4+16'`` and ``'16,4'`` are one setting, so respelling one keeps the finished tiles.

        Examples
        --------
        >>> a = SurveyPlan(fields=(), mask_extension="bpm", dq_good_bits="4+16")
        >>> a.settings() == SurveyPlan(fields=(), mask_extension="BPM", dq_good_bits="16,4").settings()
        True
        """
        d = asdict(self)
        out = {k: d[k] for k in ("task", "tile_size", "overlap", "photometry", "match_radius")}
        if self.magsys != "vega":
            # only when not the default: a plan without it keeps its digests, and its finished tiles
            out["magsys"] = self.magsys
        # only when given: a plan without them keeps its digests, and its finished tiles
        flags = self.pixel_flags()
        if flags is not None and flags.mask_extension is not None:
            out["mask_extension"] = flags.mask_extension
        if flags is not None and flags.dq_good_bits is not None:
            from astropy.nddata.bitmask import interpret_bit_flags

            # the harmless bits as one integer ('~4096' -> -4097): the expression's meaning
            out["dq_good_bits"] = int(interpret_bit_flags(flags.dq_good_bits))
        if flags is not None and flags.mask_file is not None:
            # the template; the mask files themselves enter each tile's digest as the mosaics do
            out["mask_file"] = flags.mask_file
        return out

    def pixel_flags(self) -> PixelFlags | None:
        """The :class:`starclass.io.mosaic.PixelFlags` of ``mask_extension``, ``dq_good_bits``, ``mask_file``, or None.

        Raises
        ------
        StarclassError
            An expression astropy refuses, naming the plan and the key.
        """
        if self.mask_extension is None and self.dq_good_bits is None and self.mask_file is None:
            return None
        from starclass.io.mosaic import PixelFlags

        try:
            return PixelFlags(mask_extension=self.mask_extension, dq_good_bits=self.dq_good_bits,
                              mask_file=self.mask_file)
        except StarclassError as exc:
            raise StarclassError(f"{_where(self.source)}: {self.flag_names(str(exc))}") from None


def _where(source: Path | None) -> str:
    return f"plan {source}" if source else "plan"


def _int(value: Any, key: str, source: Path | None, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise StarclassError(f"{_where(source)}: {key} must be an integer, got {value!r}")
    try:
        out = int(value)
    except ValueError:
        raise StarclassError(f"{_where(source)}: {key} must be an integer, got {value!r}") from None
    if out < minimum:
        raise StarclassError(f"{_where(source)}: {key} must be >= {minimum}, got {out}")
    return out


def _path(value: Any, base: Path) -> Path:
    p = Path(os.path.expanduser(str(value)))
    return p if p.is_absolute() else base / p


def without_field(name: str) -> str:
    """What a refused plan says last about a field at fault: nothing ran, and how to survey the others.

    Every refusal that names a field ends so, whether the plan's reading or its check against the
    model and mosaics found the fault.

    Examples
    --------
    >>> without_field("ngc628")
    "Nothing was run; to survey the other fields without it, delete field 'ngc628' from the plan"
    """
    return f"Nothing was run; to survey the other fields without it, delete field {name!r} from the plan"


def _field(entry: Any, index: int, base: Path, source: Path | None, row: str | None = None) -> FieldSpec:
    where = f"{_where(source)}, field {index + 1}" + (f" ({row})" if row else "")
    if not isinstance(entry, Mapping):
        raise StarclassError(f"{where}: expected a mapping with name and mosaics, got {entry!r}")
    unknown = sorted(set(entry) - set(FIELD_KEYS))
    if unknown:
        raise StarclassError(f"{where}: unknown {agreeing(len(unknown), 'key')} {', '.join(map(str, unknown))}; "
                             f"known: {', '.join(FIELD_KEYS)}")
    name = entry.get("name")
    if name is None or str(name).strip() == "":
        raise StarclassError(f"{where}: no name")
    name = str(name).strip()
    if not _NAME.match(name):
        raise StarclassError(f"{where}: name {name!r} must be letters, digits and . _ + - (a folder name)")
    where = f"{_where(source)}, field {name!r}" + (f" ({row})" if row else "")
    # a named field at fault ends as the plan's check of its mosaics ends (prepare): a missing positions
    # file stopped at "not found", with neither that nothing ran nor how to survey the other fields
    tail = without_field(name)
    mos = entry.get("mosaics")
    if mos is None or mos == "" or mos == []:
        raise StarclassError(f"{where}: no mosaics (a folder of band mosaics, a list of FITS files or a pattern such "
                             f"as field/*.fits). {tail}")
    mos_list = mos if isinstance(mos, (list, tuple)) else [mos]
    found: list[Path] = []
    for m in mos_list:
        p = _path(m, base)
        if p.exists():  # a name as it is, even one with [ or * in it
            found.append(p)
            continue
        if not _MAGIC.search(str(m)):
            raise StarclassError(f"{where}: mosaics {p} not found. {tail}")
        # a pattern, as a shell expands it on the command line (detect field/*.fits): a CSV row holds one cell, and
        # 'fields/*.fits' was "not found" as a file of that name. Relative to the plan's folder, whose own name is
        # taken literally; hidden files are left out as the shell leaves them
        given = os.path.expanduser(str(m))
        pattern = given if os.path.isabs(given) else os.path.join(glob.escape(str(base)), given)
        matched = sorted(Path(q) for q in glob.glob(pattern))
        if not matched:
            raise StarclassError(f"{where}: mosaics pattern {str(m)!r} matches no file (in {base}). {tail}")
        found.extend(matched)
    paths = tuple(found)
    out = {}
    for key in ("positions", "truth"):
        v = entry.get(key)
        if v is None or str(v).strip() == "":
            out[key] = None
            continue
        p = _path(v, base)
        if not p.is_file():
            raise StarclassError(f"{where}: {key} catalogue {p} not found. {tail}")
        out[key] = p
    return FieldSpec(name, paths, out["positions"], out["truth"])


def plan_from_mapping(doc: Mapping[str, Any], base: Path, source: Path | None = None) -> SurveyPlan:
    """Build a plan from a parsed YAML document (paths relative to ``base``).

    Parameters
    ----------
    doc
        The document: the keys of :data:`PLAN_KEYS`.
    base
        Folder the relative paths are relative to (the plan file's).
    source
        The plan file, for messages.

    Returns
    -------
    SurveyPlan

    Examples
    --------
    >>> plan_from_mapping({"tile_size": 0, "fields": []}, Path("."))
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: plan: tile_size must be >= 64, got 0
    """
    if not isinstance(doc, Mapping):
        raise StarclassError(f"{_where(source)}: expected a mapping of settings and fields, got {type(doc).__name__}")
    unknown = sorted(set(map(str, doc)) - set(PLAN_KEYS))
    if unknown:
        raise StarclassError(f"{_where(source)}: unknown {agreeing(len(unknown), 'key')} {', '.join(unknown)}; "
                             f"known: {', '.join(PLAN_KEYS)}")
    kw: dict[str, Any] = {}
    if doc.get("tile_size") is not None:
        kw["tile_size"] = _int(doc["tile_size"], "tile_size", source, 64)
    if doc.get("overlap") is not None:
        kw["overlap"] = _int(doc["overlap"], "overlap", source, 0)
    if doc.get("batch_size") is not None:
        kw["batch_size"] = _int(doc["batch_size"], "batch_size", source, 1)
    if doc.get("retries") is not None:
        kw["retries"] = _int(doc["retries"], "retries", source, 0)
    if doc.get("match_radius") is not None:
        try:
            kw["match_radius"] = float(doc["match_radius"])
        except (TypeError, ValueError):
            raise StarclassError(
                f"{_where(source)}: match_radius must be a number, got {doc['match_radius']!r}") from None
        # checked here, not when the first tile is scored against its truth after minutes of work
        try:
            check_match_radius(kw["match_radius"], "match_radius")
        except StarclassError as exc:
            raise StarclassError(f"{_where(source)}: {exc}") from None
    if doc.get("photometry") is not None:
        kw["photometry"] = str(doc["photometry"]).lower()
    if doc.get("magsys") is not None:
        kw["magsys"] = str(doc["magsys"]).lower()
        if kw["magsys"] not in MAGSYS:
            raise StarclassError(f"{_where(source)}: magsys {doc['magsys']!r} unknown; use one of {', '.join(MAGSYS)}")
    if doc.get("model") is not None:
        kw["model"] = _path(doc["model"], base)
    if doc.get("task") is not None:
        # a task file is relative to the plan, as its other paths; a name (preset, or the model's own
        # task) is kept as written
        task = _path(doc["task"], base)
        kw["task"] = str(task) if task.is_file() else str(doc["task"])
    for key in ("mask_extension", "dq_good_bits", "mask_file"):
        if doc.get(key) is not None:
            kw[key] = str(doc[key])
    fields = doc.get("fields")
    if not isinstance(fields, (list, tuple)):
        raise StarclassError(f"{_where(source)}: 'fields' must be a list of fields (name, mosaics, ...)")
    specs = tuple(_field(e, i, base, source) for i, e in enumerate(fields))
    plan = SurveyPlan(fields=specs, source=source, **kw)
    plan.pixel_flags()  # an expression astropy refuses: said now, naming the plan
    return plan


def check_settings(plan: SurveyPlan) -> str:
    """Refuse a plan whose settings cannot run, from the plan and the model's manifest alone.

    Fields there and named once, known photometry and magnitude system, a model with its member files, a tile
    size of at least 64 px. ``starclass survey`` calls it before distributed loads and a scheduler is reached;
    :func:`~starclass.survey.run.prepare` again, before it reads the model and the mosaics.

    Parameters
    ----------
    plan
        The plan, with the command line's settings applied (:meth:`SurveyPlan.with_options`).

    Returns
    -------
    str
        ``plan PATH`` (or ``plan``), as the messages about the plan begin.

    Raises
    ------
    StarclassError
        Naming the plan file and the setting at fault.

    Examples
    --------
    >>> check_settings(SurveyPlan(fields=(FieldSpec("f1", (Path("f1"),)),), photometry="aperture"))
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: plan: photometry 'aperture' unknown; use one of growth, ci, none, skip
    """
    where = _where(plan.source)
    if not plan.fields:
        raise StarclassError(f"{where}: no fields")
    dup = sorted({n for n in plan.field_names if plan.field_names.count(n) > 1})
    if dup:
        raise StarclassError(f"{where}: {agreeing(len(dup), 'field name')} {', '.join(dup)} used twice")
    if plan.photometry not in PHOTOMETRY:
        raise StarclassError(f"{where}: photometry {plan.photometry!r} unknown; use one of {', '.join(PHOTOMETRY)}")
    if plan.magsys not in MAGSYS:
        said = "--magsys" if "magsys" in plan.from_command_line else f"{where}: magsys"
        raise StarclassError(f"{said} {plan.magsys!r} unknown; use one of {', '.join(MAGSYS)}")
    if plan.model is None:
        # a CSV plan has rows of fields only: its settings come from the options
        csv = plan.source is not None and Path(plan.source).suffix.lower() == ".csv"
        raise StarclassError(f"{where}: no model (give --model: a CSV plan's settings come from the options)" if csv
                             else f"{where}: no model (give 'model:' in the plan or --model)")
    if not Path(plan.model).exists():
        raise StarclassError(f"{where}: model {model_word(plan.model)} not found")
    from starclass.learn.checkpoint import member_paths

    # a folder without manifest.json, or with member files missing: the words load_model says, without torch
    member_paths(plan.model)
    if plan.tile_size < 64:
        raise StarclassError(f"{where}: tile_size must be >= 64, got {plan.tile_size}")
    return where


def read_plan(path: str | os.PathLike) -> SurveyPlan:
    """Read a YAML or CSV plan; paths are taken relative to the plan's folder.

    Parameters
    ----------
    path
        ``.yaml``/``.yml`` (settings and fields) or ``.csv`` (fields only).

    Returns
    -------
    SurveyPlan
        Read but not yet checked against the model and mosaics: see :func:`validate_plan`.

    Raises
    ------
    StarclassError
        Naming the file and the key, row or field at fault.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()); (d / "f1").mkdir()
    >>> _ = (d / "plan.csv").write_text("name,mosaics\\nf1,f1\\n")
    >>> read_plan(d / "plan.csv").field_names
    ['f1']
    """
    p = Path(path)
    if p.is_dir():
        # "plan runs.csv not found" of a folder that is there
        raise StarclassError(f"plan {p} is a directory; give the plan's .yaml or .csv file")
    if not p.is_file():
        raise StarclassError(f"plan {p} not found")
    base = p.parent
    suffix = p.suffix.lower()
    if suffix in (".csv", ".yaml", ".yml"):
        from starclass.io.cutout_folders import not_utf8_message

        try:
            raw = p.read_bytes()
        except OSError as exc:
            # no read permission: a PermissionError traceback from Python (the command line checks it first)
            raise StarclassError(f"plan {p}: cannot read it ({exc.strerror or exc})") from None
        try:
            if not (suffix == ".csv" and raw.startswith((b"\xff\xfe", b"\xfe\xff"))):
                # a CSV saved as Excel's "Unicode Text" (UTF-16, its byte-order mark first) is read as such by
                # csv_dialect, as the fields list is: it was refused here as "not UTF-8 text"
                raw.decode("utf-8")
        except UnicodeDecodeError:
            # saved in the Windows code page (a spreadsheet's 'CSV', an editor's): a UnicodeDecodeError traceback
            raise StarclassError(f"plan {not_utf8_message(p)}") from None
    if suffix == ".csv":
        from starclass.io.catalog import csv_dialect, csv_dict_reader

        encoding, sep = csv_dialect(p)  # a spreadsheet's ';' or tab, and its byte-order mark
        with open(p, newline="", encoding=encoding) as fh:
            # a '# note' or Excel's 'sep=;' line above the header was taken for the header ("needs columns name
            # and mosaics")
            reader = csv_dict_reader(fh, sep)
            cols = reader.fieldnames or []
            if "name" not in cols or "mosaics" not in cols:
                raise StarclassError(f"plan {p}: a CSV plan needs columns name and mosaics (has {', '.join(cols)})")
            unknown = [c for c in cols if c not in FIELD_KEYS]
            if unknown:
                raise StarclassError(
                    f"plan {p}: unknown {agreeing(len(unknown), 'column')} {', '.join(unknown)}; known: "
                    f"{', '.join(FIELD_KEYS)}")
            rows = []
            for i, row in enumerate(reader):
                # "row 3 of the CSV" meant line 3; rows are counted from 1 below the header everywhere. Said
                # beside the field, not after the message: it came after "delete field ... from the plan"
                entry = dict(row)
                if isinstance(entry.get("mosaics"), str):
                    # 'f1/a.fits;f1/b.fits' was looked for as one file of that name: split as a fields list is
                    entry["mosaics"] = split_list_cell(entry["mosaics"])
                # the line as an editor numbers it: a '# note' or 'sep=;' line above the header made it one short
                rows.append(_field(entry, i, base, p, row=row_name(i, header_lines=reader.line - i - 1)))
        refuse_no_rows(rows, p, "plan", why=": no fields (one row per field)")  # said "no fields" at the check
        return SurveyPlan(fields=tuple(rows), source=p)
    if suffix in (".yaml", ".yml"):
        import yaml

        try:
            doc = yaml.safe_load(p.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            # one line: PyYAML's own message quoted the line with a '^' under the column, over several lines
            raise StarclassError(f"plan {p}: not valid YAML: {parse_error_text(exc)}") from None
        return plan_from_mapping(doc or {}, base, p)
    raise StarclassError(f"plan {p}: give a .yaml/.yml or .csv file")


def file_digest(path: str | os.PathLike, *, content: bool = True) -> str:
    """SHA-256 of a file's bytes, or (``content=False``) of its name, size and modification time.

    Mosaics are tens of GB in a survey: hashing them on every run would cost more than a tile,
    so they are identified by size and mtime (a rewritten mosaic gets a new mtime).

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "a.txt"; _ = f.write_text("x")
    >>> file_digest(f)[:12]
    '2d711642b726'
    """
    p = Path(path)
    h = hashlib.sha256()
    if content:
        with open(p, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    else:
        st = p.stat()
        h.update(json.dumps([str(resolved(p)), st.st_size, st.st_mtime_ns]).encode())
    return h.hexdigest()


def model_digest(model: str | os.PathLike) -> str:
    """Digest of a model directory (manifest and member files) or of one member file.

    Workers cache the loaded model under this key, and it enters every tile's digest, so a
    retrained model reruns every tile.

    Examples
    --------
    It changes when a member file changes (a retrained model reruns every tile):

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "manifest.json").write_text("{}")
    >>> _ = (d / "member_00.pt").write_bytes(b"weights")
    >>> before = model_digest(d)
    >>> _ = (d / "member_00.pt").write_bytes(b"retrained")
    >>> len(before), model_digest(d) != before
    (64, True)
    """
    p = Path(model)
    files = [p] if p.is_file() else sorted(f for f in p.iterdir() if f.is_file() and
                                           (f.name == "manifest.json" or re.fullmatch(r"member_\d+\.pt", f.name)))
    if not files:
        raise StarclassError(f"model {model_word(p)}: no manifest.json or member_NN.pt in it")
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode())
        h.update(file_digest(f).encode())
    return h.hexdigest()
