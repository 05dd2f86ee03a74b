"""The metamorphic script: its rewrites keep the meaning, and it scores a small gold set end to end."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "benchmarks" / "metamorphic.py"
_SPEC = importlib.util.spec_from_file_location("metamorphic", SCRIPT)
metamorphic = importlib.util.module_from_spec(_SPEC)
sys.modules["metamorphic"] = metamorphic  # dataclasses look their module up while the script loads
_SPEC.loader.exec_module(metamorphic)


def figure(text: str, number: str) -> metamorphic.Figure:
    start = text.index(number)
    return metamorphic.Figure("x", 0.0, text, start, start + len(number))


@pytest.mark.parametrize(
    ("number", "spelled"),
    [(0, "零"), (7, "七"), (10, "十"), (16, "十六"), (108, "一百零八"), (2500, "二千五百"), (30400, "三万零四百"),
     (1_372_000_000, "十三亿七千二百万"), (602_000_000, "六亿零二百万")],
)
def test_chinese_integer(number, spelled):
    assert metamorphic.chinese_integer(number) == spelled


@pytest.mark.parametrize(
    ("text", "number", "rewritten"),
    [
        ("视频号日活跃用户达6.3亿。", "6.3亿", "视频号日活跃用户达六亿三千万。"),
        ("搜一搜月活跃用户同比增长17%。", "17%", "搜一搜月活跃用户同比增长百分之十七。"),
        ("公众号数量超过2400万。", "2400万", "公众号数量超过二千四百万。"),
        ("小游戏流水增长2.5倍。", "2.5倍", "小游戏流水增长二点五倍。"),
    ],
)
def test_chinese_numerals(text, number, rewritten):
    assert metamorphic.to_chinese_numerals(text, figure(text, number)) == rewritten


def test_thousands_and_spaces():
    text = "小程序日活跃用户达5.6亿，开发者超过3500人。"
    assert metamorphic.with_thousands(text, figure(text, "5.6亿")) == "小程序日活跃用户达56,000万，开发者超过3500人。"
    assert metamorphic.with_thousands(text, figure(text, "3500人")) == "小程序日活跃用户达5.6亿，开发者超过3,500人。"
    assert metamorphic.with_spaces(text, figure(text, "5.6亿")) == "小程序日活跃用户达 5.6 亿 ，开发者超过3500人。"


def test_clauses_are_inserted_around_the_figure():
    text = "视频号月活跃用户已超过9亿。"
    neutral = metamorphic.with_neutral_clause(text, figure(text, "9亿"))
    assert neutral == "视频号月活跃用户" + metamorphic.NEUTRAL_CLAUSE + "已超过9亿。"
    growth = metamorphic.with_growth_clause(text, figure(text, "9亿"))
    assert growth == "视频号月活跃用户已超过9亿" + metamorphic.GROWTH_CLAUSE + "。"
    assert metamorphic.with_neutral_clause("7亿用户进入朋友圈", figure("7亿用户进入朋友圈", "7亿")) is None


def test_script_scores_a_small_gold_set(tmp_path: Path) -> None:
    (tmp_path / "gold").mkdir()
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text(
        "腾讯最新季报披露，微信及WeChat的合并月活跃账户数达到13.94亿，同比增长3.2%。\n"
        "另据介绍，小程序日活跃用户已超过6.1亿，开发者数量超过400万。\n", encoding="utf-8")
    (tmp_path / "gold" / "seeds.toml").write_text(
        '[[article]]\nfile = "a.txt"\nrequired = [["wechat.mau", 1394000000], ["wechat.mau_yoy", 0.032], '
        '["miniprogram.dau", 610000000], ["miniprogram.developers", 4000000]]\n', encoding="utf-8")
    result = subprocess.run([sys.executable, str(SCRIPT), "--shared", str(tmp_path), "--sets", "seeds"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()[1:-1]}
    assert set(rows) == set(metamorphic.TRANSFORMS)
    assert rows["s2hk"] == ["4", "0", "0", "1.000"]
    assert rows["chinese_numerals"] == ["4", "0", "0", "1.000"]
