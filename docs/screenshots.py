"""Make the README's screenshots (docs/img/*.png) from a fresh `wxwatch demo`, with headless Chromium.

    .venv/bin/python docs/screenshots.py        # needs Debian's `chromium` (apt-get install -y chromium)

Runs the demo into a temporary folder, writes its report, starts `wxwatch browse` on it, and photographs the report,
the browse view of the current values and a metric's chart. Offline: everything is served on 127.0.0.1.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

IMAGES = Path(__file__).parent / "img"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
         "--force-device-scale-factor=1"]
REPORT_METRICS = ("miniprogram.dau", "search.mau", "channels.live_gmv_yoy")


def wxwatch(*args: str) -> str:
    return subprocess.run([sys.executable, "-m", "wxwatch", *args], check=True, capture_output=True,
                          text=True).stdout


def screenshot(url: str, name: str, profile: Path, size: str) -> None:
    target = IMAGES / name
    subprocess.run([shutil.which("chromium") or "chromium", *FLAGS, f"--user-data-dir={profile}",
                    f"--window-size={size}", f"--screenshot={target}", url],
                   check=True, capture_output=True, timeout=120)
    print(f"{target} ({target.stat().st_size // 1024} KiB)")


def main() -> None:
    IMAGES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        wxwatch("demo", "--db", str(tmp / "wxwatch-demo.db"), "--port", "0", "--json")
        settings = str(tmp / "wxwatch-demo.toml")
        wxwatch("--config", settings, "report", "--out", str(tmp / "report"),
                *(arg for metric in REPORT_METRICS for arg in ("--metric", metric)))
        screenshot((tmp / "report" / "index.html").as_uri(), "report.png", tmp / "profile", "1000,1100")
        browse = subprocess.Popen([sys.executable, "-m", "wxwatch", "--config", settings, "browse", "--port", "0"],
                                  stdout=subprocess.PIPE, text=True)
        try:
            url = re.search(r"http://\S+/", browse.stdout.readline()).group(0)
            screenshot(f"{url}wxwatch-demo/current_values?_hide_sql=1", "browse.png", tmp / "profile", "1000,820")
            screenshot(f"{url}-/wxwatch/chart?metric=miniprogram.dau", "browse-chart.png", tmp / "profile",
                       "1000,760")
        finally:
            browse.terminate()
            browse.wait(10)


if __name__ == "__main__":
    main()
