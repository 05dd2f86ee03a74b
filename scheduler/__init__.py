"""The daemon: scheduled crawls (APScheduler), the crawl lock, signals, systemd notify and watchdog."""
