"""The quarter as a workflow (issue 16, docs/alur.md): OPD statuses, verification, period locks.

- :mod:`~indeks_opd.alur.rules` — pure state transitions and refusals;
- :mod:`~indeks_opd.alur.sheets` — the Status and Periode sheets and the Log rows as output models;
- :mod:`~indeks_opd.alur.tamper` — fingerprints of a locked period and their check;
- :mod:`~indeks_opd.alur.master` — the file adapter: read the state from a master, write a change.
"""

__all__ = ["master", "rules", "sheets", "tamper"]
