"""docs/panduan-instalasi.md: the offline install commands are real pip command lines for this project.

The project's wheel is built as the guide says. Downloading the Windows wheels of every dependency
needs the package registry, so here the download and the offline install run as written against an
empty local index: a usage error (exit 2) would mean the guide is wrong; "no matching distribution"
(exit 1) means pip accepted every option and looked for the packages.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from indeks_opd import __version__

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "panduan-instalasi.md"


def _guide_commands(prefix: str) -> list[str]:
    return [line.strip() for line in GUIDE.read_text(encoding="utf-8").splitlines()
            if line.strip().startswith(prefix)]


def test_wheelhouse_and_offline_install_commands_are_valid_pip_command_lines(tmp_path):
    (download,) = _guide_commands("py -m pip download")
    (install,) = [c for c in _guide_commands(".venv\\Scripts\\pip install") if "--no-index" in c]
    assert "--platform win_amd64" in download and "--only-binary=:all:" in download
    assert re.search(r"--python-version 3\.\d+", download) and "pywin32" in download
    assert f"indeks_opd-{__version__}-py3-none-any.whl" in download  # the wheel `pip wheel` makes
    (wheel,) = _guide_commands("py -m pip wheel --no-deps -w wheelhouse .")
    root = Path(__file__).resolve().parents[1]
    r = subprocess.run([sys.executable, *wheel.split()[1:-1], str(root)], cwd=tmp_path, capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "wheelhouse" / f"indeks_opd-{__version__}-py3-none-any.whl").is_file()
    kosong = tmp_path / "kosong"
    kosong.mkdir()
    # the install only as a dry run into an empty target: nothing installed here, every dependency must be found
    for command, extra in ((download, ["--no-index"]), (install, ["--dry-run", "--target", str(tmp_path / "pc")])):
        pip = command.split()[3:] if command.startswith("py ") else command.split()[1:]  # after "py -m pip" / "pip"
        r = subprocess.run([sys.executable, "-m", "pip", *pip, *extra, "--find-links", str(kosong)],
                           cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert r.returncode == 1 and "no such option" not in r.stderr, (command, r.stderr)
        assert re.search(r"does not exist|No matching distribution|Could not find a version", r.stderr), r.stderr
