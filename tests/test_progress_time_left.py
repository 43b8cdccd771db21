"""A log's progress lines say how long the rest takes, as a bar does.

Before: ``starclass train --task legus4 -m field/ -c field/truth.ecsv -o model/ > run.log 2>&1`` (the training
docs' quick start, on a CPU) said ``legus4 member 1/1 (starcnet): 1 of 330 batches (0%), 1 min 57 s`` and left the
ten hours to come to the reader's arithmetic; a terminal's tqdm bar shows its remaining time.
"""

from __future__ import annotations

import logging

from starclass.io.progress import LOGGER, Progress, duration


class _Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def _lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER]


def test_a_line_between_the_first_and_the_last_says_the_time_left(caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    clock = _Clock()
    per_batch = 117.0
    with Progress(330, desc="legus4 member 1/1 (starcnet)", noun="batch", plural="batches", show=None,
                  clock=clock) as bar:
        for _ in range(330):
            clock.t += per_batch
            bar.update(1)
    said = _lines(caplog)
    assert said[0] == "legus4 member 1/1 (starcnet): 0 of 330 batches (0%), 0 s", said  # nothing done: no rate
    # the first line after the start: at the rate so far, the batches left take 117 s each
    first = said[1]
    n = int(first.split(": ")[1].split(" of ")[0])
    assert first.endswith(f", about {duration(per_batch * (330 - n))} left"), first
    assert "about 10 h" in first, first  # the first line already foretells the hours
    assert all(" left" in line for line in said[1:-1]), said
    assert said[-1].startswith("legus4 member 1/1 (starcnet): 330 of 330 batches (100%), ") and "left" not in said[-1]


def test_an_unknown_total_says_no_time_left(caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    clock = _Clock()
    with Progress(None, desc="reading", noun="row", show=None, clock=clock) as bar:
        clock.t += 400.0
        bar.update(5)
    assert _lines(caplog) and not any("left" in line for line in _lines(caplog)), _lines(caplog)
