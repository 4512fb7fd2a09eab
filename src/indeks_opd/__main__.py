"""``python -m indeks_opd`` runs the same command line as ``indeks-opd``."""

from indeks_opd.cli import main

raise SystemExit(main())
