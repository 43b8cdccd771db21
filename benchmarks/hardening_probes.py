"""Re-run the probes of issue 13 as a careless user would, and grade every answer.

Each probe runs one ``starclass`` command in a subprocess (the console script's ``main``, so
SIGTERM handling and exit codes are the real ones) on tiny simulated fields in a temporary
folder; the ``inspect`` probes drive the web app in-process with FastAPI's TestClient. Every
outcome is graded:

* **good**: the expected answer: a clear ``error: ...`` naming the file, option or rows, exit
  status 2, no traceback and nothing lost (inputs and existing outputs hashed before and
  after); or, where the command should go on, a ``warning:`` naming what is wrong; or the
  right HTTP status.
* **poor**: handled (no traceback, nothing lost) but the message does not name what it should,
  or the exit status is not 2.
* **failure**: a traceback, exit 0 with nonsense, a changed input, an existing output replaced,
  or a wrong HTTP status.

Point 14 (added 2026-12-07) probes what came since: stamp stores cut short, of another program or
not HDF5 at all given to ``classify``/``calibrate``/``train --stamps``, a task file with ``recipe:
{lr: fast}``, ``evaluate`` of a merged store's classification (a ``field`` column), ``inspect --init
--export`` to a folder, ``survey`` with one truncated mosaic, paths with spaces and non-ASCII
characters, and (not as root, who writes anywhere) a read-only output folder.

It prints a table and the counts, and exits 1 when any probe failed. About 3-5 minutes on two
cores with ``--jobs 2`` (most of it is Python and torch start-up, ~50 commands); longer on a
busy machine.

Usage::

    PYTHONPATH=src python benchmarks/hardening_probes.py            # all probes
    PYTHONPATH=src python benchmarks/hardening_probes.py -k detect  # names containing 'detect'
    PYTHONPATH=src python benchmarks/hardening_probes.py --keep /tmp/probes --json out.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOOD, POOR, FAIL = "good", "poor", "failure"
#: The console script, run as a module so that no installed copy is needed.
_MAIN = "import sys; sys.argv[0] = 'starclass'; from starclass.cli import main; main()"


@dataclass
class Outcome:
    """One probe's grade."""

    point: str
    name: str
    verdict: str
    note: str


@dataclass
class Run:
    """What one command did."""

    rc: int
    out: str


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    # one thread each: the probes run on a shared machine, and threads change no answer here
    env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    env.pop("STARCLASS_NO_MEMORY_CHECK", None)
    return env


