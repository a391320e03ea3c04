"""Models and what they say about a text: scorers, artifacts, the version registry and span scores."""
