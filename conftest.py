"""Repository conftest: loads the harness's pytest plugin (options --target, --spec, --endpoint-url)."""
pytest_plugins = ["runner.pytest_plugin"]
