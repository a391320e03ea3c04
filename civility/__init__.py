"""Civility: open, self-hosted comment moderation with a Perspective-compatible API."""

__version__ = "0.1.0"
