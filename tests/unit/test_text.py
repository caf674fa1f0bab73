from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from crawler.extract.text import cjk_ratio, text_length

# Blanks of every kind, CJK, Latin and the characters around the CJK block's edges.
_TEXT = st.text(alphabet=st.sampled_from(list(" \t\n\x1c\x85\u00a0\u2028\u3000\u200bab1，。\u4dff\u4e00中\u9fff\ua000é")))


@given(_TEXT | st.text(max_size=200))
def test_text_length_weighs_cjk_twice_and_skips_blanks(text: str) -> None:
    expected = sum(0 if ch.isspace() else 2 if "\u4e00" <= ch <= "\u9fff" else 1 for ch in text)
    assert text_length(text) == expected


@given(_TEXT | st.text(max_size=200))
def test_cjk_ratio_is_the_share_of_cjk_among_non_blanks(text: str) -> None:
    letters = [ch for ch in text if not ch.isspace()]
    expected = sum(1 for ch in letters if "\u4e00" <= ch <= "\u9fff") / len(letters) if letters else 0.0
    assert cjk_ratio(text) == expected
