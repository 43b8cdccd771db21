"""``starclass detect``: candidates and their photometry from FITS mosaics."""

from __future__ import annotations

import contextlib
import math
from pathlib import Path

import typer

from starclass.cli._app import (
    DQ_GOOD_BITS_OPTION,
    MASK_FILE_OPTION,
    MOSAICS_HELP,
    QUIET_OPTION,
    band_option,
    bars_or_lines,
    command,
    echo,
    echo_flagged,
    mask_extension_option,
    pixel_flags,
    place_rows,
    progress_option,
    warn,
    warn_v_band,
)
from starclass.errors import StarclassError, counted, shell_word, shown_command
from starclass.schema import (
    COMPLETENESS,
    COMPLETENESS_COLUMNS,
    COMPLETENESS_SELECTED,
    MAG_HI,
    MAG_LO,
    N_FOUND,
    N_SELECTED,
    N_TRUE,
)


def parse_polygon(text: str | None) -> list[list[float]] | None:
    """``"x1,y1;x2,y2;..."`` (or ``"default"``) -> list of vertices in the MCI plane."""
    if text is None:
        return None
    if text.strip().lower() == "default":
        # here, not at the top: starclass.detect adds ~2 s (measured) to the 0.4 s of `starclass --help`
        from starclass.detect.select import DEFAULT_MCI_POLYGON

        return [list(p) for p in DEFAULT_MCI_POLYGON]
    try:
        pts = [[float(v) for v in part.split(",")] for part in text.split(";") if part.strip()]
    except ValueError:
        raise StarclassError(f"--mci-polygon: cannot read {text!r}; expected 'x1,y1;x2,y2;x3,y3'") from None
    if len(pts) < 3 or any(len(p) != 2 for p in pts):
        raise StarclassError(f"--mci-polygon: need at least 3 'x,y' vertices, got {text!r}")
    return pts


def parse_apcorr(text: str | None) -> str | float | dict[str, float] | None:
    """``none`` / ``ci`` / a number / ``band=mag,band=mag`` -> the measure() option."""
    if text is None or text.strip().lower() in ("", "none", "0"):
        return None
    t = text.strip().lower()
    if t in ("ci", "growth"):
        return t
    try:
        if "=" in t:
            out = {k.strip(): float(v) for k, v in (p.split("=") for p in t.split(","))}
        else:
            out = float(t)
    except ValueError:
        raise StarclassError(
            f"--aperture-correction: cannot read {text!r}; use none, ci, growth, a number or f555w=-0.3,f814w=-0.35"
        ) from None
    bad = [v for v in (out.values() if isinstance(out, dict) else [out]) if not math.isfinite(v)]
    if bad:
        # float() reads 'nan' and 'inf': every magnitude of the catalogue came out NaN (exit 0, no word)
        raise StarclassError(f"--aperture-correction {text!r}: {bad[0]} is not a correction in magnitudes; give a "
                             "finite number (e.g. -0.3) or f555w=-0.3,f814w=-0.35")
    return out


def _measure_on_image(ms, given, positions: Path, **kw):
    """``measure`` the rows of ``given`` on the mosaics; the rows off them kept, unmeasured, in their place.

    The check is classify's and cutouts' (:func:`starclass.stamps.extract.refuse_off_image`: a catalogue
    wholly off is refused, one partly off warned of by id); the measuring is the survey's
    (:func:`starclass.detect.photometry.measure_on_image`). Returns the table and the mask of the rows
    left unmeasured.
    """
    from starclass.detect.photometry import measure_on_image
    from starclass.stamps.extract import refuse_off_image

    what = f"--positions {positions}"  # place_rows gave every row an x, y (or refused it)
    refuse_off_image(given, tuple(ms.shape), what, action="measure",
                     consequence="they are kept unmeasured (NaN photometry, masked_frac 1)", warn=warn)
    return measure_on_image(ms, given, **kw)


