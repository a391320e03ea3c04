"""Perspective API v1alpha1, wire-compatible: a client changes only its base URL."""
