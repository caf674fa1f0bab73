"""Content fingerprints: the exact hash of normalized text and MinHash signatures for
near-duplicates (syndicated copies with different heads, tails and outlet lines).

Signatures are banded for locality-sensitive lookup: two texts share a band bucket with a
probability that rises steeply with their Jaccard similarity, so the store finds candidates with
indexed lookups and confirms them by comparing signatures. Nothing is kept in memory.

A signature is exactly the one datasketch 2 computes (``MinHash(num_perm=128, seed=1)``, its
default "affine32" scheme: the first 4 bytes of each shingle's SHA-1, mixed by the MurmurHash3
finalizer, then ``a * h + b`` modulo 2**32 under 128 seeded permutations), so signatures already
stored stay valid; ``tests/unit/test_neardup.py`` checks the equality on random texts. It is computed
here with numpy over all shingles at once, with the permutations drawn once per process:
datasketch draws them again for every MinHash and hashes shingle by shingle in Python.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import numpy as np

from crawler import settings as defaults
from crawler.extract.text import collapse

NUM_PERM = 128
BANDS = 32  # 32 bands of 4 rows: candidates from a Jaccard of about 0.4 up
ROWS = NUM_PERM // BANDS
SHINGLE = 5  # tokens per shingle (a CJK character or a Latin word is one token)
DEFAULT_THRESHOLD = defaults.NEAR_DUPLICATE_THRESHOLD  # estimated Jaccard: copies of one story

_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_]+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """CJK characters one by one, other words whole, case-folded; punctuation dropped."""
    return _TOKEN.findall(text.casefold())


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    toks = tokens(text)
    if len(toks) < size:
        return {" ".join(toks)} if toks else set()
    return {" ".join(toks[i : i + size]) for i in range(len(toks) - size + 1)}


def _shingle_bytes(text: str, size: int = SHINGLE) -> set[bytes]:
    """``shingles(text)`` UTF-8 encoded (each token encoded once, shingles joined as bytes)."""
    toks = [t.encode("utf-8") for t in tokens(text)]
    if len(toks) < size:
        return {b" ".join(toks)} if toks else set()
    return set(map(b" ".join, zip(*(toks[i:] for i in range(size)), strict=False)))


def _affine32_permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) of datasketch 2's affine32 scheme, drawn in the same order from the same seed."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


_A, _B = _affine32_permutations(NUM_PERM, seed=1)
_EMPTY = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint64)  # datasketch's value for an empty set
_CHUNK = 4096  # shingles per (chunk x NUM_PERM) matrix: a few MB whatever the text's length


def _fmix32(hv: np.ndarray) -> np.ndarray:
    """The MurmurHash3 32-bit finalizer (uint32 arithmetic wraps, as intended)."""
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    mixed: np.ndarray = hv ^ (hv >> np.uint32(16))
    return mixed


def signature(text: str) -> np.ndarray:
    """The MinHash signature (NUM_PERM unsigned 64-bit values) of ``text``'s shingles."""
    grams = _shingle_bytes(text)
    if not grams:
        return _EMPTY.copy()
    sha1 = hashlib.sha1
    digests = b"".join([sha1(g).digest() for g in grams])
    # The first 4 bytes of each 20-byte digest, little-endian: datasketch's sha1_hash32.
    hv = _fmix32(np.frombuffer(digests, dtype="<u4")[::5].astype(np.uint32))
    sig = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    for start in range(0, len(hv), _CHUNK):
        permuted = hv[start : start + _CHUNK, None] * _A + _B
        np.minimum(sig, permuted.min(axis=0), out=sig)
    return sig.astype(np.uint64)


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u8").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u8")


def bands(sig: np.ndarray) -> list[tuple[int, str]]:
    """(band number, bucket) pairs: a short hash of each band's rows."""
    out = []
    raw = sig.astype("<u8").tobytes()
    width = ROWS * 8
    for band in range(BANDS):
        digest = hashlib.blake2b(raw[band * width : (band + 1) * width], digest_size=8).hexdigest()
        out.append((band, digest))
    return out


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two texts behind the signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


def best_match(
    sig: np.ndarray, candidates: Iterable[tuple[str, np.ndarray]], threshold: float = DEFAULT_THRESHOLD
) -> tuple[str, float] | None:
    """The most similar candidate (key, score) at or above ``threshold``."""
    best: tuple[str, float] | None = None
    for key, other in candidates:
        score = similarity(sig, other)
        if score >= threshold and (best is None or score > best[1]):
            best = (key, score)
    return best


def content_hash(title: str | None, body: str | None) -> str:
    """SHA-1 of the normalized title and body: equal for the same text under any URL."""
    text = f"{collapse(title).casefold()}\n{collapse(body).casefold()}"
    text = re.sub(r"[\s\W_]+", " ", text)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()
