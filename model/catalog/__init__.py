"""model.catalog package."""
