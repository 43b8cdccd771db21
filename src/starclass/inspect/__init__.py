"""``starclass inspect``: a web page where people classify cluster candidates.

Modules
-------
db
    SQLAlchemy models (users, sessions, labels, label history), schema version and migrations;
    the checks that keep labels from being lost (no new database unless asked, the SQLite
    file's identity while serving, writability at start).
backup
    A consistent, atomic copy of a SQLite database; the ``pg_dump`` commands for PostgreSQL.
passwords
    argon2id password hashes (used by ``db`` for new accounts and ``auth`` at login).
auth
    Logins, server-side sessions, CSRF tokens.
render
    The pictures a classifier looks at (colour composite, V-band stamp, contours, radial
    profile with FWHM, context view), rendered once and cached as PNG files.
schemes
    Label schemes per task (``phangs`` 1-4, ``m31-check`` 0/1/2 scores summed over two
    inspectors, ``galaxy-cluster`` 1-5), and a task's own classes for cutout folders: values,
    keys, meanings, consensus rule.
consensus
    Mode (with the tie rule), mean, pairwise and individual-vs-mode agreement, and votes
    weighted by agreement with the majority (Zooniverse style); summed scores (score schemes).
agreement
    Two inspectors: fraction agreeing, Cohen's kappa (weighted for ordinal scores), cross-table.
export
    Labels -> a catalogue with ``class_h<k>`` (or ``score_h<k>`` and ``score_sum``) and
    ``class_ref`` that ``train``/``evaluate`` read.
field
    The data one server shows: mosaics, candidates, predictions (``load_field``).
cutouts
    A cutout folder (``inspect --stamps``) as a field: one candidate per file, the cutout itself
    as the picture, the task's classes as keys, an export that ``train --stamps`` reads.
routes
    One FastAPI router per thing served (pages, sessions, candidates, labels, data files).
app
    The FastAPI application (``create_app`` assembles the routers) and ``serve``.
listen
    The socket ``serve`` listens on, bound by the command before it opens the database (standard
    library alone: a port in use is refused before FastAPI and uvicorn are imported).
"""

from starclass import lazy_exports

#: The consensus functions, loaded on first use (PEP 562): imported here, they brought astropy.table
#: (0.27 s) into every import of a submodule, and ``inspect`` binds its port through
#: :mod:`.listen` before its first line, which came 0.26 s later than before the bind (measured by
#: benchmarks/startup.py: 0.65 s against 0.39 s)
_EXPORTS = dict.fromkeys(("consensus_table", "individual_vs_mode", "label_matrix", "majority_weights",
                          "mode_with_ties", "pairwise_agreement", "weighted_vote"), ".consensus")

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
