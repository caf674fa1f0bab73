from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.neardup import evaluate, load
from crawler import dedup


def test_labelled_set_precision_and_recall_at_the_default_threshold() -> None:
    rows = load()
    assert len(rows) >= 60
    score = evaluate(dedup.DEFAULT_THRESHOLD, rows)
    assert score.true_pairs >= 60
    # Stated in docs/quality.md: precision 1.000 and recall 1.000 on this set at 0.5.
    assert score.precision == 1.0
    assert score.recall == 1.0


def test_a_strict_threshold_loses_recall_first() -> None:
    rows = load()
    strict = evaluate(0.7, rows)
    assert strict.precision == 1.0
    assert strict.recall < 0.9


def test_similarity_of_signatures() -> None:
    text = "重庆市举行智能产业博览会，签约项目一百三十二个，总投资两千四百八十亿元。" * 3
    assert dedup.similarity(dedup.signature(text), dedup.signature(text)) == 1.0
    other = "The organisers of the Lisbon food fair said all exhibition space had been booked by March."
    assert dedup.similarity(dedup.signature(text), dedup.signature(other)) < 0.1
    assert dedup.tokens("Smart China Expo 2019，智博会") == [
        "smart",
        "china",
        "expo",
        "2019",
        "智",
        "博",
        "会",
    ]


# Texts mixing CJK runs, Latin words, digits, punctuation and blanks: what articles hold, plus
# the edge cases (empty, fewer tokens than a shingle, repeated shingles).
_PIECES = st.sampled_from(["重", "庆", "博", "览", "会", "智", "能", "，", "。", " ", "\n", "Expo", "SMART",
                           "2019", "data-center", "é", "ß", "…", "_", "ａ"])  # fmt: skip


def _datasketch_signature(text: str) -> np.ndarray:
    """The signature as datasketch computes it: what stores written before hold."""
    from datasketch import MinHash

    mh = MinHash(num_perm=dedup.NUM_PERM, seed=1, scheme="affine32")
    mh.update_batch([s.encode("utf-8") for s in dedup.shingles(text)])
    return np.asarray(mh.hashvalues, dtype=np.uint64)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=80).map("".join) | st.text(max_size=200))
def test_signatures_are_byte_identical_to_datasketch(text: str) -> None:
    assert dedup.to_bytes(dedup.signature(text)) == dedup.to_bytes(_datasketch_signature(text))


def test_a_long_text_spans_several_chunks_and_matches_datasketch() -> None:
    text = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(9000))
    assert dedup.to_bytes(dedup.signature(text)) == dedup.to_bytes(_datasketch_signature(text))
