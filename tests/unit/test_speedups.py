"""The shortcuts that spare work give the answers of the work they spare."""

from __future__ import annotations

import re
from copy import deepcopy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html
from parsel import Selector

from crawler.extract import article, dom
from crawler.extract.article import ArticleFields, _may_name_people, _people
from crawler.extract.dom import cleaned_tree, iter_blocks, parse_html, visible_text
from crawler.extract.text import (
    _BLANKS,
    _FOLDS,
    CaseFree,
    alternation,
    cjk_ratio,
    collapse,
    squeezed,
    unspaced,
)
from crawler.extract.vocabulary import AUTHOR, EDITOR

PAGES = [
    "<html><head><title>T</title><script>var a = '作者：';</script></head><body><p>Text</p></body></html>",
    "<html><body><p>作<script>x</script>者：<b>张三</b></p><button><span>分享</span></button>tail</body></html>",
    "<html><body><div>责任<!-- c -->编辑：李明</div><select><option>编辑：x</option></select></body></html>",
    "<html><body><p>Written\n   by  <noscript><img>no</noscript> : Jane Doe</p></body></html>",
    "<html><body><p>本报记者　郑喆</p><style>p{color:red}</style></body></html>",
    "<html><body><p>By the river: a story</p><textarea>Author: none</textarea></body></html>",
    "<html><body><h1>Nothing here</h1><p>Plain text, no labels.</p></body></html>",
    "<html><body><p>编辑：李明</p><div>时间：2020-01-01</div><p>编辑：王五</p></body></html>",
    "<html><body><p>Editor: Ann</p><p>Written by Bob</p><footer>Author: Carl</footer></body></html>",
]


@pytest.mark.parametrize("html", PAGES)
def test_visible_text_is_the_text_of_the_blocks(html: str) -> None:
    root = Selector(text=html).root
    blocks = "".join(b.text for b in iter_blocks(root))
    assert squeezed(visible_text(root)) == squeezed(blocks)


@pytest.mark.parametrize("html", PAGES)
def test_cleaned_tree_hands_out_the_visible_text(html: str) -> None:
    root = Selector(text=html).root
    visible: list[str] = []
    cleaned_tree(root, visible=visible)
    assert [squeezed(t) for t in visible] == [squeezed(visible_text(root))]


@pytest.mark.parametrize("html", PAGES)
def test_people_shortcut_changes_no_answer(html: str, monkeypatch: pytest.MonkeyPatch) -> None:
    root = Selector(text=html).root
    short = ArticleFields(url="http://x.example/a")
    _people(short, root)
    # Walked to the end: every role possible, whatever the text says.
    monkeypatch.setattr(article, "_may_name_people", lambda _root, _text=None: {AUTHOR, EDITOR})
    walked = ArticleFields(url="http://x.example/a")
    _people(walked, root)
    assert (short.author, short.editor) == (walked.author, walked.editor)


def test_people_shortcut_skips_pages_without_labels() -> None:
    assert not _may_name_people(parse_html("<html><body><p>Plain text: no labels.</p></body></html>"))
    assert EDITOR in _may_name_people(parse_html("<html><body><p>Edited\n by :<b> X</b></p></body></html>"))
    assert _may_name_people(parse_html("<html><body><p>责任编辑：李明</p></body></html>")) == {EDITOR}
    assert _may_name_people(parse_html("<html><body><p>本报记者　郑喆</p></body></html>")) == {AUTHOR}
    both = "<html><body><p>作者：张三</p><p>责任<!-- c -->编辑：李明</p></body></html>"
    assert _may_name_people(parse_html(both)) == {AUTHOR, EDITOR}


@pytest.mark.parametrize(
    "text", ["article-content share", "Col-MD-8 NAVbar", "x", "", "ſhare", "\u212aey", "İtem", "微信share"]
)
def test_case_free_search_answers_as_ignorecase(text: str) -> None:
    pattern = re.compile(r"share|nav(?:bar)?|key|item|(?:^|[\s_-])cap(?:$|[\s_-])", re.I)
    assert CaseFree(pattern).found(text) == (pattern.search(text) is not None)


@pytest.mark.parametrize("html", PAGES)
def test_plain_copy_cleans_as_an_html_copy(html: str, monkeypatch: pytest.MonkeyPatch) -> None:
    root = Selector(text=html).root
    plain = etree.tostring(cleaned_tree(root))
    monkeypatch.setattr(dom, "_plain_copy", deepcopy)  # lxml.html's elements, as parsel made them
    assert etree.tostring(cleaned_tree(root)) == plain


