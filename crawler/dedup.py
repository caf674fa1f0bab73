"""Content fingerprints: the exact hash of normalized text and MinHash signatures for
near-duplicates (syndicated copies with different heads, tails and outlet lines).

Signatures are banded for locality-sensitive lookup: two texts share a band bucket with a
probability that rises steeply with their Jaccard similarity, so the store finds candidates with
indexed lookups and confirms them by comparing signatures. Nothing is kept in memory.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash

from crawler.extract.text import collapse

NUM_PERM = 128
BANDS = 32  # 32 bands of 4 rows: candidates from a Jaccard of about 0.4 up
ROWS = NUM_PERM // BANDS
SHINGLE = 5  # tokens per shingle (a CJK character or a Latin word is one token)
DEFAULT_THRESHOLD = 0.5  # estimated Jaccard from which two texts are copies of one story

_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_]+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """CJK characters one by one, other words whole, case-folded; punctuation dropped."""
    return _TOKEN.findall(text.casefold())


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    toks = tokens(text)
    if len(toks) < size:
        return {" ".join(toks)} if toks else set()
    return {" ".join(toks[i : i + size]) for i in range(len(toks) - size + 1)}


def signature(text: str) -> np.ndarray:
    """The MinHash signature (NUM_PERM unsigned 64-bit values) of ``text``'s shingles."""
    mh = MinHash(num_perm=NUM_PERM, seed=1)
    mh.update_batch([s.encode("utf-8") for s in shingles(text)])
    return np.asarray(mh.hashvalues, dtype=np.uint64)


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
