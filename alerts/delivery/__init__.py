"""alerts.delivery package."""
