"""`wxwatch backfill` through the real CLI: releases (PDF and HTML) into history, no alert, pages kept."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "text"))

from pdfbuild import write_pdf  # noqa: E402

from wxwatch.storage.db import open_database  # noqa: E402

SETTINGS = """
[storage]
path = "wx.db"

[[sources]]
name = "tencent-ir"
kind = "listing"
url = "https://ir.example.com/"
category = "腾讯公告"
trust = "high"
"""

Q3_HTML = """<!doctype html><html><head><title>腾讯公布二零二五年第三季业绩</title>
<meta property="article:published_time" content="2025-11-13T16:30:00+08:00"></head><body><article>
<h1>腾讯公布二零二五年第三季业绩</h1>
<p>腾讯控股有限公司今日公布截至二零二五年九月三十日止第三季度未经审核综合业绩。</p>
<p>截至2025年9月30日，微信及WeChat的合并月活跃账户数为14.14亿，同比增长2%。公司继续投入人工智能。</p>
</article></body></html>"""


def test_backfill_fills_history_without_a_single_alert(tmp_path: Path, run_cli) -> None:
    (tmp_path / "settings.toml").write_text(SETTINGS, encoding="utf-8")
    q2 = write_pdf(tmp_path / "2025q2.pdf", [["腾讯控股有限公司 二零二五年第二季度业绩"],
                                             ["截至2025年6月30日，微信及WeChat的合并月活跃账户数为14.11亿。"]],
                   creation="D:20250813163000+08'00'")
    q3 = tmp_path / "2025q3.html"
    q3.write_text(Q3_HTML, encoding="utf-8")
    result = run_cli("backfill", "--source", "tencent-ir", str(q2), str(q3))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "2 documents, 3 figures recorded in history; no alert"
    history = json.loads(run_cli("metrics", "history", "wechat.mau", "--json").stdout)
    assert [(r["value"], r["period"], r["sources"]) for r in history] == [
        (14.11e8, "2025Q2", ["tencent-ir"]), (14.14e8, "2025Q3", ["tencent-ir"])]
    assert history[0]["first_url"] == q2.resolve().as_uri()
    db = open_database(tmp_path / "wx.db")
    assert db["alerts"].count == 0
    pages = {row["value"]: row["page"] for row in db.query("select value, page from observations"
                                                           " where metric = 'wechat.mau'")}
    assert pages == {14.11e8: 2, 14.14e8: None}
    assert json.loads(run_cli("alerts", "--json").stdout) == []


def test_a_document_that_cannot_be_read_stores_nothing(tmp_path: Path, run_cli) -> None:
    (tmp_path / "settings.toml").write_text(SETTINGS, encoding="utf-8")
    scan = write_pdf(tmp_path / "scan.pdf", [[]])
    good = tmp_path / "q3.html"
    good.write_text(Q3_HTML, encoding="utf-8")
    result = run_cli("backfill", str(good), str(scan))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {scan}: PDF without a text layer (1 pages, scanned images?); wxwatch does not OCR:"
        " extract the text first"]
    assert open_database(tmp_path / "wx.db")["articles"].count == 0
