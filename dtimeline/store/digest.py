"""A cheap fingerprint of a store file's bytes: size, CRC-32 and Adler-32.

The undo history records it to notice a store changed by other means, and the index
(store/index.py) to know which bytes it describes. It guards against accidents, not
attackers, and costs a few ms on a 10 MB store where SHA-256 (and loading OpenSSL) cost ten
times more. Written ``<size hex>-<crc32 hex8><adler32 hex8>``.
"""

from __future__ import annotations

import zlib
from pathlib import Path


class Digest:
    """The fingerprint of a byte string, fed in pieces."""

    def __init__(self, data: bytes = b"") -> None:
        self.size, self.crc, self.adler = 0, 0, 1
        self.update(data)

    @classmethod
    def resume(cls, fingerprint: str) -> Digest:
        """The digest of bytes whose fingerprint is ``fingerprint`` (as :meth:`hexdigest`
        wrote it), ready to be fed the bytes that follow them: CRC-32 and Adler-32 both
        continue from their running value, so the fingerprint of a file grown by an append
        is had from its old fingerprint and the new bytes alone. Raises ValueError for
        text that is not such a fingerprint."""
        size, _, sums = fingerprint.partition("-")
        if len(sums) != 16 or not size:
            raise ValueError(f"not a store fingerprint: {fingerprint!r}")
        made = cls()
        made.size, made.crc, made.adler = int(size, 16), int(sums[:8], 16), int(sums[8:], 16)
        return made

    def update(self, data: bytes) -> Digest:
        self.size += len(data)
        self.crc = zlib.crc32(data, self.crc)
        self.adler = zlib.adler32(data, self.adler)
        return self

    def hexdigest(self) -> str:
        return f"{self.size:x}-{self.crc:08x}{self.adler:08x}"


def digest(data: bytes) -> str:
    return Digest(data).hexdigest()


def file_digest(path: Path, piece: int = 1 << 20) -> str:
    """The fingerprint of the file at ``path``, read a MB at a time (raises OSError)."""
    d = Digest()
    with path.open("rb") as fh:
        while chunk := fh.read(piece):
            d.update(chunk)
    return d.hexdigest()
