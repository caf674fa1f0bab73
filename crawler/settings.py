"""Scrapy settings of the crawler. Environment overrides are read in one place, at the end."""

from __future__ import annotations

import os

from crawler import __version__
from crawler.secrets import install_log_masking

# Every crawl reads this module first: from here on no log line carries a password.
install_log_masking()

BOT_NAME = "mediacenter"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"  # `scrapy crawl` that checks the store before it starts

# --- Politeness -------------------------------------------------------------------------------
USER_AGENT = f"mediacenter-crawler/{__version__} (+https://github.com/mediacenter-crawler; news archiving)"
ROBOTSTXT_OBEY = True  # read each site's robots.txt and skip what it disallows
AUTOTHROTTLE_ENABLED = True  # adapt the delay to the server's latency
AUTOTHROTTLE_START_DELAY = 0.5  # first delay, seconds
AUTOTHROTTLE_MAX_DELAY = 10.0  # ceiling of the adaptive delay, seconds
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0  # parallel requests per site AutoThrottle aims for
CONCURRENT_REQUESTS_PER_DOMAIN = 4  # hard cap per site
DOWNLOAD_TIMEOUT = 30  # seconds before a request is given up
RETRY_TIMES = 2  # retries of a failed request (5xx, timeouts, resets)
RETRY_AFTER_MAX = 60.0  # longest Retry-After (429/503) waited for, seconds; longer gives the request up
# Scrapy allows 1 GiB per response: one 50 MB page or a gzip bomb (checked after inflating) would
# hold the crawl's memory. No media-center page comes near these.
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024  # bytes; larger responses are dropped (counted as failed requests)
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024  # bytes; larger ones are logged

# --- Crawl scope ------------------------------------------------------------------------------
MAX_LISTING_PAGES = 50  # listing pages followed per start URL unless -a max_pages=N
MAX_LINKS_PER_LISTING = 1000  # article entries taken from one listing page; the rest are counted
DEFAULT_TIMEZONE = "Asia/Shanghai"  # zone of dates that name none, when the profile names none
PROFILE_DIRS: list[str] = []  # extra directories of site profiles (YAML), beside the bundled ones

# --- Incremental crawls ----------------------------------------------------------------------
INCREMENTAL_STOP_PAGES = 2  # consecutive listing pages with nothing new before a re-crawl stops
RECHECK_HOURS = 48.0  # stored articles published this recently are fetched again for changes
WATERMARK_MARGIN_HOURS = 48.0  # entries older than the newest stored article minus this are skipped

# --- Pipelines and storage --------------------------------------------------------------------
STORE_URL = "sqlite:///data/news.sqlite3"  # sqlite:///PATH or postgresql://user@host/db
STORE_BATCH_SIZE = 50  # articles per write transaction
# Articles decided together by one set of store lookups (one round trip to PostgreSQL): at most
# this many, or what arrived within STORE_LOOKUP_WAIT seconds of the first; 1 decides each at once.
STORE_LOOKUP_BATCH = 32
STORE_LOOKUP_WAIT = 0.05
# Items and requests of one callback handled at once. Scrapy's 100 starts 100 asyncio tasks for
# every response; a callback here yields one article, or a listing's ~20 requests, and the
# pipelines are synchronous, so 8 is as fast and costs a fraction of the tasks.
CONCURRENT_ITEMS = 8
EXTRACTION_PROCESSES = "auto"  # worker processes that extract articles (auto: cores - 1, at most 4; 0: none)
EXTRACTION_POOL_AFTER = 100  # article pages extracted in the crawl's own process before workers start
STORE_SPILL_DIR = "data/spill"  # where articles go when the store is down; imported on next start
NEAR_DUPLICATE_THRESHOLD = 0.5  # estimated Jaccard from which two articles are copies of one story
ITEM_PIPELINES = {
    "crawler.pipelines.normalize.NormalizePipeline": 100,
    "crawler.pipelines.validate.ValidatePipeline": 200,
    # Off unless DOWNLOAD_MEDIA (NotConfigured); before the store, which records their paths.
    "crawler.pipelines.media.ArticleImagesPipeline": 300,
    "crawler.pipelines.media.AttachmentsPipeline": 310,
    "crawler.pipelines.store.StorePipeline": 900,
}

# --- Images and attachments (-s DOWNLOAD_MEDIA=1) ---------------------------------------------
DOWNLOAD_MEDIA = False  # download each article's images and attachments into FILES_STORE
FILES_STORE = "data/media"  # attachments go to FILES_STORE/files/, as Scrapy's FilesPipeline stores them
IMAGES_STORE = "data/media"  # images go to IMAGES_STORE/images/ (Scrapy's ImagesPipeline, JPEG)
MEDIA_MAX_BYTES = 20 * 1024 * 1024  # a file larger than this is not downloaded (download_maxsize)
MEDIA_MAX_PER_ARTICLE = 30  # images, and attachments, downloaded per article at most
# attachment types downloaded (all that extraction finds by default)
MEDIA_ATTACHMENT_TYPES = [
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "ofd", "zip", "rar", "txt",
]  # fmt: skip

