"""An issuer's results listing crawled over loopback HTTP: its PDF release is read (page kept) and settles a
conflict between two outlets, in the alert."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "text"))

from pdfbuild import write_pdf  # noqa: E402

from wxwatch.sample.pages import SamplePost, article_page, listing_page  # noqa: E402
from wxwatch.sample.server import Route, SiteServer  # noqa: E402
from wxwatch.storage.db import open_database  # noqa: E402

pytestmark = pytest.mark.slow  # a real crawl in a subprocess

OUTLETS = [
    SamplePost("/tech/2025/1112-a.html", "腾讯三季度财报：微信月活再创新高",
               datetime.fromisoformat("2025-11-12T18:00:00+08:00"),
               "<p>第三季度，微信及WeChat的合并月活跃账户数为14.41亿，广告收入增长明显。</p>"),
    SamplePost("/finance/2025/1112-b.html", "财报速递：微信合并月活跃账户数公布",
               datetime.fromisoformat("2025-11-12T19:00:00+08:00"),
               "<p>第三季度，微信及WeChat的合并月活跃账户数为14.14亿，同比小幅增长。</p>"),
]
RELEASE_LINES = [["腾讯控股有限公司", "截至二零二五年九月三十日止三个月业绩公布"],
                 ["经营资料", "截至2025年9月30日，微信及WeChat的合并月活跃账户数为14.14亿。"]]
IR_LISTING = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>投资者关系 - 业绩公告</title></head><body>
<ul><li><a href="/ir/2025q3-results.pdf">2025年第三季度业绩公告</a></li><li><a href="/ir/about">关于我们</a></li>
</ul></body></html>"""


def settings(path: Path, base: str, db: Path) -> Path:
    path.write_text(f"""
[storage]
path = "{db}"

[crawler]
autothrottle = false
download_delay = 0.0
download_timeout = 2.0

[[sources]]
name = "outlet"
kind = "listing"
url = "{base}/tech/index.html"
category = "科技频道"
link_selector = "ul.list a"
allow_private = true

[[sources]]
name = "finance"
kind = "listing"
url = "{base}/finance/index.html"
category = "财经频道"
link_selector = "ul.list a"
allow_private = true

[[sources]]
name = "tencent-ir"
kind = "releases"
url = "{base}/ir/index.html"
category = "腾讯公告"
allow_private = true
""", encoding="utf-8")
    return path


def test_a_releases_source_reads_the_pdf_and_settles_the_outlets_conflict(tmp_path: Path, run_cli) -> None:
    pdf = write_pdf(tmp_path / "release.pdf", RELEASE_LINES, creation="D:20251113163000+08'00'")
    site = SiteServer()
    site.routes |= {
        "/tech/index.html": Route(listing_page("科技", OUTLETS[:1]).encode()),
        "/finance/index.html": Route(listing_page("财经", OUTLETS[1:]).encode()),
        **{post.path: Route(article_page(post).encode()) for post in OUTLETS},
        "/ir/index.html": Route(IR_LISTING.encode()),
        "/ir/2025q3-results.pdf": Route(pdf.read_bytes(), "application/pdf"),
    }
    with site.running() as base:
        config = settings(tmp_path / "settings.toml", base, tmp_path / "wx.db")
        result = run_cli("--config", str(config), "crawl", "--alert-baseline")
    assert result.returncode == 0, result.stderr
    assert site.hits["/ir/about"] == 0
    alerts = json.loads(run_cli("--config", str(config), "alerts", "--json").stdout)
    assert [(a["kind"], a["value"], a["official"]) for a in alerts] == [
        ("new", 14.41e8, 0), ("conflict", 14.14e8, 0), ("settled", 14.14e8, 1)]
    settled = alerts[-1]
    assert (settled["category"], settled["other_category"], settled["url"]) == (
        "腾讯公告", "科技频道", f"{base}/ir/2025q3-results.pdf")
    db = open_database(tmp_path / "wx.db")
    (release,) = db.query("select value, period, page from observations where source = 'tencent-ir'")
    assert release == {"value": 14.14e8, "period": "2025Q3", "page": 2}
