"""The command lines a README shows: every line of its ```sh blocks and every inline code span in
its prose that starts with a command of the harness; and its ```python blocks.

A line `a && b` is two commands run in order, each checked on its own: `pip install ... && X`
is a set-up and a command. A trailing `# comment` is prose.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

FENCE = re.compile(r"^```(\w*)\s*$")
COMMENT = re.compile(r"\s+#(\s.*)?$")
SPAN = re.compile(r"`([^`\n]+)`")
INLINE_COMMANDS = ("personalize-conformance ", "pytest ")


@dataclass(frozen=True)
class Command:
    text: str
    line: int  # where the README shows it (1-based)


def commands(markdown: str) -> list[Command]:
    found: list[Command] = []
    fence: str | None = None
    pending, start = "", 0
    for number, raw in enumerate(markdown.splitlines(), 1):
        opening = FENCE.match(raw.strip())
        if opening and fence is None:
            fence = opening.group(1) or "text"
            continue
        if fence is not None:
            if raw.strip() == "```":
                fence = None
            elif fence in ("sh", "bash", "shell", "console"):
                text = COMMENT.sub("", raw).strip()
                if not text or text.startswith("#"):
                    continue
                if not pending:
                    start = number
                if text.endswith("\\"):
                    pending += text[:-1] + " "
                    continue
                for part in (pending + text).split(" && "):
                    found.append(Command(" ".join(part.split()), start))
                pending = ""
            continue
        for span in SPAN.findall(raw):
            if span.startswith(INLINE_COMMANDS):
                found.append(Command(" ".join(span.split()), number))
    return found


def python_blocks(markdown: str) -> list[tuple[int, str]]:
    """(first line, source) of each ```python block."""
    blocks, current, start = [], None, 0
    for number, raw in enumerate(markdown.splitlines(), 1):
        if current is None and raw.strip() == "```python":
            current, start = [], number + 1
        elif current is not None and raw.strip() == "```":
            blocks.append((start, "\n".join(current) + "\n"))
            current = None
        elif current is not None:
            current.append(raw)
    return blocks
