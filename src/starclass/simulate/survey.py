"""Many simulated fields at once, for surveys (``starclass simulate OUT --fields N``).

Field ``k`` (1..N) is the preset's field with seed ``seed + k - 1``, galaxy name
``<galaxy>-<kkk>`` and centre ``k - 1`` field heights (plus 5%) north of the preset's,
written to ``OUT/<galaxy>-<kkk>/`` as ``starclass simulate`` writes one
field (mosaics, ``truth.ecsv``, ``humans.ecsv``, ``simulation.json``). ``OUT/plan.yaml`` lists
them as a survey plan (truth catalogue as both the given positions and the truth), to run with
``starclass survey OUT/plan.yaml --model M -o RESULT``; drop the ``positions`` lines to detect
instead. One large mosaic is ``starclass simulate OUT --size 16384``.
"""

from __future__ import annotations

from pathlib import Path

from starclass.errors import OutputExistsError, StarclassError, exists_refusal
from starclass.io.atomic import atomic_path
from starclass.io.progress import say_start
from starclass.simulate.config import SimConfig
from starclass.simulate.field import simulate_to_disk

#: The plan file written beside the fields.
PLAN_NAME = "plan.yaml"


def field_name(galaxy: str, k: int) -> str:
    """Name (and folder) of survey field ``k``.

    Examples
    --------
    >>> field_name("SIM-M31", 7)
    'SIM-M31-007'
    """
    return f"{galaxy}-{k:03d}"


def simulate_survey(config: SimConfig, outdir: str | Path, n_fields: int, *, progress: bool | None = False,
                    positions: bool = True, overwrite: bool = False) -> dict[str, dict[str, Path]]:
    """Simulate ``n_fields`` fields of one preset with consecutive seeds, plus a survey plan.

    Parameters
    ----------
    config
        The first field's configuration (its seed and galaxy name are varied).
    outdir
        Folder to write the fields and ``plan.yaml`` into.
    n_fields
        Number of fields (>= 1).
    progress
        Progress bars per field (None: a few timed lines, :class:`starclass.io.progress.Progress`); from the
        second field on, a line names each field before it is built (:func:`starclass.io.progress.say_start`).
    positions
        List each field's truth as its given positions in the plan (as in the M31 search, which
        classifies a catalogue); otherwise the plan asks for detection.
    overwrite
        Replace an existing ``plan.yaml`` and fields of these names (default False: refused
        before any field is simulated; a plan already there was replaced without a word).

    Returns
    -------
    dict
        Field name -> the paths :func:`simulate_to_disk` wrote.

    Examples
    --------
    >>> simulate_survey(SimConfig(shape=(64, 64)), "x", 0)
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: --fields must be >= 1, got 0
    """
    if n_fields < 1:
        raise StarclassError(f"--fields must be >= 1, got {n_fields}")
    outdir = Path(outdir)
    if (outdir / PLAN_NAME).exists() and not overwrite:
        raise OutputExistsError(exists_refusal(outdir / PLAN_NAME), outdir / PLAN_NAME)
    out: dict[str, dict[str, Path]] = {}
    lines = ["# survey plan written by starclass simulate --fields; give the model with --model",
             "fields:"]
    for k in range(1, n_fields + 1):
        name = field_name(config.galaxy, k)
        # each field on its own patch of sky, north of the previous one with a 5% gap: all N fields
        # used to share one centre, so field 2's catalogue matched field 1's truth "on the sky"
        # (3 chance pairs scored accuracy 1.000) and the merged survey held objects of different
        # fields at the same ra, dec
        step = 1.05 * config.shape[0] * config.pixel_scale / 3600.0
        cfg = config.replace(seed=config.seed + k - 1, galaxy=name, dec=config.dec + (k - 1) * step)
        if k > 1:
            # each field's render lines said "render: 0 of 2 bands" alike, with no word of which field, and the
            # building of each next one (30-40 s for a 2048 px field on a loaded machine) came between them unsaid;
            # the first field is said by the command ("building the first ...")
            say_start(f"simulate: {name} (field {k} of {n_fields}): building the galaxy and its objects ...", progress)
        out[name] = simulate_to_disk(cfg, outdir / name, progress=progress, overwrite=overwrite)
        entry = f"  - {{name: {name}, mosaics: {name}"
        if positions:
            entry += f", positions: {name}/truth.ecsv"
        lines.append(entry + f", truth: {name}/truth.ecsv}}")
    with atomic_path(outdir / PLAN_NAME) as tmp:
        tmp.write_text("\n".join(lines) + "\n")
    return out
