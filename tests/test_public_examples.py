"""Every name a package exports (its ``__all__``) shows how it is called: a docstring example.

tests/test_doctests.py runs the examples there are; this checks that the names a notebook
imports first have one. Forty-three of them had none (normalise, multiscale, iter_inputs,
StampStore, TaskConfig, MosaicSet, SimConfig, the splits, select_candidates, completeness, ...).
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil

import starclass

#: exported names whose example would need what a docstring cannot set up in seconds
WITHOUT_EXAMPLE = {
    "starclass.cli.main": "the command line itself (docs/cli.md)",
    "starclass.survey.run_tile": "a prepared survey's tile job and model",
}


def _exported():
    for info in sorted(pkgutil.iter_modules(starclass.__path__, "starclass."), key=lambda m: m.name):
        if not info.ispkg:
            continue
        package = importlib.import_module(info.name)
        for name in getattr(package, "__all__", ()):
            obj = getattr(package, name)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                yield f"{info.name}.{name}", obj


def test_every_exported_function_and_class_has_an_example():
    missing = [name for name, obj in _exported() if ">>>" not in (obj.__doc__ or "") and name not in WITHOUT_EXAMPLE]
    assert missing == [], f"exported without a docstring example: {missing}"


def test_the_exemptions_are_still_exported_and_still_without_an_example():
    exported = dict(_exported())
    assert set(WITHOUT_EXAMPLE) <= set(exported)
    assert [n for n in WITHOUT_EXAMPLE if ">>>" in (exported[n].__doc__ or "")] == []


#: packages whose submodules' public functions and classes all show how they are called (the
#: ones a notebook imports from: 142 of their 420 had no example)
SUBMODULE_PACKAGES = ("starclass.evaluate", "starclass.science", "starclass.detect", "starclass.learn",
                      "starclass.stamps", "starclass.simulate", "starclass.report",
                      "starclass.models", "starclass.io", "starclass.datasets", "starclass.survey",
                      "starclass.explain", "starclass.suggest", "starclass.inspect",
                      # single modules: their own public functions and classes
                      "starclass.bands", "starclass.schema", "starclass.pipeline", "starclass.errors")

#: public functions and classes of those submodules whose example would need what a docstring
#: cannot set up in seconds
SUBMODULE_WITHOUT_EXAMPLE: dict[str, str] = {
    "starclass.survey.run.PreparedSurvey": "what prepare returns from a plan, mosaics and a trained model",
    "starclass.survey.work.run_tile": "a prepared survey's tile job and model",
    "starclass.survey.work.field_psf_of": "a prepared survey's tile job and its mosaics on disk (a Dask task)",
}


def _modules_of(package: str) -> list[str]:
    top = importlib.import_module(package)
    if not hasattr(top, "__path__"):
        return [package]  # a module (starclass.bands), not a package
    return sorted(m.name for m in pkgutil.walk_packages(top.__path__, f"{package}."))


#: The web page's HTTP layer, whose route handlers and dependencies have no example: see :func:`_served_by_http`
ROUTES = "starclass.inspect.routes"


def _served_by_http(module, obj) -> bool:
    """Whether ``obj`` is a route handler of a router of :data:`ROUTES` or one of its FastAPI dependencies.

    FastAPI calls those with a request (``create_app`` includes the routers; ``routes.deps`` hands the
    handlers the served field, the database and the logged-in person, and answers with HTTP errors): an
    example would need a served application, a database and a session. tests/test_inspect_app.py,
    test_inspect_security.py and the other test_inspect_* files call them as the page does, through HTTP.
    Another function of those modules (``routes.datafiles.safe_path``) is asked for its example.
    """
    if not module.__name__.startswith(f"{ROUTES}."):
        return False
    if module.__name__ == f"{ROUTES}.deps":
        return True  # the dependencies and request helpers the handlers share
    router = getattr(module, "router", None)
    return router is not None and any(getattr(route, "endpoint", None) is obj for route in router.routes)


def _submodule_public(skip_http: bool = True):
    for package in SUBMODULE_PACKAGES:
        for module_name in _modules_of(package):
            if any(part.startswith("_") for part in module_name.split(".")):
                continue  # a private module (detect._images) is the package's own plumbing
            module = importlib.import_module(module_name)
            for name, obj in vars(module).items():
                # defined here (not imported), public, a function or a class
                if (not name.startswith("_") and (inspect.isfunction(obj) or inspect.isclass(obj))
                        and obj.__module__ == module_name and not (skip_http and _served_by_http(module, obj))):
                    yield f"{module_name}.{name}", obj


def test_every_public_function_and_class_of_the_notebook_packages_has_an_example():
    missing = [name for name, obj in _submodule_public()
               if ">>>" not in (obj.__doc__ or "") and name not in SUBMODULE_WITHOUT_EXAMPLE]
    assert missing == [], f"public without a docstring example: {missing}"


def test_only_the_route_handlers_and_their_dependencies_go_without_an_example():
    public = dict(_submodule_public())
    served = sorted(set(dict(_submodule_public(skip_http=False))) - set(public))
    assert {"starclass.inspect.routes.labels.api_label", "starclass.inspect.routes.pages.index",
            "starclass.inspect.routes.deps.get_field", "starclass.inspect.routes.deps.writer"} <= set(served)
    assert all(name.startswith(f"{ROUTES}.") for name in served)
    assert "starclass.inspect.routes.datafiles.safe_path" in public  # a plain function there is asked
    assert {"starclass.inspect.cutouts.CutoutList", "starclass.inspect.schemes.LabelScheme"} <= set(public)
    # every route of every router is one of those left out
    import starclass.inspect.routes as routes

    for info in pkgutil.iter_modules(routes.__path__, f"{ROUTES}."):
        router = getattr(importlib.import_module(info.name), "router", None)
        for route in router.routes if router is not None else ():
            assert f"{info.name}.{route.endpoint.__name__}" in served, route


def test_the_submodule_exemptions_are_still_public_and_still_without_an_example():
    public = dict(_submodule_public())
    assert set(SUBMODULE_WITHOUT_EXAMPLE) <= set(public)
    assert [n for n in SUBMODULE_WITHOUT_EXAMPLE if ">>>" in (public[n].__doc__ or "")] == []



def _properties_of(classes):
    """``module.Class.attr`` and the property of every public property and cached property of ``classes``.

    A property's docstring is its own (the class's says nothing of it); one a class inherits from
    a base of starclass's is named on that base (a private base's too), once.
    """
    seen = set()
    for cls in classes:
        for base in cls.__mro__:
            if base is not cls and not base.__module__.startswith("starclass"):
                continue  # object's, Protocol's, a dataclass library's: not ours to document
            for attr, value in vars(base).items():
                key = f"{base.__module__}.{base.__qualname__}.{attr}"
                if (not attr.startswith("_") and isinstance(value, (property, functools.cached_property))
                        and key not in seen):
                    seen.add(key)
                    yield key, value


def _public_properties():
    classes = {id(obj): obj for _, obj in [*_exported(), *_submodule_public()] if inspect.isclass(obj)}
    return _properties_of(classes.values())


def _without_example(properties):
    return [name for name, prop in properties if ">>>" not in (prop.__doc__ or "")]


def test_every_public_property_of_those_classes_has_an_example():
    # tests/test_doctests.py runs these examples (doctest finds a property's docstring; that test adds
    # the cached properties' it would not); 69 properties had none (MosaicSet.v_band,
    # TaskConfig.n_classes, StampStore.bands, Tile.slices ...)
    missing = _without_example(_public_properties())
    assert missing == [], f"public properties without a docstring example: {missing}"


def test_the_property_check_sees_properties_cached_properties_and_inherited_ones():
    names = dict(_public_properties())
    assert isinstance(names["starclass.stamps.store.StampStore.bands"], property)
    assert "starclass.learn.config.TaskConfig.n_classes" in names
    assert "starclass.io.mosaic.Mosaics.v_band" in names  # a protocol's too
    assert not [n for n in names if n.rsplit(".", 1)[1].startswith("_")]

    class Base:
        @property
        def shown(self) -> int:
            """Shown.

            >>> 1
            1
            """
            return 1

        @property
        def _private(self) -> int:
            return 1

    class WithCached(Base):
        @functools.cached_property
        def size(self) -> int:
            """No example."""
            return 1

        @property
        def bare(self) -> int:
            return 1

    found = dict(_properties_of([WithCached]))
    assert sorted(n.rsplit(".", 1)[1] for n in found) == ["bare", "size"]  # Base is no starclass class
    assert [n.rsplit(".", 1)[1] for n in _without_example(found.items())] == ["size", "bare"]
