"""The one exception type users see.

Every error caused by bad input (a file, a column, a row, a parameter) is raised as
:class:`StarclassError` with a message that names the culprit. The CLI prints the message and
exits with status 2 instead of showing a traceback.

:class:`NotFittedError` (an estimator used before ``fit``) is made on first use: it derives from
scikit-learn's, whose import costs seconds that ``starclass --help`` should not pay.
"""

from __future__ import annotations

import ast
import re
import shlex
from collections.abc import Sized


class StarclassError(ValueError):
    """Bad input: the message names the file, column, row or parameter at fault.

    Examples
    --------
    The command line prints its message and exits with status 2; it is a ValueError, so a notebook
    can catch either:

    >>> from starclass.bands import band_info
    >>> try:
    ...     band_info("f999w")
    ... except ValueError as exc:
    ...     print(type(exc).__name__, str(exc).split(";")[0])
    StarclassError unknown band 'f999w'
    """


#: How a Python writer says that an existing output was kept, and how to replace it: the argument its call
#: has. On the command line :func:`cli_words` says ``--overwrite`` instead.
KEPT_PYTHON = " (overwrite=False); give overwrite=True to replace it"
#: What the command line says in its place.
KEPT_CLI = "; give --overwrite to replace it"


def exists_refusal(path: object, what: str = "") -> str:
    """The message of a Python writer that keeps an existing ``path`` (``overwrite=False``).

    ``write_catalog`` said "c.ecsv exists (overwrite=False)", and ``backup_sqlite`` "pass --overwrite",
    an option a notebook's call does not have: both say the argument now. A command that lets the
    message through says ``--overwrite`` (:func:`cli_words`).

    Parameters
    ----------
    path : object
        The existing output.
    what : str
        What it is, said before it (``"stamp store"``).

    Returns
    -------
    str

    Examples
    --------
    >>> exists_refusal("c.ecsv")
    'c.ecsv exists (overwrite=False); give overwrite=True to replace it'
    >>> cli_words(exists_refusal("c.ecsv"))
    'c.ecsv exists; give --overwrite to replace it'
    """
    return f"{what + ' ' if what else ''}{path} exists{KEPT_PYTHON}"


def refuse_no_rows(rows: Sized, path: object, what: str = "", *, header: bool = True, why: str = "") -> None:
    """Refuse a table read from ``path`` that has no rows, naming the file: ``FILE has a header but no rows``.

    A table of column names and no rows (a spreadsheet saved with its header alone, a votes or candidates
    list emptied by hand) reads as a table of 0 rows. A votes table passed ``train --labels`` and was
    refused later as "vote column 'class_h1' is empty ...; give --label-columns without it", and each
    reader that did refuse one said it in its own words; every reader of an input table calls this one
    check before it writes anything.

    Parameters
    ----------
    rows : Sized
        The table (or its rows) as read.
    path : object
        The file, as the user named it.
    what : str
        What it is, said before it (``"catalogue"``, ``"votes table"``).
    header : bool
        Whether the file's format has a header: a LEGUS ``.tab`` has none, and so "has no rows".
    why : str
        Said after it (``": nothing to classify"``).

    Raises
    ------
    StarclassError
        ``rows`` is empty.

    Examples
    --------
    >>> refuse_no_rows([1], "c.csv")
    >>> try:
    ...     refuse_no_rows([], "c.csv", "catalogue", why=": nothing to classify")
    ... except StarclassError as exc:
    ...     print(exc)
    catalogue c.csv has a header but no rows: nothing to classify
    """
    if len(rows):
        return
    said = "has a header but no rows" if header else "has no rows"
    raise StarclassError(f"{what + ' ' if what else ''}{path} {said}{why}")


