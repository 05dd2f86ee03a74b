"""WeChat article pages and boilerplate removal, on pages written for the test."""

from __future__ import annotations

from wxwatch.text.boilerplate import remove_link_lists, trim_text
from wxwatch.text.pages import main_text, parse_article_page

BODY = ("<p>微信公开课上，团队介绍了小程序的最新进展：日活跃用户数持续增长，开发者数量再创新高。</p>"
        "<p>与此同时，视频号的原创内容数量同比增长超过一倍，直播带货的场次和成交额都明显上升。</p>"
        "<p>搜一搜的月活跃用户数稳定增长，越来越多的服务可以通过搜索直接到达，用户体验持续改善。</p>")
WECHAT_PAGE = f"""<html><head><meta property="og:title" content="公开课速览：小程序与视频号的新进展">
<meta property="og:url" content="http://mp.weixin.qq.com/s?__biz=MzA5&amp;mid=1&amp;idx=1"></head><body>
<div id="js_article"><h2 class="rich_media_title" id="activity-name">公开课速览：小程序与视频号的新进展</h2>
<a id="js_name">示例科技</a><div id="js_profile_qrcode" class="profile_container">
<strong class="profile_nickname">示例科技</strong><p>功能介绍 关注科技行业的公众号，每天推送三篇原创文章</p></div>
<em id="publish_time">昨天</em>
<div class="rich_media_content" id="js_content"><section style="display: none;">编辑器标记</section>{BODY}</div></div>
<script>var nickname = "示例科技"; var ct = "1704067200"; var msg_title = "公开课速览：小程序与视频号的新进展";</script>
</body></html>"""


def test_wechat_page_from_a_mirror_keeps_body_title_and_script_time() -> None:
    page = parse_article_page(WECHAT_PAGE.encode(), "utf-8", "http://127.0.0.1:8000/mp/s/abc", "Asia/Shanghai")
    assert page.title == "公开课速览：小程序与视频号的新进展"
    assert page.published == "2024-01-01T08:00:00+08:00"
    assert "直播带货的场次和成交额都明显上升" in page.text and "搜一搜的月活跃用户数稳定增长" in page.text
    assert "功能介绍" not in page.text and "编辑器标记" not in page.text


RELATED = "".join(f'<li><a href="/2023/12/{n}.html">{headline}</a><span>2023-12-0{n}</span></li>'
                  for n, headline in enumerate(["央行开展逆回购操作", "多地出台楼市新政", "新能源汽车销量创新高"], 1))
BLURB = "一句话介绍这条推荐新闻的主要内容，供读者参考。"
TEASERS = "".join(f'<dl><dt><a href="/t/{n}.html">{headline}</a></dt><dd>{BLURB}</dd>'
                  f"<dd>2023-12-0{n} 10:00</dd></dl>" for n, headline in
                  enumerate(["国产大飞机完成首次商业飞行", "冬季用电负荷创历史新高", "快递业务量同比增长两成"], 1))
COMMENTS = '<div id="post_comment"><p>网友甲：这个数字是真的吗，感觉增长得太快了吧。</p></div>'


def test_related_lists_teasers_and_comments_are_removed_and_inline_links_kept() -> None:
    article = BODY.replace("开发者数量", '<a href="/dev.html">开发者</a>数量')
    html = (f"<html><body><article>{article}</article><ul>{RELATED}</ul><div class='tuijian'>{TEASERS}</div>"
            f"{COMMENTS}</body></html>")
    cleaned = remove_link_lists(html)
    assert "开发者</a>数量" in cleaned
    for gone in ("多地出台楼市新政", "冬季用电负荷创历史新高", "这个数字是真的吗"):
        assert gone not in cleaned
    text = main_text(html)
    assert "开发者数量再创新高" in text and "多地出台楼市新政" not in text


def test_text_is_cut_after_the_editor_line_and_related_labels_but_not_mid_article() -> None:
    article = "\n".join(["小程序日活跃用户数突破新高。" * 8, "责任编辑：张三", "热门推荐", "某地发生一件无关的事"])
    assert trim_text(article).splitlines()[-1] == "责任编辑：张三"
    label_then_article = "\n".join(["相关新闻：", "视频号的原创内容数量同比增长超过一倍，直播带货场次明显上升。" * 3])
    assert trim_text(label_then_article) == label_then_article
    assert trim_text("免注册 快速登录\n" + "正文第一段。" * 30) == "正文第一段。" * 30


def test_a_block_opened_by_a_related_heading_goes_unless_the_article_goes_on() -> None:
    promo = "<p><strong>年度文化人物访谈</strong>十位艺术家讲述这些年的经历和作品。<a href='/x.html'>【详细】</a></p>"
    html = (f"<html><body><article>{BODY}</article><div class='box'><div class='head'><h2>推荐阅读</h2>"
            f"<a href='/more.html'>更多</a></div>{promo}{promo}</div></body></html>")
    assert "年度文化人物访谈" not in remove_link_lists(html)
    sentence = "小程序的开发者数量持续增长，越来越多的企业把服务搬进了小程序里，用户体验明显改善。"
    long_paragraph = f"<p>{sentence * 4}</p>"
    article_goes_on = f"<html><body><article>{BODY}<h3>相关阅读</h3>{long_paragraph}</article></body></html>"
    assert "越来越多的企业把服务搬进了小程序里" in remove_link_lists(article_goes_on)


def test_short_article_with_linked_terms_is_not_a_link_list() -> None:
    linked = (BODY.replace("微信公开课上", "<a href='/t/1.html'>微信公开课上</a>", 1)
              .replace("视频号的原创内容", "<a href='/t/2.html'>视频号的原创内容</a>", 1)
              .replace("搜一搜的月活跃用户数", "<a href='/t/3.html'>搜一搜的月活跃用户数</a>", 1))
    cleaned = remove_link_lists(f"<html><body><div class='article'>{linked}</div></body></html>")
    assert "开发者数量再创新高" in cleaned and "直播带货的场次" in cleaned and "用户体验持续改善" in cleaned