@command("detect")
def detect_command(
    mosaics: list[Path] = typer.Argument(
        ..., help=f"{MOSAICS_HELP}."),
    output: Path = typer.Option(..., "--output", "-o",
        help="Candidate catalogue to write (.ecsv, .parquet, .fits, .csv)."),
    truth: Path | None = typer.Option(None, "--truth",
        help="Truth catalogue: cross-match within 2 px and print completeness against magnitude."),
    regions: Path | None = typer.Option(None, "--regions",
        help="Also write a DS9 region file of the candidates, each labelled with its id."),
    positions: Path | None = typer.Option(None, "--positions",
        help="Measure at the positions of this catalogue instead of detecting."),
    bands: str | None = typer.Option(None, "--bands", help="Comma-separated bands to use (default: all found)."),
    magsys: str = typer.Option("vega", "--magsys", help="Magnitude system of the output: vega or ab."),
    fwhm: float = typer.Option(2.0, "--fwhm", help="Stellar FWHM (px) of the matched detection filter."),
    threshold: float = typer.Option(5.0, "--threshold",
                                    help="Detection threshold: matched-filter S/N of a peak (a signal-to-noise, "
                                         "not a probability as classify --threshold)."),
    mag_limit: float | None = typer.Option(None, "--mag-limit", help="Keep candidates brighter than this V magnitude."),
    ci_min: float | None = typer.Option(None, "--ci-min",
        help="Keep candidates with CI >= this (LEGUS-like cut, e.g. 1.35)."),
    ci_max: float | None = typer.Option(None, "--ci-max", help="Keep candidates with CI <= this."),
    mci_polygon: str | None = typer.Option(None, "--mci-polygon",
        help="Keep candidates inside this polygon in the (MCI_in, MCI_out) plane: 'x1,y1;x2,y2;...' or 'default'."),
    # bounded: the photometry allocates per-candidate discs of this radius (1000 px asked for 83 GiB)
    aperture_radius: float = typer.Option(4.0, "--aperture-radius", min=0.5, max=50.0,
                                          help="Photometry aperture radius (px, 0.5-50)."),
    aperture_correction: str | None = typer.Option("growth", "--aperture-correction",
        help="growth (total magnitudes from each source's curve of growth: PSF-convolved EFF fits), none "
             "(aperture magnitudes), ci (from the V-band CI), or a number in mag (all bands) or band=mag,band=mag."),
    box_size: int = typer.Option(32, "--box-size", min=4,
                                 help="Background mesh box (px, at least 4) of the detection image."),
    crowding_radius: float = typer.Option(10.0, "--crowding-radius", help="Radius (px) for the crowding count."),
    galaxy: str | None = typer.Option(
        None, "--galaxy", help="Galaxy name written in the 'galaxy' column (default: none; a --positions "
                               "catalogue's own column is kept, as galaxy_input when this differs)."),
    mask_extension: str | None = mask_extension_option("and left out of detection and photometry"),
    dq_good_bits: str | None = DQ_GOOD_BITS_OPTION,
    mask_file: str | None = MASK_FILE_OPTION,
    completeness_png: Path | None = typer.Option(None, "--completeness-png",
        help="Figure of completeness vs magnitude, its table beside it as .ecsv (default: "
             "<output stem>_completeness.png with --truth)."),
    progress: bool | None = progress_option("Show progress bars."),
    # as in simulate, so a script can quieten every command alike; --no-progress keeps the notes
    quiet: bool = QUIET_OPTION,
    overwrite: bool = typer.Option(False, "--overwrite",
        help="Replace existing outputs (catalogue, regions, completeness files); without it they are kept."),
) -> None:
    """Find cluster candidates in the V band and measure them in every band.

    Writes a catalogue with 0-based x, y, Vega (or AB) magnitudes and errors, CI = m(1px) - m(3px),
    MCI (apertures 1-6 px), local background (7-8 px annulus), FWHM, crowding and the redundancy
    flag (within 5 px of a brighter candidate), and says how many candidates passed the selection
    (--mag-limit, --ci-min, --mci-polygon). With --truth it cross-matches within 2 px and prints completeness against
    magnitude. Example: starclass detect field/ -o candidates.ecsv --mag-limit 24 --ci-min 1.35
    """
    # here, not at the top: starclass.detect adds ~2 s (measured) to the 0.4 s of `starclass --help`
    import numpy as np

    from starclass.io.catalog import catalog_format
    from starclass.io.mosaic import mosaic_inputs, read_mosaics
    from starclass.io.paths import check_distinct_outputs, check_inputs_readable, check_output, input_clash

    # a missing --truth or --positions was refused after the line of the mosaics read; and 'detect field/ --truth
    # truth.ecsv' (docs/detect.md) of a simulated field names field/truth.ecsv: said where it is
    for option, given in (("--truth", truth), ("--positions", positions)):
        if given is not None and not given.exists() and not given.is_absolute():
            beside = [Path(m) / given for m in mosaics if Path(m).is_dir() and (Path(m) / given).is_file()]
            if beside:
                raise StarclassError(f"{option} {given}: no such file or directory (relative to the current "
                                     f"folder; the mosaics' folder has one: {option} {beside[0]})")
    check_inputs_readable([("--truth", truth), ("--positions", positions)])
    # every output is checked before minutes of detection: never an input, never replaced silently
    inputs = [*mosaic_inputs(mosaics), truth, positions]
    png = completeness_png or output.with_name(output.stem + "_completeness.png")
    outputs = [("--output", output), ("--regions", regions)]
    if truth is not None:
        # each named by the option the user gave: "--completeness-png (table)" was said of a table named after
        # --output, where no --completeness-png was given (until 2026-12-07)
        after = ("beside --completeness-png" if completeness_png is not None
                 else "named after --output; --completeness-png names it")
        said = [("--completeness-png" if completeness_png is not None else f"the completeness plot ({after})", png),
                (f"the completeness table ({after})", png.with_suffix(".ecsv"))]
        for what, path in said:
            for option, given in (("--truth", truth), ("--positions", positions)):
                if given is not None and input_clash(path, [given]) is not None:
                    raise StarclassError(f"{option} {given} is {what.split(' (')[0]} this run writes ({after}); "
                                         f"{'name another' if completeness_png is not None else 'name one'} with "
                                         f"--completeness-png PATH.png (its table is PATH.ecsv), or give {option} "
                                         "another name")
        outputs += said
    for option, path in outputs:
        check_output(path, inputs, option=option, overwrite=overwrite, file=True)
    check_distinct_outputs(outputs)
    catalog_format(output)
    if magsys.lower() not in ("vega", "ab"):
        raise StarclassError(f"--magsys must be vega or ab, got {magsys!r}")
    for option, value in (("--mag-limit", mag_limit), ("--ci-min", ci_min), ("--ci-max", ci_max)):
        # named now: --mag-limit nan was refused as "mag_limit=nan" after the whole detection
        if value is not None and not np.isfinite(value):
            raise StarclassError(f"{option} must be a finite number, got {value}")
    if ci_min is not None and ci_max is not None and ci_min > ci_max:
        # no candidate can pass: the run wrote an empty catalogue with exit status 0
        raise StarclassError(f"--ci-min {ci_min} is above --ci-max {ci_max}: no candidate could pass")
    # named now, before the mosaics are read: --crowding-radius -3 counted neighbours within |r| silently
    for option, value in (("--fwhm", fwhm), ("--threshold", threshold), ("--crowding-radius", crowding_radius)):
        if not (np.isfinite(value) and value > 0):
            raise StarclassError(f"{option} must be a positive number, got {value}")
    # bars where a person watches them, plain lines into a log file (bars_or_lines); --quiet: neither
    progress = bars_or_lines(progress) if not quiet else False
    band_list = band_option(bands)  # a band given twice is refused: it was measured twice, exit 0
    paths = mosaics[0] if len(mosaics) == 1 else list(mosaics)
    polygon = parse_polygon(mci_polygon)
    apcorr = parse_apcorr(aperture_correction)
    flags = pixel_flags(mask_extension, dq_good_bits, mask_file)
    ms = read_mosaics(paths, bands=band_list, magsys=magsys.lower(), pixel_flags=flags, warn_v_band=False)
    warn_v_band(ms, "detect")
    echo(f"mosaics: {', '.join(ms.bands)}  {ms.shape[1]} x {ms.shape[0]} px  V band {ms.v_band}  ({ms.magsys})")
    # after the first line: the finder and the photometry (numba, scipy, the stamp code) took ~1 s to import
    # before it, while the checks above need none of them
    from starclass.detect.completeness import (
        check_truth,
        completeness,
        found_note,
        fraction_brighter,
        on_data,
        plot_completeness,
        unmatched_note,
    )
    from starclass.detect.find import detect
    from starclass.detect.photometry import (
        PSF_TABULATED,
        keep_given_photometry,
        tabulated_psf_message,
    )
    from starclass.detect.select import select_candidates
    from starclass.io.atomic import atomic_path
    from starclass.io.catalog import keep_input_columns, read_catalog, write_catalog
    from starclass.io.mosaic import SKY_POSITIONS
    from starclass.io.regions import write_regions
    from starclass.schema import CLASS_REF, GALAXY

    # a keyword zeropoint on an image in counts is taken as of the stored counts (no EXPTIME added):
    # the convention differs between archives, so the line says which one the magnitudes assume
    as_stored = {b: o for b, o in getattr(ms, "zeropoint_origin", {}).items() if "no EXPTIME added" in o}
    if as_stored:
        echo("zeropoints: " + "; ".join(f"{b} {ms.zeropoint[b]:.3f} (from {o})" for b, o in as_stored.items()))
    echo_flagged(ms, quiet=quiet)
    # ra, dec without x, y: placed through the mosaics' WCS
    said: set[str] = set()  # positions and truth of one file: the placed line said once (as survey says it)
    truth_table = (place_rows(read_catalog(truth, require_xy=False), ms, truth, said=said)
                   if truth is not None else None)
    if truth_table is not None:
        check_truth(truth_table, ms.v_band, truth)  # before the detection, not after it
        # truth objects beyond the data (a drizzled mosaic's NaN border, a catalogue wider than the mosaic)
        # cannot be found: they were counted as missed, so completeness read 0.6 on a field found at 0.94
        keep = on_data(truth_table, ms, ms.v_band)
        if not keep.all():
            echo(f"truth: {int((~keep).sum())} of {counted(len(truth_table), 'object')} lie off the {ms.v_band} "
                 "data (NaN, zero weight or off the image) and cannot be detected: left out of the completeness")
            truth_table = truth_table[keep]

    if positions is not None:
        given = place_rows(read_catalog(positions, require_xy=False), ms, positions, said=said)
        keep_given_photometry(given, positions)  # measure() below would replace them without a word
        if galaxy and GALAXY in given.colnames and any(str(v) != galaxy for v in given[GALAXY]):
            # --galaxy was dropped without a word under the file's own column: the name asked for is
            # written, the file's kept as galaxy_input, as its photometry is
            keep_input_columns(given, [GALAXY], positions, what="carry the name --galaxy writes")
        # rows off the image are warned of by id and kept unmeasured, as classify and cutouts keep them
        found, unmeasured = _measure_on_image(
            ms, given, positions, aperture_radius=aperture_radius, aperture_correction=apcorr,
            crowding_radius=crowding_radius, progress=progress,
        )
        n_off = int(unmeasured.sum())
        echo(f"measured {counted(len(found) - n_off, 'position')} from {positions}"
             + (f" ({n_off} off the image kept unmeasured)" if n_off else ""))
    else:
        found = detect(
            ms, fwhm=fwhm, threshold_sigma=threshold, aperture_radius=aperture_radius,
            aperture_correction=apcorr, crowding_radius=crowding_radius, galaxy=galaxy,
            box_size=box_size, progress=progress,
        )
        echo(f"detected {counted(len(found), 'candidate')} in {found.meta.get('detect_band', ms.v_band)}")
        if found.meta.get("detect_noise") == "poisson":
            # the threshold means something else on such an image: the user must know which was used
            echo(f"noise: {found.meta.get('detect_band', ms.v_band)} read as photon counts (non-negative "
                 "integers, as many 0s and 1s or as much spread as a Poisson law gives): Poisson background, "
                 "Gehrels noise (docs/detect.md)")
    sky = str(found.meta.get(SKY_POSITIONS, ""))
    if sky.startswith("none"):
        # once, here: the catalogue used to come out without ra, dec and not a word of why
        warn(f"{sky[len('none: '):]}: the catalogue has no ra, dec. Detection, photometry, cutouts, classify and "
             "matching on x, y against catalogues of these mosaics still work; matching by sky position "
             "(a truth or reference with only ra, dec; two pointings) and sky regions need a WCS "
             f"(meta {SKY_POSITIONS!r} records this)")
    n_detected = len(found)
    cat = select_candidates(found, mag_limit=mag_limit, ci_min=ci_min, ci_max=ci_max,
                            mci_polygon=polygon)
    if "n_selected" in cat.meta:
        # detect() above was given no cut, so its meta said n_selected = n_detected (392 of a catalogue of 92
        # rows written with --mag-limit 24 --ci-min 1.35, 2026-12-07): the count is of the rows kept here
        cat.meta["n_selected"] = len(cat)
    if galaxy and (GALAXY not in cat.colnames or any(str(v) != galaxy for v in cat[GALAXY])):
        cat[GALAXY] = [galaxy] * len(cat)
    if ms.pixel_flags:
        # in the catalogue too: a later reader (or a rerun) must know which pixels were left out
        cat.meta["pixel_flags"] = {"applied": ms.pixel_flags.describe(), "flagged_pixels": dict(ms.flagged)}
    criteria = [s for s in (
        # the detection band's name, as in the truth lines below: "m_V" named a band a g-band field has not
        f"m_{ms.v_band} <= {mag_limit}" if mag_limit is not None else "",
        f"CI >= {ci_min}" if ci_min is not None else "",
        f"CI <= {ci_max}" if ci_max is not None else "",
        "inside the MCI polygon" if polygon is not None else "",
    ) if s]
    if criteria:
        echo(f"selection ({', '.join(criteria)}): {len(cat)} of {n_detected} passed")
    else:
        echo(f"no selection: all {len(cat)} kept")
        if positions is None and len(cat) and not quiet:
            # 567 candidates on a field of 300 simulated objects read as a broken detection (2026-12-07):
            # they are every peak above the threshold, and the user must hear what makes a catalogue of them
            echo(found_note(cat, threshold))
    red = int(np.asarray(cat["redundant"]).sum()) if "redundant" in cat.colnames else 0
    # in words: "subclass 4.9" (the PHANGS class number) told a user nothing (2026-12-07)
    echo(f"redundant: {red} of the {len(cat)} kept lie within 5 px of a brighter candidate, likely the same "
         "object found twice or a knot of a larger one (column redundant)")
    if len(cat) and not quiet:
        _echo_no_data(cat, ms, aperture_radius)
    if said := tabulated_psf_message(cat.meta.get(PSF_TABULATED)):
        warn(said)  # a band's totals from a PSF that is not its own: said, as it changes the magnitudes

    comp = None
    if truth_table is not None:
        vb = ms.v_band
        comp = completeness(truth_table, found, band=vb, radius=2.0)
        comp_sel = completeness(truth_table, cat, band=vb, radius=2.0,
                                bins=list(comp[MAG_LO]) + [comp[MAG_HI][-1]])
        comp[N_SELECTED] = comp_sel[N_FOUND]
        comp[COMPLETENESS_SELECTED] = comp_sel[COMPLETENESS]
        # the file's columns in the printed table's order (schema's COMPLETENESS_COLUMNS): the file had
        # n_selected after completeness, the table before it
        comp = comp[list(COMPLETENESS_COLUMNS)]
        lit = comp.meta.get("matched_at", "x, y") != "x, y"
        at = " of x, y or the centre of light (x_light, y_light)" if lit else ""
        echo(f"truth: {counted(comp.meta['n_truth'], 'object')}; matched within 2 px{at}: {comp.meta['matched']} "
             f"before selection, {comp_sel.meta['matched']} after")
        # the headers are the .ecsv's column names, in its order, and the line above them names the band of
        # mag_lo, mag_hi (the file says it in meta['band'] and the columns' descriptions): the table said
        # "mag range" of a band it did not name
        echo(f"completeness against the true {vb} magnitude (mag_lo, mag_hi), as in {png.with_suffix('.ecsv').name}:")
        widths = dict(zip(COMPLETENESS_COLUMNS, (6, 6, 7, 7, 10, 12, 21)))
        echo(" ".join(f"{name:>{widths[name]}s}" for name in COMPLETENESS_COLUMNS))
        for row in comp:
            if row[N_TRUE]:
                echo(f"{row[MAG_LO]:6.2f} {row[MAG_HI]:6.2f} {row[N_TRUE]:7d} {row[N_FOUND]:7d} "
                     f"{row[N_SELECTED]:10d} {row[COMPLETENESS]:12.3f} {row[COMPLETENESS_SELECTED]:21.3f}")
        if said := unmatched_note(comp.meta, n_detected, vb):
            echo(said)
        if CLASS_REF in truth_table.colnames:
            frac, n = fraction_brighter(truth_table, found, 23.5, band=vb, classes=(1, 2, 3))
            # the detection band's magnitude (g on a ground-based field): "m_V" named a band the field has not
            echo(f"classes 1-3 brighter than m_{vb} = 23.5: {frac:.3f} of {n} detected")
        if "median_dmag" in comp.meta:
            said = f" ({comp.meta['dmag_system']})" if "dmag_system" in comp.meta else ""
            echo(f"median measured - true {vb} magnitude of matched objects: {comp.meta['median_dmag']:+.3f}{said}")

    # the outputs are one set: each is written under a hidden temporary name and all are renamed
    # into place together at the end. One after the other, a Ctrl-C while the completeness figure
    # was drawn left the catalogue and regions in place, and the rerun refused them without --overwrite
    comp_path = png.with_suffix(".ecsv")
    with contextlib.ExitStack() as staged:
        # overwrite=True: the name written is the empty temporary file atomic_path made
        # (check_output refused an existing output without --overwrite, as before)
        write_catalog(cat, staged.enter_context(atomic_path(output)), overwrite=True)
        if regions is not None:
            # each circle labelled with its id (text={...}): read back as a catalogue (--catalog c.reg) the
            # sources were numbered 1..N in file order, not detect's ids (a selection or --positions ids);
            # the staged temporary file exists (atomic_path made it); --overwrite was checked before
            write_regions(cat, staged.enter_context(atomic_path(regions)), label=True, overwrite=True)
        if comp is not None:
            comp.write(staged.enter_context(atomic_path(comp_path)), format="ascii.ecsv", overwrite=True)
            plot_completeness(comp, staged.enter_context(atomic_path(png)), overwrite=True)  # staged; checked
    echo(f"wrote {output} ({counted(len(cat), 'row')})")
    if regions is not None:
        echo(f"wrote {regions}")
    if comp is not None:
        echo(f"wrote {png} and {comp_path}")
    echo(next_after_detecting(mosaics, output))


