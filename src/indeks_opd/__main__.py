"""The process entry of ``indeks-opd`` and ``python -m indeks_opd``: the command line of :func:`indeks_opd.cli.main`.

A command is one short process whose libraries (pandas, numpy, ...; ~110,000 objects) live
until it ends, so Python's cycle collector only pays for scanning them: during the imports
(~0.025 s) and again in the final collection at exit (~0.035 s) of a 0.3 s ``hitung`` on the
sample (benchmarks/RESULTS.md, "the click"). The collector is therefore paused while the
command line is imported and those objects are then frozen (``gc.freeze``: never scanned
again); it runs as usual for everything the command itself makes. Exit handlers and stream
flushes still run. Tests call :func:`indeks_opd.cli.main` in their own process, without this.
"""

import gc


def entry() -> int:
    gc.disable()
    try:
        from indeks_opd.cli import main
    finally:
        gc.freeze()
        gc.enable()
    return main()


if __name__ == "__main__":
    raise SystemExit(entry())
