"""xlwings Server's Python side in its own interpreter, for the UDF and script tests.

``XlwingsServer`` (fixture ``xlwings_server`` in conftest.py) starts this file as a script with
``XLWINGS_ON_SERVER=true``, so that ``xw.func`` and ``xw.script`` are xlwings Server's
decorators, as in a real deployment. The script reads one JSON request per line on stdin and
answers one JSON line on stdout:

- ``{"op": "meta"}``: ``custom_functions_meta(indeks_opd.udfs)``;
- ``{"op": "call", "func_name": ..., "args": [...]}``: ``custom_functions_call`` with the request
  an Office.js client sends for a formula (every argument a 2-D list);
- ``{"op": "script", "name": ..., "book": {...}}``: ``custom_scripts_call`` of a script of
  ``indeks_opd.excel`` on the book JSON; answers the returned actions.
"""

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


class XlwingsServer:
    """Client side: one server interpreter, requests answered in order."""

    def __init__(self):
        env = dict(os.environ, XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial",
                   PYTHONPATH=str(SRC), PYTHONIOENCODING="utf-8")
        self.proc = subprocess.Popen([sys.executable, __file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, env=env, encoding="utf-8")

    def request(self, **req):
        self.proc.stdin.write(json.dumps(req) + "\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline())
        assert "error" not in answer, answer["error"]
        return answer["ok"]

    def call(self, func_name, *args):
        """A formula's result as Excel gets it (a 2-D list); arguments are values or 2-D lists."""
        return self.request(op="call", func_name=func_name, args=[_cell_arg(a) for a in args])

    def script(self, name, book: dict) -> list[dict]:
        """Run a script of ``indeks_opd.excel`` on a book JSON; returns the actions for the client."""
        return self.request(op="script", name=name, book=book)["actions"]

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def _cell_arg(a):
    """An argument as the Office.js client sends it: always 2-D, empty cells as ""."""
    if isinstance(a, list):
        return [[("" if v is None else v) for v in row] for row in a]
    return [["" if a is None else a]]


def handle(req: dict):
    import xlwings as xw
    from xlwings import server

    from indeks_opd import excel, udfs

    if req["op"] == "meta":
        return server.custom_functions_meta(udfs)
    if req["op"] == "call":
        data = {"func_name": req["func_name"], "args": req["args"], "caller_address": "Rekap!Z1",
                "version": xw.__version__, "client": "Office.js", "runtime": "1.4",
                "culture_info_name": "id-ID", "date_format": "dd/mm/yyyy"}
        return asyncio.run(server.custom_functions_call(data, udfs))
    if req["op"] == "script":
        book = xw.Book(json=req["book"])
        asyncio.run(server.custom_scripts_call(excel, req["name"], typehint_to_value={xw.Book: book}))
        return book.json()
    raise ValueError(req["op"])


def main() -> None:
    for line in sys.stdin:
        try:
            answer = {"ok": handle(json.loads(line))}
        except Exception as e:  # noqa: BLE001 - reported to the test, which fails on it
            answer = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(answer, default=str) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
