"""Reading, mapping and normalising exports into the canonical tables."""
