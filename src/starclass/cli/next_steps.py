"""The active-learning loop's next steps on mosaics, said alike by ``suggest`` and ``inspect --export``.

After a round on a field, ``suggest`` printed ``train --mosaics F --catalog CANDIDATES --labels LABELS.ecsv``
and ``inspect --export`` ``train --mosaics F --catalog LABELS.ecsv``: two fine-tunes for one step, and both on
the field's labels alone, where on cutouts a fine-tune on a round's labels alone forgot what its start had learnt
(docs/uncertainty.md: 0.566 on the test cutouts, 0.783 with the cutouts labelled so far beside them). One function
builds the command now (:func:`field_fine_tune`), with the fields the model was trained on beside the export
(suggest names the export itself: :func:`starclass.cli.suggest_cmd.export_file`).
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Sequence

#: The fields a model was trained on, in a fine-tune command where they are not known.
SO_FAR_FIELD = ("SO_FAR_DIR", "SO_FAR.ecsv")

#: What the placeholders of :data:`SO_FAR_FIELD` stand for, said after the command that holds them.
SO_FAR_WORDS = ("SO_FAR_DIR and SO_FAR.ecsv: the field MODEL was trained on and its labelled catalogue, one "
                "--mosaics/--catalog pair for each field ('starclass info MODEL'); on the labels of one round "
                "alone a fine-tune can forget what MODEL learnt")


def recorded_so_far(model_doc: dict | None, data_dir: str | os.PathLike | None) -> list[tuple[str, str]] | None:
    """The fields a model's manifest records it was trained on, as ``(mosaics folder, catalogue)`` pairs.

    The field being labelled (``data_dir``) is left out: its export holds its labels. None where the
    manifest records no field, or a field's mosaics are not in one folder (a fine-tune command could not
    name it as one ``--mosaics``).

    Examples
    --------
    >>> doc = {"training_fields": [{"mosaics": ["/d/a/x_f555w.fits", "/d/a/x_f814w.fits"],
    ...                             "catalog": "/d/a/truth.ecsv"}]}
    >>> recorded_so_far(doc, "/d/b")
    [('/d/a', '/d/a/truth.ecsv')]
    >>> recorded_so_far(doc, "/d/a"), recorded_so_far({}, "/d/b")
    ([], None)
    """
    from starclass.learn.checkpoint import trained_fields

    fields = trained_fields(model_doc)
    if not fields:
        return None
    here = os.path.abspath(data_dir) if data_dir is not None else None
    pairs = []
    for f in fields:
        folders = {os.path.dirname(os.path.abspath(str(m))) for m in f.get("mosaics") or ()}
        if len(folders) != 1 or not f.get("catalog"):
            return None
        folder = folders.pop()
        if folder != here:
            pairs.append((folder, str(f["catalog"])))
    return pairs


def field_fine_tune(data_dir: str, export: str, model: str = "MODEL",
                    so_far: Sequence[tuple[str, str]] | None = None) -> str:
    """The fine-tune after a round on a field: the fields the model was trained on, and the round's export.

    Parameters
    ----------
    data_dir : str
        The field's mosaics folder, as the line names it (quoted where needed, or ``DATA_DIR``).
    export : str
        The export ``inspect --export`` wrote (every label of the field so far).
    model : str
        The starting model (``MODEL`` where not known).
    so_far : sequence of (str, str), optional
        ``(mosaics folder, catalogue)`` of each field the model was trained on
        (:func:`recorded_so_far`); None: the placeholders of :data:`SO_FAR_FIELD`.

    Returns
    -------
    str
        The command, its words quoted for a shell.

    Examples
    --------
    >>> print(field_fine_tune("f1", "labels.ecsv"))  # doctest: +NORMALIZE_WHITESPACE
    starclass train --mosaics SO_FAR_DIR --catalog SO_FAR.ecsv --mosaics f1 --catalog labels.ecsv
    --resume-from MODEL -o NEW_MODEL
    >>> print(field_fine_tune("f1", "labels 1.ecsv", "m 0", [("/d/a", "/d/a/truth.ecsv")]))
    ... # doctest: +NORMALIZE_WHITESPACE
    starclass train --mosaics /d/a --catalog /d/a/truth.ecsv --mosaics f1 --catalog 'labels 1.ecsv'
    --resume-from 'm 0' -o NEW_MODEL
    """
    q = shlex.quote
    pairs = [SO_FAR_FIELD] if so_far is None else list(so_far)
    before = "".join(f" --mosaics {q(m) if m != SO_FAR_FIELD[0] else m} --catalog {q(c)}" for m, c in pairs)
    return (f"starclass train{before} --mosaics {data_dir} --catalog {q(export)} --resume-from "
            f"{q(model) if model != 'MODEL' else model} -o NEW_MODEL")
