"""One crawler per run: politeness per host across sources, robots.txt once, pool and in-process identical."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlite_utils
from testsite import write_settings

from wxwatch.sample.pages import SamplePost, article_page, listing_page

SOURCES = 4
ARTICLES_PER_SOURCE = 5
PER_HOST = 2
FIGURES = ["视频号日活跃用户超过{}亿", "搜一搜月活跃用户达到{}亿", "小程序交易额同比增长{}成",
           "企业微信服务了{}万家企业", "微信支付商户超过{}千万家"]


def post(source: int, number: int) -> SamplePost:
    figure = FIGURES[number].format(source + number + 2)
    text = (f"<p>第{source}组第{number}篇稿件：{figure}，负责人在大会上介绍了这一进展。</p>"
            f"<p>这是第{source}个栏目的第{number}篇报道，编号{source * 10 + number}，内容互不相同，便于核对入库。</p>")
    return SamplePost(f"/s{source}/a{number}.html", f"栏目{source}报道{number}",
                      datetime.fromisoformat(f"2023-03-{number + 1:02d}T08:00:00+08:00"), text)


class PoliteSite:
    """One host serving SOURCES listings of ARTICLE_PER_SOURCE slow articles; counts requests in flight."""

    def __init__(self, delay: float = 0.15, slow: str = "/never/", slow_delay: float = 0.0) -> None:
        self.delay = delay
        self.slow, self.slow_delay = slow, slow_delay  # paths starting with `slow` answer after slow_delay
        self.hits: Counter = Counter()
        self.in_flight = 0
        self.peak = 0
        self.lock = threading.Lock()
        self.pages: dict[str, bytes] = {"/robots.txt": b"User-agent: *\nDisallow: /private/\n"}
        for source in range(SOURCES):
            posts = [post(source, n) for n in range(ARTICLES_PER_SOURCE)]
            self.pages[f"/s{source}/index.html"] = listing_page(f"栏目{source}", posts).encode()
            self.pages |= {p.path: article_page(p).encode() for p in posts}

    def answer(self, path: str) -> bytes | None:
        with self.lock:
            self.hits[path] += 1
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        try:
            time.sleep(self.slow_delay if path.startswith(self.slow) else self.delay)
            return self.pages.get(path)
        finally:
            with self.lock:
                self.in_flight -= 1

    @contextmanager
    def running(self) -> Iterator[str]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                body = site.answer(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()


def polite_settings(path: Path, base_url: str, db: Path, workers: int, parallel: int = 8) -> Path:
    sources = "".join(f'\n[[sources]]\nname = "s{n}"\nkind = "listing"\nurl = "{base_url}/s{n}/index.html"\n'
                      f'link_selector = "ul.list a"\nallow_private = true\n' for n in range(SOURCES))
    path.write_text(f"""
[storage]
path = "{db}"

