"""extractors.feeds package."""
