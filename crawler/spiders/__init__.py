"""Spiders route only: start URLs, which links to follow, which callback parses them."""
