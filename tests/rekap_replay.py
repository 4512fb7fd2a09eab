"""The live cells of a workbook's ``Rekap``, computed the way Excel computes them, without Excel.

Excel's own functions (the OPD list, its Kelompok, the guards) come from a recalculated copy
(LibreOffice, or the build's cached values); every Python UDF call of a Rekap formula is then
made through xlwings Server's call path (``tests/xlwings_server.py``) with its arguments
resolved the way Excel passes them — cells, ranges, defined names, table parts, with date cells
as the serial numbers Office.js sends — column after column in dependency order, each result
feeding the next formulas. ``replay_rekap`` returns what each cell shows.
"""

from __future__ import annotations

import datetime as dt
import re

from xlwings.utils import datetime_to_xlserial

from indeks_opd.artefacts.workbook import REKAP_COLUMNS, REKAP_FIRST_ROW, REKAP_ROWS, UDF_NAMES

_TEST = re.compile(r'(\$?[A-Z]{1,3}\$?[0-9]+)(=|<>)""')


def _arguments(text: str) -> list[str]:
    """The top-level arguments of a call's argument text (commas inside brackets and quotes kept)."""
    args, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "([":
            depth += 1
        elif not quoted and ch in ")]":
            depth -= 1
        elif not quoted and ch == "," and depth == 0:
            args.append(text[start:i])
            start = i + 1
    return [*args, text[start:]]


def udf_calls(formula: str):
    """(function name, [argument texts]) of each UDF call in a formula."""
    for m in re.finditer(r"\b(" + "|".join(UDF_NAMES) + r")\(", formula):
        depth, args, start = 1, [], m.end()
        for i in range(m.end(), len(formula)):
            ch = formula[i]
            if ch in "([":
                depth += 1
            elif ch in ")]":
                depth -= 1
                if depth == 0:
                    args.append(formula[start:i])
                    break
            elif ch == "," and depth == 1:
                args.append(formula[start:i])
                start = i + 1
        yield m.group(1), args


def _cell(v):
    """A cell value as the Office.js client sends it: dates as serial numbers, blanks as None."""
    if isinstance(v, dt.datetime):
        return datetime_to_xlserial(v)
    if isinstance(v, dt.date):
        return datetime_to_xlserial(dt.datetime(v.year, v.month, v.day))
    return None if v == "" else v


def _grid(ws, ref: str) -> list[list]:
    cells = ws[ref.replace("$", "")]
    if not isinstance(cells, tuple):
        return [[_cell(cells.value)]]
    return [[_cell(c.value) for c in r] for r in cells]


class Rekap:
    """The Rekap of one workbook: formulas from ``formulas`` (openpyxl, formulas), values from ``values``
    (openpyxl, data_only) updated with every UDF result."""

    def __init__(self, formulas, values):
        self.formulas, self.values = formulas, values
        self.rekap = values["Rekap"]

    def resolve(self, arg: str):
        """The value an Excel argument stands for (a quoted text, a defined name, a table part, a range)."""
        arg = arg.strip()
        if arg.startswith('"'):
            return arg.strip('"')
        if re.fullmatch(r"[0-9]+", arg):
            return int(arg)
        names = {n: d.attr_text for n, d in self.formulas.defined_names.items()}
        if arg in names:
            sheet, cell = names[arg].split("!")
            return _cell(self.values[sheet][cell.replace("$", "")].value)
        table = re.fullmatch(r"(tbl\w+)\[(#All|[^\]]+)\]", arg)
        if table:
            ws, t = next((ws, ws.tables[table[1]]) for ws in self.formulas.worksheets if table[1] in ws.tables)
            grid = _grid(self.values[ws.title], t.ref)
            if table[2] == "#All":
                return grid
            j = grid[0].index(table[2])
            return [[r[j]] for r in grid[1:]]
        if "!" in arg:
            sheet, ref = arg.split("!")
            return _grid(self.values[sheet], ref)
        grid = _grid(self.rekap, arg)
        return grid if ":" in arg else grid[0][0]

    def _holds(self, condition: str) -> bool:
        """An IF condition of a Rekap formula: ``ref=""``, ``ref<>""``, or AND/OR of them."""
        m = re.fullmatch(r"(AND|OR)\((.*)\)", condition)
        if m:
            return (all if m[1] == "AND" else any)(self._holds(c) for c in _arguments(m[2]))
        ref, op = _TEST.fullmatch(condition).groups()
        blank = self.rekap[ref.replace("$", "")].value in (None, "")
        return blank if op == "=" else not blank

    def _evaluate(self, formula: str, server):
        """What a formula shows: its IF guards as Excel evaluates them, then its one UDF call."""
        while formula.startswith("IF("):
            condition, then, otherwise = _arguments(formula[3:-1])
            if self._holds(condition):
                return then.strip('"')
            formula = otherwise
        (name, args), = udf_calls(formula)
        (shown,), = server.call(name, *[self.resolve(a) for a in args])
        if formula.startswith("IFERROR(") and isinstance(shown, str) and shown.startswith("#"):
            return ""
        return shown

    def compute(self, coordinate: str, server) -> None:
        """Compute one formula cell with a UDF call and store what it shows."""
        formula = self.formulas["Rekap"][coordinate].value
        if list(udf_calls(formula)):
            self.rekap[coordinate].value = self._evaluate(formula[1:], server)


def _order() -> list[int]:
    """Rekap column indexes in the order their UDF cells depend on each other: headings, the components,
    the index, then what reads the index."""
    letters = {c.header: i for i, c in enumerate(REKAP_COLUMNS)}
    lain = [i for i, c in enumerate(REKAP_COLUMNS) if c.header.startswith("Komponen lain")]
    return [letters[h] for h in ("Serapan Anggaran", "Realisasi Fisik", "Capaian Kinerja Program", "P3DN")] + lain + [
        letters[h] for h in ("Indeks", "Kategori", "Zona", "Peringkat", "Perkiraan Hadiah", "Peringkat Umum")]


def replay_rekap(formulas, values, server) -> list[dict]:
    """Every filled Rekap row as ``{header shown: value shown}`` (blank: ""), the UDF cells computed through
    ``server``; a column whose heading is blank is named by its ``REKAP_COLUMNS`` header."""
    from openpyxl.utils import get_column_letter

    rekap = Rekap(formulas, values)
    heading_row = REKAP_FIRST_ROW - 1
    for j, c in enumerate(REKAP_COLUMNS):
        if c.heading:
            rekap.compute(f"{get_column_letter(j + 1)}{heading_row}", server)
    rows = [r for r in range(REKAP_FIRST_ROW, REKAP_FIRST_ROW + REKAP_ROWS) if rekap.rekap[f"B{r}"].value]
    for j in _order():
        for r in rows:
            rekap.compute(f"{get_column_letter(j + 1)}{r}", server)
    headers = [rekap.rekap.cell(heading_row, j + 1).value or c.header for j, c in enumerate(REKAP_COLUMNS)]
    return [{h: "" if (v := rekap.rekap.cell(r, j + 1).value) is None else v for j, h in enumerate(headers)}
            for r in rows]
