"""Synthetic data for tests, benchmarks, the demo and notebooks (the habit of ``photutils.datasets``).

These are quick toy makers, not the physical simulator (that is :mod:`starclass.simulate`):

================  ==============================================================
module            what it makes
================  ==============================================================
``stamps``        labelled toy stamps for every task kind, and toy candidate fields
``fields``        a quick multi-band field of Gaussian sources (detection tests)
``catalogs``      truth / human / predicted catalogues with known agreement
``labelling``     a small field written to disk for the labelling web page
================  ==============================================================
"""
