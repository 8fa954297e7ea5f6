#!/usr/bin/env python3
"""Print a compact profile of a tabular data file."""
import argparse
import sys

import pandas as pd


def load(path: str, sample: int | None) -> pd.DataFrame:
    if path.endswith(".parquet"):
        df = pd.read_parquet(path)
    else:
        df = pd.read_csv(path, nrows=sample, low_memory=False)
    return df.sample(n=sample, random_state=0) if sample and len(df) > sample else df


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("--sample", type=int, default=None)
    args = ap.parse_args()

    df = load(args.path, args.sample)
    print(f"rows: {len(df):,}  columns: {df.shape[1]}  duplicates: {df.duplicated().sum():,}")
    print()
    summary = pd.DataFrame({
        "dtype": df.dtypes.astype(str),
        "missing_%": (df.isna().mean() * 100).round(1),
        "distinct": df.nunique(),
        "example": df.apply(lambda c: c.dropna().iloc[0] if c.notna().any() else None),
    })
    print(summary.to_string())
    numeric = df.select_dtypes("number")
    if not numeric.empty:
        print()
        print(numeric.describe(percentiles=[0.01, 0.5, 0.99]).T.to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
