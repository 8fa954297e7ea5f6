#!/usr/bin/env python3
"""Pixel diff of two images of the same size."""
import argparse

from PIL import Image, ImageChops


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--out", default="diff.png")
    parser.add_argument("--threshold", type=int, default=8, help="per-channel tolerance")
    args = parser.parse_args()

    a = Image.open(args.before).convert("RGB")
    b = Image.open(args.after).convert("RGB")
    if a.size != b.size:
        raise SystemExit(f"sizes differ: {a.size} vs {b.size}")

    diff = ImageChops.difference(a, b)
    mask = diff.convert("L").point(lambda v: 255 if v > args.threshold else 0)
    changed = sum(1 for v in mask.getdata() if v)
    total = a.size[0] * a.size[1]
    print(f"{changed} of {total} pixels differ ({100 * changed / total:.3f} %)")

    out = a.copy()
    out.paste((255, 0, 255), mask=mask)
    out.save(args.out)


if __name__ == "__main__":
    main()
