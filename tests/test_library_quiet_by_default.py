"""The Python API is quiet unless asked: every public function that takes ``progress`` defaults to False.

``starclass.detect.detect`` (the notebook's entry), ``starclass.learn.classify.classify``, ``fit``,
``cross_validate``, ``run_survey`` and ``run_demo`` defaulted to ``progress=True`` and drew a tqdm bar into a
script's log (stderr no terminal) and into a notebook's log cells, where the twelve other public functions
that take ``progress`` (``measure``, ``predict_inputs``, ``explain``, ``simulate_to_disk``, ``make_store``,
...) default to False. The command line passes its own ``--progress`` to each, so its bars are unchanged.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import numpy as np

import starclass

#: public functions that are not in a package's ``__all__`` (a module of the function's own name, or a module)
NAMED = ("starclass.learn.classify.classify", "starclass.learn.crossval.cross_validate",
         "starclass.pipeline.run_demo")


def _public_callables():
    for info in sorted(pkgutil.iter_modules(starclass.__path__, "starclass."), key=lambda m: m.name):
        if not info.ispkg or info.name == "starclass.cli":  # the commands pass --progress themselves
            continue
        package = importlib.import_module(info.name)
        for name in getattr(package, "__all__", ()):
            obj = getattr(package, name)
            if inspect.isfunction(obj):
                yield f"{info.name}.{name}", obj
            elif inspect.isclass(obj):
                for attr, fn in vars(obj).items():
                    if inspect.isfunction(fn) and (attr == "__init__" or not attr.startswith("_")):
                        yield f"{info.name}.{name}.{attr}", fn
    for dotted in NAMED:
        module, name = dotted.rsplit(".", 1)
        yield dotted, getattr(importlib.import_module(module), name)


def test_every_public_progress_defaults_to_quiet():
    defaults = {}
    for name, fn in _public_callables():
        param = inspect.signature(fn).parameters.get("progress")
        if param is not None:
            defaults[name] = param.default
    assert len(defaults) >= 15, defaults  # the check does see the API (detect, fit, explain, make_store ...)
    loud = {name: d for name, d in defaults.items() if d is not False}
    assert loud == {}, f"public functions whose progress is not False by default: {loud}"


def test_detect_called_from_a_script_draws_no_bar(capsys):
    from starclass.detect import ArrayMosaics, detect

    yy, xx = np.mgrid[:64, :64]
    img = np.random.default_rng(0).normal(0, 0.01, (64, 64)).astype(np.float32)
    img += 5 * np.exp(-((xx - 20) ** 2 + (yy - 40) ** 2) / 4.5).astype(np.float32)
    cat = detect(ArrayMosaics({"f555w": img}, {"f555w": 25.0}))  # as a notebook or a script calls it
    assert len(cat) == 1
    err = capsys.readouterr().err
    assert "%|" not in err and "it/s" not in err, err  # tqdm's bar: percent and rate
    detect(ArrayMosaics({"f555w": img}, {"f555w": 25.0}), progress=True)  # asked for: the bar
    assert "%|" in capsys.readouterr().err
