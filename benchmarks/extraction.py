"""``python -m benchmarks.extraction`` (``make evaluate``): this project's extraction beside
trafilatura's, same pages, one run.

Three parts, each optional (``--only``):

1. **fixtures** -- the fixture sites (``fixtures/sites`` + hand-written ``fixtures/expected``):
   per site and overall, ours with the site profile (when there is one), ours generic (no profile)
   and trafilatura.
2. **unseen** -- the unseen-layout set (``fixtures/unseen``): ours generic and trafilatura.
3. **benchmark** -- the public article-extraction benchmark of Zyte/Scrapinghub
   (``../shared/benchmarks/article-extraction`` from the project root): body only.

Scoring (pure functions, no I/O, at the top of this module):

* body: 4-word shingles exactly as the benchmark's ``evaluate.py`` computes them -- tokens are the
  runs of ``\\w+`` (so a run of Chinese characters between punctuation is ONE token), shingles are
  the n-grams of 4 consecutive tokens counted as a multiset (a text of fewer than 4 tokens is one
  shorter shingle), per page TP/FP/FN are normalized to sum 1, precision is 1 when FP = FN = 0 and
  0 when TP = FP = 0 (recall likewise). The benchmark's F1 is NOT a mean of per-page F1: it is the
  harmonic mean of the mean precision (over pages with TP + FP > 0) and the mean recall (over pages
  with TP + FN > 0) -- a macro average of P and R. We print that figure for the benchmark, and
  also the mean of per-page F1, which is the figure used for the fixture and unseen sets.
  ``cjkF1`` is a secondary mean per-page F1 where each CJK character is a token of its own.
* title, outlet: equal after collapsing whitespace. Trafilatura has no outlet field: it is credited
  when its ``sitename`` or ``author`` equals the expected outlet, or when the page names none.
* published time: ``exact`` = same ISO 8601 string (offset included); ``min`` = same instant to the
  minute; ``day`` = same calendar date as printed (the extractor's own wall date). Trafilatura
  (htmldate) gives a date only: read as local midnight, so it matches to the minute only when the
  page itself prints no time; it has no exact figure.

Timing is the wall time of the extraction call only (decoding excluded; for ours it includes
building the ``parsel.Selector``, since trafilatura parses the HTML inside its call), after one
untimed warm-up call per extractor and part, and after dateparser and htmldate, which both use
(trafilatura through htmldate), have loaded their language data once: that costs 0.4-1 s at its
first use, which would otherwise land in the mean of whichever extractor first needs it.
"""

from __future__ import annotations

import argparse
import fnmatch
import gzip
import json
import logging
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from benchmarks.common import (
    _BLANKS,
    ROOT,
    Extractor,
    Prediction,
    decode_page,
    normalize_text,
    tokenize,
)
from benchmarks.real_pages import HTMLDATE, evaluate_real, htmldate_extractor, render_real

logger = logging.getLogger(__name__)

FIXTURE_SITES = ROOT / "fixtures" / "sites"
FIXTURE_EXPECTED = ROOT / "fixtures" / "expected"
UNSEEN_DIR = ROOT / "fixtures" / "unseen"
# Layout sets written apart from the extractor; unseen2 was scored before any change for it.
UNSEEN_DIRS = (UNSEEN_DIR, ROOT / "fixtures" / "unseen2", ROOT / "fixtures" / "unseen3")
BENCHMARK_DIR = ROOT.parent / "shared" / "benchmarks" / "article-extraction"

PARTS = ("fixtures", "unseen", "benchmark", "real")
OURS_PROFILE = "ours_profile"
OURS_GENERIC = "ours_generic"
TRAFILATURA = "trafilatura"
LABELS = {
    OURS_PROFILE: "ours+profile",
    OURS_GENERIC: "ours generic",
    TRAFILATURA: "trafilatura",
    "htmldate": "htmldate",
}
SHINGLE_N = 4
BOOTSTRAP_ROUNDS = 1000
MAX_LISTED_PROBLEMS = 8

# ---------------------------------------------------------------------------------------------
# Scoring: pure functions.
# ---------------------------------------------------------------------------------------------

TpFpFn = tuple[float, float, float]

def shingles(text: str | None, n: int = SHINGLE_N, *, cjk_chars: bool = False) -> Counter[tuple[str, ...]]:
    """Multiset of the n-grams of consecutive tokens; a text shorter than n tokens is one shingle."""
    tokens = tokenize(text, cjk_chars=cjk_chars)
    out: Counter[tuple[str, ...]] = Counter()
    for i in range(max(1, len(tokens) - n + 1)):
        shingle = tuple(tokens[i : i + n])
        if shingle:
            out[shingle] += 1
    return out


