"""Presentation: how figures, periods and messages read to users (Indonesian), and shared colours.

Layer: imports only :mod:`indeks_opd.core` (``docs/arsitektur.md``). Used by the contract's
output sheets, the CLI, the Excel shell, the templates and the rapor.
"""

from indeks_opd.present import fmt, messages, style

__all__ = ["fmt", "messages", "style"]
