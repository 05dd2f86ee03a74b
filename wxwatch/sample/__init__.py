"""The bundled sample: a static copy of real coverage (built from the seed articles) and its settings."""
