"""``inspect DATA --init --export OUT`` refused for OUT's path leaves no new label database behind.

``--export DIR`` (a folder) or an existing OUT without ``--overwrite`` was refused, exit 2, only after
``--init`` had made ``inspect.sqlite``: a refusal that wrote a file. The export's paths are now checked
before the database is made, with the same messages.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.datasets.labelling import make_demo_field

pytestmark = pytest.mark.usefixtures("cheap_argon2")
runner = CliRunner()


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return make_demo_field(tmp_path_factory.mktemp("field"), n=6, size=120, seed=5)


@pytest.mark.parametrize("kind", ["folder", "existing file"])
def test_an_export_path_refused_before_init_makes_the_database(demo_dir, tmp_path, kind):
    db = tmp_path / "labels.sqlite"
    out = tmp_path / ("exports" if kind == "folder" else "old.ecsv")
    if kind == "folder":
        out.mkdir()
    else:
        out.write_text("# an older export\n")
    r = runner.invoke(cli, ["inspect", str(demo_dir), "--db", f"sqlite:///{db}", "--init", "--no-prerender",
                            "--export", str(out)])
    assert r.exit_code == 2, r.output
    said = "is a folder" if kind == "folder" else "give --overwrite"
    assert f"error: --export {out}" in r.output and said in r.output, r.output
    assert not db.exists(), "the refused command made the label database"
    assert list(tmp_path.glob("labels.sqlite*")) == []
    if kind != "folder":
        assert out.read_text() == "# an older export\n"