def starclass(*args, cwd: Path, timeout: float = 300, env: dict | None = None) -> Run:
    """Run ``starclass ARGS`` in ``cwd``; a command still running after ``timeout`` counts as rc -9.

    Examples
    --------
    >>> starclass("--help", cwd=Path(".")).rc  # doctest: +SKIP
    0
    """
    try:
        p = subprocess.run([sys.executable, "-c", _MAIN, *map(str, args)], cwd=cwd, env=env or _env(),
                           capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        return Run(-9, out + f"\n[probe: still running after {timeout:.0f} s, killed]")
    return Run(p.returncode, p.stdout + p.stderr)


def digest(paths: Iterable[Path]) -> dict[str, str]:
    """SHA-256 of every file under ``paths`` (folders recursively; missing ones recorded as such).

    Examples
    --------
    >>> digest([Path("no/such/file")])
    {'no/such/file': 'missing'}
    """
    out: dict[str, str] = {}
    for p in map(Path, paths):
        if not p.exists():
            out[str(p)] = "missing"
            continue
        files = sorted(q for q in p.rglob("*") if q.is_file()) if p.is_dir() else [p]
        for f in files:
            out[str(f)] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


def _is_error(line: str) -> bool:
    # starclass's own "error: ..." or typer's boxed usage error "Invalid value for '--size': ..."
    return line.startswith("error:") or "Invalid value for" in line


def _last_line(text: str) -> str:
    lines = [ln.strip("│ ") for ln in text.strip().splitlines() if ln.strip()]
    errors = [ln for ln in lines if _is_error(ln)]
    return (errors or lines or ["(no output)"])[-1][:150]


def grade_refusal(run: Run, names: Iterable[str], before: dict, after: dict) -> tuple[str, str]:
    """Grade a command that must refuse: exit 2, ``error:`` naming ``names``, nothing changed.

    Examples
    --------
    >>> grade_refusal(Run(2, "error: --size must be >= 4"), ["--size"], {}, {})[0]
    'good'
    >>> grade_refusal(Run(0, "done"), ["--size"], {}, {})[0]
    'failure'
    """
    if "Traceback" in run.out:
        return FAIL, "traceback: " + _last_line(run.out)
    changed = [k for k in before if before[k] != after.get(k)]
    if changed:
        return FAIL, f"changed {Path(changed[0]).name}" + (f" and {len(changed) - 1} more" if len(changed) > 1 else "")
    if run.rc == 0:
        return FAIL, "accepted (exit 0): " + _last_line(run.out)
    if run.rc == -9:
        return FAIL, "did not stop: " + _last_line(run.out)
    missing = [n for n in names if n.lower() not in run.out.lower()]
    if run.rc == 2 and any(_is_error(ln.strip("│ ")) for ln in run.out.splitlines()) and not missing:
        return GOOD, _last_line(run.out)
    why = f"exit {run.rc}" + (f", message lacks {missing}" if missing else "")
    return POOR, f"{why}: {_last_line(run.out)}"


def grade_warning(run: Run, names: Iterable[str]) -> tuple[str, str]:
    """Grade a command that may go on but must say what is wrong (``warning:`` or ``error:``).

    Examples
    --------
    >>> grade_warning(Run(0, "warning: band f814w is blank"), ["f814w"])[0]
    'good'
    >>> grade_warning(Run(0, "wrote c.ecsv"), ["f814w"])[0]
    'failure'
    """
    if "Traceback" in run.out:
        return FAIL, "traceback: " + _last_line(run.out)
    said = [ln for ln in run.out.splitlines() if ln.startswith(("warning:", "error:"))]
    if not said:
        return FAIL, f"silent (exit {run.rc}): " + _last_line(run.out)
    text = " ".join(said)
    missing = [n for n in names if n.lower() not in text.lower()]
    if missing or run.rc not in (0, 2):
        return POOR, f"exit {run.rc}, lacks {missing}: {said[0][:150]}"
    return GOOD, said[0][:150]


def grade_success(run: Run, check: Callable[[], str | None]) -> tuple[str, str]:
    """Grade a command that must work (exit 0) and whose result ``check`` finds right (None)."""
    if "Traceback" in run.out:
        return FAIL, "traceback: " + _last_line(run.out)
    if run.rc != 0:
        return FAIL, f"exit {run.rc}: " + _last_line(run.out)
    problem = check()
    return (FAIL, problem) if problem else (GOOD, _last_line(run.out))


# -- fixtures ---------------------------------------------------------------------------------


class Fixture:
    """Tiny fields, a candidate catalogue and a trained one-epoch model in ``root``."""

    def __init__(self, root: Path):
        self.root = root
        self.field = root / "field"
        self.cands = root / "cands.ecsv"
        self.model = root / "model"
        self.task = root / "task.yaml"

    def build(self) -> None:
        from starclass.learn.config import get_preset, save_config

        r = starclass("simulate", self.field, "--size", 128, "--n-candidates", 80, "--seed", 3, "--quiet",
                      cwd=self.root)
        if r.rc:
            raise SystemExit(f"cannot simulate the probe field:\n{r.out}")
        r = starclass("detect", self.field, "-o", self.cands, "--no-progress", "--aperture-correction", "none",
                      cwd=self.root)
        if r.rc:
            raise SystemExit(f"cannot detect in the probe field:\n{r.out}")
        cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0],
                         recipe={"epochs": 1, "batch_size": 32, "val_fraction": 0.2})
        save_config(cfg, self.task, overwrite=True)
        r = self.train(self.model)
        if r.rc:
            raise SystemExit(f"cannot train the probe model:\n{r.out}")

    def train(self, out: Path, *extra) -> Run:
        return starclass("train", "--task", self.task, "--mosaics", self.field, "--catalog",
                         self.field / "truth.ecsv", "-o", out, "--no-progress", "--device", "cpu", "--seed", 1,
                         *extra, cwd=self.root)

    def band(self, band: str) -> Path:
        (path,) = sorted(self.field.glob(f"*_{band}.fits"))
        return path

    def copy_field(self, name: str) -> Path:
        dest = self.root / name
        shutil.copytree(self.field, dest)
        return dest

    def copy_model(self, name: str) -> Path:
        dest = self.root / name
        shutil.copytree(self.model, dest)
        return dest


def _blank_band(field: Path, band: str) -> None:
    from astropy.io import fits

    (path,) = sorted(field.glob(f"*_{band}.fits"))
    with fits.open(path, mode="update") as hdul:
        hdu = next(h for h in hdul if h.data is not None)
        hdu.data[...] = 0


# -- the probes -------------------------------------------------------------------------------


