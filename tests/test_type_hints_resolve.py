"""Every public function is annotated, and its type hints resolve with :func:`typing.get_type_hints`.

``typing.get_type_hints(starclass.report.build.build_report)`` raised ``TypeError: unsupported operand
type(s) for |: 'str' and 'type'``: ``starclass.io.mosaic.MosaicsLike`` was a string alias, used as
``MosaicsLike | str``; eleven stamp, export and Grad-CAM functions that took a ``MosaicsLike`` raised
``NameError: name 'Mosaics' is not defined`` (the string was evaluated in their modules). Tools that
read hints (sphinx-autodoc-typehints, typer, pydantic, beartype) hit the same.

From a notebook, ``typing.get_type_hints(f)`` reads nothing but ``f``'s module: 110 public functions
raised ``NameError`` there (``os``, ``Table``, ``Sequence``, ``TaskLike`` ... imported only under
``if TYPE_CHECKING:``, though importing the module loaded them anyway). A module now keeps a name
under ``if TYPE_CHECKING:`` only where importing it would load what the module otherwise does not
(torch, pyarrow, or ``starclass.learn`` / ``starclass.io``'s astropy from a lighter module):
:data:`KEPT_FOR_IMPORT_TIME` lists them with the reason, and a documentation tool (or a notebook,
with ``localns``) gives them as sphinx-autodoc-typehints does, by running that block.

About 220 public functions and methods had a parameter or a return without a type (``probs``, ``y``,
``M``, ``engine``, ``mosaics``, the figure builders' returns ...): a notebook's ``help()`` and the
documentation showed nothing for them. :func:`test_every_public_function_is_annotated` keeps them
annotated. The last ones (in ``cli.train_cmd``, ``learn.cutouts`` and ``science.gradcam``, which other
work had open) were annotated on branch s57types2, and the lists that had left them for later are gone.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import typing
import warnings
from types import ModuleType

import starclass

#: Names a module imports only under ``if TYPE_CHECKING:`` because importing them would load what the
#: module otherwise does not (the modules in ``sys.modules`` after importing it alone were compared).
KEPT_FOR_IMPORT_TIME: dict[str, set[str]] = {
    # torch is imported where it computes: not by the CLI's start, the task configs or the registry (the
    # TaskConfig of cli._app, evaluate.compare, .task and survey.run, kept here while learn's __init__ and
    # learn.precision loaded torch, is imported now)
    "starclass.learn.precision": {"torch"},
    # reading a model's manifest (calibrate's and survey's checks before their first line) needs no torch
    "starclass.learn.checkpoint": {"torch"},
    "starclass.survey.run": {"pa", "Client", "LocalCluster"},  # pyarrow, distributed
    "starclass.suggest.pick": {"torch", "LoadedModel"},
    "starclass.survey.work": {"torch", "pa", "LoadedModel"},
    # pyarrow and the [scale] extra's dask-jobqueue are imported where they are used
    "starclass.survey.merge": {"pa"},
    "starclass.survey.batch": {"JobQueueCluster"},
    # the regions package is imported where it is used (inspect.cutouts' Field, kept here while
    # starclass.io.catalog imported pyarrow at its top, is imported now)
    "starclass.io.regions": {"Regions"},
    # `import starclass.models` (the registry: starclass info, --help) does not load torch
    "starclass.models": {"nn"},
    "starclass.models.registry": {"nn"},
    # starclass.io's __init__ loads astropy.table, .wcs and .coordinates, which these modules do not
    "starclass.inspect.schemes": {"TaskLike"},
    "starclass.models.compact": {"TaskLike"},
    "starclass.models.smallcnn": {"TaskLike"},
    "starclass.models.starcnet": {"TaskLike"},
    # torch is loaded, but starclass.learn.config reaches astropy.wcs and .coordinates through starclass.io
    "starclass.learn.calibration": {"LoadedModel", "TaskConfig"},
    "starclass.learn.crossval": {"LoadedModel", "TaskConfig"},
    "starclass.learn.labels": {"TaskConfig"},
    # torch, astropy.table (and starclass.io.mosaic's FITS, WCS and coordinates) and starclass.stamps (h5py,
    # scipy, numba) are imported where a command uses them, not at every command's start and --help
    # (tests/test_import_time.py)
    "starclass.cli.train_cmd": {"torch", "Table", "MosaicsLike", "PixelFlags", "StampStore", "StampStores"},
    # cli._app: TaskConfig (the task configs and starclass.schema load numpy, which `starclass --help` does not)
    "starclass.cli._app": {"Table", "Mosaics", "MosaicSet", "PixelFlags", "TaskConfig"},
    # starclass.io.cutout_folders (CutoutSet) loads 347 modules that info does not need for a catalogue
    "starclass.cli.info_cmd": {"Table", "CutoutSet"},
    # the next: lines' words (suggest and inspect import them at their top) load no astropy
    "starclass.cli.next_steps": {"Table"},
    # evaluate's no-distance note takes the catalogue as read; astropy.table is not loaded by --help
    "starclass.cli.evaluate_cmd": {"Table"},
    "starclass.cli.cutouts_cmd": {"PixelFlags"},
    # provenance loads numpy alone (a model's manifest is read without astropy); the cutout reader loads astropy
    # and PIL, and io -> learn would close the cycle io -> learn -> ... -> io (tests/test_layout.py)
    "starclass.learn.provenance": {"CutoutSet"},
    # astropy.units is imported when the registry's units are first asked for, not by every command's --help
    "starclass.schema": {"Table", "u"},
    # starclass.evaluate's __init__ loads the matching code and with it starclass.detect (numba, photutils), 1 s of
    # `evaluate --catalogs`' start that its figures never use (tests/test_import_time.py)
    "starclass.report.figures": {"Curve"},
    # astropy's WCS and coordinates (and tables, in io.mosaic) are imported where a header, a sky position or a FITS
    # table is read: info of a CSV or FITS catalogue loads neither (tests/test_cli_lazy_commands.py)
    "starclass.io.catalog": {"Angle", "WCS", "MosaicSet"},
    "starclass.io.mosaic": {"SkyCoord", "Table", "WCS"},
    "starclass.io.cutout_folders": {"WCS"},
    # the demo imports the model code (torch) at its training step, so that its first line comes first; the
    # mosaic reader (astropy's WCS and coordinates) at its detection step
    "starclass.pipeline": {"LoadedModel", "GradcamInputs", "MosaicsLike"},
}


def _modules() -> list[ModuleType]:
    out = []
    for info in pkgutil.walk_packages(starclass.__path__, "starclass."):
        if info.name.endswith("__main__"):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # deprecated module paths warn on import
            out.append(importlib.import_module(info.name))
    return out


def _type_checking_blocks(module: ModuleType) -> list[ast.If]:
    return [node for node in ast.parse(inspect.getsource(module)).body
            if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")]


def _type_checking_names(module: ModuleType) -> set[str]:
    """The names a module binds only under ``if TYPE_CHECKING:``."""
    names = set()
    for block in _type_checking_blocks(module):
        for node in block.body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def _namespace(module: ModuleType) -> dict:
    """The module's globals plus what its ``if TYPE_CHECKING:`` blocks import."""
    ns = dict(vars(module))
    for node in _type_checking_blocks(module):
        exec(compile(ast.Module(body=node.body, type_ignores=[]), module.__file__, "exec"), ns)
    return ns


