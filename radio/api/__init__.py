"""The JSON device API under /api/v1."""
