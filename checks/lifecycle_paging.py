"""Pagination contracts: walking `nextToken` returns each item once, ends, and respects maxResults.

Observation: `pages` (the ARNs of each page in order), `known` (ARNs the harness created and
expects to see), `max_results` (None for the default), `terminated` (the walk ended with no
token within its bound) and `tokens` (the nextToken of each page).
"""
from __future__ import annotations

from collections import Counter

from .contracts import contract, expect_error
from .findings import SKIP, fail

SOURCE = "Pagination: every List takes maxResults (1-100) and nextToken; InvalidNextTokenException is declared"


def _label(max_results) -> str:
    return f"maxResults={max_results}" if max_results else "default maxResults"


@contract("pagination.exactly-once", source=SOURCE)
def exactly_once(*, pages, known, max_results, operation, terminated=True):
    seen = Counter(arn for page in pages for arn in page)
    twice = sorted(a for a, n in seen.items() if n > 1)
    if twice:
        yield fail(f"{operation} with {_label(max_results)} returned {twice[0]} {seen[twice[0]]} times"
                   + (f" (and {len(twice) - 1} more items twice)" if len(twice) > 1 else ""))
    missing = sorted(set(known) - set(seen))
    if missing and terminated:
        yield fail(f"{operation} with {_label(max_results)} never returned {missing[0]}"
                   + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
                   + f" across {len(pages)} pages")


@contract("pagination.terminates", source=SOURCE)
def terminates(*, pages, tokens, terminated, max_results, operation):
    if not terminated:
        yield fail(f"{operation} with {_label(max_results)} still handed out a nextToken after {len(pages)} pages")
        return
    if pages and not pages[-1] and len(pages) > 1 and tokens[-2:-1] and tokens[-2]:
        yield SKIP  # an empty last page after a token is allowed


@contract("pagination.max-results", source=SOURCE)
def max_results_respected(*, pages, max_results, operation):
    if not max_results:
        yield SKIP
        return
    for index, page in enumerate(pages, 1):
        if len(page) > max_results:
            yield fail(f"{operation} page {index} holds {len(page)} items with maxResults={max_results}")
            return


@contract("pagination.forged-token", source=SOURCE)
def forged_token(*, expected, status, code, operation, token):
    yield from expect_error(expected, status, code, f"{operation} with the forged nextToken {token[:40]!r}")
