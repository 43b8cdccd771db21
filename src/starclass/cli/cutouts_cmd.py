"""``starclass cutouts``: stamps of every candidate into an HDF5 stamp store."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from starclass.cli._app import (
    DQ_GOOD_BITS_OPTION,
    MASK_FILE_OPTION,
    MOSAICS_HELP,
    QUIET_OPTION,
    band_option,
    bars_or_lines,
    check_image_inputs,
    check_on_image,
    command,
    echo,
    echo_flagged,
    flags_option,
    mask_extension_option,
    pixel_flags,
    place_rows,
    progress_option,
    task_option,
)
from starclass.errors import StarclassError, agreeing, counted, refuse_no_rows
from starclass.io.fields import FieldSpec
from starclass.schema import MAX_STAMP_SIZE, MIN_STAMP_SIZE, STAMP_STORE_SUFFIXES

if TYPE_CHECKING:  # starclass.io.mosaic loads astropy's FITS, WCS and tables where the stamps are cut
    from starclass.io.mosaic import PixelFlags

#: The largest --phangs-size, as --size's: the export cuts 32 candidates at once, 671 MB of 5 bands at 1024 px.
MAX_PHANGS_SIZE = 1024

#: The library's parameter names and the options of this command that set them: the library's
#: messages name the parameter (``scales: ...``), the user typed the option (``--scales``).
OPTION_OF = {"stamp_size": "--size", "scales": "--scales", "normalisation": "--normalisation",
             "softening_mag": "--softening-mag", "bands": "--bands"}


def option_message(exc: StarclassError, given: Iterable[str]) -> StarclassError:
    """The library's error with each parameter it names replaced by the option that set it.

    ``scales: cannot parse '1,x'`` becomes ``--scales: cannot parse '1,x'``, and
    ``normalisation='q'`` becomes ``--normalisation 'q'``. Only the parameters in ``given`` (set
    by an option on the command line) are renamed: a bad value in a ``--task`` file keeps the
    file's own key.

    Examples
    --------
    >>> str(option_message(StarclassError("task config 'x': scales must be >= 1.0, got [0.1]"), ["scales"]))
    "task config 'x': --scales must be >= 1.0, got [0.1]"
    >>> str(option_message(StarclassError("softening_mag: expected a magnitude or 'auto', got 'y'"),
    ...                    ["softening_mag"]))
    "--softening-mag: expected a magnitude or 'auto', got 'y'"
    >>> str(option_message(StarclassError("task config 'x.yaml': scales must be >= 1.0, got [0.1]"), []))
    "task config 'x.yaml': scales must be >= 1.0, got [0.1]"
    """
    import re

    names = "|".join(k for k in OPTION_OF if k in set(given))
    if not names:
        return exc
    text = re.sub(rf"(?<![\w-])({names})(=?)(?![\w])",
                  lambda m: OPTION_OF[m.group(1)] + (" " if m.group(2) else ""), str(exc))
    return StarclassError(text)


def cutouts(
    mosaics: list[Path],
    catalog: Path,
    output: Path,
    *,
    task: str | None = None,
    size: int | None = None,
    scales: str | None = None,
    normalisation: str | None = None,
    softening_mag: str | None = None,
    bands: str | None = None,
    batch_size: int | None = None,
    use_masks: bool = True,
    flags: PixelFlags | None = None,
    phangs_fits_dir: Path | None = None,
    phangs_size: int = 299,
    progress: bool = True,
    overwrite: bool = False,
    field: str | None = None,
    galaxy: str | None = None,
    quiet: bool = False,
) -> dict:
    """Importable body of the command: read, cut, store; returns a summary dict.

    ``quiet`` (``--quiet``) leaves out the notes (the pixels the flags set to NaN), as ``detect``'s does.

    ``field`` and ``galaxy`` (one name for every candidate) are stored in the ``field`` and
    ``galaxy`` columns when given (a catalogue's own ``galaxy`` column is kept otherwise).
    ``flags`` (a :class:`starclass.io.mosaic.PixelFlags`, from ``--mask-extension`` and
    ``--dq-good-bits``) sets the pixels flagged in each file's mask or DQ extension to NaN.
    """
    # here, not at the top: `starclass --help` takes 0.4 s; starclass.io + stamps add 1.0-1.6 s (measured)
    import numpy as np

    from starclass.io.atomic import atomic_dir, atomic_path
    from starclass.io.catalog import read_catalog
    from starclass.io.mosaic import read_mosaics
    from starclass.io.paths import mosaic_inputs
    from starclass.stamps.inputs import InputSpec, input_spec, parse_softening_mag
    from starclass.stamps.multiscale import parse_scales
    from starclass.stamps.normalise import check_method
    from starclass.stamps.store import StampStore, make_store

    _check_outputs(output, [*mosaic_inputs(mosaics), catalog], overwrite=overwrite, phangs_fits_dir=phangs_fits_dir)
    if phangs_fits_dir is not None and not 1 <= int(phangs_size) <= MAX_PHANGS_SIZE:
        # now, not after the stamp store is written: the export's own check came last and left the store;
        # and a side of 100000 asked numpy for 5.8 TiB at once (a MemoryError traceback, after the work)
        raise StarclassError(f"--phangs-size must be 1-{MAX_PHANGS_SIZE} px (as --size), got {phangs_size}")
    band_list = band_option(bands)  # a band given twice is refused now: it made two identical channels
    changes: dict = {}
    config = None
    if task:
        # outside the renaming below: a bad key in the task file is the file's, named with --task
        config = task_option(task)
    given = [k for k, v in {"stamp_size": size, "scales": scales, "normalisation": normalisation,
                            "softening_mag": softening_mag, "bands": bands}.items() if v is not None]
    # the option checks below raise the library's messages, which name its parameters (scales,
    # softening_mag, stamp_size): rewritten to name the options the user typed
    try:
        if size is not None:
            changes["stamp_size"] = int(size)
        if scales is not None:
            changes["scales"] = list(parse_scales(scales))
        if normalisation is not None:
            changes["normalisation"] = check_method(normalisation)
        if band_list is not None:
            changes["bands"] = band_list
        if softening_mag is not None:
            soft = parse_softening_mag(softening_mag)  # a clear error for a bad value before any work
            changes["softening_mag"] = "auto" if soft is None else soft
        if config is not None:
            if changes:
                config = config.copy(**changes)
            band_list = list(config.bands)
    except StarclassError as exc:
        raise option_message(exc, given) from None
    # after the options (each named as typed, from its value alone) and before any pixel is read: the catalogue
    # first, in the words classify and calibrate use (read_mosaics said 'mosaic file not found' of a missing
    # mosaic before a missing catalogue was looked at)
    check_image_inputs([Path(m) for m in mosaics], Path(catalog), None, need="give the mosaics and --catalog")
    try:
        # stamps of the bands asked for: no V band is used, so none is warned of
        mset = read_mosaics([str(p) for p in mosaics], bands=band_list, require_zeropoint=False, pixel_flags=flags,
                            warn_v_band=False)
    except StarclassError as exc:
        if "appears twice" in str(exc) and len(mosaics) > 1:
            # the usual cause: several fields' folders given for one field
            raise StarclassError(f"{exc}. For several fields give one --catalog per mosaics folder (in the same "
                                 "order) or a fields list (--fields FILE).") from None
        raise
    echo_flagged(mset, quiet=quiet)
    # ra, dec without x, y: placed through the mosaics' WCS
    # with the task's classes: a five-class task's candidates (class_ref 5, no task recorded) were refused
    table = read_catalog(catalog, allow_empty=True, require_xy=False,
                         classes=config.catalogue_classes if config is not None else ())
    refuse_no_rows(table, catalog, "catalogue", why=": no candidates, nothing to cut")
    table = place_rows(table, mset, catalog)
    if len(table) == 0:
        raise StarclassError(f"catalogue {catalog}: no candidates, nothing to cut")
    check_on_image(table, mset.shape, catalog, consequence="their stamps are flagged ok=False", action="cut")
    if field is not None:
        table["field"] = np.full(len(table), str(field))
    if galaxy is not None:
        table["galaxy"] = np.full(len(table), str(galaxy))

    if config is not None:
        spec = input_spec(config)
    else:
        changes["bands"] = tuple(mset.bands)
        changes["scales"] = tuple(changes.get("scales", (1.0,)))
        if changes.get("softening_mag") == "auto":
            changes["softening_mag"] = None  # InputSpec's "measure it"
        spec = InputSpec(**changes)
    if spec.normalisation in ("rgb", "flux"):
        bad = [b for b in spec.bands or mset.bands if not np.isfinite(mset.zeropoint.get(b, np.nan))]
        if bad:
            raise StarclassError(f"--normalisation {spec.normalisation} needs zeropoints; none for "
                                 f"{agreeing(len(bad), 'band')} "
                                 f"{', '.join(bad)} (PHOTFLAM/PHOTPLAM missing from the FITS headers)")
    weights = "auto" if use_masks else None
    # the store and the PHANGS export are one set, renamed into place together at the end: stored
    # first, a Ctrl-C during the export (one file per candidate, the slow part) left the store, and
    # the rerun refused it without --overwrite
    with contextlib.ExitStack() as staged:
        store = staged.enter_context(atomic_path(output))
        # the staged temporary file exists (atomic_path made it); --overwrite was checked above.
        # atomic=False: the store is written into that temporary, the one renamed at the end; the
        # writer's own temporary beside it made two, and a kill left both
        make_store(mset, table, store, config if config is not None else spec, batch_size=batch_size,
                   weights=weights, progress=progress, overwrite=True, atomic=False)
        st = StampStore(store)
        summary = {
            "n": len(st), "shape": st.shape, "bands": st.bands, "scales": st.scales,
            "normalisation": st.normalisation, "n_invalid": int((~st.ok).sum()), "fits": 0,
        }
        st.close()
        if phangs_fits_dir is not None:
            # one file per candidate: written as a folder and moved into place whole, so a kill never
            # leaves a folder mixing an older export's stamps with this one's
            from starclass.stamps.export import export_phangs_fits  # only with --phangs-fits-dir

            tmpdir = staged.enter_context(atomic_dir(phangs_fits_dir, overwrite=overwrite, own=("*.fits",)))
            paths = export_phangs_fits(mset, table, tmpdir, size=phangs_size,
                                       bands=list(spec.bands or mset.bands), weights=weights, progress=progress)
            summary["fits"] = len(paths)
    return summary


def merge(stores: list[Path], output: Path, *, overwrite: bool = False) -> dict:
    """``cutouts --merge``: several stamp stores into one, each row keeping its field."""
    from starclass.io.paths import check_output
    from starclass.stamps import StampStore, merge_stores

    if len(stores) < 2:
        raise StarclassError(f"--merge needs at least two stamp stores, got {len(stores)}")
    for p in stores:
        if Path(p).suffix.lower() not in STAMP_STORE_SUFFIXES:
            raise StarclassError(f"--merge {p}: not a stamp store (expected {', '.join(STAMP_STORE_SUFFIXES)})")
    _check_store_name(output)
    check_output(output, list(stores), option="--output", overwrite=overwrite, file=True)
    merge_stores(stores, output, overwrite=True)  # checked just above, in the option's words
    st = StampStore(output)
    fields = st.table.get("field")
    return {"n": len(st), "shape": st.shape, "bands": st.bands, "scales": st.scales,
            "normalisation": st.normalisation, "n_invalid": int((~st.ok).sum()), "fits": 0,
            "fields": sorted(set(fields.tolist())) if fields is not None else []}


def _check_store_name(output: Path) -> None:
    if Path(output).suffix.lower() not in STAMP_STORE_SUFFIXES:
        raise StarclassError(f"--output {output}: a stamp store is an HDF5 file; name it with one of "
                             f"{', '.join(STAMP_STORE_SUFFIXES)}")


def _check_outputs(output: Path, inputs: list[Path], *, overwrite: bool, phangs_fits_dir: Path | None = None) -> None:
    """Refuse a stamp store (and PHANGS folder) that is an input, exists without ``overwrite`` or is no .h5 name.

    Light (no astropy, no stamp code): the command runs it before its first line, the library functions again.
    """
    from starclass.io.paths import check_output

    check_output(output, inputs, option="--output", overwrite=overwrite, file=True)
    _check_store_name(output)
    check_output(phangs_fits_dir, inputs, option="--phangs-fits-dir", overwrite=overwrite)


def _check_fields_outputs(specs: Sequence[FieldSpec], output: Path, *, overwrite: bool,
                          phangs_fits_dir: Path | None = None) -> None:
    """The refusals of :func:`cutouts_fields` that need no mosaic read: --phangs-fits-dir, the store."""
    from starclass.io.paths import mosaic_inputs

    if phangs_fits_dir is not None:
        raise StarclassError("--phangs-fits-dir works one field at a time; run cutouts per field for it")
    _check_outputs(output, [p for f in specs for p in (*mosaic_inputs(list(f.mosaics)), f.catalog)],
                   overwrite=overwrite)


def cutouts_fields(specs: Sequence[FieldSpec], output: Path, *, overwrite: bool = False, **options: Any) -> dict:
    """Stamps of several fields into one store: each field cut on its own, then merged.

    ``options`` are those of :func:`cutouts` (task, size, ...). An ``auto`` softening is
    measured on the first field and used for the others, since one store holds one stretch.
    """
    import tempfile

    from starclass.io.atomic import notice_leftovers, temp_prefix
    from starclass.stamps import StampStore, merge_stores

    _check_fields_outputs(specs, output, overwrite=overwrite, phangs_fits_dir=options.get("phangs_fits_dir"))
    # the per-field stores live beside the output (same file system, so no large copy) and go with it.
    # Named as the output's temporaries are (.s.h5.XXXXXXXX), so that a kill's leftover folder is named by the
    # next run writing s.h5; '.cutouts-fields-XXXXXXXX' was named by none. The folder is read for leftovers
    # first, once (notice_leftovers reads a folder once per process), so this run's own is never taken for one
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    notice_leftovers(output)
    with tempfile.TemporaryDirectory(prefix=temp_prefix(output), dir=Path(output).parent) as tmp:
        parts = []
        for spec in specs:
            part = Path(tmp) / f"field{len(parts):03d}.h5"
            cutouts(list(spec.mosaics), spec.catalog, part, field=spec.name, galaxy=spec.galaxy, **options)
            parts.append(part)
            if not options.get("quiet"):
                echo(f"field {spec.name}: {counted(len(StampStore(part)), 'candidate')} from {spec.catalog}")
            soft = (StampStore(part).meta.get("extra") or {}).get("softening_mag")
            if soft is not None and options.get("softening_mag") in (None, "auto"):
                options["softening_mag"] = repr(float(soft))
        merge_stores(parts, output, names=[s.name for s in specs], overwrite=True)  # check_output checked it
    st = StampStore(output)
    return {"n": len(st), "shape": st.shape, "bands": st.bands, "scales": st.scales,
            "normalisation": st.normalisation, "n_invalid": int((~st.ok).sum()), "fits": 0,
            "fields": [s.name for s in specs]}


@command("cutouts")
def cutouts_command(
    mosaics: list[Path] = typer.Argument(
        None, help=f"{MOSAICS_HELP}; several fields: one directory per field, each with its --catalog. "
                   "With --merge: the stamp stores to merge."),
    catalog: list[Path] = typer.Option(None, "--catalog", "-c",
        help="Candidate catalogue (0-based x, y; ECSV, Parquet, FITS, CSV; a LEGUS .tab as it is, its 1-based "
             "x, y converted on reading). Several fields: one per mosaics directory, in the same order."),
    fields: Path | None = typer.Option(None, "--fields",
        help="Several fields from a list: a CSV with columns mosaics, catalog and optionally name, galaxy "
             "(see `starclass train --help`); one store with a field column is written."),
    merge_stores_: bool = typer.Option(False, "--merge",
        help="Merge the stamp stores given as arguments into --output (rows in order; a field column holds "
             "each store's name, and galaxy the store's own or the field)."),
    output: Path = typer.Option(..., "--output", "-o", help="Stamp store to write (HDF5, .h5)."),
    task: str | None = typer.Option(None, "--task",
        help="Task preset, task file (YAML/JSON) or trained model (its folder or manifest.json): takes bands, "
             "stamp size, scales and normalisation from it."),
    size: int | None = typer.Option(None, "--size", "--stamp-size", min=MIN_STAMP_SIZE, max=MAX_STAMP_SIZE,
                                    help=f"Stamp side in pixels, {MIN_STAMP_SIZE}-{MAX_STAMP_SIZE} (default 32, or "
                                         "the task's)."),
    scales: str | None = typer.Option(None, "--scales",
        help="Magnifications, comma-separated, e.g. 1,1.6,3.2 (StarcNet). Default 1."),
    normalisation: str | None = typer.Option(None, "--normalisation",
        help="none, zscore (median, MAD), zstd (mean, standard deviation), asinh, rgb or flux (default zscore, "
             "or the task's)."),
    softening_mag: str | None = typer.Option(None, "--softening-mag",
        help="flux: magnitude of one pixel where the stretch turns logarithmic, or 'auto' (the mosaics' per-pixel "
             "sky noise; the number used is stored). Default: the task's, or 28."),
    bands: str | None = typer.Option(None, "--bands",
        help="Comma-separated bands, in channel order (default: the task's, or all found)."),
    batch_size: int | None = typer.Option(None, "--batch-size", min=1,
        help="Candidates cut per batch (memory only; default: as many as fit in 256 MiB)."),
    use_masks: bool = typer.Option(True, "--masks/--no-masks",
        help="Treat zero-weight pixels (weight maps) as invalid, like NaN."),
    mask_extension: str | None = mask_extension_option("in the stamps written"),
    dq_good_bits: str | None = DQ_GOOD_BITS_OPTION,
    mask_file: str | None = MASK_FILE_OPTION,
    phangs_fits_dir: Path | None = typer.Option(None, "--phangs-fits-dir",
        help="Also write one multi-extension FITS per candidate (PHANGS style) here."),
    phangs_size: int = typer.Option(299, "--phangs-size", help="Side of the PHANGS-style FITS stamps (px), 1-1024."),
    progress: bool | None = progress_option("Show progress bars."),
    # as detect's and simulate's: 'cutouts --quiet' in a script was refused "No such option"
    quiet: bool = QUIET_OPTION,
    overwrite: bool = typer.Option(False, "--overwrite",
        help="Replace an existing stamp store (and --phangs-fits-dir folder); without it they are kept."),
) -> None:
    """Cut stamps of every candidate from the mosaics into an HDF5 stamp store.

    The store holds normalised model inputs [N, n_scales x channels, S, S] (scale-major), pixel
    validity, the candidates' id/x/y (and class_ref) and the metadata (bands, size, scales,
    normalisation, zeropoints, source files).

    The candidate pixel floor(x+0.5), floor(y+0.5) (0-based) sits at index S//2. Pixels off the
    image, NaN or (with --masks, the default) of zero weight are filled with 0; a candidate whose
    own pixel is bad is flagged (ok = False).

    Example: starclass cutouts field/ -c field/truth.ecsv --task legus4-compact -o stamps.h5
    """
    # bars only where a person watches them (a batch job's log keeps every redraw); plain lines there instead
    progress = bars_or_lines(progress) if not quiet else False
    mosaics = list(mosaics or [])
    catalogs = list(catalog or [])
    if merge_stores_:
        if catalogs or fields is not None:
            raise StarclassError("--merge joins existing stamp stores: give no --catalog or --fields with it")
        if mask_extension is not None or dq_good_bits is not None or mask_file is not None:
            raise StarclassError(f"{flags_option(mask_extension, dq_good_bits, mask_file)} applies "
                                 "when stamps are cut from mosaics, not to --merge of stamp stores")
        s = merge(mosaics, output, overwrite=overwrite)
        # the lines of a store cut from mosaics (shape, bands, scales, normalisation, flagged rows, the next
        # step): "merged 2 stamp stores into all.h5: 4 candidates from fields a, b" said none of them
        fields = f"{counted(len(s['fields']), 'field')} ({', '.join(s['fields'])}), " if s["fields"] else ""
        _say_written(output, s, f" from {fields}merged from {counted(len(mosaics), 'stamp store')}", quiet=quiet)
        return
    options = dict(task=task, size=size, scales=scales, normalisation=normalisation,
                   softening_mag=softening_mag, bands=bands, batch_size=batch_size, use_masks=use_masks,
                   flags=pixel_flags(mask_extension, dq_good_bits, mask_file),
                   phangs_fits_dir=phangs_fits_dir, phangs_size=phangs_size, progress=progress, quiet=quiet)
    from starclass.io.fields import pair_fields, read_fields_list

    if fields is not None:
        if mosaics or catalogs:
            raise StarclassError("--fields lists the fields' mosaics and catalogues: give no mosaics or --catalog "
                                 "with it")
        specs = read_fields_list(fields)
    elif len(catalogs) > 1:
        specs = pair_fields(mosaics, catalogs)
    else:
        specs = None
    from starclass.io.progress import say_step

    # at a terminal a line once the arguments are checked, before the stamp code loads: the option checks below
    # (parse_scales, check_method, ...) import starclass.stamps' modules, and with them numba, h5py and scipy, so
    # the first thing said was the stamps bar, 2.8 s after the start (benchmarks/startup.py). The refusals of bad
    # options still come before anything is written; a log gets the steps' timed lines.
    # The outputs are refused before the line, as every command does (they need no mosaic read): `-o existing.h5
    # --progress` said "cutouts: reading the mosaics and the catalogue ..." and only then refused the store
    if specs is not None:
        _check_fields_outputs(specs, output, overwrite=overwrite, phangs_fits_dir=phangs_fits_dir)
        say_step(f"cutouts: {counted(len(specs), 'field')}: reading the mosaics and catalogues ...", progress)
        s = cutouts_fields(specs, output, overwrite=overwrite, **options)
        _say_written(output, s, f" from {counted(len(specs), 'field')} ({', '.join(s['fields'])})", quiet=quiet)
        return
    if not mosaics:
        raise StarclassError("give the mosaics (one per band, or a directory)")
    if not catalogs:
        raise StarclassError("give the candidate catalogue (--catalog)")
    from starclass.io.paths import mosaic_inputs

    _check_outputs(output, [*mosaic_inputs(mosaics), catalogs[0]], overwrite=overwrite,
                   phangs_fits_dir=phangs_fits_dir)
    say_step("cutouts: reading the mosaics and the catalogue ...", progress)
    s = cutouts(mosaics, catalogs[0], output, overwrite=overwrite, **options)
    _say_written(output, s, quiet=quiet)
    if phangs_fits_dir is not None:
        echo(f"wrote {counted(s['fits'], 'PHANGS-style FITS file')} to {phangs_fits_dir}")


def partly_without_data(store: str | Path, rows: int = 4096) -> tuple[int, int, float]:
    """Of a stamp store's usable stamps (``ok``), how many have pixels without data, and the largest share.

    Parameters
    ----------
    store : str or Path
        A stamp store (HDF5, :class:`starclass.stamps.StampStore`).
    rows : int
        Stamps read at a time (its per-pixel ``/valid`` is read in blocks, not whole).

    Returns
    -------
    (int, int, float)
        The usable stamps with at least one pixel not valid (off the image, NaN or of zero weight: filled with 0),
        the usable stamps, and the largest share of such pixels in one stamp (0 where none).

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from astropy.table import Table
    >>> from starclass.stamps import make_store
    >>> from starclass.learn.config import get_preset
    >>> img = {b: np.ones((40, 40), np.float32) for b in ("g", "i")}
    >>> cfg = get_preset("m31-binary-compact", stamp_size=8, normalisation="zscore")
    >>> path = tempfile.mkdtemp() + "/s.h5"
    >>> _ = make_store(img, Table({"x": [20.0, 1.0], "y": [20.0, 20.0]}), path, cfg, progress=False)
    >>> partly_without_data(path)  # the second stamp's left 3 columns are off the image
    (1, 2, 0.375)
    """
    import h5py
    import numpy as np

    n, usable, most = 0, 0, 0.0
    with h5py.File(store, "r") as h:
        valid, ok = h["valid"], np.asarray(h["ok"][:], dtype=bool)
        for a in range(0, len(ok), rows):
            block = np.asarray(valid[a:a + rows]).reshape(len(ok[a:a + rows]), -1)
            share = 1.0 - block.mean(axis=1)
            share = share[ok[a:a + rows]]
            n += int(np.count_nonzero(share > 0))
            usable += len(share)
            most = max(most, float(share.max(initial=0.0)))
    return n, usable, most


def _say_written(output: Path, s: dict, fields: str = "", *, quiet: bool = False) -> None:
    """The lines of a store written, of one field or of several (``fields``: " from 2 fields (a, b)").

    Several fields (``--fields``, ``--catalog`` per folder) said neither the bands, scales and normalisation nor
    how many candidates were flagged (``ok`` False), which one field's store says. A note (not with ``quiet``)
    counts the usable stamps partly without data, as ``classify`` counts them: 33 of 467 stamps of a simulated
    field, up to 42% of their pixels filled with 0, were stored without a word.
    """
    echo(f"wrote {output}: {counted(s['n'], 'candidate')}{fields}, inputs {list(s['shape'])} "
         f"(bands {','.join(s['bands'])}; scales {','.join(f'{v:g}' for v in s['scales'])}; "
         f"normalisation {s['normalisation']})")
    if s["n_invalid"]:
        n = s["n_invalid"]
        echo(f"{counted(n, 'candidate')} {'has its' if n == 1 else 'have their'} own pixel off the image or bad: "
             "flagged (ok=False)")
    if not quiet:
        n, usable, most = partly_without_data(output)
        if n:
            echo(f"note: {n} of the {counted(usable, 'usable stamp')} {'is' if n == 1 else 'are'} partly without "
                 f"data (a NaN border, zero weight or off the image; up to {most:.0%} of a stamp's pixels, filled "
                 "with 0): the store's /valid marks them per pixel")
    if line := next_after_cutting(output):
        echo(line)


def next_after_cutting(store: str | Path) -> str | None:
    """The ``next:`` line after a stamp store is written: training on it, where its rows carry classes.

    ``simulate`` and ``detect`` end with the command that comes next; ``cutouts`` ended with the file written,
    and a labelled store (a simulated field's ``truth.ecsv`` cut) trains as it is (``train --stamps``, with the
    ``--task`` the store was cut for, so that the command says what it trains; train reads it from the store
    too). A store cut with other stamps than that preset's (``--size 24``, or ``--task MODEL`` of a model trained
    so) is named without ``--task``, which trained the preset's stamps and was refused of the store, and the line
    says what train reads instead. A store without classes
    (``class_ref`` absent or all 0) gets no line: what it is for (Grad-CAM maps of a model, ``explain``) is the
    user's choice.

    Parameters
    ----------
    store : str or Path
        The stamp store written.

    Returns
    -------
    str or None

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from astropy.table import Table
    >>> from starclass.stamps import make_store
    >>> from starclass.learn.config import get_preset
    >>> img = {b: np.ones((40, 40), np.float32) for b in ("g", "i")}
    >>> cfg = get_preset("m31-binary-compact", stamp_size=8, normalisation="zscore")
    >>> path = Path(tempfile.mkdtemp()) / "s.h5"
    >>> _ = make_store(img, Table({"x": [20.0, 9.0], "y": [20.0, 20.0], "class_ref": [1, 2]}), path, cfg,
    ...                progress=False)
    >>> print(next_after_cutting(path).replace(str(path), "s.h5"))  # doctest: +NORMALIZE_WHITESPACE
    next: train a model on its 2 labelled candidates with 'starclass train --stamps s.h5 -o model' (train reads
    the task the store records: m31-binary-compact, cut with --size 8 --normalisation zscore)

    """
    import numpy as np

    from starclass.errors import shell_word, shown_command
    from starclass.schema import CLASS_REF
    from starclass.stamps import StampStore

    with StampStore(store) as st:
        column = st.table.get(CLASS_REF)  # the store's table: column name -> array
        recorded = (st.meta.get("extra") or {}).get("task") or {}
    # the task the store was cut for, named (train reads it too since 2026-12-07 late); before, without --task it
    # trained its default (legus4, StarcNet: 76 s an epoch on 300 stamps) on a store cut for legus4-compact (2026-12-07)
    task = str(recorded.get("name") or "") if isinstance(recorded, dict) else ""
    task_words, reads = (f" --task {shell_word(task)}" if task else ""), ""
    if task:
        from starclass.cli.train_cmd import task_option_words
        from starclass.learn.config import TaskConfig

        words = task_option_words(TaskConfig.from_dict(recorded), task)
        if words != f"--task {shell_word(task)}":
            # cut with other stamps than the preset's (--size 24, or --task MODEL of a model trained so):
            # 'train --task NAME' would train the preset's stamps, which train refuses of this store; without
            # --task train reads the task the store records
            task_words = ""
            reads = f" (train reads the task the store records: {task}, cut with {words.split(' ', 2)[2]})"
    if column is None:
        return None
    classes = np.ma.filled(np.ma.asarray(column), 0)
    n = int(np.count_nonzero(classes > 0))
    if not n:
        return None
    # in double quotes where the store's path is quoted ('my stamps.h5'), so that the command copies whole
    from starclass.cli.next_steps import free_name

    model = shell_word(free_name("model"))  # a model already there: the command as printed would be refused
    command = shown_command(f"starclass train{task_words} --stamps {shell_word(store)} -o {model}")
    return f"next: train a model on its {counted(n, 'labelled candidate')} with {command}{reads}"
