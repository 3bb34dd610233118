"""Labelled GVC measures: thin wrappers over :mod:`silkchain.core` returning tidy frames.

Every function takes an :class:`~silkchain.MRIOTable` and returns a long
``pandas.DataFrame`` whose columns are the dimensions the level has
(``exporter, sector, importer, term, value`` for decompositions;
``country, sector, partner, measure, value`` for indicators). Use
:func:`silkchain.measures.tidy.pivot_wide` for a wide table.
"""
