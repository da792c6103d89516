"""alerts.theses package."""
