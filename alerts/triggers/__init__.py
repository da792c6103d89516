"""alerts.triggers package."""