def next_after_detecting(mosaics: list[Path], output: Path) -> str:
    """The line after ``detect``'s "wrote OUT": classify the candidates on the same mosaics.

    A new user's walk of docs/uncertainty.md (2026-12-06) ended ``detect`` with "wrote candidates.ecsv
    (525 rows)" and nothing on what to run on it, where ``train`` and ``classify`` say their next step.

    Parameters
    ----------
    mosaics : list of Path
        The mosaics given (files or a folder): their folder is named, else the placeholder MOSAICS.
    output : Path
        The catalogue written.

    Returns
    -------
    str

    Examples
    --------
    >>> print(next_after_detecting([Path("a/x_f555w.fits"), Path("b/y_f814w.fits")], Path("c.ecsv")))
    ... # doctest: +NORMALIZE_WHITESPACE
    next: classify them with 'starclass classify MOSAICS -c c.ecsv --model MODEL -o classified.ecsv' (MODEL: a model
    folder from train, trained on other fields than these mosaics; scored on its training field, its figures would
    be in-sample)
    >>> next_after_detecting([Path("field")], Path("c.ecsv")).split("; ")[0][-34:]
    'trained on other fields than field'
    """
    from starclass.cli.suggest_cmd import data_dir_of

    # the folder, not its words: a folder named DATA_DIR was taken for the placeholder and printed MOSAICS
    folder = data_dir_of(mosaics)
    words = "MOSAICS" if folder is None else shell_word(folder)
    # in double quotes where a path is quoted ('my field'): 'starclass classify 'my field' ...' copied broke apart
    from starclass.cli.next_steps import classified_name

    command = shown_command(f"starclass classify {words} -c {shell_word(output)} --model MODEL -o {classified_name()}")
    # after simulate's line (train on this field's truth), "MODEL: a model folder from train" led to scoring that
    # model on its own training field, in-sample: detect takes no model and the mosaics record none, so it says so
    return (f"next: classify them with {command} (MODEL: a model folder from train, trained on other fields than "
            f"{'these mosaics' if folder is None else words}; scored on its training field, its figures would be "
            "in-sample)")