def public_functions(module: ModuleType) -> typing.Iterator[tuple[str, typing.Callable]]:
    """``(name, function)`` for the module's own public functions and its classes' public methods.

    Static and class methods and property getters are methods too.
    """
    for name, obj in vars(module).items():
        if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(obj):
            yield name, obj
        elif inspect.isclass(obj):
            for attr, member in vars(obj).items():
                fn = member.fget if isinstance(member, property) else getattr(member, "__func__", member)
                if inspect.isfunction(fn) and not attr.startswith("_"):
                    yield f"{name}.{attr}", fn


def unannotated(name: str, fn: typing.Callable) -> list[str]:
    """The parameters of ``fn`` without an annotation, and ``"return"`` when its return has none.

    A method's ``self`` or ``cls`` (the first parameter of a function defined in a class) needs none.
    """
    sig = inspect.signature(fn)  # follows __wrapped__: a decorated function is checked as written
    params = list(sig.parameters.values())
    if "." in name and params and params[0].name in ("self", "cls"):
        params = params[1:]
    missing = [p.name for p in params if p.annotation is inspect.Parameter.empty]
    if sig.return_annotation is inspect.Signature.empty:
        missing.append("return")
    return missing


def test_every_public_function_is_annotated():
    found, checked = {}, 0
    for module in _modules():
        for name, fn in public_functions(module):
            checked += 1
            if missing := unannotated(name, fn):
                found[f"{module.__name__}.{name}"] = missing
    assert checked > 1000, checked
    assert not found, "public functions with unannotated parameters or return:\n" + "\n".join(
        f"{k}: {', '.join(v)}" for k, v in sorted(found.items()))


