"""A news crawler for media-center sections of expos, governments and companies."""

__version__ = "0.1.0"