DOWNLOADER_MIDDLEWARES = {
    # First of all: no request, redirects included, leaves the crawl's domains.
    "crawler.middlewares.ScopeMiddleware": 50,
    # Scrapy's retries, waiting as a 429/503 Retry-After says.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.RetryAfterMiddleware": 550,
    # Below HttpCompressionMiddleware (590) in process_response order: sees the decoded body.
    "crawler.middlewares.CharsetMiddleware": 580,
    # Also on the decoded body: 10,000 nested <div>s read as one (libxml2 stops at ~2,048 deep).
    "crawler.middlewares.TagRunMiddleware": 585,
    # Next to the downloader: archives requests as sent and responses as received (WARC_DIR).
    "crawler.warc.WarcMiddleware": 950,
}

# --- Pages built by scripts (optional extra [browser]: scrapy-playwright + the system Chromium) ---
BROWSER_EXECUTABLE = None  # Chromium to drive; default: chromium / chromium-browser / google-chrome on PATH
BROWSER_CONCURRENCY = 2  # browser pages open at a time (one context), when a crawl renders pages
BROWSER_TIMEOUT = 15.0  # seconds a rendered page may take to show its entries before it is taken as is

# --- Page archive (WARC) ----------------------------------------------------------------------
WARC_DIR = None  # write every fetched request and response to gzipped WARC 1.1 files in this directory
WARC_MAX_SIZE = 100_000_000  # bytes after which a WARC file is closed and the next one begun
WARC_PREFIX = "mediacenter"  # file names: <prefix>-<UTC stamp>-<serial>-<pid>.warc.gz

# --- Runs, health and progress ----------------------------------------------------------------
EXTENSIONS = {
    "crawler.extensions.RunManifest": 500,
    "crawler.extensions.Progress": 510,
}
RUNS_DIR = "runs"  # run manifests: RUNS_DIR/<site>/<UTC stamp>-<pid>.json
RUN_STAMP_FORMAT = "%Y%m%dT%H%M%SZ"  # the UTC stamp in the names of run manifests and schedule logs
HEALTH_MAX_ERROR_RATE = 0.2  # a run fails its health check above this share of failed requests
HEALTH_MIN_OUTLET_SHARE = 0.5  # ... below this share of items with an outlet (when the last run met it)
HEALTH_MIN_PUBLISHED_SHARE = 0.8  # ... below this share of articles with a parsed publish time
HEALTH_MIN_ITEMS = 5  # shares are judged only from this many items on
PROGRESS_ENABLED = True  # a live status line when stderr is a terminal
PROGRESS_INTERVAL = 1.0  # seconds between status line updates

# --- Feeds and logs ---------------------------------------------------------------------------
FEED_EXPORT_ENCODING = "utf-8"  # keep Chinese text readable in -o/-O feeds
FEED_EXPORTERS = {
    "jsonfeed": "crawler.exporters.jsonfeed.JsonFeedItemExporter",  # -O feed.json:jsonfeed
    "atom": "crawler.exporters.atom.AtomItemExporter",  # -O feed.xml:atom
}
JSONFEED_TITLE = None  # feed title; default names the sites of its items
JSONFEED_HOME_PAGE_URL = None  # feed home page; default is the site's when the feed holds one site
LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# --- Distributed mode (scrapy-redis) ------------------------------------------------------------
DISTRIBUTED = False  # share the scheduler of a site through Redis between machines (-s DISTRIBUTED=1)
REDIS_URL = "redis://127.0.0.1:6379/0"  # the Redis that holds the shared queues and fingerprints
REDIS_DOWN_MAX = 30.0  # seconds a worker waits for a lost Redis before it stops (redis_unavailable)
REDIS_WORKER_LEASE = 10  # seconds after which a silent worker's in-flight requests go back on the queue
REDIS_KEY_PREFIX = "mediacenter"  # keys are <prefix>:<site>:requests and <prefix>:<site>:dupefilter

# --- Environment overrides (one spot) ---------------------------------------------------------
if os.environ.get("DATABASE_URL"):
    STORE_URL = os.environ["DATABASE_URL"]
if os.environ.get("CRAWLER_STORE_URL"):
    STORE_URL = os.environ["CRAWLER_STORE_URL"]
if os.environ.get("CRAWLER_PROFILE_DIRS"):
    PROFILE_DIRS = [d for d in os.environ["CRAWLER_PROFILE_DIRS"].split(os.pathsep) if d]
if os.environ.get("CRAWLER_LOG_LEVEL"):
    LOG_LEVEL = os.environ["CRAWLER_LOG_LEVEL"]
if os.environ.get("CRAWLER_RUNS_DIR"):
    RUNS_DIR = os.environ["CRAWLER_RUNS_DIR"]
if os.environ.get("REDIS_URL"):
    REDIS_URL = os.environ["REDIS_URL"]
if os.environ.get("CRAWLER_DISTRIBUTED"):
    DISTRIBUTED = os.environ["CRAWLER_DISTRIBUTED"].lower() in {"1", "true", "yes", "on"}