def cli_words(message: str) -> str:
    """A library message as the command line says it: a Python writer's ``overwrite=True`` is ``--overwrite``.

    Examples
    --------
    >>> cli_words("stamp store s.h5 exists (overwrite=False); give overwrite=True to replace it")
    'stamp store s.h5 exists; give --overwrite to replace it'
    >>> cli_words("out: truth.ecsv already there (a simulated field); give overwrite=True to replace it")
    'out: truth.ecsv already there (a simulated field); give --overwrite to replace it'
    >>> cli_words("folder o holds files this command did not write (a.txt); refusing to replace it even with "
    ...           "overwrite=True")
    'folder o holds files this command did not write (a.txt); refusing to replace it even with --overwrite'
    >>> cli_words(f"refit it ({CALIBRATE_PYTHON}), or train with {VAL_FRACTION_PYTHON}")
    "refit it ('starclass calibrate MODEL ... --overwrite'), or train with a larger --val-fraction"
    >>> fold = CALIBRATE_PYTHON.replace("(model,", "('cv/fold 2',")  # crossval names a fold's folder
    >>> cli_words(f"refit it ({fold})")
    "refit it ('starclass calibrate 'cv/fold 2' ... --overwrite')"
    >>> cli_words(f"fit it with {CALIBRATE_STAMPS_PYTHON}")
    "fit it with 'starclass calibrate MODEL --stamps HELD_OUT.csv --overwrite'"
    >>> cli_words(f"refit it with {CALIBRATE_METHOD_PYTHON.format('vector')}")
    "refit it with 'starclass calibrate --method vector'"
    """
    out = message.replace(KEPT_PYTHON, KEPT_CLI)
    for python, cli in _CLI_FORMS:
        out = out.replace(python, cli)
    # the model argument is "model" (MODEL on the command line) or a fold's folder as a Python string
    head, tail = CALIBRATE_PYTHON.split("model, ", 1)
    for model in re.findall(re.escape(head) + r"(model|'[^']*'|\"[^\"]*\"), " + re.escape(tail), out):
        said = "MODEL" if model == "model" else shell_word(ast.literal_eval(model))
        out = out.replace(f"{head}{model}, {tail}", f"'starclass calibrate {said} ... --overwrite'")
    for python, cli in _CLI_WORDS:
        out = out.replace(python, cli)
    return out


#: How a library warning (a notebook's ``fit`` or ``calibrate_model``) says to refit a calibration: the function
#: and its arguments (a fold's model folder for ``model`` where known: ``'cv/fold_2'``); :func:`cli_words` says
#: ``starclass calibrate MODEL ... --overwrite`` instead.
CALIBRATE_PYTHON = "starclass.learn.calibration.calibrate_model(model, inputs, labels, source=..., overwrite=True)"
#: ... and the same where no replacing is asked (the map at an end of its search): ``'starclass calibrate'``.
CALIBRATE_MORE_PYTHON = "starclass.learn.calibration.calibrate_model(...)"
#: ... and to hold out more validation rows: the recipe's ``val_fraction``; the command line's is ``--val-fraction``.
VAL_FRACTION_PYTHON = "a larger val_fraction (get_preset(task, recipe={'val_fraction': ...}) for fit)"
#: ... and, in the demo (whose training has no val_fraction to give), more candidates: its validation split is a share
#: of them; the command line's is ``--n-candidates``.
DEMO_CANDIDATES_PYTHON = "run the demo with more candidates (run_demo's n_candidates)"

#: ... and, after ``fit``, on held-out rows of the kind the model trained on: a cutout folder, a catalogue's rows cut
#: from mosaics, or either, each with the call that makes its ``inputs`` (the command line names ``calibrate``'s two
#: forms: ``--stamps HELD_OUT.csv``, ``MOSAICS -c HELD_OUT.ecsv``). The form for either kind read "... on held-out
#: cutouts' inputs or those of held-out rows cut from mosaics" until 2026-12-07: which inputs, made how, it left open.
_CUTOUT_INPUTS = "starclass.stamps.images.cutout_inputs(held_out.images, task)"
_MOSAIC_INPUTS = "starclass.stamps.make_inputs(mosaics, held_out['x'], held_out['y'], task)[0]"
_CUTOUT_ROWS, _MOSAIC_ROWS = "(a held-out cutout folder)", "(a held-out catalogue on its mosaics)"
CALIBRATE_STAMPS_PYTHON = f"{CALIBRATE_PYTHON} with inputs = {_CUTOUT_INPUTS} {_CUTOUT_ROWS}"
CALIBRATE_MOSAICS_PYTHON = f"{CALIBRATE_PYTHON} with inputs = {_MOSAIC_INPUTS} {_MOSAIC_ROWS}"
CALIBRATE_EITHER_PYTHON = (f"{CALIBRATE_PYTHON} with inputs = {_CUTOUT_INPUTS} {_CUTOUT_ROWS} or {_MOSAIC_INPUTS} "
                           f"{_MOSAIC_ROWS}, whichever the model was trained on")
