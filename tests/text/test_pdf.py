"""PDF results releases through the real `wxwatch extract`: text layer, pages cited, scans refused in one line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from pdfbuild import write_pdf  # noqa: E402

# The wording of Tencent's results announcements (2024 fourth quarter and annual results), Chinese and English.
COVER = ["腾讯控股有限公司", "截至二零二四年十二月三十一日止第四季及年度业绩公布", "本公司董事会欣然宣布业绩如下。"]
OPERATING = ["经营资料", "截至2024年12月31日，微信及WeChat的合并月活跃账户数为13.85亿，同比增长3%。",
             "QQ的移动终端月活跃账户数为5.24亿。"]
ENGLISH = ["Operating information", "As at 31 December 2024, combined MAU of Weixin and WeChat reached",
           "1,385 million, up 3% year-on-year."]


def release(tmp_path: Path) -> Path:
    return write_pdf(tmp_path / "2024q4-results.pdf", [COVER, OPERATING, ENGLISH],
                     title="腾讯公布二零二四年第四季及全年业绩", creation="D:20250319163000+08'00'")


def test_a_pdf_release_yields_wechat_mau_with_period_and_page(tmp_path, run_cli) -> None:
    result = run_cli("extract", "--json", str(release(tmp_path)))
    assert result.returncode == 0, result.stderr
    found = [json.loads(line) for line in result.stdout.splitlines()]
    chinese, english = [row for row in found if row["metric"] == "wechat.mau"]
    assert (chinese["value"], chinese["period"], chinese["page"]) == (13.85e8, "2024", 2)
    assert "合并月活跃账户数" in chinese["text"]
    assert (english["value"], english["period"], english["page"]) == (13.85e8, "2024", 3)


def test_the_table_cites_the_page(tmp_path, run_cli) -> None:
    result = run_cli("extract", str(release(tmp_path)))
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if "wechat.mau " in line]
    assert ["13.85亿" in line for line in lines] == [True, True]
    assert ["p. 2" in lines[0], "p. 3" in lines[1]] == [True, True]


def test_a_pdf_without_a_text_layer_is_one_clear_line_not_zero_mentions(tmp_path, run_cli) -> None:
    scan = write_pdf(tmp_path / "scan.pdf", [[], []])
    result = run_cli("extract", str(scan))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"Error: {scan}: PDF without a text layer (2 pages, scanned images?); wxwatch does not OCR:"
        " extract the text first"]


def test_a_broken_pdf_is_one_line(tmp_path, run_cli) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00\x01garbage" * 50)
    result = run_cli("extract", str(broken))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("Error: ")
