"""extractors.fundamentals package."""
