"""Shared test fixtures.

Tests that need the real catalogues in ``../shared/data`` use the fixtures here, which skip
(with a reason) when that folder is absent, so the suite runs anywhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
LEGUS_TAB = SHARED_DATA / "legus" / "hlsp_legus_hst_wfc3_ngc1566_multiband_v1_padagb-mwext-avgapcor.tab"
SSP_TABLE = SHARED_DATA / "ssp" / "yggdrasil_Z0.020_kroupa_fcov1_inst_HST_AB.txt"


@pytest.fixture(scope="session")
def legus_tab() -> Path:
    """Path of the real LEGUS NGC 1566 catalogue; skips when ../shared is absent."""
    if not LEGUS_TAB.exists():
        pytest.skip(f"real LEGUS catalogue not available at {LEGUS_TAB}")
    return LEGUS_TAB


@pytest.fixture(scope="session")
def shared_ssp() -> Path:
    """Path of the shared Yggdrasil SSP table; skips when ../shared is absent."""
    if not SSP_TABLE.exists():
        pytest.skip(f"shared SSP table not available at {SSP_TABLE}")
    return SSP_TABLE


@pytest.fixture()
def single_thread():
    """One thread for torch and BLAS: spinning OpenMP threads stall on a shared 2-core machine."""
    import torch
    from threadpoolctl import threadpool_limits

    n = torch.get_num_threads()
    torch.set_num_threads(1)
    with threadpool_limits(1):
        yield
    torch.set_num_threads(n)
