"""``python -m solvers`` runs the ``trainhard`` command line."""

from .cli import main

raise SystemExit(main())
