"""Use cases. Adapters (API, CLI, web) call these; these call scoring, moderation and storage."""
