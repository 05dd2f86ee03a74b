"""Normalization: HTML to text, front matter, script conversion, pinyin, width folding, spacing, decoding."""

import pytest

from wxwatch.metrics.mojibake import find_mojibake, touches
from wxwatch.metrics.normalize import (
    decode_html_bytes,
    fold_width,
    html_to_text,
    join_number_spaces,
    normalize_text,
    split_front_matter,
    strip_front_matter,
)
from wxwatch.metrics.script import remove_pinyin_annotations, to_simplified


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ('推动100<a class="x" href="/p">万优</a>质创作者有收入', "推动100万优质创作者有收入"),
        ("<p>第一段</p><p>第二段</p>", "第一段\n第二段"),
        ("一行<br/>两行", "一行\n两行"),
        ("<div><span>小程序</span><strong>日活</strong>突破4.5亿</div>", "小程序日活突破4.5亿"),
        ("<script>var x = 1;</script><p>正文</p>", "正文"),
        ("<!-- EM_StockImg_Start --><p>A&amp;B&nbsp;C</p>", "A&B C"),
        ('<p style="display:none;height:1px;"><br /></p><p>正文</p>', "正文"),
        ("<table><tr><td>公众号</td><td>4.2</td></tr></table>", "| 公众号 | | 4.2 |"),
    ],
)
def test_html_to_text(html, text):
    assert html_to_text(html) == text


def test_front_matter_is_split_and_parsed():
    post = '---\nlayout: post\ntitle: "标题"\ndate: 2022-01-07 20:04:09 +0800\n---\n<p>正文</p>'
    meta, body = split_front_matter(post)
    assert meta["title"] == "标题"
    assert body == "<p>正文</p>"


def test_front_matter_after_a_short_header():
    post = "PUSH消息推送\n\n---\ntitle: 'PUSH'\ncategories:\n - 新媒体\n---\n正文"
    assert strip_front_matter(post) == "PUSH消息推送\n\n正文"


def test_markdown_table_rule_is_not_front_matter():
    text = "标题\n---|---|\n a | b |\n"
    assert strip_front_matter(text) == text


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("小程序", "小程序"),  # mainland text is untouched (tw2sp would give 小进程)
        ("微信小程式", "微信小程序"),
        ("影片號月活躍用戶", "视频号月活跃用户"),
        ("影片号", "视频号"),
        ("視頻號", "视频号"),
        ("使用者帳戶", "用户账户"),
        ("行動支付", "移动支付"),
        ("企業微信", "企业微信"),
        ("13.43億", "13.43亿"),
        ("月活躍賬戶數", "月活跃账户数"),
    ],
)
def test_to_simplified(source, expected):
    assert to_simplified(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("微信發(fā)布2021年所有數(shù)據(jù)", "微信發布2021年所有數據"),
        ("我們(men)的", "我們的"),
        ("五年前(2017年)小龍", "五年前(2017年)小龍"),
        ("月活跃人数达7亿(YoY+20%)", "月活跃人数达7亿(YoY+20%)"),
        ("晓程序速报(ID:xcxsubao)", "晓程序速报(ID:xcxsubao)"),
        ("西城男孩(Westlife)", "西城男孩(Westlife)"),
    ],
)
def test_pinyin_annotations(source, expected):
    assert remove_pinyin_annotations(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("１２３ＡＢＣ", "123ABC"),
        ("日活，月活；（注）", "日活,月活;(注)"),
        ("增长４１％", "增长41%"),
        ("a\u3000b", "a b"),
    ],
)
def test_fold_width(source, expected):
    assert fold_width(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("日活用户超4.5 亿人次", "日活用户超4.5亿人次"),
        ("1 小时产生1.4 亿次服务", "1小时产生1.4亿次服务"),
        ("2.3 万月活服务商", "2.3万月活服务商"),
        ("100 万+生态从业伙伴", "100万+生态从业伙伴"),
        ("微信已经达到 10 亿 DAU", "微信已经达到10亿 DAU"),
        ("1 月6 日", "1月6日"),
        ("增长 29% 至 267.14 亿元", "增长29%至267.14亿元"),
    ],
)
def test_number_spaces(source, expected):
    assert join_number_spaces(source) == expected


def test_normalize_text_pipeline():
    raw = "---\ntitle: x\n---\n<p>小程式日活突破４.５ 億，活躍小程式數量同比上漲41％</p>"
    assert normalize_text(raw) == "小程序日活突破4.5亿,活跃小程序数量同比上涨41%"


def test_mojibake_stretch_is_flagged_next_to_number():
    text = normalize_text("網格員服務當(dāng)?shù)氐?00多萬名居民")
    spans = find_mojibake(text)
    assert spans
    number_start = text.index("00多")
    assert touches(spans, number_start, number_start + 3)


def test_replacement_character_is_flagged():
    text = "用户\ufffd\ufffd300万"
    assert find_mojibake(text) == [(2, 4)]


def test_plain_question_is_not_mojibake():
    assert find_mojibake("小程序到底是什么?小程序自己不做服务") == []


SAMPLE = "<html><head><meta charset='{charset}'></head><body><p>微信小程序日活突破4.5亿，這是繁體</p></body></html>"


@pytest.mark.parametrize(
    ("encoding", "declared"),
    [("utf-8", None), ("gb18030", None), ("gbk", "gbk"), ("big5", None), ("gb18030", "utf-8"), ("big5", "gbk")],
)
def test_decode_html_bytes(encoding, declared):
    html = SAMPLE.format(charset=encoding if declared is None else declared)
    text = html if encoding != "big5" else html.replace("微信小程序日活突破4.5亿", "微信小程式日活突破4.5億")
    assert decode_html_bytes(text.encode(encoding), declared) == text


def test_decode_html_bytes_bom():
    assert decode_html_bytes("小程序".encode("utf-8-sig"), "gbk") == "小程序"


@pytest.mark.parametrize(
    "raw",
    [
        "---\ntitle: x\n---\n<p>搜一搜MAU(月活跃用户)已超7 亿，较前一年上涨20%</p>",
        "微信發(fā)布2021年所有數(shù)據(jù)，當(dāng)?shù)氐?00多萬名居民",
        "微信已经达到 10 亿 DAU,去年 8 月微信每天登录量就超过 10 亿",
    ],
)
def test_normalize_text_is_idempotent(raw):
    once = normalize_text(raw)
    assert normalize_text(once) == once
