"""SQLite storage (sqlite-utils): schema and migrations, articles, crawl runs and source state."""
