"""Canonical URLs: the key that makes the same article under URL variants one article.

w3lib canonicalizes (query sorted, percent-encoding normalized, fragment dropped); on top of
that tracking parameters are removed, ``index.html`` and trailing slashes are folded, and the
scheme is left out of the dedup key so http and https variants meet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Parameters that say where a reader came from, never which article it is.
TRACKING_PARAMS = frozenset(
    {"spm", "from", "share", "share_token", "shareid", "sharesource", "isappinstalled",
     "scene", "clicktime", "enterid", "fbclid", "gclid", "yclid", "msclkid", "mc_cid",
     "mc_eid", "igshid", "ref", "ref_src", "source", "src", "wechat", "wxshare", "timestamp",
     "toc_style_id", "_hsenc", "_hsmi", "track", "tracking"}
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hmsr", "hmpl", "hmcu", "hmkw", "hmci")
_INDEX_PAGE = re.compile(r"/(?:index|default)\.(?:html?|shtml|php|aspx?|jsp)$", re.I)


@lru_cache(maxsize=8192)
def join_url(base: str, href: str) -> str | None:
    """``href`` made absolute against ``base``, or None when it cannot name a web page.

    Never raises: real pages carry hrefs such as ``http://[ccpa-preferences]/`` (an invalid IPv6
    literal), ports out of range, ``javascript:`` and ``data:`` links, which must cost one link,
    not the page they are on.
    """
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    try:
        absolute = urljoin(base, href)
        parts = urlsplit(absolute)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            return None
        parts.port  # noqa: B018 - raises ValueError on a port out of range
    except ValueError:
        return None
    return absolute


def canonicalize(url: str, noise_params: Iterable[str] = ()) -> str:
    """The canonical form of ``url`` (scheme kept; see :func:`url_key` for the dedup key).

    Never raises: a URL whose host or port cannot be parsed (``http://[x]/``, port 99999) keeps
    its text, lowercased and without fragment, as its own key.
    """
    try:
        return _canonicalize(url, noise_params)
    except ValueError:
        return url.split("#", 1)[0].strip().lower()


def _canonicalize(url: str, noise_params: Iterable[str]) -> str:
    noise = TRACKING_PARAMS | {p.lower() for p in noise_params}
    parts = urlsplit(canonicalize_url(url, keep_fragments=False))
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in noise and not k.lower().startswith(TRACKING_PREFIXES)
    ]
    path = _INDEX_PAGE.sub("/", parts.path) or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    host = (parts.hostname or "").lower()
    netloc = host if parts.port in (None, 80, 443) else f"{host}:{parts.port}"
    return urlunsplit((parts.scheme.lower(), netloc, path, urlencode(query), ""))


def url_key(url: str, noise_params: Iterable[str] = ()) -> str:
    """The dedup key: the canonical URL without its scheme (``//host/path?query``)."""
    canonical = canonicalize(url, noise_params)
    return canonical.split(":", 1)[1] if ":" in canonical else canonical


def rebase(url: str, from_origin: str, to_origin: str) -> str:
    """Move ``url`` from one origin to another (a local mirror of a site and back)."""
    src = urlsplit(from_origin)
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (src.scheme, src.netloc):
        return url
    dst = urlsplit(to_origin)
    prefix = dst.path.rstrip("/")
    return urlunsplit((dst.scheme, dst.netloc, prefix + parts.path, parts.query, parts.fragment))


def host_allowed(url: str, domains: Iterable[str]) -> bool:
    """Whether ``url``'s host is one of ``domains`` or a subdomain of one (False when unparsable)."""
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return False
    if not host:
        return False
    for domain in domains:
        domain = domain.lower().lstrip(".").rstrip(".")
        if domain and (host == domain or host.endswith("." + domain)):
            return True
    return False