def cli_probes(fx: Fixture) -> list[tuple[str, str, Callable[[], tuple[str, str]]]]:
    """Points 7-13: (point, name, probe) for every command-line probe."""
    root, field, cands = fx.root, fx.field, fx.cands
    v, i = fx.band("f555w"), fx.band("f814w")
    inputs = [field, cands, fx.model]
    probes: list[tuple[str, str, Callable[[], tuple[str, str]]]] = []

    def refuse(point: str, name: str, args: list, names: list[str], watch: Iterable[Path] = (),
               cwd: Path = root, timeout: float = 300) -> None:
        def probe() -> tuple[str, str]:
            watched = [*inputs, *watch]
            before = digest(watched)
            run = starclass(*args, cwd=cwd, timeout=timeout)
            return grade_refusal(run, names, before, digest(watched))

        probes.append((point, name, probe))

    def warns(point: str, name: str, args: list, names: list[str], setup: Callable[[], None] | None = None) -> None:
        def probe() -> tuple[str, str]:
            if setup is not None:
                setup()
            return grade_warning(starclass(*args, cwd=root), names)

        probes.append((point, name, probe))

    # 7. an output is never an input
    refuse("7", "cutouts -o <an input mosaic>", ["cutouts", field, "-c", cands, "-o", v], ["--output", v.name])
    refuse("7", "detect -o <an input mosaic>", ["detect", field, "-o", i], ["--output", i.name])
    refuse("7", "classify -o <its own catalogue>", ["classify", field, "-c", cands, "--model", fx.model, "-o", cands,
                                                     "--device", "cpu"], ["--output", cands.name])
    refuse("7", "evaluate -o <the folder of its input>", ["evaluate", cands, "-r", "self", "-o", root],
           ["--out", "input"])

    # 8. existing outputs are kept unless --overwrite
    refuse("8", "simulate into an existing field", ["simulate", field, "--size", 64, "--quiet"],
           ["OUTDIR", "--overwrite"])
    refuse("8", "simulate --galaxy two into a field of another galaxy",
           ["simulate", field, "--size", 64, "--galaxy", "two", "--quiet"], ["--overwrite"])
    refuse("8", "detect -o <an existing catalogue>", ["detect", field, "-o", cands], ["--output", "--overwrite"])
    existing = root / "existing_dir"
    (existing / "tables").mkdir(parents=True, exist_ok=True)
    (existing / "tables" / "summary_self.ecsv").write_text("# older result\n")
    refuse("8", "evaluate -o <an existing evaluation>", ["evaluate", cands, "-r", "self", "-o", existing],
           ["--overwrite"], watch=[existing])
    keepme = root / "keep.txt"
    keepme.write_text("not an evaluation")
    refuse("12", "evaluate -o <an existing file>", ["evaluate", cands, "-r", "self", "-o", keepme, "--overwrite"],
           ["keep.txt"], watch=[keepme])

    # 9. hidden files and long names
    def hidden_files() -> tuple[str, str]:
        f2 = fx.copy_field("field_hidden")
        shutil.copy(f2 / v.name, f2 / f"._{v.name}")
        shutil.copy(f2 / i.name, f2 / f".{i.name}.abcd1234.fits")
        out = root / "hidden.ecsv"
        run = starclass("detect", f2, "-o", out, "--no-progress", "--aperture-correction", "none", cwd=root)

        def check() -> str | None:
            return None if "mosaics: f275w, f336w, f438w, f555w, f814w" in run.out else "hidden files were read"

        return grade_success(run, check)

    probes.append(("9", "detect with ._*.fits and .name.XXXX.fits in the folder", hidden_files))

    def long_name() -> tuple[str, str]:
        out = root / ("c" * 245 + ".ecsv")
        run = starclass("detect", field, "-o", out, "--no-progress", "--aperture-correction", "none", cwd=root)
        return grade_success(run, lambda: None if out.exists() else "the 250-character output is missing")

    probes.append(("9", "detect -o <a 250-character name>", long_name))

    # 10. resume only with the same settings
    def resume_other() -> tuple[str, str]:
        m = fx.copy_model("model_resume")
        before = digest([m])
        run = fx.train(m, "--lr", "0.01")
        return grade_refusal(run, ["lr"], before, digest([m]))

    probes.append(("10", "train into a finished model with another --lr", resume_other))

    # 11. whole-member digests and manifest checks
    def reversed_classes() -> tuple[str, str]:
        import torch

        m = fx.copy_model("model_reversed")
        member = sorted(m.glob("member_*.pt"))[0]
        ckpt = torch.load(member, map_location="cpu", weights_only=True)
        ckpt["classes"] = list(reversed(ckpt["classes"]))
        ckpt["config"]["classes"] = list(reversed(ckpt["config"]["classes"]))
        torch.save(ckpt, member)
        out = root / "pred_reversed.ecsv"
        run = starclass("classify", field, "-c", cands, "--model", m, "-o", out, "--device", "cpu",
                        "--no-progress", cwd=root)
        verdict = grade_refusal(run, [member.name], {}, {})
        if out.exists():
            return FAIL, "classified with reversed classes"
        return verdict

    probes.append(("11", "classify with a member's classes reversed", reversed_classes))

    def manifest_file_12() -> tuple[str, str]:
        m = fx.copy_model("model_manifest")
        doc = json.loads((m / "manifest.json").read_text())
        doc["members"][0]["file"] = 12
        (m / "manifest.json").write_text(json.dumps(doc))
        run = starclass("classify", field, "-c", cands, "--model", m, "-o", root / "pred_m12.ecsv", "--device",
                        "cpu", "--no-progress", cwd=root)
        return grade_refusal(run, ["manifest", "file"], {}, {})

    probes.append(("11", "manifest member \"file\": 12", manifest_file_12))

    # 12. clear errors, checked before the work
    bad_x = root / "bad_x.csv"
    bad_x.write_text("id,x,y\n1,10,10\n2,ten,12\n")
    refuse("12", "text in the x column", ["cutouts", field, "-c", bad_x, "-o", root / "s_badx.h5"], ["x", "bad_x.csv"])
    bad_cls = root / "bad_class.csv"
    bad_cls.write_text("id,x,y,class_ref\n1,10,10,1\n2,20,12,two\n")
    refuse("12", "text in the class_ref column", ["train", "--task", fx.task, "--mosaics", field, "--catalog", bad_cls,
                                                  "-o", root / "m_badcls", "--device", "cpu"], ["class_ref"])
    refuse("12", "train --device tpu", ["train", "--task", fx.task, "--mosaics", field, "--catalog", cands, "-o",
                                        root / "m_tpu", "--device", "tpu"], ["tpu"])
    try:
        import torch

        has_cuda = torch.cuda.is_available()
    except Exception:
        has_cuda = False
    if not has_cuda:
        refuse("12", "classify --device cuda without a GPU",
               ["classify", field, "-c", cands, "--model", fx.model, "-o", root / "p_cuda.ecsv", "--device", "cuda"],
               ["cuda"])
    for size in (0, -8, 100000):
        refuse("12", f"cutouts --size {size}", ["cutouts", field, "-c", cands, "-o", root / "s.h5", "--size", size],
               ["--size"])
    refuse("12", "detect --aperture-radius 1000", ["detect", field, "-o", root / "c_ap.ecsv", "--aperture-radius",
                                                   1000], ["--aperture-radius"])
    blocker = root / "a_file"
    blocker.write_text("a file where a folder should be")
    refuse("12", "simulate into an unwritable folder", ["simulate", blocker / "field", "--size", 64, "--quiet"],
           ["cannot write"], watch=[blocker])
    refuse("12", "train into an unwritable folder", ["train", "--task", fx.task, "--mosaics", field, "--catalog",
                                                     field / "truth.ecsv", "-o", blocker / "model", "--device", "cpu",
                                                     "--no-progress"], ["a_file"], watch=[blocker])
    refuse("12", "info --ds9 into an unwritable folder", ["info", cands, "--ds9", blocker / "c.reg"], ["a_file"],
           watch=[blocker])
    refuse("12", "inspect --port 99999", ["inspect", field, "--port", 99999], ["--port"], timeout=60)
    refuse("12", "simulate --size 16384 (more than memory)", ["simulate", root / "huge", "--size", 16384, "--quiet"],
           ["--size"], timeout=120)
    refuse("12", "detect -o x.txt", ["detect", field, "-o", root / "x.txt"], [".ecsv"])
    positions = root / "positions_only.csv"
    positions.write_text("id,x,y\n1,10,10\n2,40,50\n")
    refuse("12", "detect --truth without magnitudes", ["detect", field, "-o", root / "c_truth.ecsv", "--truth",
                                                       positions, "--no-progress"], ["positions_only.csv", "mag_"])
    refuse("12", "demo --task nosuch", ["demo", "-o", root / "demo_out", "--task", "nosuch"], ["nosuch"])
    refuse("12", "train --task nosuch", ["train", "--task", "nosuch", "--mosaics", field, "--catalog", cands, "-o",
                                         root / "m_nosuch"], ["nosuch"])
    refuse("12", "classify --model <no model there>", ["classify", field, "-c", cands, "--model", root / "nomodel",
                                                       "-o", root / "p_nomodel.ecsv", "--device", "cpu"], ["nomodel"])

    # 13. silent nonsense
    def blank_v() -> tuple[str, str]:
        f2 = fx.copy_field("field_blank_v")
        _blank_band(f2, "f555w")
        run = starclass("detect", f2, "-o", root / "c_blankv.ecsv", "--no-progress", cwd=root)
        return grade_refusal(run, ["f555w"], {}, {})

    probes.append(("13", "detect with an all-zero V band", blank_v))

    def blank_other() -> tuple[str, str]:
        f2 = fx.copy_field("field_blank_i")
        _blank_band(f2, "f814w")
        return grade_warning(starclass("detect", f2, "-o", root / "c_blanki.ecsv", "--no-progress",
                                       "--aperture-correction", "none", cwd=root), ["f814w"])

    probes.append(("13", "detect with an all-zero other band", blank_other))

    def classify_blank_v() -> tuple[str, str]:
        f2 = fx.copy_field("field_blank_v_classify")  # its own copy: probes may run side by side
        _blank_band(f2, "f555w")
        run = starclass("classify", f2, "-c", cands, "--model", fx.model, "-o", root / "p_blankv.ecsv", "--device",
                        "cpu", "--no-progress", cwd=root)
        if "Traceback" in run.out:
            return FAIL, "traceback: " + _last_line(run.out)
        if run.rc == 2 and "f555w" in run.out:
            return GOOD, _last_line(run.out)
        if run.rc == 0 and "blank" in run.out and "f555w" in run.out:
            return GOOD, next(ln for ln in run.out.splitlines() if "blank" in ln)[:150]
        return FAIL, f"exit {run.rc} without naming the blank band: " + _last_line(run.out)

    probes.append(("13", "classify with an all-zero V band", classify_blank_v))
    refuse("13", "detect --box-size 0", ["detect", field, "-o", root / "c_box.ecsv", "--box-size", 0], ["--box-size"])

    def tiny_field() -> tuple[str, str]:
        import numpy as np

        from starclass.bands import BANDS
        from starclass.io.mosaic import write_mosaic

        d = root / "field8"
        d.mkdir(exist_ok=True)
        rng = np.random.default_rng(0)
        for band in ("f555w", "f814w"):
            write_mosaic(d / f"tiny_{band}.fits", rng.normal(0, 1, (8, 8)).astype("f4"), band, None,
                         photflam=BANDS[band].photflam, photplam=BANDS[band].photplam, overwrite=True)
        return grade_refusal(starclass("detect", d, "-o", root / "c8.ecsv", "--no-progress", cwd=root),
                             ["8"], {}, {})

    probes.append(("13", "detect on an 8 x 8 px field", tiny_field))
    refuse("13", "train --patience -1", ["train", "--task", fx.task, "--mosaics", field, "--catalog", cands, "-o",
                                         root / "m_pat", "--patience", -1], ["--patience"])
    refuse("13", "evaluate --bootstrap -1", ["evaluate", cands, "-r", "self", "-o", root / "ev_b", "--bootstrap", -1],
           ["--bootstrap"])
    refuse("13", "evaluate --target-purity 7", ["evaluate", cands, "-r", "self", "-o", root / "ev_p",
                                                "--target-purity", 7], ["--target-purity"])
    refuse("13", "inspect --star-fwhm -1", ["inspect", field, "--star-fwhm", -1], ["--star-fwhm"], timeout=60)
    refuse("13", "cutouts -o x.txt", ["cutouts", field, "-c", cands, "-o", root / "x.txt"], [".h5"])
    nan_id = root / "nan_id.csv"
    nan_id.write_text("id,x,y\n1,10,10\nnan,20,20\n")
    refuse("13", "a NaN id", ["cutouts", field, "-c", nan_id, "-o", root / "s_nan.h5"], ["id", "nan_id.csv"])
    off = root / "off_image.csv"
    off.write_text("id,x,y\n1,20,30\n7,-40,10\n2,50,60\n9,500,10\n")
    warns("13", "classify with candidates off the image",
          ["classify", field, "-c", off, "--model", fx.model, "-o", root / "p_off.ecsv", "--device", "cpu",
           "--no-progress"], ["2 of 4", "7, 9"])
    warns("13", "cutouts with candidates off the image",
          ["cutouts", field, "-c", off, "-o", root / "s_off.h5", "--no-progress"], ["2 of 4", "7, 9"])
    probes += new_probes(fx)
    return probes


