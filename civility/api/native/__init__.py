"""The native JSON API under /v1: sites, articles, comments, queue, decisions, corrections, audit."""