def _echo_no_data(cat, ms, aperture_radius: float) -> None:
    """Notes of the candidates whose V aperture, or whose centre in another band, holds no data.

    A row off the image (kept unmeasured from --positions) was warned of on its own. Bands cover different
    areas (HST mosaics): a candidate beyond one band's footprint read NaN there without a word, while a
    survey's tiles off that footprint say so; a given position wholly on the V band's NaN area was not
    counted either (only those partly on it).
    """
    import numpy as np

    from starclass.detect.completeness import on_data
    from starclass.schema import MASKED_FRAC, X, Y, masked_frac_col
    from starclass.stamps.extract import off_image

    on = ~off_image(np.asarray(cat[X], dtype=float), np.asarray(cat[Y], dtype=float), tuple(ms.shape))
    # (band, count, column) of the candidates with part of an aperture off the data: said in one line at the end
    parts: list[tuple[str, int, str]] = []
    vband = cat.meta.get("detect_v_band", ms.v_band)
    if MASKED_FRAC in cat.colnames:
        frac = np.asarray(cat[MASKED_FRAC], dtype=float)
        part, none = on & (frac > 0) & (frac < 1), on & (frac >= 1)
        if part.any():
            parts.append((f"{vband} (V)", int(part.sum()), MASKED_FRAC))
        if none.any():
            echo(f"note: {counted(int(none.sum()), 'candidate')} {'has' if none.sum() == 1 else 'have'} no data in "
                 f"the whole {aperture_radius:g} px aperture of the V band {vband} (NaN or zero weight: beyond its "
                 f"footprint or a masked patch; {MASKED_FRAC} 1): mag_{vband}, ci, mci_*, bkg and fwhm NaN")
    for b in ms.bands:
        if b == vband or f"mag_{b}" not in cat.colnames:
            continue
        lack = on & ~on_data(cat, ms, b)
        if lack.any():
            echo(f"note: {counted(int(lack.sum()), 'candidate')} {'has' if lack.sum() == 1 else 'have'} no data in "
                 f"band {b} at {'its' if lack.sum() == 1 else 'their'} centre (NaN or zero weight: beyond its "
                 f"footprint or a masked patch): mag_{b} NaN or missing that light")
        col = masked_frac_col(b)
        if col in cat.colnames:
            # the centre on data, part of the aperture not: mag_<b> too faint, flagged in its own column
            frac = np.asarray(cat[col], dtype=float)
            part = on & ~lack & (frac > 0)
            if part.any():
                parts.append((b, int(part.sum()), col))
    if parts:
        echo(_part_aperture_note(parts, aperture_radius))
    if said := _no_v_magnitude_note(cat, vband, on):
        echo(said)


