"""Output-path checks every command runs before any work: never an input, never silently replaced.

A command calls :func:`check_output` once per output option, with every path it reads, before
it opens anything expensive; the error names the option and the path, and the CLI turns it into
``error: ...`` and exit status 2 with nothing written.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from starclass.errors import StarclassError
from starclass.io.atomic import foreign_entries, holds_working_dir, working_dir_message
from starclass.io.fits_names import is_fits_name

PathLike = str | os.PathLike


def resolved(path: PathLike) -> Path:
    """``path`` made absolute with its links followed, as far as they lead: a link loop is kept as it is.

    :meth:`pathlib.Path.resolve` raises ``RuntimeError`` (Python 3.11) or ``OSError`` (3.13) on a
    loop of symbolic links (``ln -s a b; ln -s b a``): given as any input (``cutouts -c loop``,
    ``suggest LOOP ...``) it was a traceback from the output checks run before any work, instead of
    the command's own "no such file" message. :func:`os.path.realpath` stops at the loop instead.

    Examples
    --------
    >>> import tempfile, pathlib, os
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> os.symlink(d / "b", d / "a"); os.symlink(d / "a", d / "b")
    >>> resolved(d / "a").name in ("a", "b")
    True
    """
    return Path(os.path.realpath(path))


def short_path(path: PathLike) -> str:
    """A path a message names for the user to type: relative to the current folder where it lies under it.

    The one spelling of a path in every ``next:`` line and hint: a path read from a table (a cutout folder
    recorded relative to the table's own folder) joined to the current folder walked up and down again:
    ``suggest`` told a user in /tmp/s83walk to give ``--labels ../../work/wt/shared/data/pandas-m31/labels.csv``.
    And a model recorded absolute in a classified table (``/tmp/me/m31_model``) was named so to the user in
    /tmp/me who had typed ``m31_model``. So: an absolute path under the current folder is named from it
    (``m31_model``); a relative path that walks up no folder is kept as it is; any other is named absolute,
    or relative where that is shorter (``../shared/data``, as typed, kept).

    Examples
    --------
    >>> short_path("cuts/labels.csv")
    'cuts/labels.csv'
    >>> short_path("../" * 40 + "data/labels.csv")  # up past / and down again
    '/data/labels.csv'
    >>> short_path(os.path.join(os.getcwd(), "m31_model"))  # under the current folder: named from it
    'm31_model'
    """
    given = os.path.normpath(str(path))
    if not os.path.isabs(given) and not given.startswith(os.pardir):
        return given
    absolute = os.path.abspath(given)
    here = os.getcwd()  # the current folder with its links followed, as the OS gives it
    # textually under it, else with links followed (a path through a link to here, or here reached by one)
    for target in (absolute, os.path.realpath(absolute)):
        if target == here:
            return os.curdir
        if target.startswith(here.rstrip(os.sep) + os.sep):
            return os.path.relpath(target, here)
    if os.path.isabs(given):
        return given
    return absolute if len(absolute) < len(given) else given


def link_note(path: PathLike) -> str:
    """What a missing path is, when it is a link: `` (a link to TARGET)``, and whether the links loop.

    The one wording of every "no such file" message for a link (``check_inputs_readable``,
    ``read_catalog``, a model's member files): ``info LOOP`` said ``catalogue file not found: loop``
    where ``evaluate LOOP`` added ``(a link to loop)``. Empty for a path that is no link.

    Examples
    --------
    >>> import tempfile, pathlib, os
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> os.symlink("nothere.csv", d / "dangling"); os.symlink("loop", d / "loop")
    >>> link_note(d / "dangling"), link_note(d / "loop"), link_note(d / "plain.csv")
    (' (a link to nothere.csv)', ' (a link to loop, in a loop of links that never reaches a file)', '')
    """
    p = Path(path)
    if not p.is_symlink():
        return ""
    target = os.readlink(p)
    try:
        os.stat(p)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # ln -s a b; ln -s b a (or a link to itself): no target will ever exist
            return f" (a link to {target}, in a loop of links that never reaches a file)"
    return f" (a link to {target})"


def no_such_path(path: PathLike, what: str = "") -> str:
    """``WHAT PATH: no such file or directory``, with :func:`link_note`: every command's words for a missing input.

    Examples
    --------
    >>> no_such_path("nothere.csv", "--reference")
    '--reference nothere.csv: no such file or directory'
    >>> no_such_path("nothere.csv")
    'nothere.csv: no such file or directory'
    """
    return f"{what + ' ' if what else ''}{path}: no such file or directory{link_note(path)}"


def _same(a: Path, b: Path) -> bool:
    """Whether two paths name one file or folder: by identity where both exist, else by resolved name."""
    if a.exists() and b.exists():
        try:
            return os.path.samefile(a, b)
        except OSError:
            # a file that cannot be stat'ed (permissions, a vanished mount) is still compared:
            # by its resolved name below, the test used for paths that do not exist yet
            pass
    return resolved(a) == resolved(b)


def _inside(inner: Path, outer: Path) -> bool:
    """Whether ``inner`` lies inside the folder ``outer`` (resolved, so links and ``..`` count)."""
    return resolved(outer) in resolved(inner).parents


def mosaic_inputs(paths: PathLike | Iterable[PathLike] | Mapping[str, PathLike] | None) -> list[Path]:
    """Every file and folder that reading ``paths`` as mosaics may open (for output-path checks).

    A folder stands for itself and every FITS file in it (weight maps included, as the reader
    opens them beside their images), hidden files excepted as the scan skips them.

    Parameters
    ----------
    paths
        What :func:`read_mosaics` takes: a path, a list of paths (files or folders), a mapping
        band -> path, or None.

    Returns
    -------
    list of pathlib.Path

    Examples
    --------
    >>> mosaic_inputs(["v.fits", "i.fits"])
    [PosixPath('v.fits'), PosixPath('i.fits')]
    >>> mosaic_inputs(None)
    []
    """
    if paths is None:
        return []
    if isinstance(paths, Mapping):
        paths = list(paths.values())
    elif isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out: list[Path] = []
    for item in paths:
        p = Path(item)
        out.append(p)
        if p.is_dir():
            out.extend(f for f in sorted(p.iterdir())
                       if f.is_file() and not f.name.startswith(".")
                       and is_fits_name(f))
    return out


def input_clash(output: PathLike, inputs: Iterable[PathLike | None]) -> Path | None:
    """The first input that writing ``output`` would clobber, or None.

    An input is clobbered when it is the output itself (same file: ``os.path.samefile`` where
    both exist, the same resolved path otherwise) or lies inside the output (an output folder
    that is, or contains, an input folder or file).

    Parameters
    ----------
    output
        The path a command is about to write (a file or a folder).
    inputs
        Every path the command reads; None entries are skipped. A folder of mosaics should be
        given with the files the command reads in it (:func:`mosaic_inputs`).

    Returns
    -------
    pathlib.Path or None
        The clobbered input as given.

    Examples
    --------
    >>> input_clash("field/cat.ecsv", ["field/cat.ecsv", "field/v.fits"])
    PosixPath('field/cat.ecsv')
    >>> input_clash("field", ["field/v.fits"])
    PosixPath('field/v.fits')
    >>> input_clash("out/cat.ecsv", ["field/v.fits"]) is None
    True
    """
    out = Path(output)
    for item in inputs:
        if item is None:
            continue
        p = Path(item)
        if _same(out, p) or _inside(p, out):
            return p
    return None


def check_output(output: PathLike | None, inputs: Iterable[PathLike | None] = (), *, option: str,
                 overwrite: bool = False, folder: bool = False, own: Iterable[str] | None = None,
                 file: bool = False) -> None:
    """Refuse an output that is one of the inputs, that exists when ``overwrite`` is false, or that
    cannot be written (a read-only folder: refused before the work, not after it).

    Parameters
    ----------
    output
        The path an option names (None: the option was not given, nothing to check).
    inputs
        Every path the command reads (see :func:`input_clash`).
    option
        The option or argument, for the message (``"--output"``).
    overwrite
        Whether an existing output may be replaced (``--overwrite``). A folder that exists but
        is empty counts as absent.
    folder
        The output is a folder (written with :func:`starclass.io.atomic.atomic_dir`): a file
        at that path is refused even with ``overwrite``, now rather than after the work.
    own
        For a folder output, the glob patterns of what the command writes there: a folder
        holding anything else is refused even with ``overwrite`` (as ``atomic_dir`` would at
        the end).
    file
        The output is a file: a folder at that path is refused even with ``overwrite`` (an
        empty folder, which counts as absent for folder outputs, included), now rather than
        when the finished file cannot be renamed onto it.

    Raises
    ------
    StarclassError
        Naming the option and the path.

    Examples
    --------
    >>> check_output("cat.ecsv", ["cat.ecsv"], option="--output")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: --output cat.ecsv is one of the command's inputs (cat.ecsv); choose another path
    >>> check_output(None, ["cat.ecsv"], option="--regions")  # not given: nothing to check
    """
    if output is None:
        return
    out = Path(output)
    clash = input_clash(out, list(inputs))
    if clash is not None:
        what = "is" if _same(out, clash) else "contains"
        raise StarclassError(f"{option} {out} {what} one of the command's inputs ({clash}); choose another path")
    if folder and (out.exists() or out.is_symlink()) and not out.is_dir():
        raise StarclassError(f"{option} {out} exists and is not a folder; name a folder (it is never replaced "
                             "by one, even with --overwrite)")
    if folder and holds_working_dir(out):  # atomic_dir cannot rename it: refused now, not after the work
        raise StarclassError(working_dir_message(out, option))
    if file and out.is_dir():
        raise StarclassError(f"{option} {out} is a folder; name a file in it or beside it (a folder is never "
                             "replaced by a file, even with --overwrite)")
    # every output (a file, or a folder renamed into place) is first written beside its final name
    _check_parent_writable(out, option)
    if folder and own is not None and overwrite:
        foreign = foreign_entries(out, own)
        if foreign:
            raise StarclassError(
                f"{option} {out} holds files this command did not write ({', '.join(foreign[:5])}"
                f"{', ...' if len(foreign) > 5 else ''}); refusing to replace it even with --overwrite")
    if overwrite or not (out.exists() or out.is_symlink()):
        return
    if out.is_dir() and not any(out.iterdir()):
        return
    raise StarclassError(f"{option} {out} exists; give --overwrite to replace it")


def check_inputs_readable(inputs: Iterable[tuple[str, PathLike | None]]) -> None:
    """Refuse an input that does not exist or cannot be read, naming its option.

    Called before :func:`check_output` asks for ``--overwrite``: a command whose output existed
    asked for ``--overwrite`` first, and only the re-run with it said that an input was missing.
    Only existence and permission are checked here; the content is read by the command.

    Parameters
    ----------
    inputs
        ``(option, path)`` pairs; a None path (option not given) is skipped, an empty option names
        the path alone (``info``'s paths). A folder must be readable and searchable.

    Raises
    ------
    StarclassError
        ``OPTION PATH: no such file or directory`` or ``... : no permission to read it``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "cat.csv").write_text("id\\n1\\n")
    >>> check_inputs_readable([("PRED", d / "cat.csv"), ("--model", None)])
    >>> check_inputs_readable([("--reference", d / "nothere.csv")])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: --reference .../nothere.csv: no such file or directory
    """
    for option, item in inputs:
        if item is None:
            continue
        p = Path(item)
        if not p.exists():
            # a dangling link names where it points: the link itself is there, its target is not
            raise StarclassError(no_such_path(p, option))
        mode = os.R_OK | os.X_OK if p.is_dir() else os.R_OK
        if not os.access(p, mode):
            raise StarclassError(f"{option} {p}: no permission to read it")


def _check_parent_writable(out: Path, option: str) -> None:
    """Refuse ``out`` when the folder it goes in cannot be created or written (naming the option)."""
    _check_writable_from(out, out.parent, option)


def _check_writable_from(target: Path, folder: Path, option: str) -> None:
    """Refuse ``target`` unless ``folder``'s nearest existing ancestor is a folder this process may write.

    ``os.access`` also answers "no" on a read-only mount, where even root cannot write.
    """
    probe = folder
    while not (probe.exists() or probe.is_symlink()) and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        raise StarclassError(f"cannot write {target} ({option}): {probe} is a file, not a folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise StarclassError(f"cannot write {target} ({option}): no permission to write in {probe}")


def check_distinct_outputs(outputs: Iterable[tuple[str, PathLike | None]]) -> None:
    """Refuse two outputs of one command that name the same file (or one inside the other).

    Each output was checked against the inputs; this checks them against each other: written one
    after the other, the second replaced the first without a word (``detect -o c.ecsv --truth T
    --completeness-png c.png`` wrote the completeness table, ``c.ecsv``, over the catalogue).

    Parameters
    ----------
    outputs
        ``(option, path)`` pairs; a None path (option not given) is skipped.

    Raises
    ------
    StarclassError
        Naming both options and the path.

    Examples
    --------
    >>> check_distinct_outputs([("--output", "c.ecsv"), ("--regions", "c.reg")])  # fine
    >>> check_distinct_outputs([("--output", "c.ecsv"), ("--regions", "./c.ecsv")])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: --regions c.ecsv is also --output c.ecsv: one would replace the other; ...
    """
    seen: list[tuple[str, Path]] = []
    for option, path in outputs:
        if path is None:
            continue
        p = Path(path)
        for other_option, other in seen:
            if _same(p, other) or _inside(p, other) or _inside(other, p):
                what = "is also" if _same(p, other) else "overlaps"
                raise StarclassError(f"{option} {p} {what} {other_option} {other}: one would replace the other; "
                                     "name different files")
        seen.append((option, p))


def check_folder_writable(folder: PathLike, *, option: str) -> None:
    """Refuse a folder that cannot be created or written, before any work, naming the option.

    The nearest existing ancestor must be a folder this process may write (a file in the way,
    as in ``-o notes.txt/model``, or a read-only folder is refused); an existing ``folder``
    must itself be writable.

    Parameters
    ----------
    folder
        The folder a command is about to create or fill (a model directory).
    option
        The option, for the message.

    Raises
    ------
    StarclassError
        ``cannot write FOLDER (--option): ...`` with the reason.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> check_folder_writable(d / "model", option="--output")
    >>> _ = (d / "f").write_text("")
    >>> check_folder_writable(d / "f" / "model", option="--output")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: cannot write .../f/model (--output): .../f is a file, not a folder
    """
    target = Path(folder)
    _check_writable_from(target, target, option)
