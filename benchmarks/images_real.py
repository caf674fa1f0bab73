"""Print the pictures extracted from a random sample of the real pages (``../shared/real-pages``),
for labelling by hand: ``python -m benchmarks.images_real [N] [SEED]``.

The pages are read where they are and never copied into the project. Figures of 2026-12-01 are
in ``docs/media-and-entry-points.md``.
"""

from __future__ import annotations

import random
import sys

from parsel import Selector

from benchmarks import real_pages as er
from crawler.extract import parse_article


def main(count: int = 20, seed: int = 12) -> None:
    pages = [p for p in er.real_pages() if p.corpus in {"immortal-autumn", "magic-html"}]
    random.seed(seed)
    shown = 0
    for page in random.sample(pages, min(40, len(pages))):
        text = page.load()[0]
        selector = Selector(text=text)
        on_page = len(selector.xpath("//img"))
        fields = parse_article(selector, page.url)
        if not fields.images and on_page == 0:
            continue
        shown += 1
        print(f"## {page.corpus}/{page.file} <img> on page: {on_page}, extracted: {len(fields.images)}, "
              f"lead_image: {fields.lead_image}")  # fmt: skip
        for image in fields.images:
            print(f"   {image['url']} | caption: {image['caption'] or ''} | alt: {image['alt'] or ''}")
        if shown >= count:
            break


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
