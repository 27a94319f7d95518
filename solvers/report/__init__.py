"""report: what a sweep's results database says, as statistics (:mod:`~solvers.report.stats`), figures
(:mod:`~solvers.report.plots`) and an HTML report (:mod:`~solvers.report.page`): one main page and one
page per family.

The constants below are what the command line offers; they live here so
that building its parser loads none of the modules.
"""

FIGURES = ("phase_transition", "solve_times", "cactus", "success_region")
"""The figures :func:`solvers.report.plots.write_plots` draws per family, in order."""

FORMATS = ("png", "svg", "pdf")
"""File formats :func:`solvers.report.plots.write_plots` writes."""
