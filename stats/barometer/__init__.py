"""Telemarksforsking's Attraktivitetsbarometer, rebuilt from the shipped SSB numbers (seed 003).

``data``: the three-year period frame on the 2017 structure (net migration incl. immigration per 100
inhabitants, private job growth own and neighbours, size, the integration substitute) and its
decomposition; ``model``: the regressions per period, residuals with intervals, empirical-Bayes shrinkage
and ranks with uncertainty; ``validate``: agreement with Telemarksforsking's own residuals (a reference
read from /work/shared only by tests and the maintainer's script, never shipped).
"""
