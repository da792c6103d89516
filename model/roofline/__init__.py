"""model.roofline package."""
