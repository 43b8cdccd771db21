"""A survey's tile digests take the mask and DQ flags as what they mean, not as they are spelt.

``mask_extension: bpm`` in the plan and ``--mask-extension BPM`` on a rerun (or ``'4+16'`` and
``'16,4'``) apply the same pixels, but entered the digests as different strings: every finished
tile of a long survey was computed again.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from starclass.survey.plan import FieldSpec, SurveyPlan

FIELDS = (FieldSpec("a", (Path("a"),)),)


@pytest.mark.parametrize(("first", "second"), [
    ({"mask_extension": "bpm"}, {"mask_extension": " BPM "}),
    ({"dq_good_bits": "4+16"}, {"dq_good_bits": "16,4"}),
    ({"dq_good_bits": "~4096"}, {"dq_good_bits": " ~4096"}),
    ({"mask_extension": "Mask", "dq_good_bits": "0"}, {"mask_extension": "MASK", "dq_good_bits": " 0 "}),
])
def test_respelt_flags_keep_the_digest_settings(first, second):
    a = SurveyPlan(fields=FIELDS, **first).settings()
    b = SurveyPlan(fields=FIELDS, **second).settings()
    assert a == b
    assert a != SurveyPlan(fields=FIELDS).settings()  # the flags do count


def test_other_flags_change_the_settings_and_none_leaves_them_as_before():
    plain = SurveyPlan(fields=FIELDS).settings()
    assert "mask_extension" not in plain and "dq_good_bits" not in plain  # old plans keep their digests
    assert (SurveyPlan(fields=FIELDS, dq_good_bits="4").settings()
            != SurveyPlan(fields=FIELDS, dq_good_bits="~4").settings())
    assert (SurveyPlan(fields=FIELDS, mask_extension="BPM").settings()
            != SurveyPlan(fields=FIELDS, mask_extension="MASK").settings())
