"""Spiders: `feed` (RSS/Atom) and `listing` (category pages), one crawler per configured source."""
