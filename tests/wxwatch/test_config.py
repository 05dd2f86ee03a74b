"""Settings validation: every bad file fails with one line naming the key (exit 2 from the CLI)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wxwatch.config import ConfigError, load_config

VALID = """
[storage]
path = "data/wx.db"

[[sources]]
name = "zqsb"
kind = "listing"
url = "https://example.org/category/zqsb.html"
"""

BAD_FILES = [
    ("[storage]\npaht = 'x.db'\n", "storage.paht: unknown key"),
    ("[crawlr]\n", "crawlr: unknown key"),
    (VALID + "link_selektor = 'a'\n", "sources[0].link_selektor: unknown key"),
    (VALID.replace('kind = "listing"', 'kind = "rss"'), "sources.zqsb.kind"),
    (VALID.replace('name = "zqsb"', 'name = "ZQ SB"'), "sources[0].name"),
    (VALID.replace('url = "https', 'url = "ftp'), "sources.zqsb.url"),
    (VALID + "\n[[sources]]\nname = 'zqsb'\nkind = 'feed'\nurl = 'https://e.org/f.xml'\n", "duplicate source name"),
    (VALID + "trust = 'medium'\n", "sources.zqsb.trust"),
    (VALID + "\n[crawler]\ndownload_delay = 'fast'\n", "crawler.download_delay: expected float"),
    (VALID + "\n[crawler]\nautothrottle = 1\n", "crawler.autothrottle: expected bool"),
    (VALID + "\n[schedule]\ncron = '0 7 * *'\n", "schedule.cron"),
    (VALID + "\n[schedule]\ntimezone = 'Mars/Olympus'\n", "schedule.timezone: unknown time zone"),
    (VALID + "\n[notify]\nurls = 'json://x'\n", "notify.urls: must be a list"),
    (VALID + "\n[notify]\nurls = ['json://h/${WX_TOKEN_UNSET}']\n", "WX_TOKEN_UNSET is not set"),
    ("[[sources]]\nname = 'a'\nkind = 'feed'\n", "sources[0].url: required key is missing"),
    ("this is = = not toml", "not valid TOML"),
]


@pytest.mark.parametrize(("text", "message"), BAD_FILES)
def test_bad_settings_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=None) as excinfo:
        load_config(path, environ={})
    assert message in str(excinfo.value)
    assert "\n" not in str(excinfo.value)


def test_valid_settings_resolve_relative_paths_and_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(VALID, encoding="utf-8")
    config = load_config(path, environ={})
    assert config.storage.path == tmp_path / "data" / "wx.db"
    source = config.source("zqsb")
    assert (source.trust, source.allow_private, source.link_selector) == ("normal", False, None)
    assert config.schedule.cron == "0 7 * * *" and config.crawler.autothrottle is True


def test_env_references_expand(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(VALID + "\n[notify]\nurls = ['wecombot://${BOT_KEY}']\n", encoding="utf-8")
    assert load_config(path, environ={"BOT_KEY": "abc123"}).notify.urls == ("wecombot://abc123",)


def test_shipped_settings_file_is_valid() -> None:
    config = load_config(Path(__file__).parents[2] / "settings.toml", environ={})
    assert config.sources and all(not s.allow_private for s in config.sources)


def test_cli_reports_bad_settings_in_one_line_with_exit_2(tmp_path: Path, run_cli) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(VALID + "enabeld = true\n", encoding="utf-8")
    result = run_cli("--config", str(path), "sources")
    assert result.returncode == 2
    assert result.stderr.strip() == "Error: sources[0].enabeld: unknown key"


def test_missing_settings_file_exits_2(tmp_path: Path, run_cli) -> None:
    result = run_cli("--config", str(tmp_path / "nope.toml"), "crawl")
    assert result.returncode == 2
    assert "settings file not found" in result.stderr and "Traceback" not in result.stderr


def test_config_from_environment_variable(tmp_path: Path, run_cli, subprocess_env) -> None:
    path = tmp_path / "elsewhere.toml"
    path.write_text(VALID, encoding="utf-8")
    subprocess_env["WXWATCH_CONFIG"] = str(path)
    result = run_cli("sources", "--json")
    assert result.returncode == 0, result.stderr
    assert '"name": "zqsb"' in result.stdout
