"""A VBA project read back by independent code (olefile, oletools): the records of its ``dir`` stream."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import olefile
from oletools.olevba import decompress_stream


def dir_records(vba: bytes | Path) -> list[tuple[int, bytes]]:
    """(record id, payload) of the dir stream of a ``vbaProject.bin`` (bytes) or of a package's (path)."""
    if isinstance(vba, Path):
        with zipfile.ZipFile(vba) as z:
            vba = z.read("xl/vbaProject.bin")
    ole = olefile.OleFileIO(io.BytesIO(vba))
    data = bytes(decompress_stream(bytearray(ole.openstream("VBA/dir").read())))
    records, pos = [], 0
    while pos < len(data):
        record_id, size = struct.unpack_from("<HI", data, pos)
        size = 6 if record_id == 0x0009 else size  # PROJECTVERSION: Reserved (4), then major and minor
        records.append((record_id, data[pos + 6:pos + 6 + size]))
        pos += 6 + size
    return records
