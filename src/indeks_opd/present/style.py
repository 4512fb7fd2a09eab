"""Colours every generated workbook, template and rapor share (``docs/excel-layer.md``, "Warna").

Hex ``RRGGBB`` without ``#``; writers that want ``#RRGGBB`` (XlsxWriter, ReportLab, matplotlib)
prefix it.
"""

HEADER = "1F4E78"
"""Dark blue of column headers and titles."""
INPUT = "FFF2CC"
"""Light yellow of the cells users fill."""
GRID = "BFBFBF"
"""Thin cell borders."""
NOTE = "595959"
"""Grey of notes under titles."""

BAD = "FFC7CE"
"""Light red of rows that need action: a galat in Masalah, an OPD sent back (Perlu Perbaikan)."""
WARN = "FFEB9C"
"""Light amber of rows to look at: a peringatan in Masalah, an OPD waiting for verification (Diterima)."""
GOOD = "C6EFCE"
"""Light green of finished rows: an OPD Terverifikasi."""
LINK = "0563C1"
"""Blue of hyperlinks (Excel's own Hyperlink style): evidence links in the master, templates and rapor."""