[crawler]
user_agent = "wxwatch-tests"
autothrottle = false
download_delay = 0.0
concurrent_requests_per_domain = {PER_HOST}
download_timeout = 5.0
parallel_sources = {parallel}
workers = {workers}
{sources}""", encoding="utf-8")
    return path


def stored(db: Path) -> dict[str, dict]:
    """Stored articles by URL path, without what depends on when and in which order they were stored."""
    rows = list(sqlite_utils.Database(db).query("select * from articles"))
    urls = {row["id"]: row["url"].split("/", 3)[3] for row in rows}
    volatile = {"id", "first_seen", "last_seen", "fetched_at", "updated_at", "first_run", "last_run", "run_id"}
    return {urls[row["id"]]: {k: v for k, v in row.items() if k not in volatile} | {
        "duplicate_of": urls.get(row["duplicate_of"])} for row in rows}


@pytest.mark.slow
def test_sources_on_one_host_share_its_politeness_and_robots(run_cli, tmp_path: Path) -> None:
    site = PoliteSite()
    with site.running() as base_url:
        settings = polite_settings(tmp_path / "s.toml", base_url, tmp_path / "wx.db", workers=2)
        result = run_cli("--config", str(settings), "crawl", "--json")
    assert result.returncode == 0, result.stderr
    assert site.peak <= PER_HOST  # four sources on one host: still the host's limit, not four times it
    assert site.hits["/robots.txt"] == 1
    summary = {s["source"]: s for s in json.loads(result.stdout)["sources"]}
    assert sorted(summary) == [f"s{n}" for n in range(SOURCES)]
    for row in summary.values():
        assert (row["status"], row["pages"], row["new"], row["errors"]) == ("ok", 1 + ARTICLES_PER_SOURCE,
                                                                             ARTICLES_PER_SOURCE, 0)
    assert len(stored(tmp_path / "wx.db")) == SOURCES * ARTICLES_PER_SOURCE


@pytest.mark.slow
def test_pool_and_in_process_store_identical_rows(site, run_cli, tmp_path: Path) -> None:
    results = {}
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.db"
        settings = write_settings(tmp_path / f"w{workers}.toml", site.base_url, db)
        text = settings.read_text(encoding="utf-8").replace("retry_times = 2", f"retry_times = 2\nworkers = {workers}")
        settings.write_text(text, encoding="utf-8")
        for name in ("news", "rss", "atom", "mirror"):  # one by one: the reprint links to the stored original
            assert run_cli("--config", str(settings), "crawl", name).returncode == 0
        results[workers] = stored(db)
    assert len(results[1]) == 8
    assert results[1] == results[2]


@pytest.mark.slow
def test_parallel_sources_one_still_crawls_every_source(run_cli, tmp_path: Path) -> None:
    site = PoliteSite(delay=0.0)
    with site.running() as base_url:
        settings = polite_settings(tmp_path / "s.toml", base_url, tmp_path / "wx.db", workers=1, parallel=1)
        result = run_cli("--config", str(settings), "crawl", "--json")
    assert result.returncode == 0, result.stderr
    assert [s["new"] for s in json.loads(result.stdout)["sources"]] == [ARTICLES_PER_SOURCE] * SOURCES


@pytest.mark.slow
def test_sigterm_closes_the_run_with_a_failed_row_for_each_unfinished_source(subprocess_env, tmp_path: Path) -> None:
    import subprocess
    import sys

    site = PoliteSite(delay=0.0, slow="/s1/a", slow_delay=2.0)
    db = tmp_path / "wx.db"
    with site.running() as base_url:
        settings = polite_settings(tmp_path / "s.toml", base_url, db, workers=2, parallel=1)
        crawl = subprocess.Popen([sys.executable, "-m", "wxwatch", "--config", str(settings), "crawl", "--json"],
                                 env=subprocess_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "s0" not in finished_sources(db):
            time.sleep(0.05)
        crawl.send_signal(signal.SIGTERM)
        assert crawl.wait(timeout=30) == 1
    rows = {row["source"]: row for row in sqlite_utils.Database(db).query("select * from run_sources")}
    assert rows["s0"]["status"] == "ok" and rows["s0"]["articles_new"] == ARTICLES_PER_SOURCE
    assert [(rows[name]["status"], rows[name]["error"]) for name in ("s2", "s3")] == [
        ("failed", "crawl did not finish")] * 2  # never started: the crawl stopped first
    (run,) = sqlite_utils.Database(db).query("select status from runs")
    assert run["status"] == "partial"


def finished_sources(db: Path) -> set[str]:
    if not db.exists():
        return set()
    try:
        return {row["source"] for row in sqlite_utils.Database(db).query("select source from run_sources")}
    except Exception:  # noqa: BLE001 (table not created yet)
        return set()


def test_a_killed_worker_loses_no_page(tmp_path: Path, caplog) -> None:
    import asyncio

    from wxwatch.crawler.pagework import PageWork, page_work

    body = article_page(post(1, 1)).encode()
    work = PageWork(2)
    try:
        for pid in list(work.pool._processes):
            os.kill(pid, signal.SIGKILL)

        async def parse_three() -> list:
            return [await work.parse(body, "utf-8", "http://127.0.0.1:9/a.html", "Asia/Shanghai") for _ in range(3)]

        results = asyncio.run(parse_three())
    finally:
        work.close()
    expected = page_work(body, "utf-8", "http://127.0.0.1:9/a.html", "Asia/Shanghai")
    assert [r.page.text for r in results] == [expected.page.text] * 3
    assert results[0].signature == expected.signature and results[0].compare_text == expected.compare_text
    assert work.pool is None
    assert sum("page worker process died" in r.getMessage() for r in caplog.records) == 1


def test_progress_counts_every_event_and_redraws_from_the_counts() -> None:
    from collections import Counter

    from rich.console import Console
    from rich.progress import Progress

    from wxwatch.commands.crawl import redraw

    with Progress(console=Console(file=open(os.devnull, "w")), auto_refresh=False) as progress:  # noqa: SIM115
        redraw(progress, {"a": Counter(page=3, item=2), "b": Counter(page=1)})
        redraw(progress, {"a": Counter(page=5, item=4), "b": Counter(page=1)})
        fields = {task.description: dict(task.fields) for task in progress.tasks}
    assert fields == {"a": {"pages": 5, "items": 4}, "b": {"pages": 1, "items": 0}}


def test_workers_setting_is_checked(tmp_path: Path) -> None:
    from wxwatch.config import ConfigError, load_config
    from wxwatch.crawler.pagework import worker_count

    settings = tmp_path / "s.toml"
    settings.write_text('[crawler]\nworkers = -1\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="crawler.workers: must not be negative"):
        load_config(settings)
    assert worker_count(0) == len(os.sched_getaffinity(0)) and worker_count(1) == 1
