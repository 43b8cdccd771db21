"""A survey's output folder lock holds on file systems whose ``flock`` is local to one machine (2026-12-05).

Before: ``starclass survey`` locked ``OUT/.survey.lock`` with ``flock`` only. On NFS mounted with
``local_lock=flock`` (or ``nolock``), as under many dask-jobqueue clusters, a lock taken on one node
is not seen from another, so a second survey started on another node ran every tile and merged
over the first. Now the holder writes its pid, host and start into the file (synced) and clears it
when it ends; a survey finding another host named there refuses, saying how to clear a stale one.
A lock held on "another host" is simulated by writing its record into the file.
"""

from __future__ import annotations

import json
import os
import socket

import pytest

from starclass.errors import StarclassError
from starclass.survey.run import LOCK_NAME, survey_lock

pytest.importorskip("fcntl")  # no flock (Windows): no lock is taken at all


def _record(host: str, pid: int = 4242) -> str:
    return json.dumps({"pid": pid, "host": host, "started": "2026-12-05 00:00:00"}) + "\n"


def test_a_survey_named_in_the_lock_file_on_another_host_is_not_overrun(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    other = "node-17-" + socket.gethostname()  # surely not this machine
    (out / LOCK_NAME).write_text(_record(other))  # its flock is on node 17: this host sees it free
    with pytest.raises(StarclassError) as err:
        with survey_lock(out):
            pytest.fail("the folder of a survey running on another host was taken")
    said = str(err.value)
    assert (f"survey output {out} is being written by another survey (pid 4242 on {other}, started 2026-12-05 "
            f"00:00:00), on another machine, according to {out / LOCK_NAME}; wait for it to end") in said, said
    assert f"If no survey runs on {other} any more" in said and f"remove {out / LOCK_NAME} and start again" in said
    assert (out / LOCK_NAME).read_text() == _record(other)  # its record is left as it was
    # the documented way out, once that survey is known to be gone
    (out / LOCK_NAME).unlink()
    with survey_lock(out):
        pass


def test_the_holder_names_itself_while_it_runs_and_clears_the_file_when_it_ends(tmp_path):
    out = tmp_path / "out"
    with survey_lock(out):
        rec = json.loads((out / LOCK_NAME).read_text())
        assert rec["pid"] == os.getpid() and rec["host"] == socket.gethostname() and rec["started"]
    assert (out / LOCK_NAME).read_text() == ""
    with pytest.raises(RuntimeError):  # a survey that fails clears it too
        with survey_lock(out):
            raise RuntimeError("a tile failed")
    assert (out / LOCK_NAME).read_text() == ""


@pytest.mark.parametrize("left", ["this host", "plain line"])
def test_a_leftover_record_whose_lock_is_free_here_is_taken_over(tmp_path, left):
    """A survey killed (kill -9) on this host left its record: this host's flock is free, so none runs.
    A plain line is what versions before 2026-12-05 wrote and never cleared: no survey is named by it."""
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK_NAME).write_text(_record(socket.gethostname(), pid=1) if left == "this host"
                                 else "pid 4242 on node-17, started 2026-12-05 00:00:00\n")
    with survey_lock(out):
        assert json.loads((out / LOCK_NAME).read_text())["pid"] == os.getpid()
    assert (out / LOCK_NAME).read_text() == ""


def test_a_lock_held_on_this_host_names_the_holder_from_its_record(tmp_path):
    import fcntl

    out = tmp_path / "out"
    out.mkdir()
    with open(out / LOCK_NAME, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write(_record("head"))
        held.flush()
        with pytest.raises(StarclassError, match=r"being written by another survey \(pid 4242 on head, started "
                                                 r"2026-12-05 00:00:00\); wait for it to end"):
            with survey_lock(out):
                pass
