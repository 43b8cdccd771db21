"""A writer of Unix ``compress`` (``.Z``) files for tests: Python's standard library reads and writes gzip,
bzip2 and xz, but has no LZW writer, and this machine has ``uncompress`` (gzip's) but no ``compress``."""

from __future__ import annotations


def lzw_compress(data: bytes) -> bytes:
    """``data`` in Unix ``compress`` format (magic 1f 9d, block mode, 16-bit maximum), 9-bit codes throughout.

    Every code is a literal byte, and a CLEAR code (256) follows each run of 7, so the dictionary never grows
    past 9 bits and any decoder of the format reads the stream. Codes are packed least significant bit first;
    after a CLEAR, decoders skip to the end of the current group of 8 codes, which 7 literals and a CLEAR fill
    exactly.
    """
    codes: list[int] = []
    for start in range(0, len(data), 7):
        codes.extend(data[start:start + 7])
        codes.append(256)
    codes.extend([256] * (-len(codes) % 8))
    out, bits, n = bytearray(b"\x1f\x9d\x90"), 0, 0
    for code in codes:
        bits |= code << n
        n += 9
        while n >= 8:
            out.append(bits & 0xFF)
            bits >>= 8
            n -= 8
    if n:
        out.append(bits & 0xFF)
    return bytes(out)
