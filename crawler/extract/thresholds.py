"""The windows and limits of extraction, named in one place.

Every number here was set on the fixture sites and the unseen sets and checked on the real-page
corpora and the public benchmark (``make evaluate``); change one only with the evaluation's
before and after figures.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Thresholds:
    # --- Meta lines around the headline (article.py) ---
    meta_after_title: int = 14  # blocks read after the headline for time, outlet and bylines
    meta_before_title: int = 14  # ... and before it (disclosure tables print fields above)
    meta_without_title: int = 12  # blocks read before the body when no headline was found
    banner_above_body: int = 20  # a <title> part printed more blocks above the body is a banner
    meta_block_chars: int = 400  # a longer block is text, not a meta line
    unlabelled_date_chars: int = 160  # a short line whose date, without a label, dates the page
    unlabelled_date_link_density: float = 0.5  # ... unless it is mostly a link (a list entry)
    sentence_chars: int = 30  # a line longer than this ending like a sentence is text
    time_on_next_line_chars: int = 30  # "香港時间16時30分" joined to the date line above it
    trailing_outlet_chars: int = 40  # the outlet printed after the time ("… 04:32 PM  CGTN")
    labelled_anywhere_chars: int = 200  # lines read for a labelled date away from the headline
    localized_date_chars: int = 160  # lines read for a date in the page's language
    localized_date_window: int = 16  # ... how many blocks from the headline
    people_line_chars: int = 120  # editor and author lines
    credit_row_blocks: int = 6  # blocks right after the text read for its credit row (来源：…)
    author_chars: int = 60  # a longer author value is not a person
    breadcrumb_chars: int = 200  # a breadcrumb trail
    category_chars: int = 40  # its last column
    # --- Whether the page is an article ---
    min_body_chars: int = 40  # shorter bodies: body_too_short
    undated_body_chars: int = 600  # an undated page needs this much text to count as an article
    # --- Body (body.py) ---
    paragraph_chars: int = 20  # a block shorter than this does not count for density
    paragraph_link_density: float = 0.3  # ... nor one that is more link than this
    link_line_density: float = 0.5  # a short body line mostly link is navigation
    link_line_chars: int = 200  # ... when shorter than this
    kicker_chars: int = 60  # short opening lines that do not end a sentence: kickers and decks
    kicker_lines: int = 3
    box_header_extra_chars: int = 24  # a table header holding the headline and this much more: the box's
    attribution_chars: int = 24  # "——作者手记" closing an epigraph above the text
    dateline_lines: int = 10  # a dateline ("本报讯") this close to the top opens the story
    lead_caption_chars: int = 120  # "图为…" above the first paragraph: the lead photo's caption
    credit_line_chars: int = 60  # a closing credit or link line
    paragraph_line_chars: int = 80  # a line this long that ends like a sentence is a paragraph
    endnote_lines: int = 2  # a run of this many numbered "[1] …" lines at the end is the notes
    sign_off_lines: int = 3  # the last lines searched for a blogger's sign-off ("按個讚")
    orphan_label_chars: int = 12  # "本周雅虎推荐:" left at the end: a list's label without its list
    rights_line_chars: int = 120  # "未经授权，不得转载" after the text
    signature_chars: int = 30  # the body signing a notice under its last sentence, and its date
    photo_credit_chars: int = 60  # "推进会现场。（高新区融媒体中心供图）"
    meta_line_chars: int = 160  # a longer line inside the body is never a meta line
    date_line_chars: int = 60  # a line that is mostly a date
    sibling_floor_share: float = 0.2  # a sibling of the densest block joins it above this share
    sibling_paragraph_chars: int = 80  # a sibling <p> joins with this much text
    sibling_link_density: float = 0.25  # ... and fewer links than this
    climb_link_density: float = 0.25  # climbing to a parent stops at this link density
    climb_gain: float = 1.25  # a parent is adopted when it holds this much more good text
    table_after_share: float = 3.0  # a table after the text joins it up to this size (of the text)
    table_link_share: float = 0.05  # ... when links are at most this share of its text
    post_chars: int = 200  # a box of a listing of full posts holds this much paragraph text
    listing_posts: int = 3  # ... and the page holds at least this many such boxes of one name
    dated_posts_share: float = 0.7  # ... this share of them dated on a short line
    post_date_line_chars: int = 80  # ... this short
    # --- Title (title.py) ---
    title_text_line_chars: int = 60  # a line under the headline this long is the article's text
    title_text_line_link_density: float = 0.3  # ... when less of it is links than this
    page_container_nav_density: float = 0.3  # a body container opening with this many links...
    page_container_share: float = 0.9  # ... and holding this share of the lines is the whole page


LIMITS = Thresholds()
