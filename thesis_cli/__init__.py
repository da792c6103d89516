"""thesis_cli package."""
