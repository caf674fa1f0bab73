"""Content fingerprints: the exact hash of normalized text and MinHash signatures for
near-duplicates (syndicated copies with different heads, tails and outlet lines).

Signatures are banded for locality-sensitive lookup: two texts share a band bucket with a
probability that rises steeply with their Jaccard similarity, so the store finds candidates with
indexed lookups and confirms them by comparing signatures. Nothing is kept in memory.

A signature is the MinHash of the text's set of shingles (5 consecutive tokens; a CJK
character or a run of other letters and digits is a token, case-folded) under 128 affine
permutations ``a * h + b`` modulo 2**32 (datasketch's "affine32" parameters, seed 1). Scheme 2
(``SCHEME``) hashes shingles without building them: each token's hash is a polynomial over its
code points modulo 2**64, computed for all tokens at once from prefix sums over the text's
UTF-32 code points (numpy); the five token hashes of a shingle, each mixed by the MurmurHash3
64-bit finalizer, are combined by another polynomial and mixed again, and the high 32 bits are
the shingle's hash. Everything is fixed arithmetic on the text, so a signature is the same in
every process (never Python's salted ``hash``). ``reference_signature`` computes the same
signature token by token in plain Python: the definition the numpy code is tested against.

Scheme 1 (datasketch 2's ``MinHash(num_perm=128, seed=1)``: SHA-1 of each shingle's UTF-8
string) cost about 1 ms per article, most of it one SHA-1 call per shingle; stores signed under
it are signed again by the schema migration to version 4 (``crawler/storage/sql.py``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import numpy as np

from crawler import settings as defaults
from crawler.extract.text import collapse

SCHEME = 2  # the signature scheme: stores record it (see the module docstring)
NUM_PERM = 128
BANDS = 32  # 32 bands of 4 rows: candidates from a Jaccard of about 0.4 up
ROWS = NUM_PERM // BANDS
SHINGLE = 5  # tokens per shingle (a CJK character or a Latin word is one token)
DEFAULT_THRESHOLD = defaults.NEAR_DUPLICATE_THRESHOLD  # estimated Jaccard: copies of one story

_CJK = "\u3400-\u9fff\uf900-\ufaff"
# A CJK character alone, or a run of other letters and digits (no underscore).
_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")
_WORD_RUN = re.compile(r"[^\W_]+")
_HAN_RUN = re.compile(rf"[{_CJK}]+")
_SEPARATOR, _WORD, _HAN = 0, 1, 2  # character classes of the tokenizer

_M64 = (1 << 64) - 1
_P = 0x9E3779B97F4A7C15  # odd: the polynomial base of token hashes (invertible modulo 2**64)
_Q = pow(_P, -1, 1 << 64)
_R = 0xC2B2AE3D27D4EB4F  # odd: the polynomial base combining the token hashes of a shingle
_C1, _C2 = 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53  # the MurmurHash3 fmix64 multipliers


def tokens(text: str) -> list[str]:
    """CJK characters one by one, other words whole, case-folded; punctuation dropped."""
    return _TOKEN.findall(text.casefold())


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """The set a signature estimates: ``size`` consecutive tokens joined by a space (all the
    tokens when there are fewer)."""
    toks = tokens(text)
    if len(toks) < size:
        return {" ".join(toks)} if toks else set()
    return {" ".join(toks[i : i + size]) for i in range(len(toks) - size + 1)}


def _affine32_permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) of datasketch 2's affine32 scheme, drawn in the same order from the same seed."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


_A, _B = _affine32_permutations(NUM_PERM, seed=1)
_A_COL, _B_COL = _A[:, None], _B[:, None]
_EMPTY = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint64)  # the value of an empty set
_CHUNK = 4096  # shingles per (NUM_PERM x chunk) matrix: 2 MB whatever the text's length


def _bmp_classes() -> np.ndarray:
    """The tokenizer's class (``_SEPARATOR``, ``_WORD``, ``_HAN``) of every code point of the
    Basic Multilingual Plane, from the same regular expressions as ``tokens`` (about 1 ms)."""
    plane = np.arange(0x10000, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")
    table = np.zeros(0x10000, dtype=np.uint8)
    for run in _WORD_RUN.finditer(plane):
        table[run.start() : run.end()] = _WORD
    for han in _HAN_RUN.finditer(plane):
        table[han.start() : han.end()] = _HAN
    return table


_BMP_CLASSES = _bmp_classes()


def _classes_of(cp: np.ndarray) -> np.ndarray:
    """The class of each code point; those beyond the BMP (rare: emoji, rare ideographs) are
    looked up one by one."""
    cls: np.ndarray
    if cp.max() < 0x10000:
        cls = _BMP_CLASSES[cp]
        return cls
    cls = _BMP_CLASSES[np.minimum(cp, 0xFFFF)]
    beyond = np.flatnonzero(cp > 0xFFFF)
    cls[beyond] = [_WORD if _WORD_RUN.fullmatch(chr(c)) else _SEPARATOR for c in cp[beyond].tolist()]
    return cls


_powers: tuple[np.ndarray, np.ndarray] = (np.ones(1, dtype=np.uint64), np.ones(1, dtype=np.uint64))
_KEEP_POWERS = 1 << 20  # powers kept between calls: texts up to a million code points (16 MB)


def _powers_of(n: int) -> tuple[np.ndarray, np.ndarray]:
    """(P**j, P**-j) modulo 2**64 for j < n at least; grown by doubling and kept, up to
    ``_KEEP_POWERS`` (a longer text has its own)."""
    global _powers
    if len(_powers[0]) >= n:
        return _powers
    size = max(n, min(2 * len(_powers[0]), _KEEP_POWERS), 4096)
    pos = np.full(size, _P, dtype=np.uint64)
    neg = np.full(size, _Q, dtype=np.uint64)
    pos[0] = neg[0] = 1
    powers = (np.multiply.accumulate(pos), np.multiply.accumulate(neg))  # wraps modulo 2**64
    if size <= _KEEP_POWERS:
        _powers = powers
    return powers


def _fmix64(hv: np.ndarray) -> np.ndarray:
    """The MurmurHash3 64-bit finalizer (uint64 arithmetic wraps, as intended)."""
    hv = hv ^ (hv >> np.uint64(33))
    hv *= np.uint64(_C1)
    hv ^= hv >> np.uint64(33)
    hv *= np.uint64(_C2)
    hv ^= hv >> np.uint64(33)
    return hv


def _token_hashes(text: str) -> np.ndarray:
    """The mixed hash of every token of ``text``, in order (uint64)."""
    cp = np.frombuffer(text.casefold().encode("utf-32-le", "surrogatepass"), dtype="<u4")
    if not len(cp):
        return np.zeros(0, dtype=np.uint64)
    cls = _classes_of(cp)
    word = cls == _WORD
    han = cls == _HAN
    first = han.copy()  # a token starts at a CJK character or where a run of word characters does
    first[0] |= word[0]
    first[1:] |= word[1:] & ~word[:-1]
    last = han  # and ends at a CJK character or where a run of word characters does
    last[-1] |= word[-1]
    last[:-1] |= word[:-1] & ~word[1:]
    starts = np.flatnonzero(first)
    ends = np.flatnonzero(last)
    pos, neg = _powers_of(len(cp))
    # sum(c[j] * P**(end - j)) over a token = P**end * (S[end + 1] - S[start]), S the prefix
    # sums of c[j] * P**-j: every token's polynomial at once, exact modulo 2**64.
    sums = np.zeros(len(cp) + 1, dtype=np.uint64)
    np.cumsum(cp * neg[: len(cp)], out=sums[1:])
    return _fmix64((sums[ends + 1] - sums[starts]) * pos[ends])


def _shingle_hashes(hashes: np.ndarray, size: int = SHINGLE) -> np.ndarray:
    """The 32-bit hash of every shingle of the tokens whose hashes are given (uint32)."""
    n = max(len(hashes) - size + 1, 1)  # fewer tokens than a shingle: one shingle of them all
    width = min(size, len(hashes))
    combined = hashes[:n].copy()
    for k in range(1, width):
        combined *= np.uint64(_R)
        combined += hashes[k : k + n]
    return (_fmix64(combined) >> np.uint64(32)).astype(np.uint32)


def signature(text: str) -> np.ndarray:
    """The MinHash signature (NUM_PERM unsigned 64-bit values) of ``text``'s shingles."""
    hashes = _token_hashes(text)
    if not len(hashes):
        return _EMPTY.copy()
    return _minhash(_shingle_hashes(hashes))


