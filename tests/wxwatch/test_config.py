"""Settings validation: every bad file fails with one line naming the key (exit 2 from the CLI)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wxwatch.config import ConfigError, load_config
from wxwatch.secrets import mask_secrets

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
    (VALID.replace('url = "https://', 'url = "ftp://user:hunter2@'), "ftp://user:****@"),
    (VALID + "\n[[sources]]\nname = 'zqsb'\nkind = 'feed'\nurl = 'https://e.org/f.xml'\n", "duplicate source name"),
    (VALID + "trust = 'medium'\n", "sources.zqsb.trust"),
    (VALID + "\n[crawler]\ndownload_delay = 'fast'\n", "crawler.download_delay: expected float"),
    (VALID + "\n[crawler]\nautothrottle = 1\n", "crawler.autothrottle: expected bool"),
    (VALID + "\n[schedule]\ncron = '0 7 * *'\n", "schedule.cron"),
    (VALID + "\n[schedule]\ntimezone = 'Mars/Olympus'\n", "schedule.timezone: unknown time zone"),
    (VALID + "\n[schedule]\njitter = -5\n", "schedule.jitter: must not be negative"),
    (VALID + "\n[schedule]\nmisfire_grace = '1h'\n", "schedule.misfire_grace: expected int"),
    (VALID + "\n[schedule]\nevery_seconds = 1.5\n", "schedule.every_seconds: expected int"),
    (VALID + "\n[schedule]\nstop_grace = true\n", "schedule.stop_grace: expected int"),
    (VALID + "cron = '0 7 * *'\n", "sources.zqsb.cron: '0 7 * *' is not a 5-field cron expression"),
    (VALID + "\n[notify]\nurls = 'json://x'\n", "notify.urls: must be a list"),
    (VALID + "\n[notify]\nurls = ['json://h/${WX_TOKEN_UNSET}']\n", "WX_TOKEN_UNSET is not set"),
    (VALID + "\n[notify]\nmode = 'weekly'\n", "notify.mode: 'weekly' is not one of digest, per_event"),
    (VALID + "\n[notify]\nmax_attempts = 0\n", "notify.max_attempts: must be at least 1"),
    (VALID + "\n[notify]\nbackoff_seconds = 'soon'\n", "notify.backoff_seconds: expected float"),
    (VALID + "\n[notify]\ntimeout = 0\n", "notify.timeout: must be more than 0 seconds"),
    (VALID + "\n[notify]\ndaily_at = '8am'\n", "notify.daily_at: '8am' is not a time like 08:00"),
    (VALID + "\n[notify]\ntimezone = 'Mars/Olympus'\n", "notify.timezone: unknown time zone"),
    (VALID + "\n[notify]\nconfig = 'missing-apprise.yml'\n", "notify.config: apprise config file"),
    (VALID + "\n[notify]\nconfig = 3\n", "notify.config: must be a non-empty string"),
    (VALID + "\n[notify]\nurl = []\n", "notify.url: unknown key"),
    ("[[sources]]\nname = 'a'\nkind = 'feed'\n", "sources[0].url: required key is missing"),
    ("this is = = not toml", "not valid TOML"),
    (VALID + "\n[metrics]\ncatalog = 'nope.toml'\n", "metrics.catalog: catalog file"),
    (VALID + "\n[metrics]\ncatalogue = 'x.toml'\n", "metrics.catalogue: unknown key"),
    (VALID + "\n[alerts]\ntolerance = 'tight'\n", "alerts.tolerance: expected float"),
    (VALID + "\n[crawler]\nparallel_sources = 0\n", "crawler.parallel_sources: must be at least 1"),
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


def test_notify_keys_defaults_and_secrets_registered_for_masking(tmp_path: Path) -> None:
    (tmp_path / "apprise.yml").write_text("urls:\n  - json://127.0.0.1/x\n", encoding="utf-8")
    path = tmp_path / "settings.toml"
    path.write_text(VALID + "\n[notify]\nurls = ['json://h/${HOOK}']\nconfig = 'apprise.yml'\nmode = 'per_event'\n",
                    encoding="utf-8")
    notify = load_config(path, environ={"HOOK": "hook-secret-value"}).notify
    assert (notify.config, notify.mode, notify.max_attempts, notify.daily_at) == \
        (tmp_path / "apprise.yml", "per_event", 5, "08:00")
    assert mask_secrets("sent to json://h/hook-secret-value") == "sent to json://h/****"


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


def test_schedule_keys_and_per_source_cron(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(VALID + "cron = '30 */6 * * *'\n\n[schedule]\njitter = 120\nmisfire_grace = 600\n"
                    "stop_grace = 10\nevery_seconds = 2\n", encoding="utf-8")
    config = load_config(path, environ={})
    schedule = config.schedule
    assert (schedule.jitter, schedule.misfire_grace, schedule.stop_grace, schedule.every_seconds) == (120, 600, 10, 2)
    assert config.source("zqsb").cron == "30 */6 * * *"
    path.write_text(VALID, encoding="utf-8")
    default = load_config(path, environ={})
    assert default.source("zqsb").cron is None and default.schedule.every_seconds == 0