def test_an_unannotated_parameter_or_return_is_found():
    """The check on the checker: it sees a bare parameter, a bare return and a method's own ``self`` apart."""

    def bare(x, y: int) -> int:
        return y

    def no_return(x: int):
        return x

    class Holder:
        def method(self, z: float) -> None:
            return None

    assert unannotated("bare", bare) == ["x"]
    assert unannotated("no_return", no_return) == ["return"]
    assert unannotated("Holder.method", Holder.method) == []


def test_every_public_functions_type_hints_resolve():
    failed, checked = [], 0
    for module in _modules():
        ns = _namespace(module)
        for name, fn in public_functions(module):
            checked += 1
            try:
                typing.get_type_hints(fn, globalns=ns)
            except Exception as exc:  # every failure is listed, not only the first
                failed.append(f"{module.__name__}.{name}: {type(exc).__name__}: {exc}")
    assert checked > 500, checked  # the walk found the package's functions
    assert not failed, "\n".join(failed)


def test_type_hints_resolve_from_the_module_alone():
    """As a notebook calls it: ``typing.get_type_hints(f)``, nothing but ``f``'s module."""
    failed, checked = [], 0
    for module in _modules():
        allowed = KEPT_FOR_IMPORT_TIME.get(module.__name__, set())
        for name, fn in public_functions(module):
            checked += 1
            try:
                typing.get_type_hints(fn)
            except NameError as exc:
                if exc.name not in allowed:
                    failed.append(f"{module.__name__}.{name}: NameError: {exc}")
            except Exception as exc:
                failed.append(f"{module.__name__}.{name}: {type(exc).__name__}: {exc}")
    assert checked > 1000, checked
    assert not failed, "\n".join(failed)


def test_only_the_listed_names_are_kept_under_type_checking():
    """A name newly put under ``if TYPE_CHECKING:`` must be one importing would cost: say so above."""
    wrong = []
    for module in _modules():
        kept = _type_checking_names(module)
        listed = KEPT_FOR_IMPORT_TIME.get(module.__name__, set())
        if kept != listed:
            wrong.append(f"{module.__name__}: under TYPE_CHECKING {sorted(kept)}, listed {sorted(listed)}")
    assert not wrong, "\n".join(wrong)


def test_mosaics_like_is_a_type_not_a_string():
    from starclass.io.mosaic import Mosaics, MosaicsLike
    from starclass.report.build import build_report

    assert not isinstance(MosaicsLike, str)
    assert Mosaics in typing.get_args(MosaicsLike)
    # as the user called it: nothing but the module's own globals
    hints = typing.get_type_hints(build_report)
    assert Mosaics in typing.get_args(hints["mosaics"]) and str in typing.get_args(hints["mosaics"])
