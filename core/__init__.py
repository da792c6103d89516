"""Shared vocabulary: canonical rows, typed errors, configuration."""
