"""The real-page part of ``python -m benchmarks.extraction``: pages nobody here wrote.

``../shared/real-pages`` (from the project root) holds 346 saved pages of four public test corpora
with the truth each publishes (see its README). They are read from there and never copied into
the project. On top of the corpora's truth, ``fixtures/real/labels.jsonl`` holds this project's
own hand labels of the 89 Chinese pages (title, outlet, publish time as printed, the first and the
last 20 characters of the body), written before the extractor was changed for them.

Figures, per corpus and language, for ours, trafilatura (title, body, date) and htmldate (date):

* title: equal after collapsing whitespace; where the truth is a ``<title>`` that keeps the site
  name (readability's truth does, by design), a prediction equal to the truth without that
  affix (`` - Site``, ``_Site``, ``| Site``) counts as well. Labels are the headline only.
* time: ``min`` = the same minute (as instants when the truth has an offset, else as printed
  wall time), over pages whose truth has a time of day; ``day`` = the same printed date, over
  pages whose truth has a day. A truth of exactly midnight without an offset (newspaper4k's
  date-only values) counts as a day only. A UTC instant in the truth also matches the page's own
  day: the same instant seen in the offset of the prediction.
* body: token F1 (bag of tokens; one token per CJK character, ``\\w+`` runs elsewhere) against
  the corpus truth; for labelled pages, ``anchors`` = the body starts with the label's first 20
  and ends with its last 20 characters (whitespace ignored).
* outlet: labelled pages only (no corpus publishes one); a page whose label has no outlet counts
  as right only when the extractor gives none either.
* crash: the extractor raised; the page is scored as an empty prediction.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import statistics
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from benchmarks.common import (
    ROOT,
    Extractor,
    Prediction,
    decode_page,
    normalize_text,
    tokenize,
)

logger = logging.getLogger(__name__)

REAL_DIR = ROOT.parent / "shared" / "real-pages"
LABELS_FILE = ROOT / "fixtures" / "real" / "labels.jsonl"
CORPORA = ("immortal-autumn", "magic-html", "readability", "newspaper4k")
HTMLDATE = "htmldate"
ANCHOR = 20

_SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
# Separators between a headline and the site name in <title>.
_AFFIX_SEP = re.compile(r"^\s*(?:[-–—|｜_:·•»/]+|::)\s*|\s*(?:[-–—|｜_:·•»/]+|::)\s*$")


# ---------------------------------------------------------------------------------------------
# Scoring: pure functions.
# ---------------------------------------------------------------------------------------------


def token_f1(true: str | None, pred: str | None) -> float:
    """F1 of the two token multisets (one token per CJK character, ``\\w+`` runs elsewhere)."""
    t = Counter(tok.lower() for tok in tokenize(true, cjk_chars=True))
    p = Counter(tok.lower() for tok in tokenize(pred, cjk_chars=True))
    if not t and not p:
        return 1.0
    if not t or not p:
        return 0.0
    overlap = sum((t & p).values())
    if overlap == 0:
        return 0.0
    precision = overlap / sum(p.values())
    recall = overlap / sum(t.values())
    return 2 * precision * recall / (precision + recall)


def title_matches(expected: str | None, got: str | None, *, affix_ok: bool) -> bool:
    """Same headline; with ``affix_ok`` the expected ``<title>`` may carry the site's name."""
    want, have = normalize_text(expected), normalize_text(got)
    if want is None or have is None:
        return want == have
    if want == have:
        return True
    if not affix_ok or len(have) < 4:
        return False
    if want.startswith(have):
        rest = want[len(have) :]
    elif want.endswith(have):
        rest = want[: -len(have)]
    else:
        return False
    return bool(_AFFIX_SEP.search(rest))


def _squeeze(text: str | None) -> str:
    return _SPACE.sub("", text or "")


def anchors_match(body: str | None, start: str | None, end: str | None) -> bool:
    """The body begins with ``start`` and ends with ``end`` (whitespace ignored)."""
    have = _squeeze(body)
    if not have or not start or not end:
        return False
    return have.startswith(_squeeze(start)) and have.endswith(_squeeze(end))