@pytest.mark.parametrize(
    "text",
    ["", " ", "a  b\tc\n", "\x1c x \x1f", "新闻\u3000中心\u00a0 ", "人民网\ue5c2 报道", "a\u200bb", "\ufeff标题\u2003",
     "\u2028line\u2029", "x\x85y", "\u200b", "\x0b\x0c"],
)  # fmt: skip
def test_collapse_as_the_substitution(text: str) -> None:
    assert collapse(text) == _BLANKS.sub(" ", text).strip()


def test_collapse_blanks_are_whitespace_or_the_others() -> None:
    """str.split() cuts at exactly the blanks of _BLANKS but the zero-width and private-use ones."""
    from crawler.extract.text import _NOT_SPACE_BLANK

    for code in range(0x110000):
        ch = chr(code)
        assert bool(_BLANKS.fullmatch(ch)) == (ch.isspace() or bool(_NOT_SPACE_BLANK.fullmatch(ch))), hex(code)


@pytest.mark.parametrize(
    "label", ["site-logo", "LOGO", "article-content logo", "ShareBar", "Ads", "bads", "二维码 box", "ſhare", "pic-Desc", "x"]
)
def test_media_labels_answer_as_ignorecase(label: str) -> None:
    from crawler.extract import media

    assert media._decoy_label(label) == bool(
        media._DECOY.search(label) and not media._CONTENT_WORDS.search(label)
    )
    assert media._CAPTION_CLASS_CF.kept(label) == bool(media._CAPTION_CLASS.search(label))


def test_metadata_one_walk_reads_each_tag_in_document_order() -> None:
    from crawler.extract.metadata import read_metadata

    root = parse_html(
        "<html lang='zh'><head><title> </title><meta name='PubDate' content='2024-01-02'>"
        "<link rel='canonical' href=' /a.html '><link rel='canonical' href='/b.html'>"
        "<meta name='pubdate' content='later'><title>Real  title</title><title>Third</title></head>"
        "<body><svg><symbol><title>icon</title></symbol></svg><time datetime='2024-01-02'>Jan 2</time>"
        "<time datetime=' '>x</time><time datetime='2024-01-03'>Jan <b>3</b></time></body></html>"
    )
    md = read_metadata(root)
    assert md.meta == {"pubdate": "2024-01-02"}
    assert md.canonical == "/a.html"
    assert md.html_title == "Real title"
    assert md.html_lang == "zh"
    assert (md.time_tags, md.time_texts) == (["2024-01-02", "2024-01-03"], ["Jan 2", "Jan 3"])


@pytest.mark.parametrize(
    ("html", "trail"),
    [
        ("<div><a>首页</a> &gt; <a>新闻</a></div>", True),
        ("<div><!-- c --><a>首页</a> &gt; <a>新闻</a></div>", False),  # a comment child is no link
        ("<div><span>x</span><a>首页</a> &gt; <a>新闻</a></div>", False),
        ("<div><a>首页</a> &gt; <a>新闻</a><span>x</span></div>", False),
        ("<div><a>首页</a> | <a>新闻</a></div>", False),
        ("<div><a>only</a></div>", False),
    ],
)
def test_crumb_trail_first_child_check(html: str, trail: bool) -> None:
    el = parse_html(html)
    el = el if el.tag == "div" else el.find(".//div")
    assert article._is_crumb_trail(el) is trail


@pytest.mark.parametrize("text", ["", "a b", " \t\x1c x \x1f\x0b", "Hello, world.  ", "新闻 中心", "a\u00a0b\u3000c", "x\u2003y"])
def test_text_length_as_counted_by_regex(text: str) -> None:
    from crawler.extract.text import cjk_ratio, text_length

    spaces, cjk = len(re.findall(r"\s", text)), len(re.findall("[\u4e00-\u9fff]", text))
    assert text_length(text) == len(text) - spaces + cjk
    assert cjk_ratio(text) == (cjk / (len(text) - spaces) if len(text) > spaces else 0.0)


@given(st.text(alphabet=st.sampled_from("ab 1\t\n\x1c\x85\u00a0\u2003\u3000\u4e00\u9fff\u9fa5\u3400\ua000“，")))
def test_text_length_of_any_text_as_counted_by_regex(text: str) -> None:
    test_text_length_as_counted_by_regex(text)


