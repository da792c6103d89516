"""model.inversion package."""