#: ... and with a method named (a stored calibration's entry that does not read: refit with the same method).
CALIBRATE_METHOD_PYTHON = "starclass.learn.calibration.calibrate_model(..., method={!r})"
#: A notebook's coverage of conformal sets: the argument of ``CNNClassifier.predict_set`` and ``trust_columns``.
COVERAGE_PYTHON = "the coverage argument of CNNClassifier.predict_set or learn.classify.trust_columns"

_STAMPS_CLI = "'starclass calibrate MODEL --stamps HELD_OUT.csv --overwrite'"
_MOSAICS_CLI = "'starclass calibrate MODEL MOSAICS -c HELD_OUT.ecsv --overwrite'"

#: Whole phrases said before the calibrate call's own (it is part of each): the longest first.
_CLI_FORMS = ((CALIBRATE_EITHER_PYTHON, f"{_STAMPS_CLI} {_CUTOUT_ROWS} or {_MOSAICS_CLI} {_MOSAIC_ROWS}, whichever "
                                        "the model was trained on"),
              (CALIBRATE_MOSAICS_PYTHON, _MOSAICS_CLI), (CALIBRATE_STAMPS_PYTHON, _STAMPS_CLI))

#: The other phrases of library messages that name the argument, and what the command line says.
_CLI_WORDS = ((CALIBRATE_MORE_PYTHON, "'starclass calibrate'"), (VAL_FRACTION_PYTHON, "a larger --val-fraction"),
              (DEMO_CANDIDATES_PYTHON, "run the demo with more candidates (--n-candidates)"),
              *((CALIBRATE_METHOD_PYTHON.format(m), f"'starclass calibrate --method {m}'")
                for m in ("temperature", "vector", "histogram")),
              (COVERAGE_PYTHON, "classify --coverage"), ("not applied under tta=True", "not applied under --tta"),
              ("classify with tta=True", "classify with --tta"),
              ("give overwrite=True", "give --overwrite"), ("even with overwrite=True", "even with --overwrite"),
              ("overwrite=True would", "--overwrite would"), ("worker_wait=", "--worker-wait "),
              ("worker_wait", "--worker-wait"))


class StarclassWarning(UserWarning):
    """Base of starclass's own warning categories: a ``UserWarning``, so filters of those still catch them.

    Examples
    --------
    >>> issubclass(CalibrationWarning, UserWarning)
    True
    """


class CalibrationWarning(StarclassWarning):
    """A calibration not to be trusted as it stands, warned by the Python functions that fit one.

    ``learn.calibration.calibrate_model`` and ``CNNClassifier.calibrate`` warn with it where
    ``starclass calibrate`` says ``WARNING:``: a map fitted on too few held-out rows, a temperature
    or a vector scale at an end of its search, rows the model was trained on (fitted anyway) or rows
    that cannot be checked against its training rows. The command prints these warnings (it keeps no
    copy of their conditions); a notebook sees them as warnings, once each, and can filter them by class.
    Those about the fitted map are :class:`CalibrationFitWarning`.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as said:
    ...     warnings.simplefilter("always")
    ...     warnings.warn("the temperature 1.2 was fitted on only 20 held-out rows", CalibrationWarning)
    >>> said[0].category.__name__
    'CalibrationWarning'
    """


class CalibrationFitWarning(CalibrationWarning):
    """The fitted map itself is not to be trusted: too few held-out rows, a temperature or scale at a bound.

    What ``starclass calibrate`` prints as ``WARNING:`` after its result line (the other
    :class:`CalibrationWarning` ones, about the rows, come as the rows are checked).

    Examples
    --------
    >>> issubclass(CalibrationFitWarning, CalibrationWarning)
    True
    """


