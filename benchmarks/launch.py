"""The small parent of every measured process: ``python benchmarks/launch.py COMMAND...``.

Prints one JSON line: the command's own last JSON line (if it printed one) plus
``proses`` (wall seconds of the command, interpreter start and imports included) and
``rss_mb`` (its peak resident memory).

Why a separate parent: on Linux a child's ``ru_maxrss`` starts from the resident size of the
process it was forked from (the high-water mark survives ``fork`` and ``exec``), so a job
started directly by ``run.py`` — which holds generated data and imported libraries — reported
``run.py``'s peak instead of its own (an impor of 40 templates printed 703 MB, really 112 MB).
This parent imports only the standard library (~10 MB), so the peak of its child is the job's.
The job also reports ``VmHWM`` from ``/proc/self/status`` (its own address space's peak, reset
by ``exec``) as ``hwm_mb``; the runner prints both when they disagree.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    t = time.perf_counter()
    r = subprocess.run(argv, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if r.returncode != 0 and not r.stdout.strip().startswith("{"):
        sys.stderr.write(r.stderr[-4000:])
    lines = [line for line in r.stdout.strip().splitlines() if line.startswith("{")]
    hasil = json.loads(lines[-1]) if lines else {}
    hasil.setdefault("rc", r.returncode)
    hasil["proses"] = wall
    hasil["rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # Linux: kilobytes
    print(json.dumps(hasil))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
