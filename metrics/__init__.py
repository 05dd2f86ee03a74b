"""WeChat metric extraction: text normalization, Chinese quantities, the catalog and observations."""
