"""Feed formats and exports from the store."""
