"""The one exception type users see.

Every error caused by bad input (a file, a column, a row, a parameter) is raised as
:class:`StarclassError` with a message that names the culprit. The CLI prints the message and
exits with status 2 instead of showing a traceback.
"""


class StarclassError(ValueError):
    """Bad input: the message names the file, column, row or parameter at fault."""