def _no_v_magnitude_note(cat, vband: str, on=None) -> str | None:
    """The note of the candidates, on data in the V band, whose V magnitude is NaN: a flux not above the sky.

    A walk of the docs (2026-12-07) detected 392 peaks, and ``info`` then counted ``f555w n=359``: 33 peaks of
    S/N 5-9 had no V magnitude (and 12 a CI below 0), without a word. The peak is found on a smoothed image; in
    the 4 px aperture, less the local sky of the annulus, their flux is not positive (a faint peak on a bright
    or uneven background). Those with no data in the aperture are said apart (``masked_frac`` 1).

    Parameters
    ----------
    cat
        The candidates (``mag_<vband>``; ``masked_frac``).
    vband
        The V band.
    on
        Which rows lie on the image (None: all).

    Returns
    -------
    str or None

    Examples
    --------
    >>> import numpy as np
    >>> from astropy.table import Table
    >>> t = Table({"mag_f555w": [20.0, np.nan, np.nan], "masked_frac": [0.0, 0.0, 1.0]})
    >>> print(_no_v_magnitude_note(t, "f555w"))  # doctest: +NORMALIZE_WHITESPACE
    note: 1 of the 3 candidates has no f555w (V) magnitude: its aperture flux less the local sky (annulus) is
    not positive, a faint peak on a bright or uneven background; mag_f555w NaN, its CI uncertain; --mag-limit
    leaves it out
    """
    import numpy as np

    from starclass.schema import MASKED_FRAC

    col = f"mag_{vband}"
    if col not in cat.colnames or not len(cat):
        return None
    none = ~np.isfinite(np.ma.filled(np.ma.asarray(cat[col], dtype=float), np.nan))
    if on is not None:
        none &= np.asarray(on, bool)
    if MASKED_FRAC in cat.colnames:
        none &= ~(np.ma.filled(np.ma.asarray(cat[MASKED_FRAC], dtype=float), 0.0) >= 1)  # said apart
    n = int(none.sum())
    if not n:
        return None
    one = n == 1
    return (f"note: {n} of the {counted(len(cat), 'candidate')} {'has' if one else 'have'} no {vband} (V) magnitude: "
            f"{'its' if one else 'their'} aperture flux less the local sky (annulus) is not positive, a faint peak on "
            f"a bright or uneven background; {col} NaN, {'its' if one else 'their'} CI uncertain; --mag-limit "
            f"leaves {'it' if one else 'them'} out")


