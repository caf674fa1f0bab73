"""List families: how the listing of one CMS family is fetched, read and paged.

A profile names its family with ``listing.pagination.kind``; ``registry.FAMILIES`` maps each kind
to the class that implements it (``base.Family``), one module per family:

- ``links`` (``links.py``): next/numbered links read from the page (also ``none``);
- ``index_n``, ``page_param`` (``numbered.py``): the next page's URL is computed;
- ``script_count`` (``trs.py``): the TRS ``createPageHTML(count, ...)`` script pager;
- ``hanweb`` (``hanweb.py``): POSTs to the Hanweb ``dataproxy.jsp`` list API;
- ``jsonp`` (``jsonp.py``): a JSONP (or JSON) list API paged by a parameter.

Adding a family is one module here, one line in ``registry.FAMILIES``, a profile and fixtures.
This package's ``__init__`` imports nothing, so that ``crawler.profiles`` can read the registry.
"""