@pytest.mark.parametrize(
    "text",
    [
        *PAGES,
        "<?xml version='1.0' encoding='utf-8'?><html xmlns='http://www.w3.org/1999/xhtml'><body><p>x</p></body></html>",
        "  \x00<p>a fragment</p>",
        "",
    ],
)
def test_html_selector_is_the_html_parse_parsel_makes_of_plain_elements(text: str) -> None:
    # What Scrapy's selector of an HTML response holds, with lxml's plain elements.
    ours = dom.html_selector(text, "http://example.cn/a/1.html")
    theirs = Selector(text=text, type="html", base_url="http://example.cn/a/1.html")
    assert etree.tostring(ours.root) == etree.tostring(theirs.root)
    assert not any(isinstance(el, lxml_html.HtmlElement) for el in ours.root.iter())
    assert ours.root.getroottree().docinfo.URL == theirs.root.getroottree().docinfo.URL


def test_htmldate_still_reads_a_tree_of_plain_elements() -> None:
    # A date only htmldate finds (in the page's URL and its copyright-free markup).
    text = "<html><body><h1>Title</h1><p>" + "Some words of text. " * 20 + "</p></body></html>"
    url = "http://example.com/2021/03/14/story.html"
    plain = article.parse_article(dom.html_selector(text, url), url)
    classic = article.parse_article(Selector(text=text, type="html"), url)
    assert plain.sources.get("published_at") == classic.sources.get("published_at") == "htmldate"
    assert plain.published_at == classic.published_at
    assert plain.published_at is not None and plain.published_at.date().isoformat() == "2021-03-14"


def _strip_one_by_one(tree: etree._Element, *tags: object, with_tail: bool = True) -> None:
    """What cleaned_tree did before lxml's strip_elements: each element removed in Python, the
    text after it kept."""
    for el in list(tree.iter(*tags)):
        dom._remove(el)


@pytest.mark.parametrize(
    "html",
    [*PAGES, "<html><body><div>a<!--x-->b<?pi y?>c<script>s</script><p>d<style>t</style>e</p>f</div></body></html>"],
)
def test_stripping_in_c_keeps_the_text_of_removing_one_by_one(html: str, monkeypatch: pytest.MonkeyPatch) -> None:
    root = Selector(text=html).root
    stripped = etree.tostring(cleaned_tree(root), encoding="unicode")
    monkeypatch.setattr(etree, "strip_elements", _strip_one_by_one)
    assert stripped == etree.tostring(cleaned_tree(root), encoding="unicode")
    assert not any(mark in stripped for mark in ("<script", "<style", "<!--", "<?"))


def test_the_folds_are_every_character_ignorecase_takes_for_an_ascii_letter() -> None:
    """CaseFree lowercases text instead of folding it: it must know every character beyond ASCII
    that re.IGNORECASE matches to an ASCII letter (they take the slow way)."""
    letter = re.compile("[a-z]", re.IGNORECASE)
    folds = {chr(code) for code in range(0x80, 0x110000) if letter.fullmatch(chr(code))}
    assert folds == set(_FOLDS.pattern.strip("[]"))


_CASE_TEXT = st.text(alphabet=st.sampled_from("aAbBsSkKiI ſKİı新闻：:来源Σσ-2019年\u3000"), max_size=24)
_CASE_PATTERN = re.compile(r"(?P<label>s|i|k|ab|新闻|source)(?:\s*[:：]|(?=20\d\d))|is\b", re.IGNORECASE)


@given(_CASE_TEXT)
def test_case_free_matches_as_ignorecase(text: str) -> None:
    free = CaseFree(_CASE_PATTERN)
    assert free.found(text) == (_CASE_PATTERN.search(text) is not None)
    expected = [(m.span(), m.groupdict()) for m in _CASE_PATTERN.finditer(text)]
    assert [(m.span(), m.groupdict()) for m in free.finditer(text)] == expected


def test_case_free_refuses_what_lowercasing_would_change() -> None:
    with pytest.raises(ValueError):
        CaseFree(re.compile(r"\Sfoo", re.I))
    with pytest.raises(ValueError):
        CaseFree(re.compile("σελίδα", re.I))  # Greek: "Σ" lowercases to "σ", re also folds "ς"


_WORDS = st.lists(st.text(alphabet="abc 新:", min_size=1, max_size=5), min_size=1, max_size=8)