class UncalibratedWarning(CalibrationWarning):
    """A trained model is left without a calibration (no conformal sets) where it was to have one.

    ``learn.train.fit`` of a fine-tune (``init_from``) warns it where its validation split holds too few
    rows the starting model did not train on and the starting model's calibration cannot be refitted with
    the new weights (none, its rows changed since or cannot be read again): ``classify`` then writes raw
    probabilities and no ``pred_set``. ``starclass train`` prints it as ``WARNING:``.

    Examples
    --------
    >>> issubclass(UncalibratedWarning, CalibrationWarning), issubclass(UncalibratedWarning, CalibrationFitWarning)
    (True, False)
    """


class ConformalSetsWarning(StarclassWarning):
    """Conformal sets that cannot leave a class out: too few calibration rows of it for the coverage asked.

    ``ConformalClassifier.predict_set`` warns with it; ``starclass classify`` says it after its
    "classified ..." line, as a caution on the sets written (it came before that line, and read as
    a problem of the classification still running).

    Examples
    --------
    >>> issubclass(ConformalSetsWarning, UserWarning)
    True
    """


class OutputExistsError(StarclassError, FileExistsError):
    """A writer keeps an existing output (``overwrite=False``): the message names the path and the argument.

    Both a :class:`StarclassError` (so the command line prints it and exits 2, and ``except
    StarclassError`` catches it as before) and a :class:`FileExistsError` (an ``OSError``), as
    Python's ``open(path, "x")`` and astropy's writers (``OSError: File ... already exists``) raise:
    a notebook's ``except FileExistsError`` around ``write_catalog`` missed the plain
    ``StarclassError`` the writers raised. ``filename`` is the path.

    Examples
    --------
    >>> try:
    ...     raise OutputExistsError(exists_refusal("c.ecsv"), "c.ecsv")
    ... except FileExistsError as exc:
    ...     print(exc, "|", exc.filename)
    c.ecsv exists (overwrite=False); give overwrite=True to replace it | c.ecsv
    """

    def __init__(self, message: str, path: object = None) -> None:
        super().__init__(message)
        self.filename = None if path is None else str(path)

    def __str__(self) -> str:
        # OSError's own str() is "[Errno None] None: 'path'" once filename is set
        return str(self.args[0]) if self.args else ""


class ColumnMapError(StarclassError):
    """A column map names a column the file does not have (``--map``): the map, not the file, is at fault.

    ``starclass info DIR`` tells it apart from a file that cannot be read at all, which it lists
    and skips: a map that does not fit a file it applies to stops the summary, naming the file.

    Examples
    --------
    >>> isinstance(ColumnMapError("column 38 in the column map does not exist"), StarclassError)
    True
    """


def _make_not_fitted() -> type:
    from sklearn.exceptions import NotFittedError as SklearnNotFittedError

    class NotFittedError(StarclassError, SklearnNotFittedError):
        """An estimator's ``predict`` / ``predict_proba`` / ``save`` called before ``fit`` (or ``load``).

        Both a :class:`StarclassError` (so the CLI prints it and exits 2) and scikit-learn's
        :class:`sklearn.exceptions.NotFittedError` (so code written for scikit-learn estimators,
        e.g. ``except NotFittedError`` around :func:`sklearn.utils.validation.check_is_fitted`, catches it).

        Examples
        --------
        >>> from sklearn.exceptions import NotFittedError as SklearnNotFittedError
        >>> from starclass.errors import NotFittedError, StarclassError
        >>> issubclass(NotFittedError, SklearnNotFittedError) and issubclass(NotFittedError, StarclassError)
        True
        """

    NotFittedError.__module__ = __name__
    NotFittedError.__qualname__ = "NotFittedError"
    return NotFittedError


def check_fitted(est: object, attr: str) -> None:
    """Raise :class:`NotFittedError` naming ``est``'s class when it has not learned ``attr`` yet.

    The calibrators and the conformal predictor raise scikit-learn's exception, as the CNN front
    does: a plain :class:`StarclassError` escaped ``except NotFittedError`` in code written for
    scikit-learn, and an ``AttributeError`` said nothing about ``fit``.

    Parameters
    ----------
    est : object
        The estimator.
    attr : str
        An attribute that ``fit`` sets (``"temperature_"``).

    Raises
    ------
    NotFittedError
        When ``est`` has no ``attr``.

    Examples
    --------
    >>> class Scaler:
    ...     pass
    >>> check_fitted(Scaler(), "scale_")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.NotFittedError: Scaler is not fitted: call fit() first
    """
    if not hasattr(est, attr):
        raise __getattr__("NotFittedError")(f"{type(est).__name__} is not fitted: call fit() first")


