"""Which listing links are followed: article-like paths and headlines of the same site, and the URL patterns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wxwatch.crawler.links import LinkRules, skip_reason

LISTING = "https://tech.example.com.cn/roll/index.shtml"
HEADLINE = "小程序日活跃用户数再创新高"


@pytest.mark.parametrize(
    ("url", "text", "reason"),
    [
        ("https://tech.example.com.cn/2023/1118/doc-abc.shtml", HEADLINE, None),
        ("https://finance.example.com.cn/a/20231118/12345.html", HEADLINE, None),  # same site, other channel
        ("https://tech.example.com.cn/news/9281734", HEADLINE, None),
        ("https://tech.example.com.cn/app/download.html", "下载客户端，看更多精彩资讯", "not an article path"),
        ("https://tech.example.com.cn/jubao/", "违法和不良信息举报中心", "not an article path"),
        ("https://tech.example.com.cn/about.html", "关于我们的网站和团队介绍", "not an article path"),
        ("https://tech.example.com.cn/roll/index_2.shtml", "下一页的更多新闻报道内容", "not an article path"),
        ("https://tech.example.com.cn/mobile/", "手机频道的全部新闻", "not an article path"),
        ("https://tech.example.com.cn/2023/1118/doc-abc.shtml", "评论 32", "not a headline"),
        ("https://tech.example.com.cn/2023/1118/doc-def.shtml", "下载示例新闻客户端阅读全文", "not a headline"),
        ("https://other-news.example.org/2023/1118/1.html", HEADLINE, "other site"),
    ],
)
def test_default_rules(url: str, text: str, reason: str | None) -> None:
    assert skip_reason(url, text, LISTING, LinkRules()) == reason


def test_patterns_decide_over_the_default_rules() -> None:
    rules = LinkRules(article_pattern=re.compile(r"/p/\d+$"), exclude_pattern=re.compile(r"/p/0+$"))
    assert skip_reason("https://tech.example.com.cn/p/42", "短", LISTING, rules) is None
    assert skip_reason("https://tech.example.com.cn/p/000", HEADLINE, LISTING, rules) == "exclude_url_pattern"
    assert skip_reason("https://tech.example.com.cn/2023/1118/a.html", HEADLINE, LISTING, rules) == \
        "article_url_pattern"


def test_a_link_selector_is_trusted_except_for_exclusions() -> None:
    rules = LinkRules(link_selector="ul.news a", exclude_pattern=re.compile("/ad/"))
    assert skip_reason("https://ads.example.net/landing", "看", LISTING, rules) is None
    assert skip_reason("https://tech.example.com.cn/ad/1.html", HEADLINE, LISTING, rules) == "exclude_url_pattern"


def test_invalid_pattern_is_a_settings_error(run_cli, tmp_path: Path) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text('[[sources]]\nname = "x"\nkind = "listing"\nurl = "https://example.com/"\n'
                        'article_url_pattern = "/(2023"\n', encoding="utf-8")
    result = run_cli("--config", str(settings), "sources")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("Error: sources[0].article_url_pattern: not a valid regular expression")
    assert len(result.stderr.strip().splitlines()) == 1


def test_readme_source_recipes_are_valid_settings(tmp_path: Path) -> None:
    from wxwatch.config import load_config

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Adding a source", 1)[1].split("\n## ", 1)[0]
    recipes = [block.split("```", 1)[0] for block in section.split("```toml\n")[1:]]
    settings = tmp_path / "settings.toml"
    settings.write_text("\n".join(recipes), encoding="utf-8")
    config = load_config(settings, environ={})
    assert {source.kind for source in config.sources} == {"feed", "listing"} and len(config.sources) == 4
    rules = LinkRules.for_source(config.source("thepaper"))
    assert skip_reason("https://www.thepaper.cn/newsDetail_forward_4553659", "", config.source("thepaper").url,
                       rules) is None


def test_skipped_links_reach_the_source_result_and_warn_when_nothing_is_left() -> None:
    import json

    from wxwatch.crawler.extensions import source_result

    stats = {"wxwatch/links_found": 0, "wxwatch/selector_empty": 1, "wxwatch/links_skipped": 5,
             "wxwatch/links_skipped/not a headline": 2, "wxwatch/links_skipped/not an article path": 3}
    result = source_result("outlet", stats, "finished")
    assert result.links_skipped == 5
    assert json.loads(result.skipped_reasons) == {"not a headline": 2, "not an article path": 3}
    assert "5 links skipped" in result.warning and "article_url_pattern" in result.warning


def test_a_url_linked_by_picture_and_headline_is_followed_once() -> None:
    from parsel import Selector

    from wxwatch.crawler.spiders.listing import listing_links

    html = ('<body><a href="/2023/1118/1.html"><img src="p.jpg"></a><a href="/2023/1118/1.html">' + HEADLINE +
            '</a><a href="/2023/1118/2.html">更多</a></body>')
    found = listing_links(Selector(text=html), LISTING, LinkRules())
    assert found.links == ["https://tech.example.com.cn/2023/1118/1.html"]
    assert found.skipped == {"not a headline": 1}
