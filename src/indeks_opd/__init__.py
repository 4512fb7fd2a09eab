"""Indeks Kinerja OPD: quarterly performance index of city agencies (OPD).

The pure scoring core lives in :mod:`indeks_opd.core`; readers, writers, the CLI and the
Excel layer are thin shells around it (see ``docs/arsitektur.md``).
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
