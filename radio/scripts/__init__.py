"""Scripts: versions, approval and voicing."""
