#!/usr/bin/env python3
"""Fill in a deploy/ template: every ${NAME} (upper case) becomes the value of NAME from
`--set NAME=value` or else the environment; a name with neither is an error, so no
half-rendered file is ever written. Lower-case nginx variables ($host) are left alone.

    python3 deploy/render.py deploy/nginx/strategiportalen.conf --set SERVER_NAME=... > out
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

PLACEHOLDER = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def render(text: str, values: dict[str, str]) -> str:
    missing = sorted(name for name in placeholders(text) if name not in values)
    if missing:
        raise KeyError(f"no value for {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("template", type=Path)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    values = dict(os.environ)
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep:
            parser.error(f"--set needs NAME=VALUE, got {item!r}")
        values[name] = value
    try:
        text = render(args.template.read_text(), values)
    except KeyError as exc:
        print(f"{args.template}: {exc.args[0]}", file=sys.stderr)
        return 2
    if args.output:
        args.output.write_text(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
