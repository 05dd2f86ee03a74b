"""Configuration and input safety: one line naming the bad key, secrets never shown, no probing of private
addresses, page text escaped in alert bodies."""

from __future__ import annotations

import pytest
from faultserver import FaultServer, answer
from faultsite import write_settings

from wxwatch.notify.render import render_messages
from wxwatch.notify.targets import profile_for
from wxwatch.sample.pages import rss_feed
from wxwatch.storage.outbox import Alert

pytestmark = pytest.mark.slow  # real crawls / subprocesses: seconds each

SOURCE = '[[sources]]\nname = "a"\nkind = "feed"\nurl = "http://127.0.0.1:9/feed.xml"\n'
MALFORMED = {  # settings text -> the line the user sees
    '[crawler]\ndownload_timeout = "fast"\n' + SOURCE: 'Error: crawler.download_timeout: expected float, got \'fast\'',
    '[crawler]\nretry_times = -1\n' + SOURCE: "Error: crawler.retry_times: must not be negative",
    '[crawler]\nmax_response_bytes = 1.5\n' + SOURCE: "Error: crawler.max_response_bytes: expected int, got 1.5",
    '[notify]\nmode = "loud"\n' + SOURCE: "Error: notify.mode: 'loud' is not one of digest, per_event",
    '[notify]\nurls = "json://x"\n' + SOURCE: "Error: notify.urls: must be a list of strings",
    '[schedule]\ncron = "daily"\n' + SOURCE: "Error: schedule.cron: 'daily' is not a 5-field cron expression",
    SOURCE + 'link_selektor = "a"\n': "Error: sources[0].link_selektor: unknown key",
    SOURCE + 'kind = "rss"\n': None,  # a TOML error (duplicate key): names the file and the line
    SOURCE.replace('"a"', '"A B"'): "Error: sources[0].name: 'A B' must match [a-z0-9_-]+",
    SOURCE.replace("http://127.0.0.1:9", "gopher://x"): "Error: sources.a.url: 'gopher://x/feed.xml' is not an "
                                                        "http(s) or file URL",
    "[storage]\npath = 3\n" + SOURCE: "Error: storage.path: must be a non-empty string",
}


@pytest.mark.parametrize("text", MALFORMED, ids=range(len(MALFORMED)))
def test_a_malformed_setting_gives_one_line_naming_the_key(text, run_cli, tmp_path) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text(text, encoding="utf-8")
    result = run_cli("--config", str(settings), "sources")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    expected = MALFORMED[text] or f"Error: {settings}: not valid TOML"
    assert lines[0].startswith(expected)


SECRET_TOKEN = "wxsecrettoken0123456789abcdef"
SECRET_PASSWORD = "passw0rd-hunter2"


def test_secrets_never_show_in_help_sources_logs_or_errors(run_cli, subprocess_env, tmp_path) -> None:
    subprocess_env["WECOM_BOT_KEY"] = SECRET_TOKEN
    settings = write_settings(tmp_path / "settings.toml", tmp_path / "wx.db", [
        {"name": "a", "kind": "feed", "url": f"http://user:{SECRET_PASSWORD}@127.0.0.1:9/feed.xml?token={SECRET_TOKEN}",
         "allow_private": True}],
        notify={"urls": ["json://127.0.0.1:9/hook?key=${WECOM_BOT_KEY}",
                         f"mailto://user:{SECRET_PASSWORD}@127.0.0.1:9?mode=insecure&from=w@example.com&to=a@example.com"],
                "timeout": 1.0})
    outputs = [run_cli("--help"), run_cli("--config", str(settings), "crawl", "--help"),
               run_cli("--config", str(settings), "sources"), run_cli("--config", str(settings), "sources", "--json"),
               run_cli("--config", str(settings), "-vv", "crawl"),
               run_cli("--config", str(settings), "-vv", "notify-test"),
               run_cli("--config", str(settings), "alerts", "--json")]
    for result in outputs:
        for secret in (SECRET_TOKEN, SECRET_PASSWORD, "hunter2"):
            assert secret not in result.stdout + result.stderr, result.args
    assert outputs[4].returncode == 1 and outputs[5].returncode == 1  # they did run and fail


def test_private_addresses_are_refused_unless_the_source_allows_them(run_cli, tmp_path) -> None:
    server = FaultServer()
    with server.running() as base:
        server.routes["/feed.xml"] = answer(rss_feed("内网", base, []).encode(), content_type="application/rss+xml")
        port = base.rsplit(":", 1)[1]
        settings = write_settings(tmp_path / "settings.toml", tmp_path / "wx.db", [
            {"name": "loopback", "kind": "feed", "url": f"{base}/feed.xml"},
            {"name": "localhost", "kind": "feed", "url": f"http://localhost:{port}/feed.xml"},
            {"name": "allowed", "kind": "feed", "url": f"{base}/feed.xml", "allow_private": True}])
        result = run_cli("--config", str(settings), "crawl", "--json")
        assert server.hits["/feed.xml"] == 1  # only the source that allows it
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == "Error: some sources failed: localhost, loopback"


HOSTILE = Alert(id=1, kind="new", metric_key="miniprogram.dau", metric="miniprogram.dau", subject="小程序",
                measure="日活跃用户数", unit="count", value=4.5e8, source="seo", category="<b>伪造</b>*来源*",
                url="http://x.example/a)[点我](javascript:alert(1)) <script>",
                title="<img src=x onerror=alert(1)>", text='小程序日活<script>alert("x")</script>突破4.5亿')


@pytest.mark.parametrize("scheme", ["mailto", "dingtalk", "json", "slack"])  # HTML and Markdown targets
def test_alert_bodies_escape_markup_that_came_from_pages(scheme) -> None:
    body = render_messages([HOSTILE], profile_for(scheme))[0].body
    assert "<script>" not in body and "<b>伪造" not in body and "<img" not in body
    if profile_for(scheme).body_format == "markdown":
        assert "](javascript:" not in body and "<b>" not in body
