"""The repository's own pytest settings.

The harness's pytest plugin (options --target, --openapi-spec, --endpoint-url; the `conformance`
fixture) is registered by the installed package's `pytest11` entry point, as it is in any user's
repository, so nothing loads it here. Benchmark scripts are not tests.
"""
collect_ignore = ["bench"]
