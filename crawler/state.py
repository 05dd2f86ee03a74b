"""The crawl's handle on storage, opened once per process from the Scrapy settings."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from scrapy.settings import BaseSettings
from sqlite_utils import Database

from wxwatch.config import Config, load_config
from wxwatch.storage.articles import ArticleStore
from wxwatch.storage.db import open_database
from wxwatch.storage.runs import RunLog


@cache
def _database(path: str) -> Database:
    return open_database(path)


def crawl_config(settings: BaseSettings) -> Config:
    """The wxwatch Config the crawl runs under (passed in by the runner, else read from the file)."""
    config = settings.get("WXWATCH_CONFIG_OBJECT")
    if config is None:
        config = load_config(Path(settings.get("WXWATCH_CONFIG", "settings.toml")))
    return config


def crawl_database(settings: BaseSettings) -> Database:
    """One shared connection per database path for spiders, pipelines and extensions."""
    path = settings.get("WXWATCH_DB_PATH") or str(crawl_config(settings).storage.path)
    return _database(str(path))


def article_store(settings: BaseSettings) -> ArticleStore:
    return ArticleStore(crawl_database(settings))


def run_log(settings: BaseSettings) -> RunLog:
    return RunLog(crawl_database(settings))
