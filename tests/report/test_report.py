"""`wxwatch report` through the real CLI: the HTML opened in headless Chromium (no request leaves it), the Atom feed."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
from chromium import dump_dom, recording_proxy
from historydb import url_of

EXTERNAL_LOAD = re.compile(r"""(src|srcset|data)\s*=|<link\b|<script\b|@import|url\(""", re.IGNORECASE)


def make_report(run_cli, settings: Path, out: Path, *metrics: str):
    args = [arg for metric in metrics for arg in ("--metric", metric)]
    return run_cli("--config", str(settings), "report", "--out", str(out), *args, timeout=60)


def charts(dom: str) -> dict[str, str]:
    """metric -> the SVG of its chart, from the DOM."""
    return dict(re.findall(r'<figure data-metric="([^"]+)"[^>]*>(<svg.*?</svg>)</figure>', dom, re.DOTALL))


def test_report_opens_offline_with_one_chart_per_metric(run_cli, history_settings, tmp_path) -> None:
    result = make_report(run_cli, history_settings, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = tmp_path / "out" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert not EXTERNAL_LOAD.search(html)  # nothing to fetch: styles inline, charts inline SVG, no script
    with recording_proxy() as (proxy, requests):
        dom = dump_dom(page, tmp_path / "profile", proxy)
    assert requests == []
    drawn = charts(dom)
    assert sorted(drawn) == ["search.mau", "wechat.mau"]
    assert drawn["wechat.mau"].count('<circle class="point') == 5
    assert drawn["wechat.mau"].count('class="point conflict"') == 2
    assert drawn["search.mau"].count('<circle class="point') == 1
    assert re.findall(r'<text class="category"[^>]*><tspan[^>]*>([^<]+)</tspan>', drawn["wechat.mau"]) == [
        "2023Q4", "2024Q1", "2024Q2"]
    assert f'href="{url_of(4)}"' in drawn["wechat.mau"]  # a point opens its article
    assert "13.71亿 · 2024Q2 (conflict)\n科技日报 2024-08-14" in drawn["wechat.mau"]  # what hovering it says
    assert "科技日报" in dom and "13.28亿（快报财经）" in dom  # alerts name the outlets


def test_the_recording_proxy_does_see_a_request(tmp_path) -> None:
    page = tmp_path / "leaky.html"
    page.write_text('<html><body><img src="http://cdn.example/chart.js.png"></body></html>', encoding="utf-8")
    with recording_proxy() as (proxy, requests):
        dump_dom(page, tmp_path / "profile", proxy)
    assert any("cdn.example" in request for request in requests)  # so an empty list above means no request


def test_alerts_atom_has_one_entry_per_alert(run_cli, history_settings, tmp_path) -> None:
    assert make_report(run_cli, history_settings, tmp_path / "out").returncode == 0
    feed = feedparser.parse((tmp_path / "out" / "alerts.atom").read_bytes())
    assert not feed.bozo and feed.version == "atom10"
    assert [(e.title[:5], e.link) for e in feed.entries] == [("【新指标】", url_of(6)), ("【冲突】微", url_of(4)),
                                                              ("【变化】微", url_of(2))]
    assert len({entry.id for entry in feed.entries}) == 3
    assert "快报财经 " + url_of(5) in feed.entries[1].summary  # the conflict's other report


def test_metric_option_limits_the_report(run_cli, history_settings, tmp_path) -> None:
    result = make_report(run_cli, history_settings, tmp_path / "out", "search.mau")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert sorted(charts(html)) == ["search.mau"]
    unknown = make_report(run_cli, history_settings, tmp_path / "other", "no.such")
    assert unknown.returncode == 1 and unknown.stderr.strip() == "Error: no value recorded for metric 'no.such'"


def test_without_a_database_report_says_so_and_creates_nothing(run_cli, tmp_path) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[storage]\npath = "{tmp_path / "none.db"}"\n', encoding="utf-8")
    result = make_report(run_cli, settings, tmp_path / "out")
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "no database yet" in result.stderr
    assert not (tmp_path / "none.db").exists() and not (tmp_path / "out").exists()
