"""Item pipelines, one job each: normalize, validate, dedup, store."""
