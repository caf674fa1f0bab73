"""Pure extraction functions over HTML: no Response, no network, no settings.

``parse_article(selector, url, profile)`` and ``parse_listing(selector, url, profile)`` are the
two entry points; everything else here is a helper they share.
"""

from crawler.extract.article import ArticleFields, parse_article
from crawler.extract.dom import html_selector
from crawler.extract.listing import Listing, parse_listing

__all__ = ["ArticleFields", "Listing", "html_selector", "parse_article", "parse_listing"]
