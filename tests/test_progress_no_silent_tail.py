"""A count reaches 100% only when its work is done: no silent stretch after it.

``detect`` said ``photometry: 2 of 2 steps (100%)`` and then nothing for ~7 s (loaded machine) while the V band's
FWHM fit and the aperture corrections (the curve of growth) ran; now they are the count's last two steps. Tested
through the counts the bar is fed and the order of the work, never by timing.
"""

from __future__ import annotations

import pytest


@pytest.fixture()
def events(monkeypatch):
    """The photometry bar's counts, ``("count", n_done, total)``, and the steps after the blocks, in order."""
    import starclass.detect.photometry as phot
    from starclass.io.progress import Progress

    seen: list[tuple] = []
    update, fwhm, corrections = Progress.update, phot.fit_fwhm, phot.CandidatePhotometry._aperture_corrections

    def record(self, n: int = 1) -> None:
        update(self, n)
        if self.desc == "photometry":
            seen.append(("count", self.n, self.total))

    def fit(*args, **kwargs):
        seen.append(("fwhm",))
        return fwhm(*args, **kwargs)

    def corr(*args, **kwargs):
        seen.append(("corrections",))
        return corrections(*args, **kwargs)

    monkeypatch.setattr(Progress, "update", record)
    monkeypatch.setattr(phot, "fit_fwhm", fit)
    monkeypatch.setattr(phot.CandidatePhotometry, "_aperture_corrections", corr)
    return seen


def test_photometry_reaches_its_total_after_the_fwhm_fit_and_the_corrections(events):
    from starclass.datasets.fields import synthetic_field
    from starclass.detect import measure

    mosaics, table = synthetic_field((96, 96), 5, bands=("f555w", "f814w"), seed=1)
    measure(mosaics, table["x", "y"], progress=False, chunk=3)
    counts = [e for e in events if e[0] == "count"]
    assert counts and counts[-1][1] == counts[-1][2], events  # the count ends at its total
    done = events.index(counts[-1])
    # nothing of the measurement is left once the count stands at its total
    assert events.index(("fwhm",)) < done and events.index(("corrections",)) < done, events
    # and the blocks are counted: 2 blocks (3 + 2 sources) x 2 bands, then the two steps after them
    assert counts[-1][2] == 2 * 2 + 2, counts
