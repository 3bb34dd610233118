"""Numpy-only mathematics of multi-regional input-output tables.

Nothing in this package knows about labels, pandas or files: functions take
and return ndarrays, with shapes documented in terms of ``G`` countries,
``N`` sectors and ``K`` final-demand categories per country.
"""
