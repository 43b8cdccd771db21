"""The typer application and the error handling every command shares."""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import inspect
import logging
import math
import os
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import typer

from starclass.errors import StarclassError, cli_words
from starclass.io.fits_names import FITS_NAMES

if TYPE_CHECKING:
    # astropy's tables, FITS and WCS (0.5 s) load where a command reads a file, not at every --help
    from astropy.table import Table

    from starclass.io.mosaic import Mosaics, MosaicSet, PixelFlags

    # the task configs and starclass.schema load numpy (0.2 s): imported where a command checks an
    # option, not by `starclass --help`, which lists the commands alone
    from starclass.learn.config import TaskConfig

def fit_help_tables() -> None:
    """Make typer's ``--help`` tables wrap instead of cutting words off with "…" (idempotent).

    typer draws each command's options (and the command list) as rich tables whose columns end
    an over-long cell with "…": in an 80-column terminal ``info --help`` showed its default bands as
    ``f275w,f336w,f435w,f606w,f81…`` and ``evaluate --help`` ``--reference-colu…``, the rest lost.
    The tables typer makes are given columns that fold a word too long for its column onto the next
    line, and the option names keep one line (the help column wraps around them), so every character
    of the help is shown whatever the width.

    A flag's type column is left empty: typer showed ``--overwrite <bool>``, as if it took a value.

    typer also gives an option's long names, short name, ``--no-`` name and its short one a column each,
    every column as wide as its longest cell in any row: at 80 columns ``evaluate --help`` kept 18
    characters for the help (``--reference-column``, ``-r`` and ``--no-progress`` side by side). An
    option's names are drawn as one cell instead, one name a line (``-r, --reference-column``; an alias
    below, after a comma; the ``--no-`` name below), which leaves the help column 30 characters or more.

    typer's ``TERMINAL_WIDTH`` is read again at each call, not only when typer first drew a help.

    Examples
    --------
    >>> fit_help_tables()
    >>> import typer.rich_utils
    >>> typer.rich_utils.Table.__name__
    'HelpTable'
    """
    # typer imports its rich layer only when it draws a help or an error: patch it then, not at every start
    import rich.table
    import rich.text
    import typer.rich_utils as rich_utils

    # typer reads TERMINAL_WIDTH once, when rich_utils is first imported, into MAX_WIDTH: a help drawn
    # later in the same process (a test's CliRunner, a notebook) kept that width whatever the
    # environment then said (train --help at COLUMNS=300 came out 80 wide after one drawn at
    # TERMINAL_WIDTH=80). Read it again at every help.
    width = os.environ.get("TERMINAL_WIDTH", "")
    rich_utils.MAX_WIDTH = int(width) if width.isdigit() else None
    if getattr(rich_utils.Table, "__name__", "") == "HelpTable":
        return

    class HelpTable(rich.table.Table):
        """A rich table whose cells fold rather than end in "…" (the options' names kept on one line)."""

        def add_row(self, *renderables: Any, **kwargs: Any) -> None:
            type_width = 0
            if len(renderables) in (6, 7):
                # an options row: [required,] long, short, --no- long, --no- short, type, help
                head, names, tail = renderables[:-6], renderables[-6:-2], renderables[-2:]
                if str(tail[0]) == "<bool>":
                    # a flag takes no value: "--overwrite <bool>" read as "--overwrite true", and "true" was then
                    # taken for the next argument ("error: true: no such file or directory")
                    tail = (rich.text.Text(""), tail[1])
                renderables = (*head, _names_cell(*names), *tail)
                # the type's range ("<int range> [0<=x<=10000]") goes below it rather than widen the
                # column: rich narrows the widest column first, which was the help's
                type_width = max((len(piece) for piece in str(tail[0]).split(" [")), default=0)
            # an option's help is a rich Columns of Texts (help, default, "required"), drawn in a grid of
            # its own whose columns also end in "…": a Text's own overflow is the one rich follows
            for cell in renderables:
                for text in getattr(cell, "renderables", [cell]):
                    if isinstance(text, rich.text.Text):
                        text.overflow = "fold"
            super().add_row(*renderables, **kwargs)
            # the options table: [required,] names, type, help; the commands table: name, description.
            # The last column wraps, the type may fold, the names do not break
            for i, column in enumerate(self.columns):
                column.overflow = "fold"
                if i < len(self.columns) - 2:
                    column.no_wrap = True
            if type_width:
                self.columns[-2].max_width = max(self.columns[-2].max_width or 1, type_width + 1)

    def _names_cell(long: Any, short: Any, no_long: Any, no_short: Any) -> Any:
        """One cell of an option's names, one a line: ``-o, --output,`` / ``--out`` / ``--no-...``.

        typer gives each cell as a highlighted Text, aliases joined by ",": split, their styles kept.
        An argument's name comes as its short name (``pred``), alone on its line.
        """
        def parts(cell: Any) -> list[Any]:
            if not isinstance(cell, rich.text.Text):
                cell = rich.text.Text(str(cell or ""))
            return [part for part in cell.split(",") if part.plain] if cell.plain else []

        lines = []
        for shorts, longs in ((parts(short), parts(long)), (parts(no_short), parts(no_long))):
            names = [*shorts, *longs]
            # aliases of one option: a comma after each but the last, as click's own help lists them;
            # the short names share the first long name's line (the way man pages show them)
            first = len(shorts) + 1 if longs else len(names)
            group = [rich.text.Text(", ").join(names[:first])] + names[first:]
            group = [rich.text.Text.assemble(line, "," if i < len(group) - 1 else "") for i, line in enumerate(group)]
            lines += [line for line in group if line.plain]
        cell = rich.text.Text("\n").join(lines)
        cell.no_wrap = True
        return cell

    rich_utils.Table = HelpTable  # type: ignore[misc]


class UpperArgument(typer.core.TyperArgument):
    """An argument named in capitals (``PRED``, ``MOSAICS``), in the usage line, the help and the errors.

    typer names an argument by its parameter (``Usage: starclass evaluate [OPTIONS] [pred]``,
    ``simulate [OPTIONS] {outdir}``) while every help text and doc calls it PRED, OUTDIR, as most
    Unix tools do; a ``metavar`` given is kept as it is.
    """

    @property
    def display_name_raw(self) -> str:
        return self.metavar if self.metavar is not None else (self.name or "").upper()

    def _usage_display_name(self) -> str:
        """The argument in the usage line: ``OUTDIR`` where required, ``[PRED]`` where not, ``...`` for several.

        typer (0.29) wrapped a required argument in braces (``simulate [OPTIONS] {OUTDIR}``,
        ``info [OPTIONS] {PATHS}...``), which in usage lines means a choice of one of the words inside;
        the options' own metavars and most Unix tools show a required argument bare.
        """
        name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
        return name + ("..." if self.nargs != 1 else "")


def false_when_not_given(option: Any) -> Any:
    """A ``--help`` option whose value is False when it is not given (typer's is None); the option, changed in place.

    typer (0.29) passes each parameter's value through a pydantic ``TypeAdapter`` unless it is a bool already:
    the group's ``--help``, not given, was None, so ``starclass info --help`` imported pydantic (0.14 s with
    ``-X importtime``, of the 0.5 s before the help is drawn) to turn None into False. A flag that is not given is
    False, as click's own flags are; a command's other options still go through typer's coercion when it runs.

    Examples
    --------
    >>> import typer
    >>> group = typer.main.get_command(typer.Typer(callback=lambda: None))
    >>> option = group.get_help_option(typer.Context(group))
    >>> option.default, false_when_not_given(option).default
    (None, False)
    >>> false_when_not_given(None) is None
    True
    """
    if option is not None and option.default is None:
        option.default = False
    return option


