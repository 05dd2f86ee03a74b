"""An article's figures: title and text normalised once and extracted, keyed so that a page worker's result is
reused by analysis only for exactly the same title, text and published time."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from wxwatch.metrics.catalog import Catalog
from wxwatch.metrics.extract import Observation, extract_normalized
from wxwatch.metrics.normalize import normalize_text
from wxwatch.metrics.periods import published_date


@dataclass(frozen=True)
class ArticleFigures:
    """The observations of one article, each with the span of normalised text it was read from."""

    observations: list[Observation]
    spans: list[str]


def figures_key(title: str | None, text: str | None, published: str | None) -> str:
    """What extraction of an article depends on, besides the catalog, as one short key."""
    digest = hashlib.sha256()
    for part in (title or "", text or "", published or ""):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\x00")
    return digest.hexdigest()


def article_figures(title: str | None, text: str | None, published: str | None, catalog: Catalog
                    ) -> ArticleFigures:
    """Extract an article: its title and text are normalised together, once."""
    normalized = normalize_text(f"{title or ''}\n{text or ''}")
    observations = extract_normalized(normalized, catalog, title=title, published=published_date(published))
    return ArticleFigures(observations, [normalized[o.start : o.end] for o in observations])
