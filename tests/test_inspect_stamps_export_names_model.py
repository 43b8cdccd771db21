"""``inspect --stamps LIST --export X``'s fine-tune names the model LIST was classified with (2026-12-07).

Its line said ``--resume-from MODEL`` even where the list (a ``classify --stamps`` output) names its model in its
meta, which the export already finds (``inspect_cmd._list_model``) to take the task from; the field export names
its catalogue's model since 2026-12-07 (tests/test_inspect_export_names_the_model.py). Where the model is gone the
placeholder stays, with why.
"""

from __future__ import annotations

import shlex
import shutil
import warnings

import pytest
from typer.testing import CliRunner

with warnings.catch_warnings():  # the installed starlette warns about httpx at import
    warnings.simplefilter("ignore")
    from starclass.inspect import db

from starclass.cli import app as cli
from starclass.learn.config import get_preset
from test_docs_commands import problems  # tests/ is on sys.path under pytest
from test_inspect_stamps import _classified_elsewhere, make_folder

pytestmark = pytest.mark.usefixtures("cheap_argon2")


def _fine_tune(output: str) -> tuple[list[str], str]:
    """The fine-tune command of the export's line, split as a shell would, and the words after it."""
    text = " ".join(output.split())
    command = "starclass train --stamps SO_FAR.csv" + text.split("starclass train --stamps SO_FAR.csv", 1)[1]
    words = shlex.split(command.split(" (", 1)[0])
    return words, command[len(shlex.join(words)):]


def test_the_fine_tune_resumes_from_the_model_the_list_names(tmp_path, monkeypatch):
    from starclass.inspect.cutouts import task_scheme
    from starclass.learn.checkpoint import write_untrained_model

    labels = make_folder(tmp_path / "pool", n=2)
    cfg = get_preset("m31-real", stamp_size=16)
    model = write_untrained_model(tmp_path / "m0", cfg)
    listed = tmp_path / "r1" / "classified.ecsv"
    _classified_elsewhere(labels, model, listed)  # meta 'model': the model's absolute path
    url = f"sqlite:///{tmp_path / 'inspect.sqlite'}"
    engine = db.make_engine(url)
    db.init_db(engine)
    scheme = task_scheme(cfg)
    db.bind_scheme(engine, "", scheme.name)
    uid = db.add_user(engine, "ann", "ann-password")
    db.save_label(engine, "", "cluster/o0.png", uid, 1, scheme=scheme)
    engine.dispose()
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(cli, ["inspect", "--stamps", str(listed), "--db", url, "--task", "m31-real",
                                   "--export", "a.csv"])
    assert res.exit_code == 0, res.output
    words, after = _fine_tune(res.output)
    # old code: '--resume-from MODEL -o NEW_MODEL'
    assert words[-4:] == ["--resume-from", "m0", "-o", "NEW_MODEL"], words
    assert not problems(words[1:]), problems(words[1:])
    assert "MODEL" not in " ".join(words[:-1]), words
    # the model gone: the placeholder, and why
    shutil.move(model, tmp_path / "elsewhere")
    res = CliRunner().invoke(cli, ["inspect", "--stamps", str(listed), "--db", url, "--task", "m31-real",
                                   "--export", "b.csv"])
    assert res.exit_code == 0, res.output
    words, after = _fine_tune(res.output)
    assert words[-4:] == ["--resume-from", "MODEL", "-o", "NEW_MODEL"], words
    assert after.startswith(" (MODEL: ") and "names model" in after and "which is no longer there" in after, after
