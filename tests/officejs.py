"""xlwings' remote engine the way the Office.js add-in drives it, for tests on Linux.

``book_json(path)`` builds the request an Office.js client sends for a real .xlsx (every
sheet's used range from A1 with empty cells as "", dates as ISO text, workbook names with
their sheet index and address); ``xw.Book(json=...)`` on the remote engine opens it.
``Workbook.apply(actions)`` then does to that workbook what the client does with the
actions xlwings returns, for the actions *Hitung Indeks* uses (values are set as if typed: the
``2026-11-28 09:05:00`` text the remote engine sends for a ``datetime`` becomes a date-time), so tests assert on what a
user would see: values, number formats, fills, bold, sheets. An unknown action fails the
test instead of being ignored.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
from dataclasses import dataclass, field

import openpyxl
import xlwings as xw


def _client_value(v):
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.isoformat() + ".000Z"
    if isinstance(v, dt.date):
        return dt.datetime(v.year, v.month, v.day).isoformat() + ".000Z"
    return v


_TYPED_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$")
"""How xlwings' remote engine sends a ``datetime`` (``prepare_xl_data_element``); Excel parses it as typed."""


def book_json(path) -> dict:
    """The Office.js request payload for the workbook at ``path`` (cached values, as Excel shows them)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    sheets = []
    for ws in wb.worksheets:
        rows = [[_client_value(c.value) for c in r] for r in ws.iter_rows(min_row=1, min_col=1)]
        sheets.append({"name": ws.title, "values": rows or [[]], "pictures": [], "shapes": [], "charts": [],
                       "notes": [], "tables": [], "pivot_tables": [], "visibility": "Visible",
                       "show_gridlines": True, "print_area": None})
    names = []
    for nama, dn in wb.defined_names.items():
        sheet, ref = next(iter(dn.destinations))
        names.append({"name": nama, "sheet_index": wb.sheetnames.index(sheet), "address": ref,
                      "book_scope": True, "scope_sheet_name": None, "scope_sheet_index": None})
    return {"client": "Office.js", "version": xw.__version__,
            "book": {"name": os.path.basename(str(path)), "active_sheet_index": 0, "selection": "A1"},
            "names": names, "sheets": sheets}


@dataclass
class SheetState:
    """What a user sees on one sheet: values, number formats, fills, bold, wrapped and centred cells by
    (row, column), 1-based; column widths, row heights and the rows frozen at the top."""

    name: str
    values: dict = field(default_factory=dict)
    formats: dict = field(default_factory=dict)
    fills: dict = field(default_factory=dict)
    bold: set = field(default_factory=set)
    widths: dict = field(default_factory=dict)
    wrap: set = field(default_factory=set)
    centred: set = field(default_factory=set)
    heights: dict = field(default_factory=dict)
    frozen_rows: int = 0
    links: dict = field(default_factory=dict)
    """(row, column) → address of each hyperlink added (Office.js ``range.hyperlink``; its text is the value)."""

    def rows(self) -> list[list]:
        """Values as a list of rows from A1 to the last used cell (None for empty)."""
        if not self.values:
            return []
        n = max(r for r, _ in self.values)
        m = max(c for _, c in self.values)
        return [[self.values.get((r, c)) for c in range(1, m + 1)] for r in range(1, n + 1)]


class Workbook:
    """The workbook on the client side: the sheets sent, changed by the returned actions."""

    def __init__(self, payload: dict):
        self.sheets: list[SheetState] = []
        for s in payload["sheets"]:
            st = SheetState(s["name"])
            for i, row in enumerate(s["values"]):
                for j, v in enumerate(row):
                    if v != "":
                        st.values[(i + 1, j + 1)] = v
            self.sheets.append(st)
        self.alerts: list[str] = []

    def sheet(self, name: str) -> SheetState:
        return next(s for s in self.sheets if s.name == name)

    def names(self) -> list[str]:
        return [s.name for s in self.sheets]

    def _cells(self, a):
        for i in range(a["row_count"]):
            for j in range(a["column_count"]):
                yield a["start_row"] + i + 1, a["start_column"] + j + 1

    def apply(self, actions: list[dict]) -> Workbook:
        for a in actions:
            func = a["func"]
            st = self.sheets[a["sheet_position"]] if a["sheet_position"] is not None else None
            if func == "addSheet":
                ix, name = a["args"]
                self.sheets.insert(ix, SheetState(name))
            elif func == "sheetClear":
                self.sheets[a["sheet_position"]] = SheetState(st.name, widths=st.widths, heights=st.heights,
                                                              frozen_rows=st.frozen_rows)
            elif func == "setValues":
                for (r, c), v in zip(self._cells(a), (v for row in a["values"] for v in row)):
                    if isinstance(v, str) and v.startswith("'"):
                        v = v[1:]  # Excel's text marker: stored as text, not shown
                    elif isinstance(v, str) and v[:1] == "=":
                        raise AssertionError(f"formula written into {st.name}!{r},{c}: {v!r}")
                    elif isinstance(v, str) and _TYPED_DATETIME.match(v):
                        v = dt.datetime.fromisoformat(v)
                    if v == "" or v is None:
                        st.values.pop((r, c), None)
                    else:
                        st.values[(r, c)] = v
            elif func == "setNumberFormat":
                for rc in self._cells(a):
                    st.formats[rc] = a["args"][0]
            elif func == "setRangeColor":
                for rc in self._cells(a):
                    if a["args"][0] is None:
                        st.fills.pop(rc, None)
                    else:
                        st.fills[rc] = a["args"][0].upper()
            elif func == "setFontProperty" and a["args"][0] == "bold":
                for rc in self._cells(a):
                    (st.bold.add if a["args"][1] else st.bold.discard)(rc)
            elif func == "setColumnWidth":
                st.widths[a["start_column"] + 1] = a["args"][0]
            elif func == "setRowHeight":
                st.heights[a["start_row"] + 1] = a["args"][0]
            elif func == "setWrapText":
                for rc in self._cells(a):
                    (st.wrap.add if a["args"][0] else st.wrap.discard)(rc)
            elif func == "setHorizontalAlignment":
                for rc in self._cells(a):
                    (st.centred.add if a["args"][0] == "Center" else st.centred.discard)(rc)
            elif func == "freezePaneAtRange":
                first, _, last = a["args"][0].partition(":")
                assert first == "1" and last.isdigit(), a  # Office.js freezeAt: the rows 1..n stay on screen
                st.frozen_rows = int(last)
            elif func == "addHyperlink":
                (rc,) = self._cells(a)
                st.links[rc] = a["args"][0]
                st.values[rc] = a["args"][1]
            elif func == "alert":
                self.alerts.append(a["args"][0])
            else:
                raise AssertionError(f"action not modelled by the test client: {a}")
        return self


def payload_of(wb: Workbook, like: dict) -> dict:
    """The request the client would send next time, for the workbook as it is now (names kept from ``like``)."""
    sheets = []
    for st in wb.sheets:
        rows = [[_client_value(v) for v in r] for r in st.rows()] or [[]]
        sheets.append({**like["sheets"][0], "name": st.name, "values": rows})
    names = [dict(n, sheet_index=wb.names().index(like["sheets"][n["sheet_index"]]["name"])) for n in like["names"]]
    return {**like, "sheets": sheets, "names": names}


def run_remote(payload: dict, fn):
    """Run ``fn(book)`` on xlwings' remote engine for ``payload``; returns (workbook after, actions, fn's result).

    The payload is copied first: the remote engine updates its own copy while the script runs.
    """
    before = Workbook(payload)
    book = xw.Book(json=copy.deepcopy(payload))
    result = fn(book)
    actions = book.json()["actions"]
    return before.apply(actions), actions, result
