"""LibreOffice already running: open (recalculating), save as .xlsx, close — timed per file.

    /usr/bin/python3 benchmarks/lo_warm.py SOFFICE PROFILE_DIR OUTDIR REPEAT FILE...

Runs under the Python that has LibreOffice's ``uno`` module (the system Python on Debian,
package python3-uno), not the project's venv. Starts one headless soffice with the given user
profile (which recalculates every formula on load, see ``run.libreoffice_profile``), connects
over a pipe, then for every file REPEAT times: load hidden, store as "Calc Office Open XML",
close. Prints one JSON line per file: ``{"berkas", "detik": [seconds of each repetition]}``;
the start of soffice is not in any of them (that is the cold measurement's business).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def _props(**kw):
    out = []
    for k, v in kw.items():
        p = PropertyValue()
        p.Name, p.Value = k, v
        out.append(p)
    return tuple(out)


def main(argv: list[str]) -> int:
    soffice, profile, outdir, repeat, *files = argv
    pipe = f"indeks_bench_{os.getpid()}"
    proc = subprocess.Popen([soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                             "--invisible", f"--accept=pipe,name={pipe};urp;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(600):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                time.sleep(0.1)
        else:
            raise SystemExit("soffice tidak bisa dihubungi")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        Path(outdir).mkdir(parents=True, exist_ok=True)
        for f in files:
            times = []
            for _ in range(int(repeat)):
                out = Path(outdir) / Path(f).name
                out.unlink(missing_ok=True)
                t = time.perf_counter()
                doc = desktop.loadComponentFromURL(Path(f).resolve().as_uri(), "_blank", 0, _props(Hidden=True))
                doc.storeToURL(out.resolve().as_uri(), _props(FilterName="Calc Office Open XML"))
                doc.close(True)
                times.append(time.perf_counter() - t)
            print(json.dumps({"berkas": f, "detik": times}), flush=True)
        with contextlib.suppress(Exception):  # the bridge drops while soffice exits
            desktop.terminate()
    finally:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
