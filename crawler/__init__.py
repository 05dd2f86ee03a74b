"""The Scrapy project: feed and listing spiders that collect article pages into storage."""
