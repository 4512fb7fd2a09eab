"""MS-OVBA 2.4.1 compression (the run-length/LZ77 variant used by VBA project streams).

Written from the specification. The compressor is deterministic: for each position it takes the
longest earlier match inside the current 4096-byte chunk, preferring the nearest one on ties.
"""

from __future__ import annotations

import struct

CHUNK = 4096
_MAX_COMPRESSED_CHUNK = 4098  # 2-byte header + 4096 data bytes, the most a chunk header can describe
_MIN_MATCH = 3


def _copy_token_layout(position: int) -> tuple[int, int]:
    """(bit count of the offset part, maximum copy length) at ``position`` bytes into a chunk."""
    bit_count = max((position - 1).bit_length(), 4)
    return bit_count, (0xFFFF >> bit_count) + _MIN_MATCH


def _compress_chunk(data: bytes) -> bytes:
    """One CompressedChunk (header + token sequences) for up to 4096 decompressed bytes."""
    out = bytearray()
    heads: dict[bytes, list[int]] = {}
    pos, end = 0, len(data)
    while pos < end:
        flag_index = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= end:
                break
            best_len, best_off = 0, 0
            if pos + _MIN_MATCH <= end:
                bit_count, max_len = _copy_token_layout(pos)
                limit = min(max_len, end - pos)
                for start in reversed(heads.get(data[pos:pos + _MIN_MATCH], ())):
                    length = _MIN_MATCH
                    while length < limit and data[start + length] == data[pos + length]:
                        length += 1
                    if length > best_len:
                        best_len, best_off = length, pos - start
                        if length == limit:
                            break
            if best_len >= _MIN_MATCH:
                token = ((best_off - 1) << (16 - bit_count)) | (best_len - _MIN_MATCH)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                step = best_len
            else:
                out.append(data[pos])
                step = 1
            for p in range(pos, min(pos + step, end - _MIN_MATCH + 1)):
                heads.setdefault(data[p:p + _MIN_MATCH], []).append(p)
            pos += step
        out[flag_index] = flags
    if len(out) + 2 <= _MAX_COMPRESSED_CHUNK:
        header = 0x8000 | 0x3000 | (len(out) + 2 - 3)
        return struct.pack("<H", header) + bytes(out)
    if len(data) == CHUNK:  # incompressible: store raw
        return struct.pack("<H", 0x3000 | (CHUNK + 2 - 3)) + data
    # A short final chunk that does not compress cannot be stored raw without padding it with
    # bytes that would become part of the text; VBA source never gets here.
    raise ValueError("data tail does not compress into one MS-OVBA chunk")


def compress(data: bytes) -> bytes:
    """A CompressedContainer: signature byte 0x01 followed by one chunk per 4096 input bytes."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        out += _compress_chunk(bytes(data[start:start + CHUNK]))
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """The data of a CompressedContainer (MS-OVBA 2.4.1.3.1): used to read another VBA project's
    ``dir`` stream (the xlwings add-in's version, see :mod:`indeks_opd.build.vba_project`)."""
    if not container or container[0] != 1:
        raise ValueError("not an MS-OVBA CompressedContainer (signature byte 0x01 missing)")
    out = bytearray()
    pos = 1
    while pos + 2 <= len(container):
        header = struct.unpack_from("<H", container, pos)[0]
        chunk_end = min(pos + (header & 0x0FFF) + 3, len(container))
        pos += 2
        if not header & 0x8000:  # stored raw
            out += container[pos:pos + CHUNK]
            pos += CHUNK
            continue
        chunk_start = len(out)
        while pos < chunk_end:
            flags = container[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if not flags >> bit & 1:
                    out.append(container[pos])
                    pos += 1
                    continue
                token = struct.unpack_from("<H", container, pos)[0]
                pos += 2
                bit_count, _ = _copy_token_layout(len(out) - chunk_start)
                length = (token & (0xFFFF >> bit_count)) + _MIN_MATCH
                offset = (token >> (16 - bit_count)) + 1
                for _ in range(length):
                    out.append(out[-offset])
    return bytes(out)