def __getattr__(name: str) -> type:
    # module-level __getattr__ (PEP 562): scikit-learn is imported only when NotFittedError is asked for
    if name == "NotFittedError":
        # made once: check_fitted calls this directly, and a class made again on every call was
        # another class than the one a notebook imported, so 'except NotFittedError' missed it
        cls = globals().get(name)
        if cls is None:
            cls = _make_not_fitted()
            globals()[name] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def torch_load_reason(exc: BaseException) -> str:
    """The reason in a :func:`torch.load` failure, without torch's advice to its own users.

    torch's ``weights_only`` message mostly tells the reader to re-run with
    ``weights_only=False`` ("will likely succeed") and to file an issue: wrong advice for a
    damaged or foreign file, which is what a starclass user has in hand. The first line
    naming the reason (``Unsupported operand ...``) or else the first plain line is kept.

    Parameters
    ----------
    exc : BaseException
        What :func:`torch.load` raised.

    Returns
    -------
    str
        At most 200 characters.

    Examples
    --------
    >>> torch_load_reason(RuntimeError("Weights only load failed. Re-running with `weights_only` "
    ...                                "set to `False` will likely succeed\\n\\nUnsupported operand 103"))
    'Unsupported operand 103'
    """
    lines = [ln.strip() for ln in str(exc).strip().splitlines() if ln.strip()]
    hint = [ln for ln in lines if ln.startswith("Unsupported")]
    plain = [ln for ln in lines if "weights_only" not in ln and "file an issue" not in ln]
    return (hint or plain or lines or [type(exc).__name__])[0][:200]