@dataclass(frozen=True)
class TruthTime:
    """A truth publish time as the corpora write it, with how much of it is known."""

    value: datetime  # naive wall time, or aware when the truth names an offset
    precision: str  # "year", "month", "day" or "minute"

    @property
    def day(self) -> date | None:
        return self.value.date() if self.precision in {"day", "minute"} else None


_TRUTH_DATE = re.compile(
    r"^\s*(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?)?"
    r"(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$"
)


def parse_truth_time(raw: str | None) -> TruthTime | None:
    """``2005-5-7 21:23:57``, ``2018-12-21T12:55:00Z``, ``1998-3``, ``2017-11-03 03:01:00.000000``…"""
    if not raw:
        return None
    m = _TRUTH_DATE.match(raw)
    if not m:
        return None
    year, month, day, hour, minute, _second, zone = m.groups()
    try:
        value = datetime(int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0))
    except ValueError:
        return None
    precision = "minute" if hour else "day" if day else "month" if month else "year"
    if zone:
        if zone == "Z":
            offset = timedelta(0)
        else:
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        value = value.replace(tzinfo=timezone(offset))
    elif precision == "minute" and value.hour == 0 and value.minute == 0 and ":00:00" in raw:
        precision = "day"  # newspaper4k writes a date it found without a time as midnight
    return TruthTime(value, precision)


def time_matches(truth: TruthTime | None, got: datetime | date | None) -> tuple[bool | None, bool | None]:
    """(same minute, same day); None where the truth does not know that much."""
    if truth is None:
        return None, None
    want_day = truth.day
    if got is None:
        return (False if truth.precision == "minute" else None), (False if want_day else None)
    day: bool | None = None
    if want_day is not None:
        got_day = got.date() if isinstance(got, datetime) else got
        day = got_day == want_day
        if not day and isinstance(got, datetime) and truth.value.tzinfo is not None and got.tzinfo:
            # The truth wrote the instant in UTC; the page prints its own day.
            day = truth.value.astimezone(got.tzinfo).date() == got_day
    minute: bool | None = None
    if truth.precision == "minute":
        if not isinstance(got, datetime):
            minute = False
        elif truth.value.tzinfo is not None and got.tzinfo is not None:
            minute = _utc_minute(got) == _utc_minute(truth.value)
        else:
            minute = got.replace(tzinfo=None, second=0, microsecond=0) == truth.value.replace(tzinfo=None)
    return minute, day


