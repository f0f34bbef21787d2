#!/usr/bin/env python3
"""Writes <name>.profile.json next to this script for every ../*.csv: what pandas says about it.

tst_profiler compares Baton's Profiler against these numbers (rows, columns, missing and distinct
counts exactly; mean and std to a relative 1e-9). Regenerate after changing a CSV:

    /usr/bin/python3 tests/data/expected/make_expected.py

Floats are parsed with float_precision="round_trip" (correctly rounded, like Baton's reader);
pandas' default "high" parser can be off by an ulp. Written with pandas 1.5.
"""
import json
import pathlib

import pandas as pd

HERE = pathlib.Path(__file__).resolve().parent
DATA = HERE.parent


def describe(path):
    frame = pd.read_csv(path, float_precision="round_trip")
    columns = []
    for name in frame.columns:
        series = frame[name]
        entry = {
            "name": name,
            "dtype": str(series.dtype),
            "missing": int(series.isna().sum()),
            "nunique": int(series.nunique(dropna=True)),
        }
        if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            entry["mean"] = float(series.mean())
            entry["std"] = float(series.std())  # ddof=1
        columns.append(entry)
    return {
        "file": path.name,
        "pandas_version": pd.__version__,
        "rows": int(frame.shape[0]),
        "columns": int(frame.shape[1]),
        "missing_cells": int(frame.isna().sum().sum()),
        "duplicate_rows": int(frame.duplicated().sum()),
        "column_stats": columns,
    }


def main():
    for path in sorted(DATA.glob("*.csv")):
        out = HERE / (path.stem + ".profile.json")
        out.write_text(json.dumps(describe(path), indent=1, allow_nan=False) + "\n")
        print("wrote", out.relative_to(DATA.parent))


if __name__ == "__main__":
    main()
