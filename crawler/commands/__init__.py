"""Scrapy commands of the project (they replace Scrapy's own of the same name)."""
