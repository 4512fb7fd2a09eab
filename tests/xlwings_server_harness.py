"""xlwings Server's Python side in its own interpreter, for the UDF and script tests.

Started by ``tests/test_xlwings_server.py`` with ``XLWINGS_ON_SERVER=true`` (so ``xw.func`` and
``xw.script`` are xlwings Server's decorators, as in a real deployment). Reads one JSON request
per line on stdin and answers one JSON line on stdout:

- ``{"op": "meta"}``: ``custom_functions_meta(indeks_opd.udfs)``;
- ``{"op": "call", "func_name": ..., "args": [...]}``: ``custom_functions_call`` with the request
  an Office.js client sends for a formula (every argument a 2-D list);
- ``{"op": "script", "name": ..., "book": {...}}``: ``custom_scripts_call`` of a script of
  ``indeks_opd.excel`` on the book JSON; answers the returned actions.
"""

import asyncio
import json
import sys

import xlwings as xw
from xlwings import server

from indeks_opd import excel, udfs


def handle(req: dict):
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
