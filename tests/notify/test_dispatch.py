"""The dispatcher against real loopback receivers: exactly-once delivery, retries with backoff, targets apart."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from receivers import JsonReceiver, SmtpServer

from wxwatch.config import NotifyConfig, load_config
from wxwatch.notify.dispatch import dispatch_pending, first_due, send_test
from wxwatch.notify.targets import TargetError, load_targets
from wxwatch.secrets import MASK
from wxwatch.storage.db import open_database
from wxwatch.storage.outbox import Outbox

NOW = datetime(2024, 1, 12, 1, 0, tzinfo=UTC)


def notify_config(*urls: str, **options) -> NotifyConfig:
    return NotifyConfig(urls=urls, timeout=5.0, **options)


def test_digest_is_delivered_once_to_json_and_email(db, sample_events, json_receiver: JsonReceiver,
                                                    smtp_server: SmtpServer) -> None:
    Outbox(db).add_events(sample_events, run_id=1)
    config = notify_config(json_receiver.url, smtp_server.url)
    report = dispatch_pending(db, config, now=NOW)
    assert report.ok and (report.alerts_sent, report.deliveries_sent) == (4, 8)  # 4 alerts, 2 targets
    (request,) = json_receiver.requests
    assert request["title"] == "微信指标更新：2 项新指标，1 项变化，1 项冲突"
    assert "- **变化** 小程序 日活跃用户数：6亿（2022），此前 4.5亿（2021，证券时报 2024-01-12），+33%" in \
        request["message"]
    (mail,) = smtp_server.messages
    html = next(part for part in mail.walk() if part.get_content_type() == "text/html")
    assert "<li><b>冲突</b> 微信支付 实际核销优惠金额（2022）：290亿元（财联社 2024-01-13）与 229亿元（证券时报 " \
        "2024-01-12）不一致" in html.get_payload(decode=True).decode("utf-8")
    plain = next(part for part in mail.walk() if part.get_content_type() == "text/plain")
    assert {"https://news.example.cn/a/1.html", "https://news.example.cn/b/2.html"} <= set(
        plain.get_payload(decode=True).decode("utf-8").split())  # the links survive in the plain-text part
    assert {a.status for a in Outbox(db).alerts()} == {"sent"}
    assert dispatch_pending(db, config, now=NOW + timedelta(hours=1)).alerts_sent == 0
    assert len(json_receiver.requests) == 1 and len(smtp_server.messages) == 1


def test_receiver_down_then_up_delivers_exactly_once(db, sample_events, json_receiver: JsonReceiver) -> None:
    Outbox(db).add_events(sample_events[:2], run_id=1)
    config = notify_config(json_receiver.url, backoff_seconds=60)
    json_receiver.down()
    report = dispatch_pending(db, config, now=NOW)
    assert not report.ok and report.targets[0].alerts_failed == 2
    assert report.targets[0].summary("Asia/Shanghai") == \
        f"{report.targets[0].label}: 0 sent, 2 waiting (next attempt 2024-01-12 09:01 CST), 0 failed"
    alerts = Outbox(db).alerts()
    assert {(a.status, a.attempts) for a in alerts} == {("pending", 1)}
    assert "Connection error" in alerts[0].last_error
    json_receiver.up()
    assert dispatch_pending(db, config, now=NOW + timedelta(seconds=30)).alerts_sent == 0  # still backing off
    assert json_receiver.requests == []
    assert dispatch_pending(db, config, now=NOW + timedelta(seconds=61)).alerts_sent == 2
    assert dispatch_pending(db, config, now=NOW + timedelta(hours=2)).alerts_sent == 0
    assert len(json_receiver.requests) == 1
    assert {(a.status, a.attempts, a.last_error) for a in Outbox(db).alerts()} == {("sent", 2, None)}


def test_http_errors_are_retried_until_max_attempts_then_failed(db, sample_events, json_receiver) -> None:
    Outbox(db).add_events(sample_events[:1], run_id=1)
    config = notify_config(json_receiver.url, max_attempts=2, backoff_seconds=1)
    json_receiver.fail = True
    dispatch_pending(db, config, now=NOW)
    dispatch_pending(db, config, now=NOW + timedelta(seconds=5))
    (alert,) = Outbox(db).alerts()
    assert (alert.status, alert.attempts, json_receiver.rejected) == ("failed", 2, 2)
    assert "500" in alert.last_error or "Internal Server Error" in alert.last_error
    assert dispatch_pending(db, config, now=NOW + timedelta(days=1)).targets[0].alerts_sent == 0


def test_a_failing_target_does_not_block_the_others(db, sample_events, json_receiver, smtp_server) -> None:
    Outbox(db).add_events(sample_events, run_id=1)
    dead = JsonReceiver()  # never started: connection refused
    report = dispatch_pending(db, notify_config(dead.url, smtp_server.url, json_receiver.url), now=NOW)
    assert [t.alerts_sent for t in report.targets] == [0, 4, 4]
    assert len(smtp_server.messages) == 1 and len(json_receiver.requests) == 1
    assert {a.status for a in Outbox(db).alerts()} == {"pending"}  # not yet everywhere


def test_pending_alerts_survive_a_process_killed_before_dispatch(tmp_path: Path, sample_events, json_receiver) -> None:
    path = tmp_path / "wx.db"
    Outbox(open_database(path)).add_events(sample_events, run_id=1)  # the crawl, then the process dies
    fresh = open_database(path)  # the next run
    assert dispatch_pending(fresh, notify_config(json_receiver.url), now=NOW).alerts_sent == 4
    assert dispatch_pending(fresh, notify_config(json_receiver.url), now=NOW).alerts_sent == 0
    assert len(json_receiver.requests) == 1


def test_a_dispatcher_that_died_mid_send_leaves_its_claim_to_expire(db, sample_events, json_receiver) -> None:
    Outbox(db).add_events(sample_events[:1], run_id=1)
    config = notify_config(json_receiver.url)
    (target,) = load_targets(config)
    Outbox(db).ensure_deliveries(target.id, target.label, NOW)
    Outbox(db).claim_due(target.id, NOW)  # claimed, then the process was killed before sending
    assert dispatch_pending(db, config, now=NOW + timedelta(seconds=30)).alerts_sent == 0
    assert dispatch_pending(db, config, now=NOW + timedelta(minutes=10)).alerts_sent == 1
    assert len(json_receiver.requests) == 1


def test_removing_a_failing_target_lets_its_alerts_complete(db, sample_events, json_receiver) -> None:
    Outbox(db).add_events(sample_events[:1], run_id=1)
    dispatch_pending(db, notify_config(json_receiver.url, JsonReceiver().url), now=NOW)
    assert Outbox(db).alerts()[0].status == "pending"
    dispatch_pending(db, notify_config(json_receiver.url), now=NOW + timedelta(minutes=1))
    assert Outbox(db).alerts()[0].status == "sent" and len(json_receiver.requests) == 1


def test_per_event_mode_sends_one_message_per_alert(db, sample_events, json_receiver) -> None:
    Outbox(db).add_events(sample_events, run_id=1)
    dispatch_pending(db, notify_config(json_receiver.url, mode="per_event"), now=NOW)
    assert [r["title"] for r in json_receiver.requests] == [
        "微信指标更新：1 项新指标", "微信指标更新：1 项新指标", "微信指标更新：1 项变化", "微信指标更新：1 项冲突"]


def test_config_file_tags_route_chat_now_and_email_daily(tmp_path: Path, db, sample_events, json_receiver,
                                                        smtp_server) -> None:
    apprise_file = tmp_path / "apprise.yml"
    apprise_file.write_text(
        f"urls:\n  - {json_receiver.url}:\n      tag: chat, per_event\n  - {smtp_server.url}:\n      tag: daily\n",
        encoding="utf-8",
    )
    settings = tmp_path / "settings.toml"
    settings.write_text('[notify]\nconfig = "apprise.yml"\ndaily_at = "08:00"\ntimeout = 5.0\n', encoding="utf-8")
    config = load_config(settings, environ={}).notify
    Outbox(db).add_events(sample_events, run_id=1)
    morning = datetime(2024, 1, 12, 7, 0, tzinfo=UTC)  # 15:00 in Shanghai: the daily digest waits for 08:00
    dispatch_pending(db, config, now=morning)
    assert len(json_receiver.requests) == 4 and smtp_server.messages == []
    dispatch_pending(db, config, now=datetime(2024, 1, 13, 0, 0, tzinfo=UTC))  # 08:00 next day in Shanghai
    assert len(smtp_server.messages) == 1 and len(json_receiver.requests) == 4
    assert {a.status for a in Outbox(db).alerts()} == {"sent"}


@pytest.mark.parametrize(("now", "due"), [
    (datetime(2024, 1, 11, 23, 0, tzinfo=UTC), datetime(2024, 1, 12, 0, 0, tzinfo=UTC)),  # 07:00 local
    (datetime(2024, 1, 12, 0, 0, tzinfo=UTC), datetime(2024, 1, 12, 0, 0, tzinfo=UTC)),   # 08:00 local
    (datetime(2024, 1, 12, 1, 0, tzinfo=UTC), datetime(2024, 1, 13, 0, 0, tzinfo=UTC)),   # 09:00 local
])
def test_daily_targets_are_due_at_the_next_daily_at(now: datetime, due: datetime) -> None:
    (target,) = load_targets(notify_config("json://127.0.0.1:9/x"))
    daily = type(target)(**{**target.__dict__, "daily": True})
    assert first_due(daily, notify_config(), now) == due


def test_secrets_are_masked_in_logs_and_stored_errors(db, sample_events, caplog) -> None:
    token = "s3cr3tT0kenValue42"
    dead = JsonReceiver()
    Outbox(db).add_events(sample_events[:1], run_id=1)
    with caplog.at_level(logging.INFO):
        config = load_settings_with_env(db, dead.url + "/${HOOK_TOKEN}", {"HOOK_TOKEN": token})
        report = dispatch_pending(db, config, now=NOW)
    assert report.targets[0].label.endswith(f"/hook/{MASK}")
    assert "delivery to json://127.0.0.1" in caplog.text
    assert token not in caplog.text and token not in str(report)
    assert token not in str(Outbox(db).alerts()) and token not in str(Outbox(db).deliveries(1))


def load_settings_with_env(db, url: str, environ: dict[str, str]) -> NotifyConfig:
    settings = Path(db.conn.execute("pragma database_list").fetchone()[2]).parent / "settings.toml"
    settings.write_text(f"[notify]\nurls = ['{url}']\ntimeout = 5.0\n", encoding="utf-8")
    return load_config(settings, environ=environ).notify


def test_send_test_reports_each_target(json_receiver, smtp_server) -> None:
    results = send_test(notify_config(json_receiver.url, smtp_server.url, JsonReceiver().url))
    assert [outcome.ok for _, outcome in results] == [True, True, False]
    assert json_receiver.requests[0]["title"] == "wxwatch 测试消息"


def test_an_unusable_url_names_the_setting() -> None:
    with pytest.raises(TargetError, match=r"notify.urls\[1\]: apprise cannot use nosuchscheme://"):
        load_targets(notify_config("json://127.0.0.1:9/x", "nosuchscheme://abc"))
