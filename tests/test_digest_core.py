"""The store fingerprint (store/digest.py) against published CRC-32 and Adler-32 values,
not against zlib called here: the size in hex, a dash, then the two sums in eight hex
digits each (cases found by mutation testing, docs/mutation.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dtimeline.store.digest import Digest, digest, file_digest

FOX = b"The quick brown fox jumps over the lazy dog"
#: bytes -> fingerprint; CRC-32 of "abc" and of FOX, Adler-32 of "Wikipedia", as published
KNOWN = {
    b"": "0-0000000000000001",
    b"abc": "3-352441c2024d0127",
    b"Wikipedia": "9-adaac02e11e60398",
    FOX: "2b-414fa3395bdc0fda",
}


@pytest.mark.parametrize("data", KNOWN)
def test_the_fingerprint_of_known_bytes(data: bytes) -> None:
    assert digest(data) == KNOWN[data]
    assert Digest(data).hexdigest() == KNOWN[data]


@pytest.mark.parametrize("data", KNOWN)
def test_bytes_fed_in_pieces_give_the_same_fingerprint(data: bytes) -> None:
    fed = Digest()
    for i in range(len(data)):
        assert fed.update(data[i : i + 1]) is fed
    assert fed.hexdigest() == KNOWN[data]


@pytest.mark.parametrize("piece", [1, 2, 7, 1 << 20])
def test_a_files_fingerprint_read_in_pieces(tmp_path: Path, piece: int) -> None:
    path = tmp_path / "events.toml"
    path.write_bytes(FOX)
    assert file_digest(path, piece) == KNOWN[FOX]
    assert file_digest(path) == KNOWN[FOX]
    path.write_bytes(b"")
    assert file_digest(path, piece) == KNOWN[b""]


def test_a_missing_file_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        file_digest(tmp_path / "missing.toml")


@pytest.mark.parametrize("cut", [0, 1, 4, 9, 42, 43])
def test_a_fingerprint_resumed_and_fed_the_rest(cut: int) -> None:
    """An append's fingerprint from the old one and the new bytes alone."""
    resumed = Digest.resume(digest(FOX[:cut]))
    assert resumed.hexdigest() == digest(FOX[:cut])
    assert resumed.update(FOX[cut:]).hexdigest() == KNOWN[FOX]


def test_a_large_size_is_resumed() -> None:
    resumed = Digest.resume("a00000-352441c2024d0127")
    assert resumed.size == 0xA00000
    assert resumed.update(b"").hexdigest() == "a00000-352441c2024d0127"
    assert resumed.update(b"x").hexdigest().startswith("a00001-")


@pytest.mark.parametrize(
    "text",
    ["", "3", "3-", "-352441c2024d0127", "3-352441c2024d012", "3-352441c2024d01270", "3352441c2"],
)
def test_text_that_is_not_a_fingerprint_is_refused(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        Digest.resume(text)
    assert str(caught.value) == f"not a store fingerprint: {text!r}"
