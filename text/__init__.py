"""Ingestion text path: page bytes to text (decoding, HTML to text, title/date/main text, document reader)."""
