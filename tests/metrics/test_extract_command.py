"""The `wxwatch extract` command: JSON lines, the table, help example and exit status 2."""

import json

from click.testing import CliRunner

from wxwatch.commands.extract import extract

KEYS = {"metric", "subject", "measure", "value", "unit", "qualifier", "rate", "period", "text", "start", "end"}


def test_json_lines(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("小程序日活突破4.5亿，活跃小程序数量同比上涨41%。", encoding="utf-8")
    result = CliRunner().invoke(extract, ["--json", str(path)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["metric"], r["value"]) for r in rows] == [
        ("miniprogram.dau", 4.5e8), ("miniprogram.active_count_yoy", 0.41),
    ]
    assert all(set(r) == KEYS for r in rows)
    assert rows[0]["qualifier"] == ">" and isinstance(rows[0]["value"], float)


def test_table_output(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("企业微信1小时产生1.4亿次服务", encoding="utf-8")
    result = CliRunner().invoke(extract, [str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "wecom.services_per_hour" in result.output


def test_stdin_source():
    result = CliRunner().invoke(extract, ["--json", "-"], input="搜一搜月活用户过7亿")
    assert json.loads(result.output)["metric"] == "search.mau"


def test_unreadable_input_exits_2_with_one_line(tmp_path):
    result = CliRunner().invoke(extract, ["--json", str(tmp_path / "missing.html")])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line]
    assert len(lines) == 1 and lines[0].startswith("Error: ")


def test_help_has_an_example():
    result = CliRunner().invoke(extract, ["--help"])
    assert "Example" in result.output and "wxwatch extract --json" in result.output


def test_extract_with_an_extra_catalog_file(tmp_path, run_cli) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text(
        '[subjects.wxsport]\nlabel = "微信运动"\nnames = ["微信运动"]\n\n'
        "[measures.steps]\nlabel = \"步数\"\nafter = ['步']\n\n"
        '[metrics."wxsport.steps"]\nsubject = "wxsport"\nmeasure = "全体用户步数"\nkind = "count"\nmatch = ["steps"]\n',
        encoding="utf-8",
    )
    article = tmp_path / "a.txt"
    article.write_text("除夕到初五，微信运动全体用户共走出了9.63万亿步。", encoding="utf-8")
    plain = run_cli("extract", "--json", str(article))
    assert "wxsport.steps" not in plain.stdout
    extended = run_cli("extract", "--json", "--catalog", str(extra), str(article))
    assert extended.returncode == 0, extended.stderr
    assert '"metric": "wxsport.steps"' in extended.stdout
