"""A survey plan written by ``simulate --fields`` runs without a warning about its own positions."""

from __future__ import annotations

import warnings

import numpy as np

from starclass.detect.photometry import keep_given_photometry
from starclass.io.catalog import read_catalog
from starclass.simulate import SimConfig
from starclass.simulate.survey import simulate_survey
from starclass.survey.plan import read_plan


def test_simulate_s_own_truth_as_positions_keeps_no_column_renamed(tmp_path):
    # every survey of simulate's plan warned "the positions of field 'SIM-M31-001': ... kept renamed:
    # 'crowding' -> 'crowding_input'": the truth, listed as the positions, named its true neighbour count
    # as the schema names the measured one
    simulate_survey(SimConfig(shape=(64, 64), n_candidates=8), tmp_path, 2)
    plan = read_plan(tmp_path / "plan.yaml")
    assert len(plan.fields) == 2
    for spec in plan.fields:
        assert spec.positions is not None
        positions = read_catalog(spec.positions)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # the warning the survey's tiles hand over, raised here
            assert keep_given_photometry(positions, f"the positions of field {spec.name!r}") == []
        # the true count is still there, under its own name, and counts neighbours
        assert "crowding_true" in positions.colnames and "crowding" not in positions.colnames
        assert np.all(np.asarray(positions["crowding_true"]) >= 0)


def test_a_given_catalogue_s_own_crowding_is_still_kept_renamed_with_a_warning():
    # the warning stays for a real clash: a catalogue that carries its own 'crowding'
    from astropy.table import Table

    t = Table({"x": [5.0], "y": [5.0], "crowding": [3]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert keep_given_photometry(t, "cat.ecsv") == ["'crowding' -> 'crowding_input'"]
    assert any("'crowding' -> 'crowding_input'" in str(w.message) for w in caught)
