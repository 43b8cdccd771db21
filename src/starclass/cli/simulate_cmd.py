"""``starclass simulate``: a synthetic multi-band galaxy field with known truth, or (preset
``pandas-cutouts``) a labelled folder of PAndAS-like M31 cutouts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import typer

from starclass.cli._app import (
    QUIET_OPTION,
    band_option,
    bars_or_lines,
    command,
    echo,
    echo_wrapped,
    progress_option,
)
from starclass.errors import StarclassError, counted, shell_word, shown_command


@command("simulate")
def simulate_cmd(
    outdir: Path = typer.Argument(...,
        help="Output directory: for a field, <galaxy>_<band>.fits per band, truth.ecsv, humans.ecsv, "
             "simulation.json; for a cutout preset, labels.csv (what train --stamps reads) and the images "
             "(cool-core, galaxy-cluster, open-globular: images/ and simulation.json; pandas-cutouts: a folder per "
             "class)."),
    seed: int = typer.Option(0, "--seed",
        help="Random seed; the same seed gives identical files. Seeds other than 0 also move the field's "
             "sky centre (and name, without --galaxy): docs/simulator.md."),
    preset: str = typer.Option("hst", "--preset",
        help="Fields: hst (5 HST bands, 0.04\"/px), the LEGUS-like ngc1566, ngc7793w, ngc5474, ngc1433, ngc628c, "
             "or m31 (ground-based g, i). Labelled cutout folders: pandas-cutouts (like the real PAndAS g-band "
             "PNGs) or the seed papers' cool-core, galaxy-cluster, open-globular. docs/simulator.md describes "
             "each."),
    n: int = typer.Option(None, "--n",
        help="Cutout presets: number of cutouts (pandas-cutouts: default 869, split like the real folder "
             "467/9/393; cool-core 318 as the paper's TNG300 sample; galaxy-cluster 400; open-globular 400)."),
    overwrite: bool = typer.Option(False, "--overwrite",
        help="Replace an existing non-empty OUTDIR as a whole (a field folder may hold only what simulate writes); "
             "without it it is kept."),
    size: int = typer.Option(None, "--size",
        help="Field size in pixels (square; default 2048, at least 64, at most 16384); the seed papers' presets: "
             "the cutout side (cool-core 256, galaxy-cluster 168, open-globular 224; at least 32)."),
    n_candidates: int = typer.Option(None, "--n-candidates", min=1,
        help="Number of candidates in the truth catalogue, at least 1 (default 3000): every later command "
             "(detect --truth, cutouts, train, evaluate) works per candidate and refuses an empty catalogue."),
    distance: float = typer.Option(
        None, "--distance", help="Distance in Mpc, 0.01-1000 (default: the preset's, 10 for hst)."),
    bands: str = typer.Option(None, "--bands", help="Comma-separated bands (default: the preset's, hst "
                              "f275w,f336w,f438w,f555w,f814w, m31 g,i; docs/simulator.md)."),
    humans: int = typer.Option(None, "--humans", help="Number of simulated human classifiers (default 3)."),
    cluster_fraction: float = typer.Option(
        None, "--cluster-fraction",
        help="Share of clusters (classes 1 + 2) among the candidates, 0-1 (default: the preset's; m31: the M31 "
             "search's 490 in 5,963 = 0.082 after its catalogue cuts; the paper's raw 1 in 356 is 0.0028)."),
    galaxy_offset: float = typer.Option(
        None, "--galaxy-offset-kpc",
        help="Projected distance (kpc) of the field's centre from the galaxy's (default: the centre is in the "
             "field); the truth column r_gal (galactocentric radius) follows it."),
    galaxy: str = typer.Option(None, "--galaxy",
        help="Field name (file prefix, TARGNAME, galaxy column); default: the preset's (hst: SIM-1), "
             "with -s<SEED> for a seed other than 0."),
    png: bool = typer.Option(False, "--png", help="Also write a colour composite, composite.png."),
    gallery: bool = typer.Option(False, "--gallery",
        help="Also write a stamp gallery (8 per class and subclass), gallery.png."),
    calibrate: bool = typer.Option(False, "--calibrate",
        help="Also measure photometry at the truth positions and write calibration.json/.md (naive-rule "
             "accuracies, spatial 5-fold CV)."),
    ci_min: float = typer.Option(None, "--ci-min",
        help="Calibration: LEGUS-like selection CI >= this before scoring (default 1.35 for HST presets, none for "
             "ground-based)."),
    progress: bool | None = progress_option("Show progress bars."),
    # one --quiet for detect and simulate: it was this option's off switch here ("Show progress bars") and
    # "no progress bars and no notes" in detect
    quiet: bool = QUIET_OPTION,
    volunteers: int = typer.Option(None, "--volunteers", min=0,
        help="--preset galaxy-cluster: citizen-science volunteers per candidate (default 10; 0 none), giving "
             "vote_fraction, consensus (train with --label-column consensus) and more (docs/seed_simulators.md)."),
    fields: int = typer.Option(None, "--fields", min=1,
        help="Write N fields (seeds SEED..SEED+N-1) in OUTDIR/<galaxy>-<k>/ and a survey plan OUTDIR/plan.yaml "
             "for 'starclass survey' (docs/survey.md)."),
    halo_clusters: bool = typer.Option(True, "--halo-clusters/--no-halo-clusters",
        help="--preset pandas-cutouts: clusters beyond 15 kpc on M31 fainter and larger with radius, as in "
             "M31's outer halo (default; docs/real_images.md, fifth pass); --no-halo-clusters draws them "
             "independently of radius (the fourth pass's folders)."),
) -> None:
    """Simulate a galaxy field (images, truth catalogue, simulated human labels).

    Positions in the catalogues are 0-based pixels; magnitudes are Vega.

    Examples: starclass simulate field/ --seed 1 --png; starclass simulate test/ --seed 1001
    """
    # bars where a person watches them, plain lines into a log file (bars_or_lines); --quiet: neither
    progress = bars_or_lines(progress) if not quiet else False
    # light modules alone before the first line (the option checks, the folder and memory checks); the simulator
    # (starclass.simulate.field: galaxy, objects, rendering, scipy, astropy's tables and WCS) after it: its
    # import took 1-2 s, said nothing, before the first line of every field
    from starclass.io.atomic import atomic_dir
    from starclass.io.memory import check_memory
    from starclass.io.paths import check_output
    from starclass.io.progress import say_start
    from starclass.simulate.config import CUTOUT_PRESETS, place_by_seed
    from starclass.simulate.config import PRESETS as FIELD_PRESETS
    from starclass.simulate.config import preset as make_preset
    from starclass.simulate.footprint import FIELD_ENTRIES, estimate_memory
    from starclass.simulate.seed_presets import SEED_PRESETS, write_seed_preset

    known = (*FIELD_PRESETS, *CUTOUT_PRESETS, *SEED_PRESETS)
    if preset.lower() not in known:
        # the field presets' own message listed only those: not pandas-cutouts or the seed papers' folders
        raise StarclassError(f"--preset {preset!r} is not a preset; known: {', '.join(known)}")
    if not halo_clusters and preset.lower() not in CUTOUT_PRESETS:
        raise StarclassError("--no-halo-clusters applies to --preset pandas-cutouts only")
    if preset.lower() in SEED_PRESETS:
        given = [k for k, v in {"--n-candidates": n_candidates, "--distance": distance, "--bands": bands,
                                "--humans": humans, "--galaxy": galaxy, "--fields": fields}.items() if v is not None]
        given += [k for k, v in (("--png", png), ("--gallery", gallery), ("--calibrate", calibrate)) if v]
        if given:
            raise _field_options_error(preset, given)
        check_output(outdir, (), option="OUTDIR", overwrite=overwrite)
        # in a log file too: the simulator's import (scipy, astropy) and the CLI's start said nothing for ~4 s on a
        # loaded machine before 'cutouts: 0 of 200' (simulate cc --preset cool-core --n 200 --size 128 > log)
        say_start(f"simulate: {preset.lower()}, {_how_many(n, size)}: loading the simulator ...", progress)
        labels, counts = write_seed_preset(preset.lower(), outdir, n=n, size=size, seed=seed, overwrite=overwrite,
                                           progress=progress, volunteers=volunteers)
        echo(f"    labels: {labels}")
        echo("    counts: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        from starclass.simulate.seed_presets import EXPERTS_TASK, expert_line, label_line, volunteers_line

        # the simulator's class names above, the task's (train, classify) here: both, so neither surprises. The
        # task is the one the next line trains with: "in task cool-core's classes" above "--task cool-core-compact"
        # named two tasks for one
        # ~140 characters: folded at a terminal's width, whole in a log
        echo_wrapped(f"     label: {label_line(labels, cutouts_task(preset.lower()))}")
        # the experts' five kinds are written too: which task trains on them went unsaid
        if (experts := expert_line(labels)) is not None:
            echo_wrapped(f"    expert: {experts} (the expert column: train the five with "
                         f"{train_command(EXPERTS_TASK, labels, size, '--label-column expert')})")
        # galaxy-cluster's volunteers are on by default: six columns of labels.csv (a consensus to train on) went unsaid
        if (vol := volunteers_line(labels)) is not None:
            echo_wrapped(f"    {vol}")
        echo(next_after_seed_preset(preset.lower(), labels, size))
        return
    if volunteers is not None:
        raise StarclassError("--volunteers applies to --preset galaxy-cluster only")
    if preset.lower() in CUTOUT_PRESETS:
        field_only = {"--size": size, "--n-candidates": n_candidates, "--distance": distance,
                      "--bands": bands, "--humans": humans, "--galaxy": galaxy, "--fields": fields,
                      "--cluster-fraction": cluster_fraction, "--galaxy-offset-kpc": galaxy_offset}
        given = [k for k, v in field_only.items() if v is not None]
        given += [k for k, v in (("--png", png), ("--gallery", gallery), ("--calibrate", calibrate)) if v]
        if given:
            raise _field_options_error(preset, given)
        say_start(f"simulate: {preset.lower()}, {_how_many(869 if n is None else n, None)}: loading the simulator ...",
                  progress)
        from starclass.simulate.cutouts_m31 import CutoutSimConfig, write_cutouts

        cfg_c = CutoutSimConfig(n=869 if n is None else n, seed=seed)
        if not halo_clusters:
            cfg_c.cluster_halo = None
        counts = cfg_c.label_counts()
        labels = write_cutouts(cfg_c, outdir, overwrite=overwrite, progress=progress)
        echo(f"    labels: {labels}")
        echo("    counts: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        echo(cutouts_next_line(preset.lower(), labels))
        return
    if n is not None:
        # --n is the cutout presets' (the seed papers' too), not pandas-cutouts' alone: name them all
        raise StarclassError(f"--n applies to the cutout presets only ({', '.join((*CUTOUT_PRESETS, *SEED_PRESETS))});"
                             f" --preset {preset} is a field: give --n-candidates")

    over = {}
    if size is not None:
        from starclass.simulate.config import MAX_FIELD_SIDE

        # named as the option: "shape 200000 x 200000 is too large" named none (until 2026-12-07)
        if not 64 <= size <= MAX_FIELD_SIDE:
            raise StarclassError(f"--size must be at least 64 and at most {MAX_FIELD_SIDE} px for a field, got {size}")
        over["shape"] = (size, size)
    if n_candidates is not None:
        over["n_candidates"] = n_candidates
    if distance is not None:
        from starclass.simulate.config import check_distance

        check_distance(distance, "--distance")  # the option, not SimConfig's distance_mpc
        over["distance_mpc"] = distance
    if bands:
        # named as the option, as cutouts and detect name it ("bands: duplicated band" named no option)
        over["bands"] = tuple(band_option(bands))
    if humans is not None:
        over["n_humans"] = humans
    if galaxy:
        over["galaxy"] = galaxy
    if cluster_fraction is not None:
        if not 0.0 <= cluster_fraction <= 1.0:
            raise StarclassError(f"--cluster-fraction must be between 0 and 1, got {cluster_fraction}")
        over["cluster_fraction"] = cluster_fraction
    if galaxy_offset is not None:
        if not 0.0 <= galaxy_offset <= 1000.0:
            raise StarclassError(f"--galaxy-offset-kpc must be between 0 and 1000, got {galaxy_offset}")
        over["galaxy_offset_kpc"] = galaxy_offset
    # each seed its own centre and (unless --galaxy names it) its own name: fields of seeds 1 and 2 were
    # both 'SIM-1' at one centre, one galaxy to --split galaxy / --cv logo and one patch of sky to a match
    cfg = place_by_seed(make_preset(preset, seed=seed, **over), rename=not galaxy)
    outdir = Path(outdir)
    # a 16384 px field needs ~50 GiB: refuse now, naming --size, rather than be killed mid-render
    ny, nx = cfg.shape
    check_memory(estimate_memory(cfg, read_back=png or gallery or calibrate),
                 what=f"--size {size}" if size is not None else f"a {nx} x {ny} px field (--size)")
    if fields is not None:
        check_output(outdir, (), option="OUTDIR", overwrite=overwrite)  # before the rendering
        _simulate_fields(cfg, outdir, fields, overwrite=overwrite, progress=progress,
                         extras=[k for k, v in (("--png", png), ("--gallery", gallery), ("--calibrate", calibrate))
                                 if v])
        return
    # before the rendering, naming the argument
    check_output(outdir, (), option="OUTDIR", overwrite=overwrite, folder=True, own=FIELD_ENTRIES)
    # in a log file too (say_start): building the galaxy took 30-40 s on a loaded machine before the render's
    # first line, with nothing in the log
    say_start(_first_step(cfg), progress)
    from starclass.simulate import simulate_to_disk  # the simulator: after the line (see the imports above)
    # the whole field is written to a hidden folder beside OUTDIR and moved into place at the end:
    # a kill leaves the old field or the new one, and two --galaxy names never mix in one folder
    with atomic_dir(outdir, overwrite=overwrite, own=FIELD_ENTRIES) as tmpdir:
        paths = simulate_to_disk(cfg, tmpdir, progress=progress)
        extra: dict[str, Path] = {}
        if png or gallery or calibrate:
            from astropy.table import Table

            from starclass.io.mosaic import read_mosaics
            from starclass.io.progress import Progress

            mos = read_mosaics({b: paths[b] for b in cfg.bands})
            truth = Table.read(paths["truth"], format="ascii.ecsv")
            images = {b: mos.data[b] for b in cfg.bands}
            # the pictures took 80 s after the render's last line on the shared 2-core machine (a 2048 px
            # field: the composite's Lupton stretch and PNG encoding 51 s, the gallery 27 s) with nothing
            # said, at a terminal or in a log: a bar (lines in a log) counts them
            pictures = Progress(int(png) + int(gallery), desc="pictures", noun="picture", show=progress) \
                if png or gallery else None
            if png:
                # simulate.gallery imports matplotlib (+0.2 s measured): only --png / --gallery pay for it
                from starclass.simulate.gallery import write_composite

                extra["composite"] = write_composite(images, tmpdir / "composite.png",
                                                     title=f"{cfg.galaxy} seed {seed}",
                                                     overwrite=True)  # the fresh staged folder
                pictures.update()
            if gallery:
                # simulate.gallery imports matplotlib (+0.2 s measured): only --png / --gallery pay for it
                from starclass.simulate.gallery import write_gallery

                extra["gallery"] = write_gallery(images, truth, tmpdir / "gallery.png",
                                                 title=f"{cfg.galaxy}: 8 stamps per class / subclass (V, colour)",
                                                 overwrite=True)  # the fresh staged folder
                pictures.update()
            if pictures is not None:
                pictures.close()
            if calibrate:
                # only --calibrate measures (starclass.detect: numba, the photometry; ~0.5 s before the first line)
                from starclass.simulate.calibration import calibrate_field, write_calibration

                humans_t = Table.read(paths["humans"], format="ascii.ecsv")
                cut = ci_min if ci_min is not None else (1.35 if cfg.telescope == "HST" else None)
                result = calibrate_field(mos, truth, humans_t, ci_min=cut, progress=progress)
                for i, p in enumerate(write_calibration(result, tmpdir, overwrite=True)):  # staged folder
                    extra[f"calibration{i}"] = p
                echo(result["summary"])
            del mos, images
        # report where the files are now, not where they were written
        final = {k: outdir / Path(p).relative_to(tmpdir) for k, p in paths.items()}
        final_extra = {k: outdir / Path(p).relative_to(tmpdir) for k, p in extra.items()}
    for key, p in final.items():
        echo(f"{key:>10s}: {p}")
    for key, p in final_extra.items():
        echo(f"{key.rstrip('0123456789'):>10s}: {p}")
    # a field ended with its file list and nothing on what to run on it (found walking docs/uncertainty.md)
    # with a task quick on a CPU: without --task, train takes legus4 (StarcNet, minutes an epoch on a CPU)
    # shown_command: in double quotes where a path is quoted ('my field'), so that each command copies whole
    echo(next_after_field(outdir, cfg.bands, cfg.task))


def next_after_field(outdir: Path, bands: Sequence[str], task: str | None = None) -> str:
    """The 'next:' line after a field is simulated: detect its candidates, or train on its truth.

    Its outputs are names not taken here (:func:`starclass.cli.next_steps.free_name`): walking docs/training.md's
    quick start, ``simulate heldout`` proposed ``train ... -o model`` where ``model`` was the quick start's model,
    a command train refuses as printed.

    Examples
    --------
    >>> print(next_after_field(Path("f"), ["f275w", "f336w", "f438w", "f555w", "f814w"]))
    ... # doctest: +NORMALIZE_WHITESPACE
    next: find the candidates with 'starclass detect f -o candidates.ecsv'; truth.ecsv holds the classes to train on
    ('starclass train --task legus4-compact -m f -c f/truth.ecsv -o model')
    """
    from starclass.cli.next_steps import first_train_task, free_name

    detect = shown_command(f"starclass detect {shell_word(outdir)} -o {shell_word(free_name('candidates', '.ecsv'))}")
    # bands no compact preset reads (simulate --bands) said 'TASK' and nothing on what it stands for
    task, said = first_train_task(bands, _compact_of(task))
    train = shown_command(f"starclass train --task {task} -m {shell_word(outdir)} -c "
                          f"{shell_word(outdir / 'truth.ecsv')} -o {shell_word(free_name('model'))}")
    return (f"next: find the candidates with {detect}; truth.ecsv holds the classes to train on "
            f"({train}{'; ' + said if said else ''})")


def _compact_of(task: str | None) -> str | None:
    """The compact preset of a field's task (``SimConfig.task``), for the task file a ``TASK`` line offers to extend.

    Examples
    --------
    >>> _compact_of("legus4"), _compact_of("m31-binary"), _compact_of(None)
    ('legus4-compact', 'm31-binary-compact', None)
    """
    from starclass.learn.config import PRESETS

    if task is None:
        return None
    return f"{task}-compact" if f"{task}-compact" in PRESETS.names() else task


def _how_many(n: int | None, size: int | None) -> str:
    """How many cutouts, and how big, a cutout preset was asked for, for its first line ('' parts unsaid).

    Examples
    --------
    >>> _how_many(200, 128), _how_many(None, None), _how_many(1, None)
    ('200 cutouts of 128 x 128 px', "the preset's number of cutouts", '1 cutout')
    """
    count = "the preset's number of cutouts" if n is None else f"{n} cutout{'' if n == 1 else 's'}"
    return count + (f" of {size} x {size} px" if size is not None else "")


def cutouts_task(preset: str) -> str:
    """The task ``simulate --preset`` of a labelled cutout folder names (its ``label:`` and ``next:`` lines).

    Examples
    --------
    >>> cutouts_task("cool-core"), cutouts_task("pandas-cutouts")
    ('cool-core-compact', 'm31-real')
    """
    from starclass.learn.config import PRESETS

    return f"{preset}-compact" if f"{preset}-compact" in PRESETS.names() else "m31-real"


def cutouts_next_line(preset: str, labels: str | Path) -> str:
    """The 'next:' line of ``simulate --preset`` of a labelled cutout folder: train on it, with a task that reads it.

    A field ended with such a line and the cutout presets with their counts alone, though their folder is
    trained on with ``--stamps`` and a task of its kind (found walking docs/training.md): the seed papers'
    presets with their compact task, the PAndAS-like folder with ``m31-real``.

    Examples
    --------
    >>> print(cutouts_next_line("cool-core", "cc/labels.csv"))
    next: train on them with 'starclass train --task cool-core-compact --stamps cc/labels.csv -o model'
    >>> print(cutouts_next_line("pandas-cutouts", "m31/labels.csv"))  # doctest: +NORMALIZE_WHITESPACE
    next: train on them with 'starclass train --task m31-real --stamps m31/labels.csv -o model'
    """
    from starclass.cli.next_steps import free_name

    task, model = cutouts_task(preset), shell_word(free_name("model"))
    return (f"next: train on them with "
            f"{shown_command(f'starclass train --task {task} --stamps {shell_word(labels)} -o {model}')}")


def _first_step(cfg, fields: int | None = None) -> str:
    """The line ``simulate`` says (in a log file too) before it imports the simulator and builds the scene.

    Examples
    --------
    >>> from starclass.simulate.config import SimConfig
    >>> _first_step(SimConfig(galaxy="SIM-1", shape=(128, 256), n_candidates=50))
    'simulate: SIM-1, 256 x 128 px, 5 bands, 50 candidates: building the galaxy and its objects ...'
    >>> _first_step(SimConfig(galaxy="SIM-1", shape=(128, 128), n_candidates=50), fields=3)
    'simulate: 3 fields from SIM-1, 128 x 128 px, 5 bands, 50 candidates each: building the first ...'
    """
    ny, nx = cfg.shape
    what = f"{nx} x {ny} px, {counted(len(cfg.bands), 'band')}, {counted(cfg.n_candidates, 'candidate')}"
    if fields is None:
        return f"simulate: {cfg.galaxy}, {what}: building the galaxy and its objects ..."
    return f"simulate: {counted(fields, 'field')} from {cfg.galaxy}, {what} each: building the first ..."


def _simulate_fields(cfg, outdir: Path, n: int, *, overwrite: bool, progress: bool | None, extras: list[str]) -> None:
    """``simulate OUTDIR --fields N``: N fields and a survey plan, written as one folder."""
    from starclass.io.atomic import atomic_dir
    from starclass.io.progress import say_start

    if extras:
        raise StarclassError(f"{', '.join(extras)} apply to a single field, not to --fields")
    say_start(_first_step(cfg, n), progress)
    # the simulator (through survey's field import): after the line
    from starclass.simulate.survey import PLAN_NAME, simulate_survey

    own = [f"{cfg.galaxy}-*", PLAN_NAME]
    with atomic_dir(outdir, overwrite=overwrite, own=own) as tmpdir:
        written = simulate_survey(cfg, tmpdir, n, progress=progress, overwrite=True)  # a fresh staged folder
    from starclass.cli.next_steps import first_train_task, free_name

    first = outdir / next(iter(written))
    model, run = shell_word(free_name("model")), shell_word(free_name("run"))  # as printed, not refused as existing
    for name in written:
        echo(f"{name:>14s}: {outdir / name}")
    # the plan's line said '(starclass survey PLAN --model MODEL -o OUT)', two placeholders to edit, above the next
    # line that names both: the same model and output now
    echo(f"{'plan':>14s}: {outdir / PLAN_NAME}  (starclass survey {shell_word(outdir / PLAN_NAME)} --model {model} "
         f"-o {run}, once the next line has trained {model})")
    # the plan asked for a MODEL and nothing said where one comes from (found walking docs/survey.md): the
    # fields carry their truth, so one of them trains it
    task, said = first_train_task(cfg.bands, _compact_of(cfg.task))
    train = shown_command(f"starclass train --task {task} -m {shell_word(first)} "
                          f"-c {shell_word(first / 'truth.ecsv')} -o {model}")
    survey = shown_command(f"starclass survey {shell_word(outdir / PLAN_NAME)} --model {model} -o {run}")
    echo(f"next: train a model on one field with {train}{f' ({said})' if said else ''}, then survey them all "
         f"with {survey}")


def train_command(task: str, labels: Path, size: int | None, options: str = "") -> str:
    """``'starclass train --task TASK --stamps LABELS [OPTIONS] [--stamp-size N] -o model'``, quoted as lines show it.

    ``--stamp-size`` is given where the folder's cutouts (``--size``) are much smaller than the task's stamps:
    enlarged cutouts gain nothing and cost the factor squared (train says so too).

    Examples
    --------
    >>> print(train_command("galaxy-cluster-experts", Path("gc/labels.csv"), 32, "--label-column expert"))
    ... # doctest: +NORMALIZE_WHITESPACE
    'starclass train --task galaxy-cluster-experts --stamps gc/labels.csv --label-column expert --stamp-size 32
    -o model'
    """
    from starclass.cli.next_steps import free_name
    from starclass.learn.config import ENLARGED_FROM, get_preset

    stamp = int(get_preset(task).stamp_size)
    keep = f" --stamp-size {size}" if size is not None and stamp / size >= ENLARGED_FROM else ""
    more = f" {options}" if options else ""
    return shown_command(f"starclass train --task {task} --stamps {shell_word(labels)}{more}{keep} "
                         f"-o {shell_word(free_name('model'))}")


def next_after_seed_preset(preset: str, labels: Path, size: int | None) -> str:
    """The line after ``simulate --preset cool-core|galaxy-cluster|open-globular``: how to train on the folder.

    A new user's walk of docs/seeds.md (2026-12-07) ended ``simulate og --preset open-globular`` with its labels
    and counts and nothing more, where a field's simulation names ``detect``: which task reads the folder, and
    that its 64 px cutouts want ``--stamp-size 64`` under the task's 224 px stamps, were for them to find.

    Parameters
    ----------
    preset : str
        A seed preset (:data:`starclass.simulate.seed_presets.SEED_PRESETS`).
    labels : Path
        The ``labels.csv`` written.
    size : int or None
        ``--size`` as given (None: the preset's own).

    Returns
    -------
    str

    Examples
    --------
    >>> print(next_after_seed_preset("open-globular", Path("og/labels.csv"), 64))  # doctest: +NORMALIZE_WHITESPACE
    next: train on it with 'starclass train --task open-globular-compact --stamps og/labels.csv --stamp-size 64 -o
    model' (the paper's network: --task open-globular), then classify a folder simulated with another --seed with
    'starclass classify --stamps OTHER/labels.csv --model model -o classified.csv'
    """
    from starclass.simulate.seed_presets import SEED_PRESETS

    paper = SEED_PRESETS[preset][1]
    task = f"{paper}-compact"  # the compact CNN: trained on a CPU in minutes, as docs/seeds.md measures it
    from starclass.cli.next_steps import free_name

    # a lower-case name, as the other first trains' lines: 'MODEL' ran as printed but read as a placeholder to edit
    model, out = shell_word(free_name("model")), shell_word(free_name("classified", ".csv"))
    train = train_command(task, labels, size)
    classify = shown_command(f"starclass classify --stamps OTHER/labels.csv --model {model} -o {out}")
    return (f"next: train on it with {train} (the paper's network: --task {paper}), then classify a folder "
            f"simulated with another --seed with {classify}")


def _field_options_error(preset: str, given: list[str]) -> StarclassError:
    """A field's options given to a cutout preset: one message for the seed papers' presets and
    pandas-cutouts (they said "writes labelled cutouts" and "writes cutouts"), pointing to ``--n``,
    as ``--n`` given to a field points to ``--n-candidates``.

    Examples
    --------
    >>> print(_field_options_error("cool-core", ["--n-candidates"]))  # doctest: +NORMALIZE_WHITESPACE
    --preset cool-core writes a labelled cutout folder: --n-candidates applies to the field presets only;
    give the number of cutouts with --n
    """
    many = len(given) > 1
    count = "; give the number of cutouts with --n" if "--n-candidates" in given else ""
    return StarclassError(f"--preset {preset} writes a labelled cutout folder: {', '.join(given)} "
                          f"{'apply' if many else 'applies'} to the field presets only{count}")
