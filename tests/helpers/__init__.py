"""Helpers the tests share: tapping widgets, failing on unexpected log records."""
