"""The one exception type users see.

Every error caused by bad input (a file, a column, a row, a parameter) is raised as
:class:`StarclassError` with a message that names the culprit. The CLI prints the message and
exits with status 2 instead of showing a traceback.
"""


class StarclassError(ValueError):
    """Bad input: the message names the file, column, row or parameter at fault."""


class ColumnMapError(StarclassError):
    """A column map names a column the file does not have (``--map``): the map, not the file, is at fault.

    ``starclass info DIR`` tells it apart from a file that cannot be read at all, which it lists
    and skips: a map that does not fit a file it applies to stops the summary, naming the file.

    Examples
    --------
    >>> isinstance(ColumnMapError("column 38 in the column map does not exist"), StarclassError)
    True
    """
