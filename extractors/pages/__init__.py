"""extractors.pages package."""
