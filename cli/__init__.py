"""The `personalize-conformance` command line."""
