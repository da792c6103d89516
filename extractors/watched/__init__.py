"""Sources fetched once per watched model: OpenRouter's per-host endpoints of a model and
a model's published architecture config."""
