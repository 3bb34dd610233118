"""Bundled sector concordances (CSV data), read by :mod:`silkchain.aggregation`."""
