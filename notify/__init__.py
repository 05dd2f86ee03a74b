"""Alert delivery: per-target message rendering, sending through apprise, and the retrying dispatcher."""
