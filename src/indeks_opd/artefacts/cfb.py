"""A small, deterministic MS-CFB (compound file, version 3) writer.

Written from the MS-CFB specification for the one job the build needs: a fresh file holding a
tree of storages and streams, written once. Streams shorter than the 4096-byte cutoff live in the
mini stream; directory entries carry no timestamps or CLSIDs, so the same tree always gives the
same bytes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
_HEADER_DIFAT = 109
_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_BLACK = 1


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    index: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    start: int = ENDOFCHAIN


def _sort_key(name: str) -> tuple[int, str]:
    """Sibling order of MS-CFB 2.6.4: shorter names first, then by upper-cased code units."""
    return len(name.encode("utf-16-le")), name.upper()


def _check_name(name: str) -> None:
    if not name or len(name) > 31 or any(c in name for c in "/\\:!"):
        raise ValueError(f"invalid compound-file entry name: {name!r}")


def _build_tree(paths: dict[str, bytes]) -> _Entry:
    root = _Entry("Root Entry", _ROOT)
    for path, data in paths.items():
        parts = path.split("/")
        node = root
        for part in parts[:-1]:
            _check_name(part)
            found = next((c for c in node.children if c.name == part), None)
            if found is None:
                found = _Entry(part, _STORAGE)
                node.children.append(found)
            elif found.kind != _STORAGE:
                raise ValueError(f"{path!r}: {part!r} is a stream, not a storage")
            node = found
        _check_name(parts[-1])
        if any(c.name.upper() == parts[-1].upper() for c in node.children):
            raise ValueError(f"duplicate compound-file entry: {path!r}")
        node.children.append(_Entry(parts[-1], _STREAM, bytes(data)))
    return root


def _flatten(root: _Entry) -> list[_Entry]:
    """Directory order (pre-order, siblings sorted) with sibling links forming a balanced tree."""
    entries = [root]

    def link(node: _Entry) -> None:
        ordered = sorted(node.children, key=lambda e: _sort_key(e.name))
        for child in ordered:
            child.index = len(entries)
            entries.append(child)

        def balanced(items: list[_Entry]) -> int:
            if not items:
                return NOSTREAM
            middle = len(items) // 2
            items[middle].left = balanced(items[:middle])
            items[middle].right = balanced(items[middle + 1:])
            return items[middle].index

        node.child = balanced(ordered)
        for child in ordered:
            if child.kind == _STORAGE:
                link(child)

    link(root)
    return entries


def _directory_entry(entry: _Entry, size: int) -> bytes:
    encoded = entry.name.encode("utf-16-le") + b"\x00\x00"
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        encoded, len(encoded), entry.kind, _BLACK, entry.left, entry.right, entry.child,
        b"\x00" * 16, 0, 0, 0, entry.start, size,
    )


def _chain(fat: list[int], first: int, count: int) -> None:
    for i in range(count):
        fat[first + i] = first + i + 1 if i + 1 < count else ENDOFCHAIN


def _pad(data: bytes, unit: int) -> bytes:
    return data + b"\x00" * (-len(data) % unit)


def write_compound_file(streams: dict[str, bytes]) -> bytes:
    """Bytes of a compound file holding ``streams`` ({"Storage/Stream": data}, "/"-separated)."""
    root = _build_tree(streams)
    entries = _flatten(root)
    stream_entries = [e for e in entries if e.kind == _STREAM]

    # Small streams go to the mini stream (64-byte sectors), in directory order.
    mini_stream = bytearray()
    mini_fat: list[int] = []
    for entry in stream_entries:
        if 0 < len(entry.data) < MINI_CUTOFF:
            first = len(mini_fat)
            count = -(-len(entry.data) // MINI_SECTOR)
            mini_fat.extend([0] * count)
            _chain(mini_fat, first, count)
            entry.start = first
            mini_stream += _pad(entry.data, MINI_SECTOR)

    dir_sectors = -(-len(entries) * 128 // SECTOR)
    mini_fat_bytes = _pad(struct.pack(f"<{len(mini_fat)}I", *mini_fat), SECTOR) if mini_fat else b""
    mini_fat_sectors = len(mini_fat_bytes) // SECTOR
    mini_stream_sectors = -(-len(mini_stream) // SECTOR)
    big = [e for e in stream_entries if len(e.data) >= MINI_CUTOFF]
    big_sectors = [-(-len(e.data) // SECTOR) for e in big]
    data_sectors = dir_sectors + mini_fat_sectors + mini_stream_sectors + sum(big_sectors)
    fat_sectors = 1
    while fat_sectors * (SECTOR // 4) < data_sectors + fat_sectors:
        fat_sectors += 1
    if fat_sectors > _HEADER_DIFAT:
        raise ValueError("compound file too large for this writer (no DIFAT sectors)")

    total = data_sectors + fat_sectors
    fat = [FREESECT] * (fat_sectors * (SECTOR // 4))
    cursor = 0
    dir_start = cursor
    _chain(fat, cursor, dir_sectors)
    cursor += dir_sectors
    mini_fat_start = cursor if mini_fat_sectors else ENDOFCHAIN
    _chain(fat, cursor, mini_fat_sectors)
    cursor += mini_fat_sectors
    root.start = cursor if mini_stream_sectors else ENDOFCHAIN
    _chain(fat, cursor, mini_stream_sectors)
    cursor += mini_stream_sectors
    for entry, count in zip(big, big_sectors):
        entry.start = cursor
        _chain(fat, cursor, count)
        cursor += count
    fat_start = cursor
    for i in range(fat_sectors):
        fat[fat_start + i] = FATSECT
    assert fat_start + fat_sectors == total

    directory = bytearray()
    for entry in entries:
        size = len(mini_stream) if entry is root else len(entry.data)
        if entry.kind == _STREAM and not entry.data:
            entry.start = ENDOFCHAIN
        directory += _directory_entry(entry, size)
    unused = struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM,
                         b"\x00" * 16, 0, 0, 0, 0, 0)
    while len(directory) % SECTOR:
        directory += unused

    difat = [fat_start + i for i in range(fat_sectors)] + [FREESECT] * (_HEADER_DIFAT - fat_sectors)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        _SIGNATURE, b"\x00" * 16, 0x003E, 0x0003, 0xFFFE, 9, 6, b"\x00" * 6,
        0, fat_sectors, dir_start, 0, MINI_CUTOFF, mini_fat_start, mini_fat_sectors, ENDOFCHAIN, 0,
    ) + struct.pack(f"<{_HEADER_DIFAT}I", *difat)
    assert len(header) == SECTOR

    body = bytes(directory) + mini_fat_bytes + _pad(bytes(mini_stream), SECTOR)
    for entry in big:
        body += _pad(entry.data, SECTOR)
    body += struct.pack(f"<{len(fat)}I", *fat)
    return header + body