def recorded(value: object, missing: str = "not recorded") -> str:
    """A value read from a record (a manifest, a catalogue's meta, a JSON summary) as said to the user.

    A record written before a field existed, or edited by hand, holds None (or nothing) there, which a
    message printed as it was ("fitted on None rows (None)"); ``missing`` says it in words instead.

    Examples
    --------
    >>> recorded(12), recorded(None), recorded("", "source not recorded")
    ('12', 'not recorded', 'source not recorded')
    """
    return missing if value is None or value == "" else str(value)


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and ``noun``, the noun plural unless ``n`` is 1: messages said "at least 1 objects", "1 rows".

    Parameters
    ----------
    n : int
        The count.
    noun : str
        The singular noun.
    plural : str, optional
        The plural where it is not ``noun + "s"`` (``"people"``, ``"galaxies"``).

    Returns
    -------
    str

    Examples
    --------
    >>> counted(1, "row"), counted(3, "row"), counted(0, "galaxy", "galaxies")
    ('1 row', '3 rows', '0 galaxies')
    """
    return f"{n} {agreeing(n, noun, plural)}"


#: Decimals a figure of each unit is shown with (:func:`figure`): magnitudes to the millimag, as a catalogue's
#: photometry; degrees to 5 decimals (0.036 arcsec), as ``info`` gives sky positions; pixels to 0.1 px.
UNIT_DECIMALS = {"mag": 3, "deg": 5, "pix": 1}

#: Units whose figures are written with fewer decimals where fewer write the number exactly (:func:`figure`): a
#: measured position keeps its 5 decimals (10.67614, -54.93940 of -54.939397), a round one given by hand reads as
#: written (358, 2.5), not as 358.00000 .. 2.50000
EXACT_UNITS = frozenset({"deg"})


def figure(value: float, unit: str | None = None) -> str:
    """A measured or computed number as a message shows it: 3 significant digits, or the decimals of its unit.

    ``info`` printed the figures of an evaluation's tables at full precision (``0.8289473684210527``,
    bins ``0.06666666666666667``) beside others at 3 decimals, 4 or 6 significant digits. The digits of an
    integer part are kept (``1159``, not ``1.16e+03``); a number under 0.001 or of a million or more is
    written with its exponent. A magnitude, an angle in degrees or a position in pixels (``unit``, astropy's
    name of it) has the decimals of :data:`UNIT_DECIMALS`; an angle in degrees has fewer where fewer write it
    exactly (:data:`EXACT_UNITS`: ``358``, ``2.5``; ``357.30012`` of 357.3001234), so that a round RA does not
    read as 358.00000 while a measured one keeps its zeros (``-54.93940`` of -54.939397).

    Parameters
    ----------
    value : float
        The number (NaN and infinities are written as Python writes them).
    unit : str, optional
        Its unit, e.g. ``"mag"``; one not in :data:`UNIT_DECIMALS` (or none) gives 3 significant digits.

    Returns
    -------
    str

    Examples
    --------
    >>> figure(0.8289473684210527), figure(0.06666666666666667), figure(1.0), figure(26.03), figure(1159.4)
    ('0.829', '0.0667', '1', '26', '1159')
    >>> figure(1.759e-28), figure(6.5e7), figure(float("nan"))
    ('1.76e-28', '6.5e+07', 'nan')
    >>> figure(24.0, "mag"), figure(357.3001234, "deg"), figure(12.345, "pix")
    ('24.000', '357.30012', '12.3')
    >>> figure(358.0, "deg"), figure(-1.25, "deg"), figure(-54.939397, "deg"), figure(-0.0, "deg"), figure(-1e-7, "deg")
    ('358', '-1.25', '-54.93940', '0', '0.00000')
    """
    v = float(value)
    if v != v or v in (float("inf"), float("-inf")):
        return str(v)
    if unit is not None and str(unit) in UNIT_DECIMALS:
        most = UNIT_DECIMALS[str(unit)]
        if str(unit) in EXACT_UNITS:
            # the fewest decimals that give back the very number (358.0 -> 358, 2.5 -> 2.5): a rounded figure's
            # zeros are kept, so only a value as round as it is written loses them; -0.0 is 0
            exact = next((d for d in range(most) if float(f"{v:.{d}f}") == v), most)
            said = f"{v:.{exact}f}"
            return said.lstrip("-") if float(said) == 0 else said  # -1e-7 deg is 0.00000, not -0.00000
        return f"{v:.{most}f}"
    if 1e3 <= abs(v) < 1e6:
        return f"{v:.0f}"  # the integer's digits, not 1.16e+03
    return f"{v:.3g}"


def agreeing(n: int, noun: str, plural: str | None = None) -> str:
    """``noun`` in the number ``n`` asks for, without the count: "unknown band(s) x" where the list is known.

    Parameters
    ----------
    n : int
        How many there are (a list's length where the message lists them).
    noun : str
        The singular noun.
    plural : str, optional
        The plural where it is not ``noun + "s"``.

    Returns
    -------
    str

    Examples
    --------
    >>> f"unknown {agreeing(1, 'band')} x", f"unknown {agreeing(2, 'key')} a, b", agreeing(3, "entry", "entries")
    ('unknown band x', 'unknown keys a, b', 'entries')
    """
    return noun if n == 1 else (plural or noun + "s")


def shell_word(value: object) -> str:
    """``value`` (a path, a task) as one word of a shell command a message offers: quoted where a shell would split it.

    Messages wrap the commands they offer in single quotes (``'gzip -d X.fits.Z'``); a path with a space
    was printed bare inside them, and the command copied from the message split it in two.

    Parameters
    ----------
    value : object
        A path or any value; its ``str`` is quoted with :func:`shlex.quote` where it needs quoting.

    Returns
    -------
    str

    Examples
    --------
    >>> shell_word("d/field.fits.Z"), shell_word("my data/field.fits.Z")
    ('d/field.fits.Z', "'my data/field.fits.Z'")
    """
    return shlex.quote(str(value))


def model_word(path: object) -> str:
    """A model folder as messages name it after the word "model": quoted where it would read as that word again.

    A model folder named ``model`` (as the docs name it) was printed "model model was trained on this
    field", which reads as a typo; ``model 'model' was trained ...`` reads as a name. Other names are
    left as they are, so messages keep the form their tests and the docs quote.

    Parameters
    ----------
    path : object
        The model folder (a path or its text).

    Returns
    -------
    str

    Examples
    --------
    >>> f"model {model_word('model')} was trained on it", f"model {model_word('runs/m1')} was trained on it"
    ("model 'model' was trained on it", 'model runs/m1 was trained on it')
    >>> model_word("model/"), model_word("models/r1")
    ("'model/'", "'models/r1'")
    """
    text = str(path)
    head = text.replace("\\", "/").strip("'\"").split("/", 1)[0]
    if head.lower() not in ("model", "models") or text[:1] in ("'", '"'):
        return text
    return shlex.quote(text) if shlex.quote(text) != text else f"'{text}'"


def calibrate_command_named(text: str, model: object) -> str:
    """``text`` with the ``'starclass calibrate MODEL ...'`` it offers naming ``model``.

    A model's calibration cautions are written when it is fitted, before its folder has a name the user
    gave, and say ``MODEL``; ``train -o m_og`` and ``classify --model m_og`` printed them so, the model's
    name known to both. (``train --cv`` names each fold's model the same way.)

    Examples
    --------
    >>> calibrate_command_named("refit ('starclass calibrate MODEL ... --overwrite')", "my model")
    "refit ('starclass calibrate 'my model' ... --overwrite')"
    >>> calibrate_command_named("nothing to name", "m")
    'nothing to name'
    """
    return text.replace("starclass calibrate MODEL", f"starclass calibrate {shell_word(model)}")


def shown_command(command: str) -> str:
    """A shell command as a message shows it: in single quotes, or in double quotes when it quotes a word itself.

    Parameters
    ----------
    command : str
        The command, its paths made with :func:`shell_word`.

    Returns
    -------
    str
        The command in quotes, to copy from between them.

    Examples
    --------
    >>> print(shown_command(f"gzip -d {shell_word('d/f.fits.Z')}"))
    'gzip -d d/f.fits.Z'
    >>> print(shown_command(f"gzip -d {shell_word('my data/f.fits.Z')}"))
    "gzip -d 'my data/f.fits.Z'"
    """
    return f'"{command}"' if "'" in command else f"'{command}'"


def parse_error_text(exc: BaseException) -> str:
    """A YAML or JSON parse error as one line: where (1-based line and column) and what.

    PyYAML's message runs over several lines, each position followed by the line quoted and a
    ``^`` under the column (``in "<unicode string>", line 1, column 10: ...``); after
    ``error: --task syn.yaml: cannot parse:`` it read as a second, unrelated message. Its marks
    (``problem_mark``, ``context_mark``, 0-based ``line`` and ``column``) give the place; the
    problem is said first, and the context (``while parsing a flow sequence``) with where that
    began, which for an unclosed bracket is the place to look. A
    :class:`json.JSONDecodeError` gives its ``lineno``/``colno`` the same way; any other error
    is its message with the line breaks made spaces.

    Parameters
    ----------
    exc : BaseException
        What ``yaml.load`` or ``json.loads`` raised.

    Returns
    -------
    str

    Examples
    --------
    >>> import json, yaml
    >>> try:
    ...     yaml.safe_load("classes: [1, 2\\n")
    ... except yaml.YAMLError as exc:
    ...     print(parse_error_text(exc))  # doctest: +ELLIPSIS
    line 2, column 1: expected ',' or ']', but got the end of the file (while parsing a flow ... at line 1, column 10)
    >>> try:
    ...     json.loads('{"a": 1,}')
    ... except ValueError as exc:
    ...     print(parse_error_text(exc))
    line 1, column 9: Expecting property name enclosed in double quotes
    """
    import json

    if isinstance(exc, json.JSONDecodeError):
        return f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
    problem, mark = getattr(exc, "problem", None), getattr(exc, "problem_mark", None)
    context, cmark = getattr(exc, "context", None), getattr(exc, "context_mark", None)

    def at(m) -> str:
        return f"line {m.line + 1}, column {m.column + 1}"

    if problem and mark is not None:
        # PyYAML's token name for the end of the text
        said = f"{at(mark)}: {problem}".replace("'<stream end>'", "the end of the file")
        if context:
            said += f" ({context}" + (f" started at {at(cmark)}" if cmark is not None else "") + ")"
        return " ".join(said.split())
    if problem:
        # no place (the duplicate-key check of starclass.learn.config names its lines itself)
        return " ".join(str(problem).split())
    return " ".join(str(exc).split()) or type(exc).__name__
