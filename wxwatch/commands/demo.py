"""`wxwatch demo`: crawl the bundled sample site over a loopback server, fully offline."""

from __future__ import annotations

import errno
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from wxwatch.commands.crawl import run_and_report
from wxwatch.config import Config, parse_config
from wxwatch.output import console, print_table
from wxwatch.sample.server import BASE_URL_MARK, SiteServer
from wxwatch.storage.articles import ArticleStore
from wxwatch.storage.db import open_database

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample"
DEFAULT_PORT = 8765


def sample_config(base_url: str, db_path: Path) -> Config:
    """The sample's settings with the server's address and the chosen database filled in."""
    text = (SAMPLE_DIR / "settings.toml").read_text(encoding="utf-8")
    raw = tomllib.loads(text.replace(BASE_URL_MARK.decode(), base_url))
    raw["storage"]["path"] = str(db_path.resolve())
    return parse_config(raw, SAMPLE_DIR / "settings.toml", {})


@contextmanager
def sample_site(port: int) -> Iterator[str]:
    """Serve the sample on `port`, or on any free port when that one is taken."""
    site = SiteServer()
    site.add_directory(SAMPLE_DIR / "site")
    try:
        with site.running(port) as base_url:
            yield base_url
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE or port == 0:
            raise
        with site.running(0) as base_url:
            yield base_url


@click.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("wxwatch-sample.db"), show_default=True, help="Database to crawl into.")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True,
              help="Loopback port of the sample server (0: any free port).")
@click.option("--json", "as_json", is_flag=True, help="Print the crawl summary as JSON.")
def demo(db_path: Path, port: int, as_json: bool) -> None:
    """Crawl the bundled sample (real 2022 WeChat Open Class coverage) offline.

    Starts a loopback HTTP server with the sample site, crawls its five
    sources into DB, and lists the stored articles. Run it twice: the second
    crawl fetches no article page.

    Example:

        wxwatch demo --db /tmp/sample.db
    """
    with sample_site(port) as base_url:
        config = sample_config(base_url, db_path)
        report = run_and_report(config, (), as_json)
    if as_json:
        return
    rows = ArticleStore(open_database(config.storage.path)).rows()
    print_table(f"articles in {db_path}", ("id", "status", "dup_of", "source", "published", "title"),
                ([r["id"], r["status"], r["duplicate_of"], r["source"], (r["published"] or "")[:16], r["title"][:40]]
                 for r in rows))
    if not report.ok:
        console.print("[yellow]some sources failed: see the table above[/yellow]")
