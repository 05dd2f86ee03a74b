"""Scrapy settings of the wxwatch project; `crawler.runner` overlays the user's [crawler] config."""

BOT_NAME = "wxwatch"
SPIDER_MODULES = ["wxwatch.crawler.spiders"]
NEWSPIDER_MODULE = "wxwatch.crawler.spiders"

# Settings file read when spiders run through `scrapy crawl` rather than `wxwatch crawl`.
WXWATCH_CONFIG = "settings.toml"

USER_AGENT = "wxwatch/0.1 (+https://github.com/wxwatch/wxwatch)"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_DELAY = 1.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

WXWATCH_RETRY_AFTER_MAX = 30.0  # a Retry-After up to this many seconds is waited for; longer ones end the attempt

DOWNLOADER_MIDDLEWARES = {
    "wxwatch.crawler.middlewares.PrivateAddressMiddleware": 50,
    "wxwatch.crawler.retryafter.RetryAfterMiddleware": 560,  # sees a response before Scrapy's RetryMiddleware (550)
}
ITEM_PIPELINES = {
    "wxwatch.crawler.pipelines.ArticleStoragePipeline": 300,
}
EXTENSIONS = {
    "wxwatch.crawler.extensions.RunRecorder": 500,
}