def new_probes(fx: Fixture) -> list[tuple[str, str, Callable[[], tuple[str, str]]]]:
    """Point 14: what came since these probes were written (2026-12-03 on): stamp stores, recipes in task
    files, merged stores' classifications, exports, surveys, odd paths, read-only folders."""
    root, field = fx.root, fx.field
    probes: list[tuple[str, str, Callable[[], tuple[str, str]]]] = []

    def store() -> Path:
        # one store for every probe that needs it (probes run side by side: made once, under a lock-free name)
        path = root / "store.h5"
        if not path.exists():
            tmp = root / f"store.{os.getpid()}.{time.perf_counter_ns()}.h5"
            r = starclass("cutouts", field, "-c", field / "truth.ecsv", "--task", fx.model, "-o", tmp,
                          "--no-progress", cwd=root)
            if r.rc:
                raise RuntimeError(f"cannot cut the probe store: {_last_line(r.out)}")
            os.replace(tmp, path)
        return path

    def bad_store(kind: str) -> Path:
        path = root / f"bad_{kind.replace(' ', '_')}.h5"
        if kind == "truncated":
            path.write_bytes(store().read_bytes()[:3000])
        elif kind == "text":
            path.write_text("id,x,y\n1,2,3\n")
        else:  # an HDF5 file of another program
            import h5py
            import numpy as np

            with h5py.File(path, "w") as f:
                f["data"] = np.arange(5)
        return path

    def refuse_store(name: str, kind: str, make_args: Callable[[Path], list]) -> None:
        def probe() -> tuple[str, str]:
            bad = bad_store(kind)
            watched = [bad, fx.model]
            before = digest(watched)
            run = starclass(*make_args(bad), cwd=root)
            return grade_refusal(run, [bad.name], before, digest(watched))

        probes.append(("14", name, probe))

    for kind in ("truncated", "text", "foreign HDF5"):
        refuse_store(f"classify --stamps <a {kind} .h5>", kind,
                     lambda b: ["classify", "--stamps", b, "--model", fx.model, "-o", root / f"p_{b.stem}.ecsv",
                                "--device", "cpu", "--no-progress"])
        refuse_store(f"calibrate --stamps <a {kind} .h5>", kind,
                     lambda b: ["calibrate", fx.model, "--stamps", b, "--no-progress", "--overwrite"])
        refuse_store(f"train --stamps <a {kind} .h5> --cv 2", kind,
                     lambda b: ["train", "--stamps", b, "-o", root / f"m_{b.stem}", "--cv", 2, "--device", "cpu",
                                "--no-progress"])

    def lr_fast() -> tuple[str, str]:
        task = root / "task_lr_fast.yaml"
        task.write_text(fx.task.read_text().replace("lr: 0.001", "lr: fast"))
        if "lr: fast" not in task.read_text():
            return FAIL, "probe could not write recipe lr: fast"
        run = starclass("train", "--task", task, "--mosaics", field, "--catalog", field / "truth.ecsv", "-o",
                        root / "m_lr_fast", "--device", "cpu", "--no-progress", cwd=root)
        return grade_refusal(run, ["recipe.lr", task.name], {}, {})

    probes.append(("14", "a task file with recipe: {lr: fast}", lr_fast))

    def merged_table(dup_within: bool, stem: str = "merged") -> Path:
        import numpy as np
        from astropy.table import Table, vstack

        rng = np.random.default_rng(7)
        n = 30
        one = Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 100, n), "y": rng.uniform(0, 100, n),
                     "class_ref": rng.integers(1, 5, n), "class_pred": rng.integers(1, 5, n)})
        a, b = one.copy(), one.copy()
        a["field"], b["field"] = "lab", "lab2"
        t = vstack([a, b])
        if dup_within:
            t["id"][n + 1] = t["id"][n]
        path = root / f"{stem}_{'dup' if dup_within else 'ok'}.ecsv"  # one file a probe: they run side by side
        t.write(path, overwrite=True)
        return path

    def evaluate_merged() -> tuple[str, str]:
        out = root / "ev_merged"
        run = starclass("evaluate", merged_table(False), "-o", out, "--bootstrap", 10, cwd=root)
        return grade_success(run, lambda: None if (out / "tables").is_dir() else "no tables written")

    probes.append(("14", "evaluate: a field column, ids repeated across fields", evaluate_merged))

    def evaluate_merged_dup() -> tuple[str, str]:
        out = root / "ev_merged_dup"
        run = starclass("evaluate", merged_table(True), "-o", out, "--bootstrap", 10, cwd=root)
        verdict = grade_refusal(run, ["duplicate id", "lab2", "merged_dup.ecsv"], {}, {})
        return (FAIL, "wrote an evaluation") if out.exists() else verdict

    probes.append(("14", "evaluate: a field column, an id twice in one field", evaluate_merged_dup))

    def info_merged() -> tuple[str, str]:
        run = starclass("info", merged_table(False, "merged_info"), cwd=root)
        return grade_success(run, lambda: None if "class_pred" in run.out else "no class_pred counts")

    probes.append(("14", "info: a field column, ids repeated across fields", info_merged))

    def export_to_folder() -> tuple[str, str]:
        from starclass.datasets.labelling import make_demo_field

        data = make_demo_field(root / "export_field", n=6, size=120, seed=5)
        folder = root / "export_dir"
        folder.mkdir(exist_ok=True)
        db = root / "export_labels.sqlite"
        run = starclass("inspect", data, "--db", f"sqlite:///{db}", "--init", "--no-prerender", "--export", folder,
                        cwd=root, timeout=120)
        verdict = grade_refusal(run, ["--export", "folder"], {}, {})
        return (FAIL, "a label database was made") if db.exists() else verdict

    probes.append(("14", "inspect --init --export <a folder>", export_to_folder))

    def survey_bad_tile() -> tuple[str, str]:
        f2 = fx.copy_field("field_truncated_tile")
        v = next(iter(sorted(f2.glob("*_f555w.fits"))))
        v.write_bytes(v.read_bytes()[:20000])
        plan = root / "plan_bad_tile.csv"
        plan.write_text(f"name,mosaics\ngood,{field}\nbad,{f2}\n")
        out = root / "survey_bad_tile"
        run = starclass("survey", plan, "--model", fx.model, "-o", out, cwd=root, timeout=300)
        verdict = grade_refusal(run, [v.name, "bad"], {}, {})
        return (FAIL, "the survey wrote its folder") if out.exists() else verdict

    probes.append(("14", "survey with one truncated mosaic", survey_bad_tile))

    def odd_paths() -> tuple[str, str]:
        import shlex

        d = root / "my dir ñé 星"
        d.mkdir(exist_ok=True)
        f2 = d / "fïeld x"
        if not f2.exists():
            shutil.copytree(field, f2)
        out = d / "cänds x.ecsv"
        run = starclass("detect", f2, "-o", out, "--no-progress", "--aperture-correction", "none", "--overwrite",
                        cwd=d)

        def check() -> str | None:
            if not out.exists():
                return "the catalogue is missing"
            nxt = [ln for ln in run.out.splitlines() if ln.startswith("next:")]
            if not nxt or f'"starclass classify {shlex.quote(str(f2))}' not in nxt[-1]:
                return "next: command not copyable whole: " + (nxt[-1][:120] if nxt else "(none)")
            return None

        return grade_success(run, check)

    probes.append(("14", "detect: spaces and non-ASCII in the paths", odd_paths))

    if hasattr(os, "geteuid") and os.geteuid() != 0:  # root writes into a read-only folder: no probe there
        def read_only_folder() -> tuple[str, str]:
            ro = root / "read_only"
            ro.mkdir(exist_ok=True)
            ro.chmod(0o555)
            try:
                run = starclass("detect", field, "-o", ro / "c.ecsv", "--no-progress", cwd=root)
                return grade_refusal(run, ["read_only"], {}, {})
            finally:
                ro.chmod(0o755)

        probes.append(("14", "detect -o <a read-only folder>", read_only_folder))
    return probes