def _minhash(hv: np.ndarray) -> np.ndarray:
    """The minimum of each permutation over the 32-bit shingle hashes ``hv``."""
    sig = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    for start in range(0, len(hv), _CHUNK):
        # (permutations x shingles): the minimum runs along contiguous rows.
        permuted = np.multiply.outer(_A, hv[start : start + _CHUNK])
        permuted += _B_COL
        np.minimum(sig, permuted.min(axis=1), out=sig)
    return sig.astype(np.uint64)


def _fmix64_int(h: int) -> int:
    h ^= h >> 33
    h = (h * _C1) & _M64
    h ^= h >> 33
    h = (h * _C2) & _M64
    return h ^ (h >> 33)


def reference_signature(text: str) -> np.ndarray:
    """``signature`` computed token by token in plain Python (slow): its definition, for tests."""
    token_hashes = []
    for token in tokens(text):
        h = 0
        for char in token:
            h = (h * _P + ord(char)) & _M64
        token_hashes.append(_fmix64_int(h))
    if not token_hashes:
        return _EMPTY.copy()
    size = min(SHINGLE, len(token_hashes))
    shingle_hashes = set()
    for i in range(len(token_hashes) - size + 1):
        h = 0
        for th in token_hashes[i : i + size]:
            h = (h * _R + th) & _M64
        shingle_hashes.add(_fmix64_int(h) >> 32)
    perms = zip(_A.tolist(), _B.tolist(), strict=True)
    mins = [min((a * h + b) & 0xFFFFFFFF for h in shingle_hashes) for a, b in perms]
    return np.array(mins, dtype=np.uint64)


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