def shingle_matching(true: str | None, pred: str | None, *, cjk_chars: bool = False) -> TpFpFn:
    """TP, FP, FN over shingles, normalized to sum 1 (all 0 when both texts have no token)."""
    true_sh = shingles(true, cjk_chars=cjk_chars)
    pred_sh = shingles(pred, cjk_chars=cjk_chars)
    tp = fp = fn = 0.0
    for key in true_sh.keys() | pred_sh.keys():
        t, p = true_sh.get(key, 0), pred_sh.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    if total > 0:
        return tp / total, fp / total, fn / total
    return tp, fp, fn


def precision_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def f1_score(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0


def page_f1(counts: TpFpFn) -> float:
    """F1 of one page from its TP/FP/FN."""
    return f1_score(precision_score(*counts), recall_score(*counts))


def body_f1(true: str | None, pred: str | None, *, cjk_chars: bool = False) -> float:
    return page_f1(shingle_matching(true, pred, cjk_chars=cjk_chars))


def token_accuracy(true: str | None, pred: str | None) -> bool:
    """The benchmark's ``accuracy``: the two texts have the same token sequence."""
    return tokenize(true) == tokenize(pred)


@dataclass(frozen=True)
class BenchmarkMetrics:
    """The benchmark's figures over a set of pages (see the module docstring)."""

    n: int
    f1: float | None
    precision: float | None
    recall: float | None
    accuracy: float | None
    mean_page_f1: float | None


def benchmark_metrics(counts: Sequence[TpFpFn], accuracies: Sequence[bool] = ()) -> BenchmarkMetrics:
    """Macro precision and recall as the benchmark's ``metrics_from_tp_fp_fns``, F1 from those two.

    Where the benchmark would divide by zero (no page with a prediction, say) the figure is None.
    """
    precisions = [precision_score(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [recall_score(*c) for c in counts if c[0] + c[2] > 0]
    precision = statistics.fmean(precisions) if precisions else None
    recall = statistics.fmean(recalls) if recalls else None
    f1 = None
    if precision is not None and recall is not None:
        f1 = f1_score(precision, recall)
    return BenchmarkMetrics(
        n=len(counts),
        f1=f1,
        precision=precision,
        recall=recall,
        accuracy=statistics.fmean(accuracies) if accuracies else None,
        mean_page_f1=statistics.fmean(page_f1(c) for c in counts) if counts else None,
    )


def bootstrap_std(
    counts: Sequence[TpFpFn], accuracies: Sequence[bool], rounds: int = BOOTSTRAP_ROUNDS, seed: int = 0
) -> dict[str, float]:
    """Standard deviation of each benchmark figure over bootstrap resamples of the pages."""
    if len(counts) < 2 or rounds < 2:
        return {}
    rng = random.Random(seed)
    values: dict[str, list[float]] = {}
    n = len(counts)
    for _ in range(rounds):
        idx = [rng.randrange(n) for _ in range(n)]
        m = benchmark_metrics([counts[i] for i in idx], [accuracies[i] for i in idx] if accuracies else ())
        for key in ("f1", "precision", "recall", "accuracy"):
            value = getattr(m, key)
            if value is not None:
                values.setdefault(key, []).append(value)
    return {k: statistics.stdev(v) for k, v in values.items() if len(v) > 1}


def normalize_body(text: str | None) -> str | None:
    """Paragraphs (non-blank lines) with whitespace collapsed, one per line: ``\\n`` == ``\\n\\n``."""
    if not text:
        return None
    lines = [_BLANKS.sub(" ", line).strip() for line in text.splitlines()]
    out = "\n".join(line for line in lines if line)
    return out or None


def same_text(expected: str | None, got: str | None) -> bool:
    return normalize_text(expected) == normalize_text(got)


def same_body(expected: str | None, got: str | None) -> bool:
    return normalize_body(expected) == normalize_body(got)


def trafilatura_outlet(expected: str | None, *candidates: str | None) -> str | None:
    """The candidate (sitename, author) that equals the expected outlet, else None."""
    for candidate in candidates:
        if expected is not None and same_text(expected, candidate):
            return candidate
    return None


@dataclass(frozen=True)
class TimeMatch:
    exact: bool
    minute: bool
    day: bool


def compare_time(expected: str | None, got: datetime | date | None) -> TimeMatch:
    """Compare an expected ISO 8601 time with a prediction: an aware datetime, or a date only.

    ``exact``: same ISO string. ``minute``: same instant with seconds dropped; a date-only
    prediction is local midnight of the expected offset. ``day``: same wall date as printed.
    """
    if expected is None:
        return TimeMatch(got is None, got is None, got is None)
    if got is None:
        return TimeMatch(False, False, False)
    want = datetime.fromisoformat(expected)
    if isinstance(got, datetime):
        exact = got.isoformat() == want.isoformat()
        got_day = got.date()
        got_dt = got
    else:
        exact = False
        got_day = got
        got_dt = datetime(got.year, got.month, got.day, tzinfo=want.tzinfo)
    if (got_dt.tzinfo is None) != (want.tzinfo is None):
        minute = False  # naive against aware: not comparable as instants
    else:
        minute = _to_minute(got_dt) == _to_minute(want)
    return TimeMatch(exact=exact, minute=minute, day=got_day == want.date())


def _to_minute(value: datetime) -> datetime:
    return value.replace(second=0, microsecond=0)


# ---------------------------------------------------------------------------------------------
# Pages: loaders for the three parts (never copy the benchmark into the project).
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    title: str | None = None
    outlet: str | None = None
    published_at: str | None = None
    body: str | None = None
    has_fields: bool = True  # False for the benchmark: body only


@dataclass(frozen=True)
class Page:
    part: str
    id: str
    group: str  # the fixture site, or the part name
    url: str
    load: Callable[[], tuple[str, str]]  # -> (decoded text, encoding); timing excludes it
    expected: Expected
    profile: str | None = None  # name of the site profile, fixtures only
    expected_encoding: str | None = None
    # Another page of the same site by absolute URL (the continuation pages of a split story),
    # None when it is not there; fixtures only.
    load_url: Callable[[str], tuple[str, str] | None] | None = None


def site_content_type(site_dir: Path, path: str) -> str | None:
    """The Content-Type the fixture server sends for ``path`` (``_site.yaml`` headers), if set."""
    config = site_dir / "_site.yaml"
    if not config.exists():
        return None
    import yaml

    headers = (yaml.safe_load(config.read_text(encoding="utf-8")) or {}).get("headers") or {}
    ctype: str | None = None
    for pattern, values in headers.items():
        if fnmatch.fnmatch(path, pattern):
            ctype = (values or {}).get("Content-Type", ctype)
    return ctype


def fixture_site_names(expected_dir: Path = FIXTURE_EXPECTED) -> list[str]:
    return sorted(p.name for p in expected_dir.iterdir() if (p / "_site.json").exists())


def fixture_pages(
    sites_dir: Path = FIXTURE_SITES,
    expected_dir: Path = FIXTURE_EXPECTED,
    profile_origins: Mapping[str, str] | None = None,
) -> list[Page]:
    """Every fixture article (as ``tests/fixturedata.expected_articles``), sorted by site and file."""
    origins = profile_origins or {}
    pages: list[Page] = []
    for site in fixture_site_names(expected_dir):
        site_dir = sites_dir / site
        origin = origins.get(site) or f"http://{site.replace('_', '-')}.example"
        for file in sorted((expected_dir / site).rglob("*.json")):
            if file.name.startswith("_"):
                continue
            data = json.loads(file.read_text(encoding="utf-8"))
            path = str(data["url"])

            def load(site_dir: Path = site_dir, path: str = path) -> tuple[str, str]:
                body = (site_dir / path.lstrip("/")).read_bytes()
                return decode_page(body, site_content_type(site_dir, path))

            def load_url(url: str, site_dir: Path = site_dir, origin: str = origin) -> tuple[str, str] | None:
                if not url.startswith(origin + "/"):
                    return None
                other = urlsplit(url).path
                file = site_dir / other.lstrip("/")
                if not file.is_file():
                    return None
                return decode_page(file.read_bytes(), site_content_type(site_dir, other))

            pages.append(
                Page(
                    part="fixtures",
                    id=f"{site}:{path}",
                    group=site,
                    url=origin + path,
                    load=load,
                    expected=_expected(data),
                    profile=site if site in origins else None,
                    load_url=load_url,
                )
            )
    return pages


def unseen_pages(unseen_dir: Path | None = None) -> list[Page]:
    """The unseen-layout pages (of one set, or of every set) that have both the HTML and the
    expected JSON."""
    if unseen_dir is None:
        return [page for directory in UNSEEN_DIRS for page in unseen_pages(directory)]
    pages: list[Page] = []
    expected_dir = unseen_dir / "expected"
    if not expected_dir.is_dir():
        return pages
    for file in sorted(expected_dir.glob("*.json")):
        if file.name.startswith("_"):
            continue
        html = unseen_dir / "pages" / f"{file.stem}.html"
        if not html.exists():
            logger.warning("unseen: %s has no page %s; skipped", file.name, html.name)
            continue
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except ValueError as err:
            logger.warning("unseen: %s is not valid JSON (%s); skipped", file.name, err)
            continue

        def load(html: Path = html) -> tuple[str, str]:
            return decode_page(html.read_bytes(), None)

        pages.append(
            Page(
                part="unseen",
                id=f"{unseen_dir.name}/{file.stem}",
                group=unseen_dir.name,
                url=str(data.get("url") or f"http://unseen.example/{file.stem}.html"),
                load=load,
                expected=_expected(data),
                expected_encoding=data.get("encoding"),
            )
        )
    return pages


def benchmark_pages(benchmark_dir: Path = BENCHMARK_DIR) -> list[Page]:
    """The benchmark's pages in ground-truth order; HTML is gzip, UTF-8."""
    truth = json.loads((benchmark_dir / "ground-truth.json").read_text(encoding="utf-8"))
    pages: list[Page] = []
    for key, item in truth.items():
        html = benchmark_dir / "html" / f"{key}.html.gz"

        def load(html: Path = html) -> tuple[str, str]:
            with gzip.open(html, "rt", encoding="utf-8") as fh:
                return fh.read(), "utf-8"

        pages.append(
            Page(
                part="benchmark",
                id=key,
                group="benchmark",
                url=str(item.get("url") or f"http://benchmark.example/{key}.html"),
                load=load,
                expected=Expected(body=str(item.get("articleBody") or ""), has_fields=False),
            )
        )
    return pages


def _expected(data: Mapping[str, Any]) -> Expected:
    return Expected(
        title=data.get("title"),
        outlet=data.get("outlet"),
        published_at=data.get("published_at"),
        body=data.get("body"),
    )


# ---------------------------------------------------------------------------------------------
# Extractors.
# ---------------------------------------------------------------------------------------------


def ours(profile: Any = None) -> Extractor:
    """``parse_article`` with a profile (or generic); the Selector is built inside the timed call."""
    from crawler.extract import html_selector, parse_article

    def extract(html: str, url: str) -> Prediction:
        fields = parse_article(html_selector(html), url, profile)
        return Prediction(
            title=fields.title,
            outlet=fields.outlet,
            published=fields.published_at,
            body=fields.body,
            verdict=fields.reason,
            continuation_urls=tuple(getattr(fields, "continuation_urls", None) or ()),
        )

    return extract


def trafilatura_extractor() -> Extractor:
    """``trafilatura.bare_extraction`` with metadata and otherwise default settings."""
    import trafilatura

    def extract(html: str, url: str) -> Prediction:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
        if doc is None:
            return Prediction(verdict="no result")
        if isinstance(doc, dict):  # only with the deprecated as_dict=True
            get: Callable[[str], Any] = doc.get
        else:

            def get(name: str) -> Any:
                return getattr(doc, name, None)

        return Prediction(
            title=get("title"),
            published=_parse_date(get("date")),
            body=get("text"),
            outlet_candidates=(get("sitename"), get("author")),
        )

    return extract


def _parse_date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        logger.debug("unreadable trafilatura date %r", value)
        return None


# ---------------------------------------------------------------------------------------------
# Runner.
# ---------------------------------------------------------------------------------------------


@dataclass
class PageResult:
    page: str
    group: str
    extractor: str
    ms: float | None = None
    error: str | None = None
    verdict: str | None = None
    title: bool | None = None
    outlet: bool | None = None
    time_exact: bool | None = None
    time_minute: bool | None = None
    time_day: bool | None = None
    body_exact: bool = False
    body_f1: float = 0.0
    body_cjk_f1: float = 0.0
    counts: TpFpFn = (0.0, 0.0, 0.0)
    token_accuracy: bool = False
    pages_joined: int = 1
    missing_pages: list[str] = field(default_factory=list)
    got: dict[str, Any] = field(default_factory=dict)


def score_page(
    page: Page, extractor: str, pred: Prediction | None, ms: float | None, error: str | None
) -> PageResult:
    """All figures for one page and one extractor; a crash scores as an empty prediction."""
    p = pred or Prediction()
    exp = page.expected
    result = PageResult(
        page=page.id, group=page.group, extractor=extractor, ms=ms, error=error, verdict=p.verdict
    )
    counts = shingle_matching(exp.body, p.body)
    result.counts = counts
    result.body_f1 = page_f1(counts)
    result.body_cjk_f1 = body_f1(exp.body, p.body, cjk_chars=True)
    result.body_exact = same_body(exp.body, p.body)
    result.token_accuracy = token_accuracy(exp.body, p.body)
    outlet = p.outlet
    if extractor == TRAFILATURA:
        outlet = trafilatura_outlet(exp.outlet, *p.outlet_candidates)
    published = p.published.isoformat() if p.published is not None else None
    result.got = {"title": p.title, "outlet": outlet, "published": published, "body_chars": len(p.body or "")}
    if extractor == TRAFILATURA:
        result.got["sitename_author"] = list(p.outlet_candidates)
    if exp.has_fields:
        result.title = same_text(exp.title, p.title)
        result.outlet = same_text(exp.outlet, outlet)
        match = compare_time(exp.published_at, p.published)
        result.time_exact = match.exact if extractor != TRAFILATURA else None
        result.time_minute = match.minute
        result.time_day = match.day
    return result


def run_page(page: Page, text: str, name: str, extract: Extractor) -> PageResult:
    """One extractor on one page, timed; a story split over pages is joined as the spider joins it.

    The spider follows ``continuation_urls`` of an article and appends each page's body after a
    blank line. Continuation pages are read untimed and their extraction calls are timed and added.
    Trafilatura finds no continuation pages, so it is scored on the first page alone.
    """
    ms = 0.0
    joined = 1
    missing: list[str] = []
    try:
        start = time.perf_counter()
        pred = extract(text, page.url)
        ms += (time.perf_counter() - start) * 1000
        more = [u for u in pred.continuation_urls if u != page.url]
        if more and pred.verdict is None and page.load_url is not None:
            bodies = [pred.body]
            for url in more:
                try:
                    loaded = page.load_url(url)
                except OSError:
                    loaded = None
                if loaded is None:
                    missing.append(url)
                    continue
                start = time.perf_counter()
                bodies.append(extract(loaded[0], url).body)
                ms += (time.perf_counter() - start) * 1000
                joined += 1
            pred = replace(pred, body="\n\n".join(b for b in bodies if b) or None)
    except Exception as err:  # a crash on one page must not stop the evaluation
        ms += (time.perf_counter() - start) * 1000
        logger.warning("%s crashed on %s: %r", LABELS[name], page.id, err)
        return score_page(page, name, None, ms, f"{type(err).__name__}: {err}")
    result = score_page(page, name, pred, ms, None)
    result.pages_joined = joined
    result.missing_pages = missing
    return result


@dataclass
class PartResult:
    part: str
    pages: int = 0
    results: list[PageResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # load failures, encoding surprises


def warm_up_shared() -> None:
    """Load what the extractors share before any call is timed: dateparser's language data and
    htmldate's month names of every dateparser locale (0.4 s, built at its first use)."""
    import dateparser

    dateparser.parse("1 January 2020")
    try:
        from htmldate.extractors import month_words
    except ImportError:  # an htmldate without that cache: nothing to load ahead
        return
    month_words()


def run_part(
    part: str,
    pages: Iterable[Page],
    extractors: Mapping[str, Extractor],
    with_profile: Mapping[str, Extractor] | None = None,
) -> PartResult:
    """Every page through ours with its site profile (when it has one) and every other extractor.

    ``with_profile`` maps a profile name to ours bound to that profile (fixtures only).
    """
    out = PartResult(part)
    warmed: set[str] = set()
    for page in pages:
        try:
            text, encoding = page.load()
        except OSError as err:
            out.problems.append(f"{page.id}: cannot read page: {err}")
            continue
        out.pages += 1
        if page.expected_encoding and not _same_encoding(page.expected_encoding, encoding):
            out.problems.append(f"{page.id}: decoded as {encoding}, page is {page.expected_encoding}")
        chosen = dict(extractors)
        if with_profile and page.profile is not None and page.profile in with_profile:
            chosen = {OURS_PROFILE: with_profile[page.profile], **chosen}
        for name, extract in chosen.items():
            if name not in warmed:
                warmed.add(name)
                try:
                    extract(text, page.url)  # untimed warm-up: lazy imports, regex compilation
                except Exception:
                    logger.debug("warm-up of %s failed on %s", name, page.id, exc_info=True)
            out.results.append(run_page(page, text, name, extract))
        logger.info("%s: %s done", part, page.id)
    return out


def _same_encoding(a: str, b: str) -> bool:
    import codecs

    def norm(name: str) -> str:
        try:
            name = codecs.lookup(name).name
        except LookupError:
            return name.lower()
        return {"gb2312": "gb18030", "gbk": "gb18030", "big5hkscs": "big5", "cp950": "big5"}.get(name, name)

    return norm(a) == norm(b)


# ---------------------------------------------------------------------------------------------
# Summaries.
# ---------------------------------------------------------------------------------------------


def _rate(values: Iterable[bool | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


def _mean(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return statistics.fmean(vals) if vals else None


def summarize(results: Sequence[PageResult], *, benchmark: bool = False) -> dict[str, Any]:
    """The figures of one extractor over a set of pages."""
    times = [r.ms for r in results if r.ms is not None]
    summary: dict[str, Any] = {
        "n": len(results),
        "errors": sum(r.error is not None for r in results),
        "not_article": sum(r.error is None and r.verdict is not None for r in results),
        "ms_mean": statistics.fmean(times) if times else None,
        "ms_median": statistics.median(times) if times else None,
        "ms_max": max(times) if times else None,
        "slowest": max(results, key=lambda r: r.ms or 0.0).page if times else None,
        "seconds_total": sum(times) / 1000,
    }
    if benchmark:
        counts = [r.counts for r in results]
        accuracies = [r.token_accuracy for r in results]
        metrics = benchmark_metrics(counts, accuracies)
        summary.update(asdict(metrics))
        summary["std"] = bootstrap_std(counts, accuracies)
        return summary
    summary.update(
        title=_rate(r.title for r in results),
        outlet=_rate(r.outlet for r in results),
        time_exact=_rate(r.time_exact for r in results),
        time_minute=_rate(r.time_minute for r in results),
        time_day=_rate(r.time_day for r in results),
        body_exact=_rate(r.body_exact for r in results),
        body_f1=_mean(r.body_f1 for r in results),
        body_cjk_f1=_mean(r.body_cjk_f1 for r in results),
    )
    return summary


def summarize_part(part: PartResult) -> dict[str, Any]:
    benchmark = part.part == "benchmark"
    by_extractor: dict[str, list[PageResult]] = {}
    by_group: dict[str, dict[str, list[PageResult]]] = {}
    for r in part.results:
        by_extractor.setdefault(r.extractor, []).append(r)
        by_group.setdefault(r.group, {}).setdefault(r.extractor, []).append(r)
    out: dict[str, Any] = {
        "pages": part.pages,
        "overall": {k: summarize(v, benchmark=benchmark) for k, v in _ordered(by_extractor)},
    }
    if part.part in {"fixtures", "unseen"}:
        out["sites"] = {g: {k: summarize(v) for k, v in _ordered(per)} for g, per in sorted(by_group.items())}
    out["errors"] = [
        {"page": r.page, "extractor": r.extractor, "error": r.error} for r in part.results if r.error
    ]
    out["not_article"] = [
        {"page": r.page, "extractor": r.extractor, "reason": r.verdict}
        for r in part.results
        if r.verdict and not r.error
    ]
    out["multi_page"] = [
        {"page": r.page, "extractor": r.extractor, "pages_joined": r.pages_joined, "missing": r.missing_pages}
        for r in part.results
        if r.pages_joined > 1 or r.missing_pages
    ]
    out["problems"] = part.problems
    out["page_results"] = [_page_json(r) for r in part.results]
    return out


def _ordered(d: Mapping[str, list[PageResult]]) -> list[tuple[str, list[PageResult]]]:
    order = [OURS_PROFILE, OURS_GENERIC, TRAFILATURA]
    return sorted(d.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))


def _page_json(r: PageResult) -> dict[str, Any]:
    data = asdict(r)
    data["counts"] = {"tp": r.counts[0], "fp": r.counts[1], "fn": r.counts[2]}
    return data


# ---------------------------------------------------------------------------------------------
# Rendering.
# ---------------------------------------------------------------------------------------------


LEGEND = (
    "Legend: title/outlet = equal after collapsing whitespace (trafilatura has no outlet field:",
    "  credited when its sitename or author equals the expected outlet, or the page names none);",
    "  time= same ISO string; t/min = same instant to the minute; t/day = same printed date",
    "  (trafilatura/htmldate give a date only: read as local midnight, no exact figure);",
    "  body= same paragraphs after whitespace normalization; bodyF1 = mean per-page 4-word-shingle F1",
    "  with the benchmark's tokens (\\w+ runs: a Chinese clause is one token); cjkF1 = the same with",
    "  one token per CJK character; ms/page = mean extraction time; err = extractor crashed (scored as",
    "  an empty result); !art = ours said 'not an article' (its fields are still scored) /",
    "  trafilatura returned nothing.",
)


def _fmt(value: Any, width: int, digits: int = 3) -> str:
    if value is None:
        return "-".rjust(width)
    if isinstance(value, float):
        return f"{value:.{digits}f}".rjust(width)
    return str(value).rjust(width)


_FIELD_COLUMNS = (
    ("title", "title", 6),
    ("outlet", "outlet", 6),
    ("time_exact", "time=", 6),
    ("time_minute", "t/min", 6),
    ("time_day", "t/day", 6),
    ("body_exact", "body=", 6),
    ("body_f1", "bodyF1", 6),
    ("body_cjk_f1", "cjkF1", 6),
)


def _field_header(first: str, width: int) -> str:
    cols = "".join(f" {h:>{w}}" for _, h, w in _FIELD_COLUMNS)
    return f"{first:<{width}} {'extractor':<13} {'n':>4}{cols} {'ms/page':>8} {'err':>4} {'!art':>4}"


def _field_row(first: str, width: int, extractor: str, s: Mapping[str, Any]) -> str:
    cols = "".join(f" {_fmt(s.get(k), w)}" for k, _, w in _FIELD_COLUMNS)
    return (
        f"{first:<{width}} {LABELS.get(extractor, extractor):<13} {s['n']:>4}{cols} "
        f"{_fmt(s['ms_mean'], 8, 1)} {s['errors']:>4} {s['not_article']:>4}"
    )


def render(report: Mapping[str, Any]) -> str:
    lines: list[str] = []
    v = report["versions"]
    lines.append(
        "Extraction evaluation: ours (crawler.extract.parse_article) vs "
        f"trafilatura {v['trafilatura']} (htmldate {v['htmldate']})"
    )
    if report.get("limit"):
        lines.append(f"(--limit {report['limit']}: first {report['limit']} pages of each part only)")
    fx = report.get("fixtures")
    if fx:
        lines.append("")
        lines.append(f"1. Fixture sites: {fx['pages']} pages, {len(fx.get('sites', {}))} sites")
        width = max([len("ALL"), *(len(s) for s in fx.get("sites", {}))])
        lines.append(_field_header("site", width))
        for site, per in fx.get("sites", {}).items():
            for i, (name, s) in enumerate(per.items()):
                lines.append(_field_row(site if i == 0 else "", width, name, s))
        for i, (name, s) in enumerate(fx["overall"].items()):
            lines.append(_field_row("ALL" if i == 0 else "", width, name, s))
    un = report.get("unseen")
    if un:
        lines.append("")
        lines.append(f"2. Unseen layouts: {un['pages']} pages")
        lines.append(_field_header("set", 8))
        for group, per in un.get("sites", {}).items():
            for i, (name, s) in enumerate(per.items()):
                lines.append(_field_row(group if i == 0 else "", 8, name, s))
        for i, (name, s) in enumerate(un["overall"].items()):
            lines.append(_field_row("ALL" if i == 0 else "", 8, name, s))
    bm = report.get("benchmark")
    if bm:
        lines.append("")
        lines.append(f"3. Benchmark (article-extraction, body only): {bm['pages']} pages")
        lines.append(
            "   F1 = harmonic mean of macro-averaged P and R, as the benchmark's evaluate.py "
            "(± bootstrap std); pageF1 = mean per-page F1"
        )
        lines.append(
            f"{'extractor':<13} {'n':>4} {'F1':>13} {'precision':>13} {'recall':>13} "
            f"{'accuracy':>13} {'pageF1':>7} {'ms/page':>8} {'err':>4} {'!art':>4}"
        )
        for name, s in bm["overall"].items():
            std = s.get("std", {})

            def pm(key: str, s: Mapping[str, Any] = s, std: Mapping[str, float] = std) -> str:
                if s.get(key) is None:
                    return "-".rjust(13)
                return f"{s[key]:.3f} ± {std[key]:.3f}".rjust(13) if key in std else _fmt(s[key], 13)

            lines.append(
                f"{LABELS.get(name, name):<13} {s['n']:>4} {pm('f1')} {pm('precision')} "
                f"{pm('recall')} {pm('accuracy')} {_fmt(s['mean_page_f1'], 7)} "
                f"{_fmt(s['ms_mean'], 8, 1)} {s['errors']:>4} {s['not_article']:>4}"
            )
    real = report.get("real")
    if real:
        lines.append("")
        lines.extend(render_real(real, LABELS))
    timing = report.get("timing")
    if timing:
        lines.append("")
        lines.append(
            "4. Milliseconds per page (extraction call only; decode excluded; ours includes "
            "building the Selector)"
        )
        lines.append(
            f"{'part':<10} {'extractor':<13} {'n':>4} {'mean':>8} {'median':>8} {'total s':>8} "
            f"{'max':>8}  slowest page"
        )
        for part, per in timing.items():
            for name, t in per.items():
                lines.append(
                    f"{part:<10} {LABELS.get(name, name):<13} {t['n']:>4} {_fmt(t['ms_mean'], 8, 1)} "
                    f"{_fmt(t['ms_median'], 8, 1)} {_fmt(t['seconds_total'], 8, 2)} "
                    f"{_fmt(t['ms_max'], 8, 1)}  {str(t['slowest'])[:40]}"
                )
    notes = _notes(report)
    if notes:
        lines.append("")
        lines.append("Notes")
        lines.extend(notes)
    lines.append("")
    lines.extend(LEGEND)
    lines.append(f"Run time: {report['elapsed_s']:.1f} s")
    return "\n".join(lines)


def _notes(report: Mapping[str, Any]) -> list[str]:
    lines: list[str] = []
    for part in PARTS:
        data = report.get(part)
        if not data:
            continue
        errors = data["errors"]
        if errors:
            lines.append(f"{part}: {len(errors)} crash(es), first ones:")
            lines.extend(
                f"  {LABELS.get(e['extractor'], e['extractor'])} on {e['page']}: {e['error'][:150]}"
                for e in errors[:MAX_LISTED_PROBLEMS]
            )
        not_article = data.get("not_article", [])
        if not_article:
            lines.append(f"{part}: {len(not_article)} 'not an article' / no-result verdict(s), first ones:")
            lines.extend(
                f"  {LABELS.get(e['extractor'], e['extractor'])} on {e['page']}: {e['reason']}"
                for e in not_article[:MAX_LISTED_PROBLEMS]
            )
        multi = data.get("multi_page", [])
        if multi:
            joined = sorted({m["page"] for m in multi if m["pages_joined"] > 1})
            lines.append(
                f"{part}: ours followed continuation pages (story split over pages, joined as the spider "
                f"does) on {len(joined)} article(s): {', '.join(joined[:MAX_LISTED_PROBLEMS])}; "
                "trafilatura is scored on the first page only"
            )
            for m in multi:
                if m["missing"]:
                    lines.append(
                        f"  {m['page']}: continuation page(s) not in the fixtures: {m['missing'][:3]}"
                    )
        problems = data.get("problems", [])
        for problem in problems[:MAX_LISTED_PROBLEMS]:
            lines.append(f"{part}: {problem}")
        if len(problems) > MAX_LISTED_PROBLEMS:
            lines.append(f"{part}: ... {len(problems) - MAX_LISTED_PROBLEMS} more problem(s)")
    for message in report.get("skipped", []):
        lines.append(message)
    return lines


# ---------------------------------------------------------------------------------------------
# Command line.
# ---------------------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--only", choices=PARTS, help="run one part only")
    parser.add_argument("--limit", type=int, help="at most N pages of each part (quick runs)")
    parser.add_argument("--json", dest="json_file", metavar="FILE", help="also write every figure as JSON")
    parser.add_argument(
        "--benchmark-dir",
        default=str(BENCHMARK_DIR),
        help="the article-extraction benchmark (default: %(default)s)",
    )
    parser.add_argument(
        "--real-dir",
        default=str(ROOT.parent / "shared" / "real-pages"),
        help="the real-page corpora (default: %(default)s)",
    )
    parser.add_argument("--log-level", default="WARNING", help="log level (default: WARNING)")


def _versions() -> dict[str, str]:
    out = {}
    for dist in ("trafilatura", "htmldate", "mediacenter-crawler"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "?"
    return out


def _limited(pages: Sequence[Page], limit: int | None) -> Sequence[Page]:
    return pages[:limit] if limit is not None else pages


def evaluate(args: argparse.Namespace) -> dict[str, Any]:
    """Run the selected parts and return every figure (what ``--json`` writes)."""
    from crawler.profiles import load_profiles

    started = time.perf_counter()
    parts = [args.only] if args.only else list(PARTS)
    limit: int | None = args.limit
    profiles = {name: p for name, p in load_profiles().items() if not p.abstract}
    report: dict[str, Any] = {"versions": _versions(), "limit": limit, "parts": parts, "skipped": []}
    traf = trafilatura_extractor()
    generic = ours(None)
    warm_up_shared()
    part_results: dict[str, PartResult] = {}

    if "fixtures" in parts:
        origins = {name: p.origin for name, p in profiles.items() if p.start_urls}
        pages = _limited(fixture_pages(profile_origins=origins), limit)
        with_profile = {name: ours(p) for name, p in profiles.items()}
        part_results["fixtures"] = run_part(
            "fixtures", pages, {OURS_GENERIC: generic, TRAFILATURA: traf}, with_profile
        )
    if "unseen" in parts:
        pages = _limited(unseen_pages(), limit)
        if pages:
            part_results["unseen"] = run_part("unseen", pages, {OURS_GENERIC: generic, TRAFILATURA: traf})
        else:
            report["skipped"].append(f"unseen: no pages under {UNSEEN_DIR}")
    if "benchmark" in parts:
        bdir = Path(args.benchmark_dir)
        if (bdir / "ground-truth.json").exists():
            pages = _limited(benchmark_pages(bdir), limit)
            part_results["benchmark"] = run_part(
                "benchmark", pages, {OURS_GENERIC: generic, TRAFILATURA: traf}
            )
        else:
            report["skipped"].append(f"benchmark: no ground-truth.json under {bdir}")

    if "real" in parts:
        extractors = {OURS_GENERIC: generic, TRAFILATURA: traf, HTMLDATE: htmldate_extractor()}
        real = evaluate_real(Path(args.real_dir), extractors, limit)
        if real is None:
            report["skipped"].append(f"real: no real-page corpora under {args.real_dir}")
        else:
            report["real"] = real

    timing: dict[str, dict[str, Any]] = {}
    for name, part in part_results.items():
        report[name] = summarize_part(part)
        timing[name] = {
            k: {key: s[key] for key in ("n", "ms_mean", "ms_median", "ms_max", "slowest", "seconds_total")}
            for k, s in report[name]["overall"].items()
        }
    report["timing"] = timing
    report["elapsed_s"] = time.perf_counter() - started
    return report


def run(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 1:
        print("error: --limit must be at least 1", file=sys.stderr)
        return 2
    report = evaluate(args)
    print(render(report), flush=True)
    if args.json_file:
        Path(args.json_file).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"wrote {args.json_file}", file=sys.stderr)
    if args.only and args.only not in report:
        return 2  # the one part asked for could not run
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.extraction", description=(__doc__ or "").split("\n\n")[0]
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    level = getattr(logging, str(args.log_level).upper(), logging.WARNING)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
