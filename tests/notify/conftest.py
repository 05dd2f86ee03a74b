"""Fixtures for delivery tests: the loopback SMTP server and JSON receiver, settings and a database."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from receivers import JsonReceiver, SmtpServer, json_receiver, smtp_server  # noqa: E402, F401

from wxwatch.events.model import EventSource, MetricEvent  # noqa: E402
from wxwatch.storage.db import open_database  # noqa: E402


@pytest.fixture
def db(tmp_path: Path):
    return open_database(tmp_path / "wx.db")


@pytest.fixture
def sample_events() -> list[MetricEvent]:
    """A run's worth of events: two new figures, one change, one conflict."""
    zqsb = EventSource("zqsb", "证券时报", "https://news.example.cn/a/1.html", "微信公开课",
                       "2024-01-12T09:00:00+08:00", "小程序日活跃用户超过4.5亿")
    cls = EventSource("cls", "财联社", "https://news.example.cn/b/2.html", "支付数据", "2024-01-13T10:00:00+08:00")
    return [
        MetricEvent("new", "miniprogram.dau", "miniprogram.dau", "小程序", "日活跃用户数", "count", 4.5e8,
                    qualifier=">", rate="day", period="2021", source=zqsb),
        MetricEvent("new", "wecom.services", "wecom.services", "企业微信", "服务次数", "count", 1.4e8,
                    qualifier="~", rate="hour", period="2022", source=zqsb),
        MetricEvent("changed", "miniprogram.dau", "miniprogram.dau", "小程序", "日活跃用户数", "count", 6e8, 4.5e8,
                    change=1 / 3, period="2022", previous_period="2021", source=cls, other=zqsb),
        MetricEvent("conflict", "pay.coupon_amount", "pay.coupon_amount", "微信支付", "实际核销优惠金额", "money",
                    2.9e10, 2.29e10, period="2022", source=cls, other=zqsb),
    ]
