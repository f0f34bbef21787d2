#!/usr/bin/python3
"""The pandas side of bench/ingest_profile.sh: read_csv + describe + isna().sum() + nunique +
value_counts per column, the ingest-and-profile work a data person does by hand.
Prints one JSON line with the phase times so the script can report them.
Usage: pandas_profile.py FILE.csv
"""
import json
import sys
import time

import pandas as pd


def main():
    path = sys.argv[1]
    t0 = time.perf_counter()
    df = pd.read_csv(path)
    t1 = time.perf_counter()
    described = df.describe()
    missing = df.isna().sum()
    distinct = df.nunique()
    top = {c: df[c].value_counts().head(10) for c in df.columns}
    t2 = time.perf_counter()
    # Touch the results so nothing is optimised away and the output says what was computed.
    print(json.dumps({"rows": len(df), "columns": df.shape[1],
                      "described_columns": described.shape[1],
                      "missing_cells": int(missing.sum()), "distinct_total": int(distinct.sum()),
                      "value_count_columns": len(top),
                      "read_s": round(t1 - t0, 3), "profile_s": round(t2 - t1, 3)}))


if __name__ == "__main__":
    main()
