"""What an import does to one sheet of the master, as data: planned by :mod:`.run`, applied by
:mod:`.writer` (the file) and by :mod:`indeks_opd.excel` (the live workbook)."""

from __future__ import annotations

from dataclasses import dataclass

from indeks_opd.contract.links import link_target


@dataclass(frozen=True)
class RowReplacement:
    """What an import does to one sheet of the master (``Realisasi`` or ``Indikator``); Excel row numbers.

    The imported OPDs' rows of the period (``old_rows``) are overwritten in order by
    ``records``; records beyond them go below ``last_row`` (the last data row of the
    sheet); old rows beyond the records have their contract cells emptied. Only the
    contract columns (``kolom``, field → the master's column letter) of those rows are
    touched; every other row and column stays as it is.
    """

    sheet: str
    kolom: dict[str, str]
    header_row: int
    old_rows: tuple[int, ...]
    last_row: int
    records: tuple[dict, ...]

    @property
    def end(self) -> int:
        """The row new rows are appended after (never above the header)."""
        return max(self.last_row, self.header_row)

    @property
    def appended_rows(self) -> list[int]:
        return list(range(self.end + 1, self.end + 1 + max(0, len(self.records) - len(self.old_rows))))

    def writes(self) -> list[tuple[int, dict | None]]:
        """``(row, record)`` for every row written, in row order; ``None`` empties the row's contract cells."""
        rows = list(self.old_rows) + self.appended_rows
        return sorted([(n, rec) for n, rec in zip(rows, self.records)]
                      + [(n, None) for n in self.old_rows[len(self.records):]], key=lambda w: w[0])

    def evidence_links(self) -> dict[str, tuple[str, str] | None]:
        """Cell → (link as typed, hyperlink address) of each written row's Bukti Dukung (None: no link there any
        more); empty when the sheet has no Bukti Dukung column.

        The cell shows the link as typed; the hyperlink opens :func:`~indeks_opd.contract.links.link_target`
        (docs/kontrak.md, "Bukti Dukung"). Only links the reader accepted reach a record."""
        kolom = self.kolom.get("bukti_dukung")
        if kolom is None:
            return {}
        return {f"{kolom}{n}": (rec["bukti_dukung"], link_target(rec["bukti_dukung"]))
                if rec and rec.get("bukti_dukung") else None
                for n, rec in self.writes()}