def _utc_minute(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(second=0, microsecond=0)


# ---------------------------------------------------------------------------------------------
# Pages.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RealPage:
    corpus: str
    file: str
    url: str
    language: str | None
    title: str | None  # the truth's, or the label's when the page is labelled
    title_has_affix: bool  # the truth title may carry the site name
    published: TruthTime | None
    body: str | None
    label: Mapping[str, Any] | None
    path: Path

    @property
    def id(self) -> str:
        return f"{self.corpus}/{self.file}"

    @property
    def lang_group(self) -> str:
        if not self.language:
            return "?"
        primary = self.language.split("-")[0].lower()
        return primary if primary in {"zh", "en"} else "other"

    def load(self) -> tuple[str, str]:
        with gzip.open(self.path) as fh:
            return decode_page(fh.read(), None)


def load_labels(path: Path = LABELS_FILE) -> dict[tuple[str, str], dict[str, Any]]:
    labels: dict[tuple[str, str], dict[str, Any]] = {}
    if not path.exists():
        return labels
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            labels[(str(data["corpus"]), str(data["file"]))] = data
        except (ValueError, KeyError) as err:
            logger.warning("%s:%d: bad label line (%s); skipped", path, n, err)
    return labels


def _html_text(raw: bytes) -> str:
    """Readability's expected article HTML as paragraphs of text."""
    from lxml import html

    root = html.fromstring(raw.decode("utf-8", errors="replace"))
    blocks = []
    for el in root.iter("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "td", "blockquote", "div"):
        if el.tag == "div" and any(child.tag in {"p", "div", "li", "table"} for child in el):
            continue
        text = " ".join(el.text_content().split())
        if text:
            blocks.append(text)
    return "\n".join(blocks)


def real_pages(real_dir: Path = REAL_DIR, labels_file: Path = LABELS_FILE) -> list[RealPage]:
    """Every page of the four corpora, in corpus and manifest order."""
    labels = load_labels(labels_file)
    pages: list[RealPage] = []
    for corpus in CORPORA:
        manifest = real_dir / corpus / "truth.jsonl"
        if not manifest.exists():
            continue
        for line in manifest.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            data = json.loads(line)
            file = str(data["file"])
            label = labels.get((corpus, file))
            body = data.get("body")
            if body is None and data.get("body_html_file"):
                with gzip.open(real_dir / corpus / str(data["body_html_file"])) as fh:
                    body = _html_text(fh.read())
            title = data.get("title")
            published = parse_truth_time(data.get("published"))
            if label is not None:
                title = label.get("title") or title
                published = parse_truth_time(label.get("published"))
            url = data.get("url") or f"http://{corpus}.example/{Path(file).stem}.html"
            pages.append(
                RealPage(
                    corpus=corpus,
                    file=file,
                    url=str(url),
                    language=data.get("language"),
                    title=title,
                    title_has_affix=label is None and corpus == "readability",
                    published=published,
                    body=body or None,
                    label=label,
                    path=real_dir / corpus / file,
                )
            )
    return pages


# ---------------------------------------------------------------------------------------------
# Runner.
# ---------------------------------------------------------------------------------------------


def htmldate_extractor() -> Extractor:
    """htmldate's ``find_date`` for the original publish date, default (extensive) search."""
    from htmldate import find_date

    def extract(html: str, url: str) -> Prediction:
        found = find_date(html, url=url, original_date=True)
        return Prediction(published=date.fromisoformat(found[:10]) if found else None)

    return extract


@dataclass
class RealResult:
    page: str
    corpus: str
    lang: str
    extractor: str
    labelled: bool
    ms: float
    error: str | None = None
    verdict: str | None = None
    title: bool | None = None
    outlet: bool | None = None
    time_minute: bool | None = None
    time_day: bool | None = None
    body_f1: float | None = None
    anchors: bool | None = None
    got: dict[str, Any] = field(default_factory=dict)


# What each extractor is scored on: htmldate gives dates only, trafilatura has no outlet field.
SCORED = {
    "ours_generic": {"title", "outlet", "time", "body"},
    "trafilatura": {"title", "time", "body"},
    HTMLDATE: {"time"},
}


def score_real(page: RealPage, name: str, pred: Prediction, ms: float, error: str | None) -> RealResult:
    scored = SCORED.get(name, {"title", "outlet", "time", "body"})
    result = RealResult(
        page=page.id,
        corpus=page.corpus,
        lang=page.lang_group,
        extractor=name,
        labelled=page.label is not None,
        ms=ms,
        error=error,
        verdict=pred.verdict,
    )
    published = pred.published.isoformat() if pred.published is not None else None
    result.got = {"title": pred.title, "outlet": pred.outlet, "published": published}
    if "title" in scored and page.title is not None:
        result.title = title_matches(page.title, pred.title, affix_ok=page.title_has_affix)
    if "outlet" in scored and page.label is not None:
        result.outlet = normalize_text(page.label.get("outlet")) == normalize_text(pred.outlet)
    if "time" in scored:
        result.time_minute, result.time_day = time_matches(page.published, pred.published)
    if "body" in scored:
        if page.body is not None:
            result.body_f1 = token_f1(page.body, pred.body)
        if page.label is not None:
            label = page.label
            result.anchors = anchors_match(pred.body, label.get("body_start"), label.get("body_end"))
        result.got["body_start"] = _squeeze(pred.body)[:ANCHOR]
        result.got["body_end"] = _squeeze(pred.body)[-ANCHOR:]
    return result


def run_real(pages: Iterable[RealPage], extractors: Mapping[str, Extractor]) -> list[RealResult]:
    results: list[RealResult] = []
    warmed: set[str] = set()
    for page in pages:
        text, _encoding = page.load()
        for name, extract in extractors.items():
            if name not in warmed:
                warmed.add(name)
                try:
                    extract(text, page.url)
                except Exception:
                    logger.debug("warm-up of %s failed on %s", name, page.id, exc_info=True)
            start = time.perf_counter()
            error = None
            try:
                pred = extract(text, page.url)
            except Exception as err:  # a crash on one page must not stop the evaluation
                pred, error = Prediction(), f"{type(err).__name__}: {err}"
                logger.warning("%s crashed on %s: %r", name, page.id, err)
            ms = (time.perf_counter() - start) * 1000
            results.append(score_real(page, name, pred, ms, error))
    return results


# ---------------------------------------------------------------------------------------------
# Summaries and rendering.
# ---------------------------------------------------------------------------------------------


def _rate(values: Iterable[bool | None]) -> tuple[float | None, int]:
    vals = [v for v in values if v is not None]
    return (sum(vals) / len(vals) if vals else None), len(vals)


def summarize_real(results: Sequence[RealResult]) -> dict[str, Any]:
    out: dict[str, Any] = {"n": len(results), "crashes": sum(1 for r in results if r.error)}
    for key in ("title", "outlet", "time_minute", "time_day", "anchors"):
        out[key], out[f"{key}_n"] = _rate(getattr(r, key) for r in results)
    f1s = [r.body_f1 for r in results if r.body_f1 is not None]
    out["body_f1"] = statistics.fmean(f1s) if f1s else None
    out["body_f1_n"] = len(f1s)
    out["ms_mean"] = statistics.fmean(r.ms for r in results) if results else None
    return out


def summarize_real_part(results: Sequence[RealResult]) -> dict[str, Any]:
    """Figures per extractor: overall, per corpus and language, and on the labelled pages."""
    groups: dict[str, dict[str, list[RealResult]]] = {}
    for r in results:
        for key in ("ALL", f"{r.corpus}", f"{r.corpus}:{r.lang}", f"lang:{r.lang}"):
            groups.setdefault(key, {}).setdefault(r.extractor, []).append(r)
        if r.labelled:
            groups.setdefault("labelled-zh", {}).setdefault(r.extractor, []).append(r)
    pages = {r.page for r in results}
    return {
        "pages": len(pages),
        "groups": {g: {k: summarize_real(v) for k, v in per.items()} for g, per in groups.items()},
        "errors": [{"page": r.page, "extractor": r.extractor, "error": r.error} for r in results if r.error],
        "page_results": [r.__dict__ for r in results],
    }


_COLUMNS = (
    ("title", "title"),
    ("outlet", "outlet"),
    ("time_minute", "t/min"),
    ("time_day", "t/day"),
    ("body_f1", "bodyF1"),
    ("anchors", "anchor"),
)


def _cell(s: Mapping[str, Any], key: str) -> str:
    value = s.get(key)
    if value is None:
        return "-".rjust(12)
    n = s.get(f"{key}_n")
    return f"{value:.3f} ({n})".rjust(12)


def render_real(data: Mapping[str, Any], labels: Mapping[str, str]) -> list[str]:
    lines = [f"5. Real pages (../shared/real-pages): {data['pages']} pages; figures as rate (pages scored)"]
    header = f"{'group':<22} {'extractor':<13}" + "".join(f" {h:>12}" for _, h in _COLUMNS)
    lines.append(header + f" {'ms/page':>8} {'crash':>5}")
    order = ["labelled-zh", "ALL"]
    order += [f"lang:{x}" for x in ("zh", "en", "other", "?")]
    for corpus in CORPORA:
        order.append(corpus)
        order += sorted(g for g in data["groups"] if g.startswith(corpus + ":"))
    for group in order:
        per = data["groups"].get(group)
        if not per:
            continue
        for i, (name, s) in enumerate(per.items()):
            cells = "".join(f" {_cell(s, k)}" for k, _ in _COLUMNS)
            ms = f"{s['ms_mean']:.1f}" if s.get("ms_mean") is not None else "-"
            lines.append(
                f"{group if i == 0 else '':<22} {labels.get(name, name):<13}{cells} {ms:>8} {s['crashes']:>5}"
            )
    return lines


def evaluate_real(
    real_dir: Path, extractors: Mapping[str, Extractor], limit: int | None = None
) -> dict[str, Any] | None:
    """Run every extractor over the real pages; None when the corpora are not there."""
    if not (real_dir / "README.md").exists():
        return None
    # Both reference tools log every page they cannot parse at ERROR; the figures say it already.
    for name in ("trafilatura", "htmldate"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    pages = real_pages(real_dir)
    if limit is not None:
        pages = pages[:limit]
    return summarize_real_part(run_real(pages, extractors))

