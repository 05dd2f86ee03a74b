"""Headline choice: metadata, headings and <title> checked against each other (pages written for the test)."""

from __future__ import annotations

import pytest
from parsel import Selector

from wxwatch.text.titles import page_title, strip_site_suffix


def page(head: str = "", body: str = "") -> Selector:
    return Selector(text=f"<html><head>{head}</head><body>{body}</body></html>")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("视频号直播带货规模同比增长三倍_科技频道_示例财经网", "视频号直播带货规模同比增长三倍"),
        ("企业微信连接微信用户数再创新高-示例新闻网", "企业微信连接微信用户数再创新高"),
        ("搜一搜月活跃用户数继续增长 - 示例日报 - 互联网", "搜一搜月活跃用户数继续增长"),
        ("观点|小程序生态的下一个十年在哪里_财经_示例网", "观点|小程序生态的下一个十年在哪里"),
        ("Wi-Fi 7 路由器开始进入家庭市场", "Wi-Fi 7 路由器开始进入家庭市场"),
        ("没有网站后缀的一条普通新闻标题", "没有网站后缀的一条普通新闻标题"),
    ],
)
def test_site_suffix_is_removed_and_headline_separators_kept(title: str, expected: str) -> None:
    assert strip_site_suffix(title) == expected


def test_og_title_cut_at_a_quote_loses_to_the_full_heading() -> None:
    selector = page('<meta property="og:title" content="微信支付分覆盖用户超过">'
                    '<title>微信支付分覆盖用户超过"三亿"_示例网</title>', '<h1>微信支付分覆盖用户超过"三亿"</h1>')
    assert page_title(selector) == '微信支付分覆盖用户超过"三亿"'


def test_section_logo_heading_loses_to_the_title_without_suffix() -> None:
    selector = page("<title>小游戏开发者收入同比增长五成_示例财经</title>", "<h1>示例商业</h1><p>正文</p>")
    assert page_title(selector) == "小游戏开发者收入同比增长五成"


def test_sidebar_heading_and_duplicate_heading_are_not_appended() -> None:
    selector = page("<title>公众号平台推出新的创作激励计划_示例网</title>",
                    "<h1>公众号平台推出新的创作激励计划</h1><h1>公众号平台推出新的创作激励计划</h1><h1>编辑精选</h1>")
    assert page_title(selector) == "公众号平台推出新的创作激励计划"


def test_page_without_title_uses_its_first_headline_like_heading() -> None:
    assert page_title(page(body="<h1>看一看</h1><h2>微信读书上线有声书新功能</h2>")) == "微信读书上线有声书新功能"
