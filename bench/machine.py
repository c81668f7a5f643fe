"""The facts a benchmark figure is meaningless without: cores, load, date and versions.

A 2-core machine shared with other work gives different numbers from an idle one, so every
table states the load average seen before and after it was measured.
"""
from __future__ import annotations

import os
import platform
import time
from importlib import metadata

PACKAGES = ("boto3", "moto", "hypothesis", "schemathesis", "openapi-core")


def cores() -> int:
    return os.cpu_count() or 1


def load() -> str:
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "n/a"
    return f"{one:.2f}/{five:.2f}"


def versions(packages=PACKAGES) -> str:
    found = []
    for name in packages:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return ", ".join(found)


def header(title: str) -> str:
    """One line naming the machine, for the top of a table."""
    return (f"# {title} — {time.strftime('%Y-%m-%d %H:%M', time.localtime())}, {cores()} cores, "
            f"load avg (1/5 min) {load()}, Python {platform.python_version()}; {versions()}")