@given(_WORDS, st.text(alphabet="abc 新:.", max_size=30))
def test_alternation_matches_as_the_longest_word_first(words: list[str], text: str) -> None:
    longest_first = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    for after in ("", "(?=:|$)"):  # whatever follows the word, and a condition on it
        plain = re.compile(f"({longest_first}){after}")
        trie = re.compile(f"({alternation(words)}){after}")
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]


@given(st.lists(st.sampled_from(["a", " ", "\n", "]", "］", "[编辑]", "[edit]", "¶", "§", "🔗", "-", "–", "_", "|", "｜",
                                 "<b>", "</b>", "<", "主题：", "Title:", "● ", "标题", "\u3000"]), max_size=12).map("".join))  # fmt: skip
def test_clean_title_as_every_pattern_tried(text: str) -> None:
    from crawler.extract import title as t

    tried = t._PERMALINK.sub("", t._EDIT_LINK.sub("", t._TAG.sub("", text)))
    tried = collapse(t._DANGLING.sub("", t._LABEL_PREFIX.sub("", t._BULLET.sub("", tried))))
    assert t.clean_title(text) == tried
    assert unspaced(text) == re.sub(r"\s+", "", text) == re.sub(r"[\s\u3000]+", "", text)


@given(st.lists(st.sampled_from(["来源", "时间", "Source", "by", "发表于", "转自", ":", "：", " ", "2019", "20", "19",
                                 "《报》", "x", "年", "/", "1/2/2020", "转自《报》"]), max_size=8).map("".join))  # fmt: skip
@settings(max_examples=300)
def test_label_prefilter_passes_every_line_with_a_label(text: str) -> None:
    from crawler.extract import fields

    if not fields._may_hold_label(text):
        assert not list(fields._LABEL_RE.finditer(text))


@given(st.text(alphabet=st.sampled_from("aZ é中文 1\n"), max_size=40))
def test_guess_language_counts_latin_letters_as_characters(text: str) -> None:
    from crawler.extract.text import guess_language

    sample = text[:2000]
    latin = len(re.findall("[A-Za-z]", sample))
    expected = None if len(sample.strip()) < 10 else ("zh" if cjk_ratio(sample) > 0.2 else ("en" if latin > len(sample) * 0.5 else None))
    assert guess_language(text) == expected


_LABEL_PIECES = ["share", "Article", "content", "nav", "-", "_", " ", "ad", "ambox", "Side", "bar", "hot", "TRS_Editor",
                 "ſhare", "main", "footer", "x", "page", "post", "comment", "tags", "K"]  # fmt: skip


@given(st.lists(st.sampled_from(_LABEL_PIECES), max_size=6).map("".join))
def test_noise_label_as_read_word_by_word(label: str) -> None:
    """_noise_label against its reading spelled out with the IGNORECASE patterns."""
    words = {w.lower() for w in label.split()}
    if dom._FURNITURE_TOKENS & words:
        expected = True
    else:
        noise_word = bool(dom._NOISE_SUBSTR.search(label))
        content_word = bool(dom._CONTENT_TOKENS.search(label))
        first = label.split()[0] if label.split() else ""
        leading = bool(dom._CONTENT_TOKENS.search(first)) and not dom._NOISE_SUBSTR.search(first)
        parts = {p.lower() for p in re.split(r"[\s_\-]+", label) if p}
        hit = bool(words & dom._NOISE_TOKENS) or bool(parts & dom._STRONG_PARTS)
        expected = (not leading) if noise_word else (hit and not content_word)
    assert dom._noise_label(label) == expected


@given(
    st.lists(st.sampled_from(["a", "bc", " ", " " * 40, "\n", "\u00a0" * 30, "\u3000", "\u200b", "\ue5c2", "中文", "<b>x</b>"]),
             max_size=60).map("".join),
    st.integers(min_value=0, max_value=40),
)  # fmt: skip
def test_text_at_least_as_the_collapsed_length(inner: str, n: int) -> None:
    el = parse_html(f"<html><body><div>{inner}</div></body></html>").find(".//div")
    assert el is not None
    assert dom.text_at_least(el, n) == (len(dom.element_text(el)) >= n)
    assert dom.text_at_least(el, n + 0.5) == (len(dom.element_text(el)) >= n + 0.5)


def test_text_at_least_reads_on_past_a_run_of_blanks() -> None:
    el = parse_html(f"<html><body><div>{' ' * 300}{chr(0xa0) * 300}abcdefghij</div></body></html>").find(".//div")
    assert el is not None
    assert dom.text_at_least(el, 10) and not dom.text_at_least(el, 11)
