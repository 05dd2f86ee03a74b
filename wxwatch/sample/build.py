"""Rebuild the bundled sample site from the seed articles: `python -m wxwatch.sample.build SEEDS_DIR`.

`site/` is the first day (real 2022 WeChat Open Class coverage); `day2/` holds what the outlets publish a year
later (written for the demo, not seed text): the files that differ on the second day of `wxwatch demo`.
"""

from __future__ import annotations

import re
import sys
from datetime import datetime
from pathlib import Path

import opencc
import yaml

from wxwatch.sample.pages import SamplePost, article_page, atom_feed, listing_page, rss_feed

SITE = Path(__file__).parent / "site"
DAY2 = Path(__file__).parent / "day2"
BASE = "{{BASE_URL}}"
FRONT_MATTER_RE = re.compile(r"^\s*---\s*\n(.*?)\n---\s*\n", re.DOTALL)


def read_seed(path: Path) -> tuple[dict, str]:
    raw = path.read_text(encoding="utf-8")
    match = FRONT_MATTER_RE.match(raw)
    if match:
        return yaml.safe_load(match.group(1)) or {}, raw[match.end():]
    lines = raw.strip().splitlines()
    body = "".join(f"<p>{line}</p>" for line in lines[1:] if line.strip())
    return {"title": lines[0].strip()}, body


def seed_post(seeds: Path, prefix: str, path: str, published: datetime | None) -> SamplePost:
    meta, body = read_seed(next(seeds.glob(f"{prefix}_*.txt")))
    return SamplePost(path=path, title=str(meta["title"]).strip(), published=published, body_html=body)


KR_2023 = SamplePost(
    "/36kr/p/2079351026394368.html", "2023微信公开课PRO：小程序日活跃用户突破6亿",
    datetime.fromisoformat("2023-01-10T13:30:00+00:00"),
    "<p>1月10日晚，2023微信公开课PRO在线上举行，微信团队披露了过去一年的一组新数据。</p>"
    "<p>微信方面介绍，2022年小程序日活跃用户突破6亿，小程序开发者数量超过300万。</p>"
    "<p>搜索方面，截至2023年1月，微信搜一搜月活跃用户已经超过8亿。</p>"
    "<p>视频号的表现同样亮眼：2022年视频号直播带货销售额同比增长超过800%。</p>",
)
JIANSHI_2023 = SamplePost(
    "/jianshi/2023/wechat-2022-data.html", "见实｜微信2022年数据盘点：小程序与视频号",
    datetime.fromisoformat("2023-01-11T09:00:00+08:00"),
    "<p>据微信公开课披露，2022年小程序日活跃用户已经突破6亿，开发者超过300万。</p>"
    "<p>视频号方面，见实从多位服务商处了解到，2022年视频号直播带货销售额同比增长了600%。</p>",
)


def write_files(root: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    print(f"wrote {len(files)} files under {root}")


def second_day(kr: SamplePost, jianshi: SamplePost) -> dict[str, str]:
    """A year later, 36kr and 见实 publish new articles: their feeds and the two pages."""
    return {
        "36kr/feed.xml": rss_feed("36氪", BASE, [KR_2023, kr]),
        "jianshi/atom.xml": atom_feed("见实", BASE, [JIANSHI_2023, jianshi]),
        KR_2023.path.lstrip("/"): article_page(KR_2023),
        JIANSHI_2023.path.lstrip("/"): article_page(JIANSHI_2023),
    }


def main(seeds: Path) -> None:
    tz = datetime.fromisoformat
    guohai = seed_post(seeds, "000", "/a/2022/0107/guohai-wechat-open-class.html", tz("2022-01-07T20:04:09+08:00"))
    stcn = seed_post(seeds, "001", "/a/2022/0106/stcn-wechat-open-class.html", tz("2022-01-06T21:02:04+08:00"))
    kr = seed_post(seeds, "002", "/36kr/p/1562117236457734.html", tz("2022-01-06T10:22:16+00:00"))
    jianshi = seed_post(seeds, "003", "/jianshi/2022/wechat-2021-data.html", tz("2022-01-07T09:00:00+08:00"))
    seo = seed_post(seeds, "004", "/seo/wechat-how-to-call.html", None)
    to_traditional = opencc.OpenCC("s2t")
    mirror = SamplePost("/hk/2022/0107/wechat-open-class.html", to_traditional.convert(stcn.title),
                        stcn.published, to_traditional.convert(stcn.body_html))
    files = {
        "category/zhengquanshibao.html": listing_page("证券时报", [stcn], next_path="/category/zhengquanshibao_2.html"),
        "category/zhengquanshibao_2.html": listing_page("证券时报 第2页", [guohai]),
        "36kr/feed.xml": rss_feed("36氪", BASE, [kr]),
        "jianshi/atom.xml": atom_feed("见实", BASE, [jianshi]),
        "seo/index.html": listing_page("微信百科", [seo]),
        "hk/finance.html": listing_page("財經", [mirror]),
        "robots.txt": "User-agent: *\nDisallow: /private/\n",
    }
    for post in (guohai, stcn, kr, jianshi, seo, mirror):
        files[post.path.lstrip("/")] = article_page(post)
    write_files(SITE, files)
    write_files(DAY2, second_day(kr, jianshi))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[3] / "shared" / "seeds")