def inspect_probes(fx: Fixture) -> list[tuple[str, str, Callable[[], tuple[str, str]]]]:
    """Points 1-6: the web app in-process (TestClient), and the CLI's database checks."""
    with warnings.catch_warnings():  # the installed starlette warns about httpx at import
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from starclass.datasets.labelling import make_demo_field
    from starclass.inspect import auth, db
    from starclass.inspect.app import create_app, load_field

    auth.configure_hasher(time_cost=1, memory_cost=8192, parallelism=1)  # the probes test limits, not hashing
    root = fx.root / "inspect"
    root.mkdir(exist_ok=True)
    data = make_demo_field(root / "data", n=6, size=120, seed=5)
    pw = {"ann": "ann-password", "bob": "bob-password"}
    probes: list[tuple[str, str, Callable[[], tuple[str, str]]]] = []

    def new_app(name: str, db_path: Path | None = None, **kw):
        path = db_path or root / f"{name}.sqlite"
        engine = db.make_engine(f"sqlite:///{path}")
        db.init_db(engine)
        for user, p in pw.items():
            db.add_user(engine, user, p)
        return create_app(load_field(data, cache_dir=root / f"cache_{name}"), engine, **kw), engine, path

    def login(app, user: str, client=None):
        c = client or TestClient(app)
        c.get("/login")
        r = c.post("/api/login", json={"name": user, "password": pw[user]},
                   headers={"X-CSRF-Token": c.cookies.get("sc_csrf")})
        if r.status_code == 200:
            c.headers["X-CSRF-Token"] = r.json()["csrf"]
        return c, r

    def http(point: str, name: str, fn: Callable[[], tuple[bool, str]]) -> None:
        def probe() -> tuple[str, str]:
            ok, note = fn()
            return (GOOD if ok else FAIL), note

        probes.append((point, name, probe))

    def served_db() -> tuple[bool, str]:
        app, engine, path = new_app("served", db_path=data / "labels.sqlite3")
        db.save_label(engine, "", "1", 1, 2)
        for copy in ("backup.sqlite3", "inspect.sqlite.bak", "labels_export.ecsv"):
            shutil.copy(path, data / copy)
        c, _ = login(app, "bob")
        codes = {n: c.get(f"/data/{n}").status_code for n in ("labels.sqlite3", "backup.sqlite3",
                                                               "inspect.sqlite.bak", "labels_export.ecsv")}
        engine.dispose()
        return all(code == 404 for code in codes.values()), f"data route: {codes}"

    http("1", "download the --db file, backups and exports", served_db)

    def body_limit() -> tuple[bool, str]:
        app, engine, _ = new_app("body")
        c = TestClient(app)
        c.get("/login")
        r = c.post("/api/login", json={"name": "ann", "password": "x" * 2_000_000},
                   headers={"X-CSRF-Token": c.cookies.get("sc_csrf")})
        engine.dispose()
        return r.status_code == 413, f"2 MB login body: {r.status_code}"

    http("2", "2 MB login body", body_limit)

    def throttle() -> tuple[bool, str]:
        app, engine, _ = new_app("throttle")
        c = TestClient(app)
        c.get("/login")
        codes = []
        for _ in range(15):
            r = c.post("/api/login", json={"name": "ann", "password": "wrong"},
                       headers={"X-CSRF-Token": c.cookies.get("sc_csrf")})
            codes.append(r.status_code)
        engine.dispose()
        return 429 in codes and "Retry-After" in r.headers, f"15 wrong passwords: last {codes[-1]}"

    http("2", "wrong passwords in a row", throttle)

    def cookies() -> tuple[bool, str]:
        app, engine, path = new_app("cookies")
        _, r = login(app, "ann", TestClient(app, base_url="https://testserver"))
        flags = [v for k, v in r.headers.multi_items() if k == "set-cookie"]
        mode = oct(path.stat().st_mode & 0o777)
        engine.dispose()
        ok = bool(flags) and all("secure" in f.lower() for f in flags) and mode == "0o600"
        return ok, f"Secure on {sum('secure' in f.lower() for f in flags)}/{len(flags)} cookies; db mode {mode}"

    http("3", "cookie flags over HTTPS, database mode", cookies)

    def label_input() -> tuple[bool, str]:
        app, engine, _ = new_app("labels")
        c, _ = login(app, "ann")
        codes = {repr(cls): c.post("/api/label", json={"candidate_id": "1", "cls": cls}).status_code
                 for cls in (1.9, True, " 2 ")}
        codes["long comment"] = c.post("/api/label", json={"candidate_id": "1", "cls": 2,
                                                           "comment": "x" * 2001}).status_code
        codes["lone surrogate"] = c.post(
            "/api/label", content=b'{"candidate_id": "1", "cls": 2, "comment": "a \\ud800 b"}',
            headers={"Content-Type": "application/json"}).status_code
        engine.dispose()
        return all(v == 422 for v in codes.values()), f"{codes}"

    http("3", "class 1.9/true/' 2 ', long comment, lone surrogate", label_input)

    def deleted_db() -> tuple[bool, str]:
        app, engine, path = new_app("deleted")
        c, _ = login(app, "bob")
        first = c.post("/api/label", json={"candidate_id": "1", "cls": 2}).status_code
        for p in root.glob("deleted.sqlite*"):
            p.unlink()
        r = c.post("/api/label", json={"candidate_id": "2", "cls": 3})
        engine.dispose()
        return first == 200 and r.status_code == 503, f"label before {first}, after deletion {r.status_code}"

    http("4", "database deleted while serving", deleted_db)

    def no_init() -> tuple[str, str]:
        path = root / "absent.sqlite"
        run = starclass("inspect", data, "--db", f"sqlite:///{path}", "--no-prerender", cwd=root, timeout=60)
        verdict = grade_refusal(run, ["--init"], {}, {})
        return (FAIL, "an empty database was created") if path.exists() else verdict

    probes.append(("4", "inspect without --init on a missing database", no_init))

    def read_only() -> tuple[str, str]:
        _, engine, path = new_app("readonly")
        engine.dispose()
        url = f"sqlite:///file:{path}?mode=ro&uri=true"
        run = starclass("inspect", data, "--db", url, "--no-prerender", cwd=root, timeout=60)
        return grade_refusal(run, ["cannot be written"], {}, {})

    probes.append(("5", "inspect on a read-only database", read_only))

    def backup_twice() -> tuple[str, str]:
        _, engine, path = new_app("backup")
        engine.dispose()
        target = root / "labels-backup.sqlite"
        first = starclass("inspect", data, "--db", f"sqlite:///{path}", "--backup", target, cwd=root, timeout=60)
        if first.rc or not target.exists():
            return FAIL, f"backup failed: exit {first.rc}: {_last_line(first.out)}"
        before = digest([target])
        second = starclass("inspect", data, "--db", f"sqlite:///{path}", "--backup", target, cwd=root, timeout=60)
        return grade_refusal(second, ["--overwrite"], before, digest([target]))

    probes.append(("6", "inspect --backup twice to one file", backup_twice))
    return probes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-k", dest="only", default=None, help="Run only probes whose name contains this.")
    parser.add_argument("--keep", type=Path, default=None, help="Work in this folder and keep it.")
    parser.add_argument("--json", type=Path, default=None, help="Also write the outcomes as JSON here.")
    parser.add_argument("--jobs", type=int, default=2, help="Commands run at once (default 2).")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    t0 = time.perf_counter()
    root = args.keep or Path(tempfile.mkdtemp(prefix="starclass-probes-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        fx = Fixture(root)
        print(f"building the fixtures in {root} ...", flush=True)
        fx.build()
        # the in-process inspect probes first, one at a time; then the commands, --jobs at once
        # (each is a separate process, and most of its time is Python and torch starting up)
        def chosen(probes):
            return [p for p in probes if not args.only or args.only.lower() in p[1].lower()]

        web, commands = chosen(inspect_probes(fx)), chosen(cli_probes(fx))

        def run_one(item) -> Outcome:
            point, name, probe = item
            try:
                verdict, note = probe()
            except Exception as exc:  # a probe that cannot run is a failure of the probe, reported as such
                verdict, note = FAIL, f"probe crashed: {type(exc).__name__}: {exc}"
            print(f"{point:>3s}  {verdict:8s} {name}", flush=True)
            return Outcome(point, name, verdict, note)

        outcomes = [run_one(item) for item in web]
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            outcomes += list(pool.map(run_one, commands))
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print()
    print(f"{'pt':>3s}  {'verdict':8s} {'probe':55s} what happened")
    for o in outcomes:
        print(f"{o.point:>3s}  {o.verdict:8s} {o.name[:55]:55s} {o.note}")
    counts = {v: sum(o.verdict == v for o in outcomes) for v in (GOOD, POOR, FAIL)}
    print()
    print(f"{len(outcomes)} probes: {counts[GOOD]} good, {counts[POOR]} poor, {counts[FAIL]} failures "
          f"({time.perf_counter() - t0:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps({"counts": counts, "outcomes": [o.__dict__ for o in outcomes]}, indent=1))
    return 1 if counts[FAIL] else 0


if __name__ == "__main__":
    sys.exit(main())
