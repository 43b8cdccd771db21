"""Every public function's type hints resolve with :func:`typing.get_type_hints`.

``typing.get_type_hints(starclass.report.build.build_report)`` raised ``TypeError: unsupported operand
type(s) for |: 'str' and 'type'``: ``starclass.io.mosaic.MosaicsLike`` was a string alias, used as
``MosaicsLike | str``; eleven stamp, export and Grad-CAM functions that took a ``MosaicsLike`` raised
``NameError: name 'Mosaics' is not defined`` (the string was evaluated in their modules). Tools that
read hints (sphinx-autodoc-typehints, typer, pydantic, beartype) hit the same.

Names a module imports only under ``if TYPE_CHECKING:`` (kept out of the import for speed: torch,
pyarrow) are given to ``get_type_hints`` as sphinx-autodoc-typehints gives them, by running that
block; everything else must resolve from the module itself. The command-line modules are left out.
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


def _modules() -> list[ModuleType]:
    out = []
    for info in pkgutil.walk_packages(starclass.__path__, "starclass."):
        if info.name.startswith("starclass.cli") or info.name.endswith("__main__"):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # deprecated module paths warn on import
            out.append(importlib.import_module(info.name))
    return out


def _namespace(module: ModuleType) -> dict:
    """The module's globals plus what its ``if TYPE_CHECKING:`` blocks import."""
    ns = dict(vars(module))
    for node in ast.parse(inspect.getsource(module)).body:
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            exec(compile(ast.Module(body=node.body, type_ignores=[]), module.__file__, "exec"), ns)
    return ns


def _public_functions(module: ModuleType):
    for name, obj in vars(module).items():
        if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(obj):
            yield name, obj
        elif inspect.isclass(obj):
            for attr, fn in vars(obj).items():
                if inspect.isfunction(fn) and not attr.startswith("_"):
                    yield f"{name}.{attr}", fn


def test_every_public_functions_type_hints_resolve():
    failed, checked = [], 0
    for module in _modules():
        ns = _namespace(module)
        for name, fn in _public_functions(module):
            checked += 1
            try:
                typing.get_type_hints(fn, globalns=ns)
            except Exception as exc:  # every failure is listed, not only the first
                failed.append(f"{module.__name__}.{name}: {type(exc).__name__}: {exc}")
    assert checked > 500, checked  # the walk found the package's functions
    assert not failed, "\n".join(failed)


def test_mosaics_like_is_a_type_not_a_string():
    from starclass.io.mosaic import Mosaics, MosaicsLike
    from starclass.report.build import build_report

    assert not isinstance(MosaicsLike, str)
    assert Mosaics in typing.get_args(MosaicsLike)
    # as the user called it: nothing but the module's own globals
    hints = typing.get_type_hints(build_report)
    assert Mosaics in typing.get_args(hints["mosaics"]) and str in typing.get_args(hints["mosaics"])