class HelpCommand(typer.core.TyperCommand):
    """A command whose ``--help`` shows every word (:func:`fit_help_tables`) and names its arguments in capitals.

    Its arguments are :class:`UpperArgument`: typer makes them itself (``typer.Argument`` takes no class), so
    their class is set here, once.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if type(param) is typer.core.TyperArgument:
                param.__class__ = UpperArgument

    def get_help_option(self, ctx: Any) -> Any:
        return false_when_not_given(super().get_help_option(ctx))

    def format_help(self, ctx: Any, formatter: Any) -> None:
        fit_help_tables()
        return super().format_help(ctx, formatter)


#: Every command, in the order ``starclass --help`` lists them, and the summary that list shows: the first paragraph
#: of the command's docstring, on one line, as :func:`command` gives it. Each command's code is in
#: ``starclass.cli.<name>_cmd``, imported only when that command runs or its own help is asked for (the fourteen
#: modules took 0.3 s of every start, ``benchmarks/startup.py``), so the list cannot read the docstrings without
#: importing them all; ``tests/test_cli_lazy_commands.py`` checks each summary here is its docstring's.
COMMANDS: dict[str, str] = {
    "simulate": "Simulate a galaxy field (images, truth catalogue, simulated human labels).",
    "detect": "Find cluster candidates in the V band and measure them in every band.",
    "info": (
        "Summarise a catalogue (rows, columns, bands, class counts, magnitude ranges), a folder of catalogues (one "
        "row each: field, rows, inspected, classes 1-4, bands, CI cut, layout), FITS mosaics (shape, bands, "
        "zeropoints, pixel scale), or a labelled cutout folder (images, labels, distinct values per column, blank "
        "images), or a trained model (task, classes, inputs, members, the weights each started from, frozen layers, "
        "epochs, decision, calibration), a 'train --cv' folder (task, folds, pooled and per-fold metrics), or a "
        "stamp store from 'starclass cutouts' (candidates, inputs, bands, scales, classes), or a table that "
        "evaluate, report or explain wrote (what it holds, its rows), or a folder that evaluate, report, explain, "
        "survey, simulate --fields or cutouts --phangs-fits-dir wrote (what it is, its headline numbers), or a "
        "task, a preset's name or a task file (classes, inputs, network, recipe). Positions are reported 0-based."),
    "cutouts": "Cut stamps of every candidate from the mosaics into an HDF5 stamp store.",
    "train": "Train a task's classifier (or ensemble) on labelled candidates.",
    "classify": "Add class_pred, prob_<k>, quality and every member's vote to a candidate catalogue.",
    "calibrate": "Fit the ensemble's calibration (and the conformal calibration rows) on a labelled held-out set.",
    "evaluate": ("Accuracy (the task's classes and merges), confusion matrices, P/R/F1, ROC/PR, thresholds, PHANGS "
                 "agreement."),
    "report": "Write the evaluation as one HTML page with embedded figures (open it in a browser).",
    "explain": "Explain a trained model: saliency overlays, per-class mean maps and radial profiles.",
    "inspect": ("Serve the web page where people classify candidates (the label scheme's keys: 1-4 with subclasses "
                "4.1-4.12 for PHANGS, 0-2 scores for the M31 check, 1-5 for galaxy clusters)."),
    "demo": "Run the whole job on synthetic galaxies: simulate, detect, train, classify, evaluate, report.",
    "survey": "Run a whole survey: every field, tiled, on dask.distributed; one merged Parquet catalogue.",
    "suggest": "Pick the N unlabelled candidates whose labels would teach MODEL the most.",
}


class LazyCommands(MutableMapping):
    """The commands of ``app``'s click group by name, each module imported and converted when first asked for.

    typer converts every registered command into a click command (each option's type, default and help read from
    the function's signature) each time the app runs, and ``starclass.cli`` imported every command's module to
    register them: ``starclass train --help`` paid for the thirteen other commands. Here the names are known from
    :data:`COMMANDS` (then any other command registered on ``app``, e.g. by a test) without importing anything,
    so typer's listing of names and its "Did you mean 'train'?" stay as they were; asking for one command
    (``mapping["train"]``) imports ``starclass.cli.train_cmd`` and converts that command alone.

    Parameters
    ----------
    built : dict
        The click commands typer has converted already (those registered before the group was made).

    Examples
    --------
    >>> import typer
    >>> from starclass.cli import app
    >>> group = typer.main.get_command(app)
    >>> list(group.commands)[:3]
    ['simulate', 'detect', 'info']
    >>> group.commands["detect"].name
    'detect'
    >>> "no-such-command" in group.commands
    False
    """

    def __init__(self, built: Mapping[str, Any]) -> None:
        self._built = dict(built)

    def _names(self) -> list[str]:
        registered = [info.name for info in app.registered_commands if info.name]
        return list(dict.fromkeys([*COMMANDS, *self._built, *registered]))

    def is_built(self, name: str) -> bool:
        """Whether the command ``name`` has been converted already (its module is imported)."""
        return name in self._built

    def __getitem__(self, name: str) -> Any:
        if name in self._built:
            return self._built[name]
        if name in COMMANDS:
            importlib.import_module(f"starclass.cli.{name}_cmd")  # registers the command on ``app``
        # the last registered under the name, as typer's own dict of commands keeps the last
        info = next((i for i in reversed(app.registered_commands) if i.name == name), None)
        if info is None:
            raise KeyError(name)
        self._built[name] = typer.main.get_command_from_info(
            info, pretty_exceptions_short=app.pretty_exceptions_short, rich_markup_mode=app.rich_markup_mode)
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())


class HelpGroup(typer.core.TyperGroup):
    """The command group whose ``--help`` shows every word (:func:`fit_help_tables`), its commands loaded on demand.

    Its commands are a :class:`LazyCommands`: only the command run is imported. Its ``--help`` lists every command
    by its :data:`COMMANDS` summary, importing none that is not imported already.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(self.commands)
        self._listing = False

    def get_help_option(self, ctx: Any) -> Any:
        # not given (``starclass info --help``, ``starclass info FILE``) it is False, not None: no pydantic to coerce it
        return false_when_not_given(super().get_help_option(ctx))

    def list_commands(self, ctx: Any) -> list[str]:
        # typer's own reads ``self.commands.items()``, which would convert every command
        return list(self.commands)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if self._listing and cmd_name in COMMANDS and not self.commands.is_built(cmd_name):
            # the list shows a name and a summary: a command with no options, made without importing its module
            return typer.core.TyperCommand(name=cmd_name, short_help=COMMANDS[cmd_name])
        return self.commands.get(cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        fit_help_tables()
        self._listing = True
        try:
            return super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    name="starclass",
    help=(
        "starclass: multi-band images -> classified star-cluster catalogues.\n\n"
        "Stages: simulate -> detect -> cutouts -> train -> classify -> evaluate -> report; "
        "info summarises any file or folder they read or write, calibrate refits a model's probabilities, "
        "explain shows what a model looks at, "
        "inspect serves a web page for human classification, suggest picks what people should "
        "label next, survey runs detect -> classify over many fields and tiles on Dask, and "
        "demo runs it all on a synthetic galaxy. Pixel positions are 0-based throughout."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=HelpGroup,
)


#: ``--by COLUMN`` of ``evaluate`` and ``report`` (one definition, one help text; typer only reads it)
BY_OPTION = typer.Option(
    None, "--by",
    help="Split the metrics by this column (e.g. field, a magnitude: cut into 5 quantile bins): accuracy, "
         "errors, recall (binary: ROC AUC) per group in tables/by_<column>_*.ecsv. Repeatable. Default: no split.")

#: ``--by-min-rows`` of ``evaluate`` and ``report``
BY_MIN_ROWS_OPTION = typer.Option(10, "--by-min-rows", min=1,
                                  help="With --by: two or more groups with fewer rows are pooled into one "
                                       "'(other ...)' row; a single one keeps its name (alone it would only be "
                                       "renamed), and '(missing)' is never pooled.")

#: ``--group-column`` of ``evaluate`` and ``report`` (``train``'s names the same column for its splits)
GROUP_COLUMN_OPTION = typer.Option(
    None, "--group-column",
    help="Column naming each row's object (cutouts of one object, e.g. object_id): bootstrap intervals resample "
         "whole objects (default: the one classify --stamps recorded, the model's, from the catalogue, else from a "
         "reference that has it).")

#: ``--file-column`` of every command that reads a cutout CSV (train, classify, evaluate, report, info, inspect,
#: calibrate, explain): one definition, so that a verb added later takes the same words
FILE_COLUMN_OPTION = typer.Option(
    None, "--file-column", metavar="<name>",
    help="A cutout CSV's column of image files (paths relative to the CSV), e.g. filename or path; classify records "
         "it, and evaluate and report pair rows with a labels CSV (-r) by it (default: the column a classified CSV "
         "records, else file).")

#: ``--allow-few-matches`` of ``evaluate`` and ``report``
ALLOW_FEW_MATCHES_OPTION = typer.Option(
    False, "--allow-few-matches",
    help="Score a reference that pairs with under 5% of the smaller table within --radius. Default: refused, "
         "as most likely another field's catalogue, the pairs chance coincidences.")

#: ``--ssp`` of ``evaluate`` and ``report``
SSP_OPTION = typer.Option(
    None, "--ssp", metavar="<file>",
    help="SSP model table (Yggdrasil text file) for the colour-colour track and mass limits (with --catalogs: "
         "each field's mass limits, completeness curve and SED check); its Z, IMF and AB/Vega are read from its "
         "name, yggdrasil_Z<Z>_<imf>_..._<AB|Vega>.txt (default: packaged Z=0.020).")

#: ``--mag-limit`` of ``evaluate`` and ``report``: the faint limit of the mass-age diagram's completeness curve
MAG_LIMIT_OPTION = typer.Option(
    None, "--mag-limit", metavar="<mag>",
    help="Faint limit (apparent V, Vega) of the mass-completeness curve on the mass-age diagram; needs "
         "--distance (default: the catalogue's 90th percentile of V).")

#: ``--mass-kind`` of ``evaluate`` and ``report``: which mass the catalogue's masses are, for the mass limits and the
#: completeness curve (science.massfunc.mass_limit's mass_kind); a catalogue that does not say is taken as formed
MASS_KIND_OPTION = typer.Option(
    None, "--mass-kind", metavar="<stellar|formed>",
    help="Which mass the catalogue's masses are: 'stellar' (left in stars at the age, as LEGUS's SED fits) or "
         "'formed' (as the simulator's), for the mass-function limits and the mass-completeness curve; kept in "
         "the tables written. Default: what the catalogue says, else formed (said to be assumed).")

#: ``--pred-column`` of ``evaluate`` and ``report``
PRED_COLUMN_OPTION = typer.Option(
    None, "--pred-column",
    help="The column to score as the prediction (default class_pred): class_joint (classify --votes), a "
         "person's class_h<k>, class_ref, or a LEGUS catalogue's class_ml, class_human_mode, class_ml_checked, "
         "class_hybrid, class_reclassified or a legus_colN of classes (NGC 45's legus_col35).")


#: ``--reference-column`` of ``evaluate`` and ``report``: the reference's class column (of PRED itself with -r self)
REFERENCE_COLUMN_OPTION = typer.Option(
    None, "--reference-column",
    help="The column holding the reference classes (default class_ref), in each -r catalogue or, with none (or "
         "-r self), in PRED itself: e.g. a LEGUS NGC 1566 catalogue's --pred-column class_ml "
         "--reference-column class_human_mode (machine vs the three people).")


#: What every ``--progress/--no-progress`` help ends with: the default, decided by :func:`show_progress`
#: The mosaics argument's help, its FITS names from the readers' own list (io.fits_names): four helps
#: spelt "*.fits, *.fits.gz, *.fits.fz" by hand while the readers took .fit, .fts, .bz2 and .xz too.
MOSAICS_HELP = f"FITS mosaics, one per band (or a directory of them: {FITS_NAMES})"

PROGRESS_DEFAULT = ("Default: only when stderr is a terminal, so a log file (> run.log 2>&1) gets no bar redraws; "
                    "--progress shows them anyway.")


def progress_option(what: str) -> Any:
    """The ``--progress/--no-progress`` option of a command, its default left to :func:`show_progress`.

    Parameters
    ----------
    what : str
        The help's first sentence: what the bar shows in this command.

    Returns
    -------
    typer.models.OptionInfo
        An option whose value is True (``--progress``), False (``--no-progress``) or None (neither).

    Examples
    --------
    >>> progress_option("Show a progress bar.").default is None
    True
    """
    return typer.Option(None, "--progress/--no-progress", help=f"{what} {PROGRESS_DEFAULT}")


#: What ``--precision`` is, said once for ``train`` and ``classify`` (their helps described bf16 in different
#: words: "fast on CPUs with AMX" in classify's, "1.0x to 5.4x as fast, by network" in train's; the factors are
#: benchmarks/cpu_precision.py's, docs/training.md, Precision). Each command adds its default.
PRECISION_HELP = ("auto (mixed precision on CUDA, float32 on a CPU), fp32, or bf16 (bfloat16 on any device: on CPUs "
                  "with bfloat16 units 1.0x to 5.4x as fast, by network).")


def precision_option(default: str) -> Any:
    """The ``--precision`` option of ``train`` and ``classify``: :data:`PRECISION_HELP`, then the command's default.

    Parameters
    ----------
    default : str
        The help's last sentences: what is used without the option, and where it is kept.

    Returns
    -------
    typer.models.OptionInfo
        An option whose value is the name given (checked by ``learn.precision.parse_precision``) or None.

    Examples
    --------
    >>> opt = precision_option("Default: the task's recipe.amp.")
    >>> opt.default is None, opt.help.startswith(PRECISION_HELP), opt.help.endswith("recipe.amp.")
    (True, True, True)
    """
    return typer.Option(None, "--precision", help=f"{PRECISION_HELP} {default}")


def show_progress(progress: bool | None, stream: TextIO | None = None) -> bool:
    """Whether a command draws its tqdm bars: as asked, else only when ``stream`` (stderr) is a terminal.

    A bar redraws itself with carriage returns; in a batch job's log (``> run.log 2>&1``) every redraw
    stays, hundreds of KB of them, so bars are shown by default only where a person watches them, as pip
    and most command-line tools do.

    Parameters
    ----------
    progress : bool or None
        ``--progress`` (True), ``--no-progress`` (False) or neither (None).
    stream : file-like, optional
        Where the bars go; ``sys.stderr`` (tqdm's) by default.

    Returns
    -------
    bool
        True to draw the bars.

    Examples
    --------
    >>> import io
    >>> show_progress(None, io.StringIO()), show_progress(True, io.StringIO()), show_progress(False)
    (False, True, False)
    """
    if progress is not None:
        return bool(progress)
    from starclass.io.progress import on_terminal

    return on_terminal(stream)


def bars_or_lines(progress: bool | None) -> bool | None:
    """What a command passes on as its steps' ``progress``: True a bar, None plain lines, False nothing.

    The bar where :func:`show_progress` says so; without one, because stderr is no terminal and
    neither ``--progress`` nor ``--no-progress`` was given (a batch job's log), a few timed lines
    (:class:`starclass.io.progress.Progress`) that :func:`command` shows on stderr, so that the log
    says how far a long step has got; ``--no-progress``: nothing.

    Parameters
    ----------
    progress : bool or None
        ``--progress`` (True), ``--no-progress`` (False) or neither (None).

    Returns
    -------
    bool or None
        True to draw the bars, None for the plain lines, False for neither.

    Examples
    --------
    >>> bars_or_lines(True), bars_or_lines(False)
    (True, False)
    >>> bars_or_lines(None) in (True, None)  # a terminal: the bar; a log file: the lines
    True
    """
    if show_progress(progress):
        return True
    return None if progress is None else False


@contextlib.contextmanager
def progress_lines(progress: bool | None, *loggers: str) -> Iterator[None]:
    """Plain, timed INFO lines of ``loggers`` on stderr while the block runs, where no bar is (a log file).

    Only when neither ``--progress`` nor ``--no-progress`` was given and stderr is no terminal
    (:func:`show_progress` is False): a batch job's log then says how the long stage goes (``train``: one
    line an epoch) instead of nothing for hours. ``--no-progress`` keeps it quiet. :func:`command` runs
    every command with a ``progress`` option inside one for :data:`starclass.io.progress.LOGGER`.

    Parameters
    ----------
    progress : bool or None
        The command's ``--progress/--no-progress`` as given (None: neither).
    *loggers : str
        Names of the loggers whose INFO lines are shown.

    Examples
    --------
    >>> import logging
    >>> with progress_lines(False, "starclass.demo"):  # --no-progress: nothing added
    ...     logging.getLogger("starclass.demo").handlers
    []
    """
    if progress is not None or show_progress(None):
        yield
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    kept = []
    for name in loggers:
        logger = logging.getLogger(name)
        kept.append((logger, logger.level))
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)
    try:
        yield
    finally:
        for logger, level in kept:
            logger.removeHandler(handler)
            logger.setLevel(level)


#: ``--quiet`` of ``detect`` and ``simulate`` (one definition, one meaning): ``--no-progress`` keeps the notes
QUIET_OPTION = typer.Option(
    False, "--quiet", help="No progress bars and no notes (warnings, errors and what was written are still shown).")

def mask_extension_option(where: str) -> Any:
    """``--mask-extension NAME`` of a command that reads mosaics, its help saying what that command does with it.

    One help for every command said the flagged pixels were "left out of detection, photometry and
    stamps", in ``inspect`` (which serves pictures) and ``calibrate`` (which classifies stamps) alike.

    Parameters
    ----------
    where
        What the command does with the flagged pixels, after "nonzero pixels are set to NaN".

    Examples
    --------
    >>> mask_extension_option("in the pictures served").help.split(": ")[1]
    'nonzero pixels are set to NaN in the pictures served; the count per band is printed. Default'
    """
    return typer.Option(
        None, "--mask-extension", metavar="<name>",
        help=f"Bad-pixel mask extension of each mosaic file (EXTNAME, e.g. BPM): nonzero pixels are set to NaN "
             f"{where}; the count per band is printed. Default: not applied (docs/io.md).")


#: ``--dq-good-bits EXPR`` of the commands that read mosaics
DQ_GOOD_BITS_OPTION = typer.Option(
    None, "--dq-good-bits", metavar="<expr>",
    help="Apply each file's DQ extension: a pixel with a DQ bit not listed in EXPR is set to NaN. Astropy "
         "bit-flag syntax, as JWST good_bits: '0' (any flag bad), '4+16' (those bits harmless), '~4096' (only "
         "4096 bad). Default: DQ not applied.")


#: ``--mask-file TEMPLATE`` of every command that takes ``--mask-extension``: a bad-pixel mask file beside each mosaic
MASK_FILE_OPTION = typer.Option(
    None, "--mask-file", metavar="<template>",
    help="Bad-pixel mask file of each mosaic, as a name template: {stem} is the mosaic's name without .fits, "
         "relative to its folder: '{stem}_bpm.fits' (g_f555w.fits -> g_f555w_bpm.fits), 'masks/{stem}.fits'. "
         "Nonzero pixels are set to NaN, as --mask-extension's. Default: none (docs/io.md).")


def plan_default(option: Any) -> Any:
    """A shared option as ``survey`` takes it: its help's "Default: ..." is the plan's setting, else that.

    ``survey --mask-extension`` (``--dq-good-bits``, ``--mask-file``) said "Default: not applied" as every
    command does, where a survey plan's ``mask_extension`` applies when the option is not given.

    Examples
    --------
    >>> plan_default(MASK_FILE_OPTION).help[-44:]
    "Default: the plan's, else none (docs/io.md)."
    >>> MASK_FILE_OPTION.help.endswith("Default: none (docs/io.md).")  # the other commands' stays
    True
    """
    import copy

    if option.help.count("Default: ") != 1:
        raise ValueError(f"{option.param_decls}: its help says no single 'Default: ...'")
    taken = copy.copy(option)
    taken.help = option.help.replace("Default: ", "Default: the plan's, else ")
    return taken


def flags_option(mask_extension: str | None, dq_good_bits: str | None, mask_file: str | None = None) -> str:
    """The name of the first pixel-flag option given (for the messages that refuse them).

    Examples
    --------
    >>> flags_option(None, "0"), flags_option(None, None, "{stem}_bpm.fits")
    ('--dq-good-bits', '--mask-file')
    """
    if mask_extension is not None:
        return "--mask-extension"
    return "--dq-good-bits" if dq_good_bits is not None else "--mask-file"


def pixel_flags(mask_extension: str | None, dq_good_bits: str | None,
                mask_file: str | None = None) -> PixelFlags | None:
    """The :class:`starclass.io.mosaic.PixelFlags` of ``--mask-extension``, ``--dq-good-bits``, ``--mask-file``.

    None when none of them is given.

    Built before any work, so that an expression astropy refuses stops the command at once.

    Examples
    --------
    >>> pixel_flags(None, None) is None
    True
    >>> pixel_flags("bpm", "0").describe()
    "mask extension BPM (nonzero = bad), DQ with good bits '0' (astropy syntax)"
    """
    if mask_extension is None and dq_good_bits is None and mask_file is None:
        return None
    from starclass.io.mosaic import PixelFlags

    return PixelFlags(mask_extension=mask_extension, dq_good_bits=dq_good_bits, mask_file=mask_file)


def warn_flags_differ(model: str | os.PathLike, flags: PixelFlags | None, *,
                      manifest: dict | None = None) -> str | None:
    """Warn (one line on stderr) when ``flags`` differ from the pixel flags ``model`` was trained with.

    Stamps cut with other mask/DQ flags than the training stamps (a bad pixel NaN in one, a
    value in the other) are not the inputs the network learnt on, and nothing else says so.
    A model without the record (trained before it existed, or a single member file): silence.

    Parameters
    ----------
    model : path-like
        The model directory (or its manifest, or a member file).
    flags : starclass.io.mosaic.PixelFlags or None
        What ``--mask-extension`` / ``--dq-good-bits`` (or a survey plan) apply now.
    manifest : dict, optional
        The manifest already read (else read here).

    Returns
    -------
    str or None
        The warning printed, or None.

    Examples
    --------
    >>> warn_flags_differ("no/such/model.pt", None) is None
    True
    """
    from starclass.learn.provenance import flags_mismatch

    if manifest is None:
        from starclass.learn.checkpoint import MANIFEST, read_manifest

        path = Path(model)
        if not (path.is_dir() and (path / MANIFEST).is_file()) and not (path.suffix == ".json" and path.is_file()):
            return None  # a member file holds no record; a missing model is refused where it is loaded
        try:
            manifest = read_manifest(path)
        except StarclassError:
            return None  # a damaged manifest is refused, with its own message, where the model is loaded
    text = flags_mismatch(manifest, flags, model=str(model))
    if text:
        typer.echo(f"WARNING: {text}", err=True)
    return text


def echo_flagged(mosaics: Mosaics, *, quiet: bool = False) -> None:
    """A note: how many pixels per band ``--mask-extension`` / ``--dq-good-bits`` set to NaN (none without them).

    ``quiet`` (``--quiet``) leaves it out, as every note.
    """
    note = getattr(mosaics, "flags_note", lambda: None)()
    if note and not quiet:
        echo(f"note: {note}")


def refuse_one_catalogue_options(by: Sequence[str] | None, pred_column: str | None) -> None:
    """Refuse ``--by`` and ``--pred-column`` with ``--catalogs`` (``evaluate``, ``report``): they score one PRED.

    Examples
    --------
    >>> refuse_one_catalogue_options(None, None)
    >>> try:
    ...     refuse_one_catalogue_options([], "class_joint")
    ... except StarclassError as exc:
    ...     print(exc)
    --pred-column applies to one classified catalogue (PRED), not to --catalogs
    """
    if by or pred_column:
        raise StarclassError(f"{'--by' if by else '--pred-column'} applies to one classified catalogue (PRED), "
                             "not to --catalogs")


def refuse_cutouts_as_mosaics(mosaics: Sequence[str | os.PathLike] | None,
                              catalogs: Sequence[str | os.PathLike | None] = ()) -> None:
    """Refuse a cutout folder or list given as the mosaics or as ``--catalog``, saying to give it with ``--stamps``.

    ``train``, ``classify`` and ``calibrate`` take a cutout folder through ``--stamps`` only; the same
    folder typed where the mosaics go, or its CSV as ``--catalog``, was refused in words about mosaics
    or catalogues ("give the mosaics and --catalog ...", "no FITS images found in my_cutouts",
    "required column 'id' missing") that did not say the folder was right and the option wrong.

    Parameters
    ----------
    mosaics : sequence of path-like, optional
        The paths given as mosaics (arguments, or ``--mosaics``).
    catalogs : sequence of path-like
        The ``--catalog`` values (None for one not given).

    Raises
    ------
    StarclassError
        Naming the path, what it is and the option to give it with.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "labels.csv").write_text("file,label\\na.png,cluster\\n")
    >>> refuse_cutouts_as_mosaics([], [None])
    >>> try:
    ...     refuse_cutouts_as_mosaics([], [folder / "labels.csv"])
    ... except StarclassError as exc:
    ...     print(str(exc).replace(str(folder), "DIR").replace(": give", ":\\ngive"))
    --catalog DIR/labels.csv is a list of cutout images (column 'file'), not a catalogue of candidates on FITS mosaics:
    give it with --stamps DIR/labels.csv
    """
    from starclass.io.cutout_folders import cutouts_not_mosaics

    for path in mosaics or ():
        if what := cutouts_not_mosaics(path):
            raise StarclassError(f"{path} is {what}, not FITS mosaics: give it with --stamps {path}")
    for path in catalogs:
        if path is not None and (what := cutouts_not_mosaics(path)):
            raise StarclassError(f"--catalog {path} is {what}, not a catalogue of candidates on FITS mosaics: "
                                 f"give it with --stamps {path}")


def check_radius(radius: float) -> None:
    """Refuse a ``--radius`` (``evaluate``, ``report``) that is not a positive number of pixels, naming the option.

    The bound is the matchers' own (:func:`starclass.schema.check_match_radius`, at most
    :data:`starclass.schema.MAX_MATCH_RADIUS_PX`), named as the option before any work.

    Examples
    --------
    >>> check_radius(2.0)
    >>> try:
    ...     check_radius(-1)
    ... except StarclassError as exc:
    ...     print(exc)
    --radius must be a positive number of pixels, at most 50, got -1
    """
    from starclass.schema import check_match_radius

    check_match_radius(radius, "--radius")


def check_ssp(path: str | Path | None) -> None:
    """Read the ``--ssp`` table now, refusing one that cannot be read, naming the option and the file.

    The report catches a track it cannot draw into a note under the figure: a table given on the
    command line that is not one is refused before any work instead.

    Examples
    --------
    >>> check_ssp(None)
    >>> try:
    ...     check_ssp("nothere.txt")
    ... except StarclassError as exc:
    ...     print(exc)
    --ssp: SSP table not found: nothere.txt
    """
    if path is None:
        return
    from starclass.science.ssp import load_ssp

    try:
        load_ssp(path)
    except StarclassError as exc:
        msg = str(exc)
        # the reader's messages name the file already: the option is put before them, not the file twice
        raise StarclassError(f"--ssp: {msg}" if str(path) in msg else f"--ssp {path}: {msg}") from None


def check_distance(distance: float | None) -> None:
    """Refuse a ``--distance`` (``evaluate``, ``report``) outside 0.01-1000 Mpc, naming the option.

    The bound is :func:`starclass.schema.check_distance_mpc`, simulate's and demo's too. The distance
    modulus's own check said "distance must be ...", after the catalogues were read, and took
    ``--distance 1e300``.

    Examples
    --------
    >>> check_distance(None), check_distance(17.9)
    (None, None)
    >>> try:
    ...     check_distance(float("inf"))
    ... except StarclassError as exc:
    ...     print(exc)
    --distance must be between 0.01 and 1000 Mpc, got inf
    """
    if distance is not None:
        from starclass.schema import check_distance_mpc

        check_distance_mpc(distance, "--distance")


def check_mag_limit(mag_limit: float | None, distance: float | None) -> None:
    """Refuse a ``--mag-limit`` that is no magnitude, or one given without ``--distance``, before any work.

    The limit is turned into a mass at the galaxy's distance modulus: without ``--distance`` no curve is
    drawn, and the option would be ignored without a word.

    Examples
    --------
    >>> check_mag_limit(None, None), check_mag_limit(24.5, 9.9)
    (None, None)
    >>> try:
    ...     check_mag_limit(24.5, None)
    ... except StarclassError as exc:
    ...     print(exc)
    --mag-limit 24.5 is turned into masses at the galaxy's distance: give --distance too
    """
    if mag_limit is None:
        return
    if not (math.isfinite(mag_limit) and 0 <= mag_limit <= 50):
        raise StarclassError(f"--mag-limit must be an apparent magnitude in 0-50, got {mag_limit:g}")
    if distance is None:
        raise StarclassError(f"--mag-limit {mag_limit:g} is turned into masses at the galaxy's distance: "
                             "give --distance too")


def band_option(value: str | None, option: str = "--bands") -> list[str] | None:
    """The bands a comma-separated option names, lower case, each once; None when not given.

    ``cutouts --bands f555w,f555w`` wrote a store of two identical channels, and ``detect`` measured
    the band twice, exit 0: a band given twice is refused, naming it and the option.

    Examples
    --------
    >>> band_option("F555W, f814w"), band_option(None)
    (['f555w', 'f814w'], None)
    >>> try:
    ...     band_option("f555w,f814w,F555W")
    ... except StarclassError as exc:
    ...     print(exc)
    --bands names band f555w twice (f555w,f814w,F555W); give each band once
    """
    if not value:
        return None
    bands = [b.strip().lower() for b in value.split(",") if b.strip()]
    if not bands:
        raise StarclassError(f"{option} names no band ({value!r}); give comma-separated bands, e.g. f555w,f814w")
    from starclass.schema import check_distinct_bands

    return check_distinct_bands(bands, option, given=value)  # the functions' own check


def recorded_tasks(*sources: str | os.PathLike | None) -> list[tuple[str, TaskConfig]]:
    """The tasks the trained models among ``sources`` record, as ``(model, task)`` pairs, for :func:`task_option`.

    A source that is None, not a model folder (no ``manifest.json``) or whose manifest cannot be read
    gives nothing: the command names what is wrong with it where it reads it.

    Examples
    --------
    >>> recorded_tasks(None, "no/such/model")
    []
    """
    from starclass.learn.config import load_config

    found = []
    for source in sources:
        if source is None or not (Path(source) / "manifest.json").is_file():
            continue
        try:
            found.append((f"model {source}", load_config(source)))
        except StarclassError:
            continue
    return found


def task_option(value: str, option: str = "--task",
                recorded: Sequence[tuple[str, TaskConfig]] | Callable[[], Sequence[tuple[str, TaskConfig]]] = (),
                ) -> TaskConfig:
    """The task config a ``--task`` value names, with errors that name the option and the value.

    :func:`starclass.learn.config.load_config` says "task config 'phangs' is neither a file nor
    a preset" or "task config five.yaml: cannot parse": the library's words, which do not say
    which option of the command line was wrong.

    Besides a preset, a task file and a model folder, the value may be the name of a task that the
    command's own inputs record (``recorded``: ``(where, task)`` pairs, e.g. of :func:`recorded_tasks`
    for the ``--model`` given, or a label database's record; or a function giving them, called only
    when the value is no preset, file or folder): a task made from a YAML file
    (``train --task my.yaml``) is recorded by its name, which was refused as "neither a file nor a
    preset" when typed back. A name that two different recorded tasks share is refused, naming both.

    Examples
    --------
    >>> task_option("m31-real").name
    'm31-real'
    >>> task_option("mine", recorded=[("model m5", task_option("m31-real").copy(name="mine"))]).classes
    [1, 2]
    >>> try:
    ...     task_option("phangs")
    ... except StarclassError as exc:
    ...     print(str(exc)[:50])
    --task 'phangs' is neither a file nor a preset; pr
    """
    from starclass.learn.config import load_config

    try:
        return load_config(value)
    except StarclassError as exc:
        msg = str(exc)
        prefix = "task config "
        unknown = "is neither a file nor a preset" in msg
        if unknown and not Path(value).exists():
            recorded = recorded() if callable(recorded) else recorded
            # by name: the tasks recorded under it, each once (two models of one task agree)
            named = [(where, cfg) for where, cfg in recorded if (cfg.name or "").lower() == value.lower()]
            distinct = {repr(cfg.to_dict()): (where, cfg) for where, cfg in named}
            if len(distinct) == 1:
                return named[0][1]
            if len(distinct) > 1:
                raise StarclassError(f"{option} {value!r} names {len(distinct)} different tasks, those of "
                                     f"{' and '.join(w for w, _ in distinct.values())}; give the task's file "
                                     "or model folder instead of its name") from None
            if recorded:
                # the names that would have been taken: a typo shows beside them
                known = ", ".join(f"{where} records task {cfg.name!r}" for where, cfg in recorded)
                msg = msg.replace("is neither a file nor a preset",
                                  f"is neither a file nor a preset, nor a task its inputs record ({known})", 1)
        # the library's own prefix already names the value: the option takes its place
        raise StarclassError(f"{option} {msg[len(prefix):]}" if msg.startswith(prefix)
                             else f"{option} {value}: {msg}") from None


def given_options(ctx: typer.Context, flags: dict[str, str]) -> list[str]:
    """The options of ``flags`` (parameter name -> option as typed) given on the command line (or
    by environment), not left at their defaults; ``ctx`` is the command's ``typer.Context``, None
    outside a command (called from Python: nothing was typed).

    Examples
    --------
    >>> given_options(None, {"distance": "--distance"})
    []
    """
    if ctx is None:
        return []
    # by name: typer vendors click (typer._click) in recent versions, so its ParameterSource is not click's
    typed = ("COMMANDLINE", "ENVIRONMENT")
    return [flag for name, flag in flags.items()
            if getattr(ctx.get_parameter_source(name), "name", None) in typed]


#: ``evaluate``/``report`` options that change what one catalogue (PRED) is scored against, or how, and that
#: ``--catalogs`` has no use for (``--bootstrap``, ``--no-science`` only save work, and stay harmless no-ops);
#: ``--ssp`` is not among them: the fields' mass limits and completeness curves come from an SSP table too
ONE_CATALOGUE_OPTIONS = {"reference": "--reference", "distance": "--distance", "radius": "--radius",
                         "task": "--task", "label_column": "--label-column", "model": "--model",
                         "target_purity": "--target-purity", "mosaics": "--mosaics", "stamps": "--stamps",
                         "group_column": "--group-column", "mag_limit": "--mag-limit",
                         "mass_kind": "--mass-kind",
                         "file_column": "--file-column"}


def refuse_given_with_catalogs(ctx: typer.Context, flags: dict[str, str] = ONE_CATALOGUE_OPTIONS) -> None:
    """Refuse options of one catalogue given with ``--catalogs`` (``evaluate``, ``report``), naming them.

    They were ignored without a word: ``evaluate --catalogs DIR --distance 10`` scored every field
    at its own distance (:data:`starclass.science.many.FIELD_DISTANCES_MPC`) and said nothing.

    Examples
    --------
    >>> refuse_given_with_catalogs(None)  # outside a command nothing was typed
    """
    given = given_options(ctx, flags)
    if not given:
        return
    why = (" (each field is placed at its galaxy's distance, starclass.science.many.FIELD_DISTANCES_MPC: "
           "docs/legus_validation.md, 'Many galaxies')" if "--distance" in given else "")
    raise StarclassError(f"{', '.join(given)} {'applies' if len(given) == 1 else 'apply'} to one classified "
                         f"catalogue (PRED), not to --catalogs{why}")


#: ``--map`` of ``evaluate --catalogs`` and ``report --catalogs``: the meaning of ``info``'s in a folder
CATALOGS_MAP_HELP = ("Name a LEGUS .tab column by number as info --map does (class_ref=35): of the .tab files "
                     "given as PRED or -r, or with --catalogs of the files whose layout info calls uncertain "
                     "(FIELD:class_ref=35 for one field alone: ngc3351:class_ref=35); repeatable. Default: "
                     "each file's known layout.")


def one_catalogue_map(column_map: list[str] | None, files: Sequence[str | Path]) -> dict[str, str] | None:
    """``evaluate``/``report --map`` without ``--catalogs``: the map of the LEGUS ``.tab`` files among ``files``.

    It has ``info FILE.tab --map``'s meaning (a column number of the file: ``class_ref=35``), and is applied to
    the LEGUS files given as PRED or ``--reference`` (:func:`starclass.evaluate.compare.legus_column_map`); the
    reader's warning of a class column that holds no classes advises it. Until 2026-12-07 it was refused there,
    "--map applies to --catalogs DIR", so that advice named an option the command could not take.

    Parameters
    ----------
    column_map : list of str or None
        The ``--map`` items.
    files : sequence of path
        PRED and the ``--reference`` paths (``self`` left out), all existing.

    Returns
    -------
    dict or None
        Column -> schema name; None without ``--map``.

    Raises
    ------
    StarclassError
        A malformed item, or no LEGUS ``.tab`` among ``files``.

    Examples
    --------
    >>> one_catalogue_map(None, ["c.ecsv"]) is None
    True
    """
    if not column_map:
        return None
    from starclass.io.catalog import guess_format
    from starclass.io.overview import parse_column_map

    cmap = parse_column_map(column_map)
    if not any(Path(f).is_file() and guess_format(f) == "legus" for f in files):
        raise StarclassError("--map applies to a LEGUS .tab catalogue given as PRED or --reference (its column "
                             "numbers, as starclass info FILE.tab --map names them) or to --catalogs DIR, and "
                             f"none of {', '.join(Path(f).name for f in files)} is one: name the columns in the file")
    return cmap


def refuse_min_inspected_without_catalogs(ctx: typer.Context) -> None:
    """Refuse ``--min-inspected`` without ``--catalogs``: it picks the fields of a folder, and one
    catalogue (PRED) ignored it without a word.

    Examples
    --------
    >>> refuse_min_inspected_without_catalogs(None)  # outside a command nothing was typed
    """
    if given_options(ctx, {"min_inspected": "--min-inspected"}):
        raise StarclassError("--min-inspected applies to --catalogs DIR (the fields of a folder of LEGUS "
                             "catalogues), not to one catalogue (PRED)")


def refuse_few_matches_with_catalogs(allow_few_matches: bool) -> None:
    """Refuse ``--allow-few-matches`` with ``--catalogs`` (``evaluate``, ``report``): nothing is paired by position.

    Examples
    --------
    >>> refuse_few_matches_with_catalogs(False)
    >>> try:
    ...     refuse_few_matches_with_catalogs(True)
    ... except StarclassError as exc:
    ...     print(exc)
    --allow-few-matches applies to one classified catalogue (PRED), not to --catalogs
    """
    if allow_few_matches:
        raise StarclassError("--allow-few-matches applies to one classified catalogue (PRED), not to --catalogs")


def say_catalogs_fields(catalogs: Path, n_fields: int, n_skipped: int, where_skipped: str) -> None:
    """The lines ``evaluate`` and ``report`` say of ``--catalogs DIR``: fields used, left out, files not read.

    Parameters
    ----------
    catalogs : pathlib.Path
        The folder given as ``--catalogs``.
    n_fields, n_skipped : int
        Fields scored, and fields left out (too few inspected sources, an uncertain layout).
    where_skipped : str
        The table that says why each was left out (``"tables/skipped.ecsv"``).

    Examples
    --------
    >>> say_catalogs_fields(Path("nowhere"), 16, 19, "tables/skipped.ecsv")
    16 fields from nowhere (19 left out: tables/skipped.ecsv says why)
    """
    from starclass.errors import counted
    from starclass.io.overview import files_not_read_note
    from starclass.science.many import other_files

    left = f" ({n_skipped} left out: {where_skipped} says why)" if n_skipped else ""
    echo(f"{counted(n_fields, 'field')} from {catalogs}{left}")
    # a catalogue re-saved with a header line is no longer known as LEGUS: say which files were not read
    others = [q.name for q in other_files(catalogs)] if Path(catalogs).is_dir() else []
    if others:
        echo(f"note: {files_not_read_note(others, 'LEGUS catalogue')}")


def say_catalogs_notes(said: Mapping[str, Any]) -> None:
    """The notes and the SED warning ``evaluate`` and ``report`` say of ``--catalogs DIR``, in one order.

    Until 2026-12-06 (evening) ``report --catalogs`` said only the SED ones: not that NGC 1566's machine-only
    classes count as not inspected, why there is no leave-one-galaxy-out ladder, or which fields' V camera is
    assumed, which ``evaluate --catalogs`` of the same folder said.

    Parameters
    ----------
    said : Mapping
        ``machine_only``, ``ladder_note``, ``v_camera_note``, ``map_note`` (the fields read through ``--map``),
        ``sed_note`` (a warning: fits beyond the tolerance) and ``sed_trend_note``; each empty or absent where
        there is nothing to say.

    Examples
    --------
    >>> say_catalogs_notes({"machine_only": "ngc1566: 654 classes ... count as not inspected.", "sed_note": ""})
    note: ngc1566: 654 classes ... count as not inspected.
    """
    for key in ("machine_only", "ladder_note", "v_camera_note", "map_note"):
        if said.get(key):
            echo(f"note: {said[key]}")
    if said.get("sed_note"):
        warn(said["sed_note"])  # a warning, not a refusal: the fields are scored as published
    if said.get("sed_trend_note"):
        echo(f"note: {said['sed_trend_note']}")  # within the tolerance: said, not warned of


@app.callback()
def _root() -> None:
    """starclass: multi-band images -> classified star-cluster catalogues."""


#: What an interrupted command has left, in general: every output is written beside its final name
#: and renamed into place when complete (:mod:`starclass.io.atomic`).
LEFT_WHEN_INTERRUPTED = "no output is left half-written (each is put in place only when complete)"


class Terminated(SystemExit):
    """Raised by the CLI's SIGTERM handler: a ``SystemExit`` with status 128 + 15 that says why."""


#: Where the running command is: "parsing" until a command's body starts, "running" inside it
#: (whose Ctrl-C handler speaks for itself), "finished" once it has returned. typer turns a Ctrl-C
#: outside a command's body (while it parses the arguments, or just after the command returned)
#: into exit 130 without a word; :func:`starclass.cli.main` reads this to say what was left.
PHASE = {"now": "parsing"}


def _left(exc: BaseException, interrupted: str) -> str:
    """What an interrupted command left: the interruption's own ``left_behind`` (set where it was
    caught and cleaned up, knowing what it kept), else the command's general ``interrupted`` words.

    Examples
    --------
    >>> stop = KeyboardInterrupt()
    >>> _left(stop, "finished tiles are kept")
    'finished tiles are kept'
    >>> stop.left_behind = "no tile was finished"
    >>> _left(stop, "finished tiles are kept")
    'no tile was finished'
    """
    return getattr(exc, "left_behind", None) or interrupted


def command(name: str | None = None, *, interrupted: str | None = LEFT_WHEN_INTERRUPTED,
            **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a command whose :class:`StarclassError` becomes a message and exit code 2.

    Ctrl-C (``KeyboardInterrupt``, exit status 130) and SIGTERM (:class:`Terminated`, 143) print
    one line, ``error: interrupted by ...; <interrupted>``, saying what the command left behind;
    ``interrupted=None`` prints nothing (for a command whose normal end is an interruption; ``inspect``'s
    server catches its signals itself and says it stopped). Code that caught
    the interruption, cleaned up and knows what it kept says so in the exception's ``left_behind``
    attribute, which replaces ``interrupted`` (a survey stopped before any tile keeps none).

    A command with a ``progress`` option (``--progress/--no-progress``) runs inside
    :func:`progress_lines` for :data:`starclass.io.progress.LOGGER`: the plain lines its steps say when
    :func:`bars_or_lines` gives them None (a log file) are shown on stderr.
    """
    from starclass.io.progress import LOGGER, stopped_during

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kw):
            # the library warns with warnings.warn (a blank band, positions off by one); on the command
            # line those read "warning: ..." like our errors, not "file.py:136: UserWarning: ..."
            with warnings.catch_warnings(), progress_lines(kw.get("progress", False), LOGGER):
                warnings.showwarning = show_warning
                try:
                    PHASE["now"] = "running"
                    result = func(*args, **kw)
                    PHASE["now"] = "finished"
                    return result
                except StarclassError as exc:
                    # a writer's "give overwrite=True" is the Python call's argument: the command's is --overwrite
                    typer.echo(f"error: {cli_words(str(exc))}", err=True)
                    raise typer.Exit(code=2) from None
                except KeyboardInterrupt as exc:
                    # typer would exit 130 without a word: say what stopped it, the step it stopped and what is left
                    if interrupted is not None:
                        typer.echo(f"error: interrupted by Ctrl-C (SIGINT){stopped_during(exc)}; "
                                   f"{_left(exc, interrupted)}", err=True)
                    raise typer.Exit(code=130) from None
                except Terminated as exc:
                    if interrupted is not None:
                        typer.echo(f"error: stopped by SIGTERM{stopped_during(exc)}; {_left(exc, interrupted)}",
                                   err=True)
                    raise

        # typer's rich command list keeps the docstring's line breaks ("a folder of" / "catalogues"):
        # the list shows the first paragraph as one line, wrapped to the terminal
        if "short_help" not in kwargs and func.__doc__:
            first = inspect.cleandoc(func.__doc__).split("\n\n")[0]
            kwargs["short_help"] = " ".join(first.split())
        # and `starclass CMD --help` kept them inside each paragraph, then wrapped the pieces to the
        # terminal: detect's "CI =" / "m(1px) - m(3px)," on lines of their own. Every paragraph is prose
        # (no lists): one line each, which rich wraps; the blank lines between paragraphs stay
        if "help" not in kwargs and func.__doc__:
            kwargs["help"] = "\n\n".join(" ".join(p.split()) for p in inspect.cleandoc(func.__doc__).split("\n\n"))
        kwargs.setdefault("cls", HelpCommand)
        return app.command(name, **kwargs)(wrapper)

    return decorator


@contextlib.contextmanager
def held_warnings(category: type[Warning] | tuple[type[Warning], ...]) -> Iterator[list[str]]:
    """Hold the warnings of ``category`` (a class or a tuple) raised in the block, each message once; show the others.

    A command says a library's warnings of a kind where they belong (``calibrate``: the calibration's
    cautions after the result they qualify, as ``WARNING:``) instead of keeping its own copy of their
    conditions; every other warning is shown as it comes, through the hook in place
    (:func:`show_warning` in a command).

    Examples
    --------
    >>> import contextlib, io
    >>> err = io.StringIO()
    >>> with contextlib.redirect_stderr(err), warnings.catch_warnings():
    ...     warnings.simplefilter("always")
    ...     warnings.showwarning = show_warning  # as every command has it
    ...     with held_warnings(DeprecationWarning) as held:
    ...         warnings.warn("old option", DeprecationWarning)
    ...         warnings.warn("old option", DeprecationWarning)
    ...         warnings.warn("band f814w is constant", UserWarning)
    >>> held, err.getvalue()
    (['old option'], 'warning: band f814w is constant\\n')
    """
    held: list[str] = []
    with warnings.catch_warnings():
        outer = warnings.showwarning
        for kind in category if isinstance(category, tuple) else (category,):
            warnings.simplefilter("always", kind)  # said again in one process (a notebook, tests): held again

        def hold(message, kind, filename, lineno, file=None, line=None):
            if issubclass(kind, category):
                # a library warning names a notebook's function and argument; the command says its options
                if cli_words(str(message)) not in held:
                    held.append(cli_words(str(message)))
            else:
                outer(message, kind, filename, lineno, file, line)

        warnings.showwarning = hold
        yield held


def show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                 file: TextIO | None = None, line: str | None = None) -> None:
    """Print a Python warning as ``warning: message`` on stderr (the :func:`warnings.showwarning` hook).

    Other categories than ``UserWarning`` and starclass's own (:class:`starclass.errors.StarclassWarning`)
    keep their name in brackets, so that a library's deprecation notice is told apart from starclass's
    own warnings.

    Examples
    --------
    >>> import contextlib, io
    >>> err = io.StringIO()
    >>> with contextlib.redirect_stderr(err):
    ...     show_warning("band f814w is constant", UserWarning, "x.py", 1)
    ...     show_warning("old option", DeprecationWarning, "x.py", 1)
    >>> print(err.getvalue(), end="")
    warning: band f814w is constant
    warning: (DeprecationWarning) old option
    """
    from starclass.errors import StarclassWarning

    # starclass's own categories (CalibrationWarning) read as its other warnings do
    kind = "" if category is UserWarning or issubclass(category, StarclassWarning) else f"({category.__name__}) "
    text = f"warning: {kind}{cli_words(str(message))}"  # the command's options, not a notebook's arguments
    stream = sys.stderr if file is None else file
    if _is_terminal(stream):
        # a person reads it: lines of 150-900 characters (the SED check's detail) ran off the terminal's edge.
        # A log keeps each line whole, for grep
        text = wrap_to_width(text, _terminal_columns(stream))
    typer.echo(text, err=file is None, file=file)


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # closed, or no such method
        return False


def _terminal_columns(stream: Any) -> int:
    """The width of the terminal ``stream`` writes to: ``COLUMNS`` where set, else the terminal's own, else 80.

    Not :func:`shutil.get_terminal_size` alone: it measures stdout, which ``> out.txt`` sends to a file
    while the warnings still reach the terminal on stderr.
    """
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return 80


def wrap_to_width(text: str, width: int) -> str:
    """``text`` with each of its lines wider than ``width`` folded at spaces, the folds indented under it.

    A continuation is indented two spaces past its line's own indentation (a warning's detail lines are
    indented two already), so the folded lines read as one. Words are not broken: a path or a command
    longer than the width stays whole on its own line, where it can be copied.

    Parameters
    ----------
    text : str
        The message, with its own newlines.
    width : int
        The terminal's columns; below 40 it is taken as 40.

    Returns
    -------
    str

    Examples
    --------
    >>> print(wrap_to_width("warning: its F814W is 0.42 mag fainter than the SSP table (tolerance 0.30 mag)\\n"
    ...                     "  each band's offsets: tables/sed_offsets_ngc1566.ecsv, and why", 40))
    warning: its F814W is 0.42 mag fainter
      than the SSP table (tolerance 0.30
      mag)
      each band's offsets:
        tables/sed_offsets_ngc1566.ecsv, and
        why
    """
    import textwrap

    width = max(int(width), 40)
    out = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        indent = " " * (len(line) - len(line.lstrip(" ")))
        out.extend(textwrap.wrap(line, width, initial_indent="", subsequent_indent=indent + "  ",
                                 break_long_words=False, break_on_hyphens=False, drop_whitespace=True))
    return "\n".join(out)


def _not_installed(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is None
    except (ImportError, ValueError):  # a parent package missing; a module set to None in sys.modules
        return True


def require_extra(extra: str, modules: Sequence[str], command_name: str) -> None:
    """Raise a :class:`StarclassError` naming the extra to install when a module is missing.

    Optional stacks (the web page's FastAPI and SQLAlchemy, dask) are extras of the package;
    a command that needs one says which, instead of failing with a traceback.

    Parameters
    ----------
    extra
        The extra that provides the modules (``"web"``).
    modules
        Importable names the command needs (``"fastapi"``, ``"sqlalchemy"``, ...).
    command_name
        The command, for the message.

    Examples
    --------
    >>> require_extra("web", ["json"], "inspect")  # present: nothing happens
    >>> require_extra("web", ["no_such_module_xyz"], "inspect")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: starclass inspect needs ... install them with: pip install 'starclass[web]'
    """
    # found, not imported: importing them took 2 s (fastapi, uvicorn) before inspect's first note, and a
    # command that needs them imports them where it uses them
    missing = [name for name in modules if _not_installed(name)]
    if missing:
        raise StarclassError(
            f"starclass {command_name} needs the optional {extra!r} dependencies ({', '.join(missing)} missing); "
            f"install them with: pip install 'starclass[{extra}]'"
        )


def _failed_extra_module(exc: ImportError, modules: Sequence[str]) -> str | None:
    """Which of ``modules`` an ImportError came from: the one Python names, else the first of them whose code
    was running when it was raised (a package that raises while it imports); None for neither."""
    tops = {m.split(".")[0] for m in modules}
    if exc.name and exc.name.split(".")[0] in tops:
        return exc.name.split(".")[0]
    tb = exc.__traceback__
    while tb is not None:
        top = str(tb.tb_frame.f_globals.get("__name__", "")).split(".")[0]
        if top in tops:
            return top
        tb = tb.tb_next
    return None


@contextlib.contextmanager
def importing_extra(extra: str, modules: Sequence[str], command_name: str) -> Iterator[None]:
    """Turn an ImportError from an extra's modules, imported in this block, into :func:`require_extra`'s advice.

    :func:`require_extra` only finds the modules (importing them is slow): one that is installed
    but fails as it imports (a broken build, a missing shared library, an incompatible version of
    what it needs) passed that check and failed here with a traceback. An ImportError raised in
    starclass's own code, not in one of ``modules``, is passed on.

    Parameters
    ----------
    extra
        The extra that provides the modules (``"web"``).
    modules
        The modules of the extra (``"fastapi"``, ``"sqlalchemy"``, ...).
    command_name
        The command, for the message.

    Yields
    ------
    None
        Inside the block, the imports that need the extra.

    Raises
    ------
    StarclassError
        One of ``modules`` failed to import: the message names it, its error and the extra to install.

    Examples
    --------
    >>> try:
    ...     with importing_extra("web", ["json"], "inspect"):
    ...         raise ImportError("libfoo.so: cannot open shared object file", name="json")
    ... except StarclassError as exc:
    ...     print(exc)  # doctest: +NORMALIZE_WHITESPACE
    starclass inspect needs the optional 'web' dependencies: json is installed but fails to import (ImportError:
    libfoo.so: cannot open shared object file); install them again with: pip install 'starclass[web]'
    """
    try:
        yield
    except ImportError as exc:
        name = _failed_extra_module(exc, modules)
        if name is None:
            raise
        raise StarclassError(_broken_extra(extra, name, f"{type(exc).__name__}: {exc}", command_name)) from None


def _broken_extra(extra: str, name: str, error: str, command_name: str) -> str:
    """The advice for a module of an extra that is installed but fails to import (``error``: 'Type: text')."""
    return (f"starclass {command_name} needs the optional {extra!r} dependencies: {name} is installed but fails "
            f"to import ({error}); install them again with: pip install 'starclass[{extra}]'")


#: Run by :class:`ImportProbe` in a child interpreter: argv[1] the parent's sys.path, argv[2] the modules (JSON).
#: The first that fails is printed, behind a marker (a module may print as it imports), as the module of the
#: extra it came from (the one Python names, else the one being imported), its error's type and text.
_PROBE_CODE = """
import importlib, json, sys
sys.path[:] = json.loads(sys.argv[1])
modules = json.loads(sys.argv[2])
tops = {m.split(".")[0] for m in modules}
for module in modules:
    try:
        importlib.import_module(module)
    except Exception as exc:
        named = (getattr(exc, "name", None) or "").split(".")[0]
        failed = {"module": named if named in tops else module.split(".")[0], "error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write("\\n@@starclass-probe@@" + json.dumps(failed) + "\\n")
        sys.stdout.flush()
        break
"""
_PROBE_MARK = "@@starclass-probe@@"


class ImportProbe:
    """An extra's modules imported in a child interpreter while the command reads its inputs.

    :func:`require_extra` only finds the modules, and :func:`importing_extra` reports one that
    fails as the command imports it, which for the web server is after ``inspect --init`` has
    made the label database: a broken uvicorn left a new ``inspect.sqlite`` behind (and said
    "no accounts yet" on stdout) before the refusal. Importing the server here instead would make
    the command's first line wait ~1.3 s for it; the child imports it meanwhile, and
    :meth:`check` is called before anything is created. Modules this interpreter has already
    imported are not probed (they import); with none left, nothing is started.

    Parameters
    ----------
    extra
        The extra that provides the modules (``"web"``).
    modules
        The modules to import, in order.
    command_name
        The command, for the message.

    Examples
    --------
    >>> import sys, tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = (Path(d) / "broken_probe_example.py").write_text("raise ImportError('libx.so: no such file')")
    ...     sys.path.insert(0, d)
    ...     probe = ImportProbe("web", ["json", "broken_probe_example"], "inspect")
    ...     try:
    ...         probe.check()
    ...     except StarclassError as exc:
    ...         print(exc)
    ...     finally:
    ...         sys.path.remove(d)  # doctest: +NORMALIZE_WHITESPACE
    starclass inspect needs the optional 'web' dependencies: broken_probe_example is installed but fails to
    import (ImportError: libx.so: no such file); install them again with: pip install 'starclass[web]'
    >>> ImportProbe("web", ["json"], "inspect").check()  # json is imported here already: nothing started
    """

    def __init__(self, extra: str, modules: Sequence[str], command_name: str) -> None:
        import json
        import subprocess

        self.extra, self.command_name = extra, command_name
        todo = [m for m in modules if m not in sys.modules]
        self._child: subprocess.Popen | None = None
        if not todo or not sys.executable:  # nothing to learn, or no interpreter to start
            return
        try:
            # stderr dropped: a module's warnings as it imports are the command's own import's to say
            self._child = subprocess.Popen([sys.executable, "-c", _PROBE_CODE, json.dumps(sys.path),
                                            json.dumps(todo)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                           stderr=subprocess.DEVNULL, text=True)
        except OSError:
            self._child = None  # the command's own import says it, as before

    def check(self, timeout: float = 120.0) -> None:
        """Wait for the child; raise :func:`importing_extra`'s advice when a module failed to import.

        A child that crashes, is killed or runs past ``timeout`` seconds is not taken for a failed
        import: the command's own import then says what is wrong, as it did before the probe.
        """
        import json
        import subprocess

        if self._child is None:
            return
        try:
            out, _ = self._child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.close()
            return
        finally:
            child, self._child = self._child, None
        if child.returncode != 0 or _PROBE_MARK not in (out or ""):
            return
        failed = json.loads(out.rsplit(_PROBE_MARK, 1)[1].splitlines()[0])
        raise StarclassError(_broken_extra(self.extra, failed["module"], failed["error"], self.command_name))

    def close(self) -> None:
        """Stop the child if it is still running (the command ended before :meth:`check`)."""
        child, self._child = self._child, None
        if child is not None and child.poll() is None:
            child.kill()
        if child is not None:
            child.communicate()


def echo(message: str) -> None:
    """Print a line to stdout (kept in one place so commands can be quietened later)."""
    typer.echo(message)
    sys.stdout.flush()


def echo_wrapped(message: str) -> None:
    """Print a line to stdout folded at the terminal's width (:func:`wrap_to_width`); kept whole in a pipe or file.

    For result lines that run long (``simulate``'s ``label:`` line of a task's classes was ~140 characters,
    running off an 80-column terminal) as warnings are folded (:func:`show_warning`): a log keeps the line
    whole, for grep.

    Examples
    --------
    >>> echo_wrapped("     label: 1 (cool core) 3, 2 (weak cool core) 5")  # not a terminal: as it is
         label: 1 (cool core) 3, 2 (weak cool core) 5
    """
    if _is_terminal(sys.stdout):
        message = wrap_to_width(message, _terminal_columns(sys.stdout))
    echo(message)


def warn(message: str) -> None:
    """Print ``warning: message`` to stderr: the run goes on, but the user should know."""
    typer.echo(f"warning: {message}", err=True)


def place_rows(table: Table, mosaics: MosaicSet, source: str | os.PathLike, *,
               said: set[str] | None = None) -> Table:
    """The catalogue with pixel positions: its own, or placed from ``ra``, ``dec`` through the mosaics' WCS.

    Says so in one line when rows were placed (:func:`starclass.io.catalog.placed_note`, the line
    ``inspect`` and ``survey`` say too). A command that places two catalogues (``detect --positions
    F --truth F``) hands both calls one ``said`` set: a line already in it is not said again.

    Examples
    --------
    >>> from astropy.table import Table
    >>> t = place_rows(Table({"id": [1], "x": [1.0], "y": [2.0]}), None, "c.ecsv")
    >>> float(t["x"][0])
    1.0
    """
    from starclass.io.catalog import place_on_mosaics

    if said is None:
        return place_on_mosaics(table, mosaics, source, say=echo)

    def once(line: str) -> None:
        # one file given as two catalogues: its rows were placed twice, the line said twice
        if line not in said:
            said.add(line)
            echo(line)

    return place_on_mosaics(table, mosaics, source, say=once)


def warn_v_band(mosaics: Any, command: str) -> None:
    """Warn once, in ``command``'s words, where the mosaics have no V band and another is used as V.

    ``read_mosaics`` said detect's use of it and options to every command that read mosaics:
    train and classify, which use no V band, said "f275w ... is used as V (detection, CI,
    background); give detect and cutouts --bands", and inspect, which has no --bands, the same.
    The commands that use the V band read the mosaics with ``warn_v_band=False`` and call this.

    Parameters
    ----------
    mosaics
        The mosaics read (a ``MosaicSet``; anything with ``bands`` in the order
        :func:`starclass.bands.v_band` reads them).
    command
        ``"detect"``, ``"info"`` or ``"inspect"`` (:data:`starclass.bands.V_BAND_USES`).

    Examples
    --------
    >>> import warnings
    >>> from types import SimpleNamespace
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_v_band(SimpleNamespace(bands=["f275w", "f814w"]), "detect")
    ...     warn_v_band(SimpleNamespace(bands=["f555w", "f814w"]), "detect")
    >>> [str(w.message)[-32:] for w in caught]
    ['first (e.g. --bands f814w,f275w)']
    """
    from starclass.bands import v_band_note

    if (note := v_band_note(list(mosaics.bands), command)) is not None:
        warnings.warn(note, stacklevel=2)


def check_on_image(table: Table, shape: tuple[int, int], source: str | os.PathLike, *, consequence: str,
                   action: str) -> int:
    """Warn naming the candidates of ``source`` whose pixel lies outside the mosaics; refuse when all do.

    Parameters
    ----------
    table
        The candidate catalogue (``x``, ``y``; ``id`` when present names the rows).
    shape
        ``(ny, nx)`` of the mosaics.
    source
        The catalogue file, for the message.
    consequence
        What happens to those candidates (``"they get class_pred 0"``).
    action
        What the command does, for the error when no candidate is on the image (``"classify"``).

    Returns
    -------
    int
        The number of candidates off the image.

    Raises
    ------
    StarclassError
        Every candidate is off the image (most likely a catalogue of another field, or 1-based
        positions of a tiny image): nothing to ``action``.

    Examples
    --------
    >>> from astropy.table import Table
    >>> check_on_image(Table({"id": [1, 2], "x": [1.0, 5.0], "y": [1.0, 1.0]}), (10, 10), "c.ecsv",
    ...                consequence="they get class_pred 0", action="classify")
    0
    """
    from starclass.stamps.extract import refuse_off_image

    # one function with the web page's check (inspect.field.load_field), so both say it alike
    return refuse_off_image(table, shape, str(source), consequence=consequence, action=action, warn=warn)


def check_image_inputs(mosaics: Sequence[Path] | None, catalog: Path | None, stamps: Path | None, *,
                       need: str) -> None:
    """Refuse a missing catalogue, mosaic or cutout folder by name, from the paths alone.

    Called before a command loads torch and its model (3-5 s on shared cores): ``classify`` with a misspelt
    catalogue said so only once both had loaded, and a missing mosaic was met after the model's member files
    were read, whose damage was then said instead of the mosaic's absence.

    Parameters
    ----------
    mosaics
        The mosaic files or folders given (a folder must hold a FITS file).
    catalog
        ``--catalog``.
    stamps
        ``--stamps``: given, it is the one input checked here.
    need
        The error when neither the mosaics with ``--catalog`` nor ``--stamps`` are given.

    Raises
    ------
    StarclassError
        ``catalogue PATH: no such file or directory`` (the catalogue reader's words), ``mosaic PATH: ...``,
        ``--stamps PATH: ...``, ``mosaic folder PATH holds no FITS image ...``, or ``need``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "cands.ecsv").write_text("")
    >>> _ = (d / "f555w.fits").write_bytes(b"")
    >>> check_image_inputs([d / "f555w.fits"], d / "cands.ecsv", None, need="give them")
    >>> check_image_inputs([d / "f814w.fits"], d / "cands.ecsv", None, need="give them")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: mosaic .../f814w.fits: no such file or directory
    """
    from starclass.io.mosaic import mosaic_inputs
    from starclass.io.paths import check_inputs_readable

    if stamps is not None:
        check_inputs_readable([("--stamps", stamps)])
        return
    if not mosaics or catalog is None:
        raise StarclassError(need)
    # the catalogue first: one file, named by the reader's own words; then each mosaic as given
    check_inputs_readable([("catalogue", catalog), *(("mosaic", m) for m in mosaics)])
    for m in mosaics:
        if m.is_dir() and len(mosaic_inputs([m])) < 2:  # the folder itself, then its FITS files
            raise StarclassError(f"mosaic folder {m} holds no FITS image ({FITS_NAMES})")
