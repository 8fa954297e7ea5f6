#!/usr/bin/env python3
"""PreToolUse guard: refuse a few destructive shell commands."""
import json
import re
import sys

BLOCKED = [
    (re.compile(r"\brm\s+(-[a-zA-Z]*[rR][a-zA-Z]*\s+)+(~|\$HOME|/)(\s|$)"), "recursive delete of / or the home folder"),
    (re.compile(r"\bgit\s+push\b.*\s(-f|--force)\b.*\b(main|master)\b"), "force-push to the main branch"),
    (re.compile(r"\bmkfs(\.\w+)?\s"), "formatting a file system"),
    (re.compile(r"\bdd\s+.*\bof=/dev/(sd|nvme|disk)"), "writing to a raw disk"),
]


def main() -> int:
    event = json.load(sys.stdin)
    command = event.get("tool_input", {}).get("command", "")
    for pattern, reason in BLOCKED:
        if pattern.search(command):
            print(f"Blocked by bash-guard: {reason}. Ask the user to run it themselves if intended.", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