def _part_aperture_note(parts: list[tuple[str, int, str]], aperture_radius: float) -> str:
    """The one note of the candidates with part of an aperture on NaN, zero-weight or off-image pixels.

    One line per band said the same of the same candidates (five on a simulated HST field, whose
    edge candidates are on the edge in every band); now one line for every band.

    Examples
    --------
    >>> _part_aperture_note([("f555w (V)", 1, "masked_frac")], 4)
    'note: 1 candidate has part of its 4 px aperture in band f555w (V) on NaN, zero-weight or off-image pixels \
(column masked_frac > 0): its magnitudes miss that light'
    >>> _part_aperture_note([("f555w (V)", 15, "masked_frac"), ("f814w", 15, "masked_frac_f814w")], 4)
    'note: 15 candidates have part of their 4 px aperture on NaN, zero-weight or off-image pixels in f555w (V) and \
f814w (columns masked_frac, masked_frac_f814w > 0): their magnitudes there miss that light'
    >>> _part_aperture_note([("g (V)", 2, "masked_frac"), ("i", 3, "masked_frac_i")], 4).split(": ")[2]
    '2 in g (V), 3 in i (columns masked_frac, masked_frac_i > 0)'
    """
    columns = ", ".join(c for _, _, c in parts)
    if len(parts) == 1:
        band, n, col = parts[0]
        one = n == 1
        # the V aperture's fraction is of every magnitude's aperture (and CI's); a band's of its own magnitude
        tail = f"{'its' if one else 'their'} magnitudes miss that light" if " (V)" in band else \
            f"mag_{band} misses that light"
        return (f"note: {counted(n, 'candidate')} {'has' if one else 'have'} part of {'its' if one else 'their'} "
                f"{aperture_radius:g} px aperture in band {band} on NaN, zero-weight or off-image pixels (column {col} "
                f"> 0): {tail}")
    bands = [b for b, _, _ in parts]
    where = f"{', '.join(bands[:-1])} and {bands[-1]}"
    counts = {n for _, n, _ in parts}
    if len(counts) == 1:
        n = counts.pop()
        one = n == 1
        return (f"note: {counted(n, 'candidate')} {'has' if one else 'have'} part of {'its' if one else 'their'} "
                f"{aperture_radius:g} px aperture on NaN, zero-weight or off-image pixels in {where} (columns "
                f"{columns} > 0): {'its' if one else 'their'} magnitudes there miss that light")
    return (f"note: candidates with part of their {aperture_radius:g} px aperture on NaN, zero-weight or off-image "
            f"pixels: {', '.join(f'{n} in {b}' for b, n, _ in parts)} (columns {columns} > 0): their magnitudes there "
            "miss that light")
