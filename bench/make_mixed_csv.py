#!/usr/bin/python3
"""Writes a reproducible mixed-type CSV for bench/ingest_profile.sh.

Default: 1,000,000 rows x 20 columns (~150 MB): an id, floats, ints, categoricals, ISO dates and
datetimes, a bool, free text and a class label, with 0-10 % missing cells per column.
Usage: make_mixed_csv.py OUT.csv [ROWS]
"""
import sys

import numpy as np
import pandas as pd


def with_missing(values, rng, fraction):
    """Object array with `fraction` of the cells blank (the CSV's empty field)."""
    out = values.astype(object)
    out[rng.random(len(out)) < fraction] = ""
    return out


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: make_mixed_csv.py OUT.csv [ROWS]")
    path = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    rng = np.random.default_rng(20240601)

    cities = np.array([f"city_{i:02d}" for i in range(40)])
    products = np.array([f"prod_{i:03d}" for i in range(300)])
    colors = np.array(["red", "green", "blue", "black", "white", "yellow", "purple", "orange"])
    segments = np.array(["consumer", "corporate", "home_office"])
    start = np.datetime64("2015-01-01")
    days = rng.integers(0, 3000, n)
    seconds = rng.integers(0, 3000 * 86400, n)

    cols = {
        "id": np.arange(1, n + 1),
        "price": with_missing(np.char.mod("%.2f", rng.lognormal(3, 1, n)), rng, 0.02),
        "quantity": with_missing(rng.poisson(4, n).astype(str), rng, 0.01),
        "discount": with_missing(np.char.mod("%.3f", rng.random(n) * 0.5), rng, 0.05),
        "weight_kg": with_missing(np.char.mod("%.3f", rng.gamma(2.0, 1.5, n)), rng, 0.03),
        "temp_c": with_missing(np.char.mod("%.1f", rng.normal(15, 8, n)), rng, 0.10),
        "score": np.char.mod("%.4f", rng.normal(0, 1, n)),
        "rating": with_missing(rng.integers(1, 6, n).astype(str), rng, 0.04),
        "visits": rng.integers(0, 100000, n).astype(str),
        "lat": np.char.mod("%.5f", rng.uniform(-60, 70, n)),
        "lon": np.char.mod("%.5f", rng.uniform(-180, 180, n)),
        "city": with_missing(rng.choice(cities, n), rng, 0.02),
        "product": rng.choice(products, n),
        "color": with_missing(rng.choice(colors, n), rng, 0.06),
        "segment": rng.choice(segments, n, p=[0.6, 0.3, 0.1]),
        "order_date": with_missing(np.datetime_as_string(start + days, unit="D"), rng, 0.01),
        "updated_at": np.char.replace(
            np.datetime_as_string(start.astype("datetime64[s]") + seconds, unit="s"), "T", " "),
        "is_member": with_missing(rng.choice(np.array(["true", "false"]), n), rng, 0.02),
        "note": with_missing(np.char.add("note ", rng.integers(0, 10**9, n).astype(str)), rng, 0.08),
        "churned": rng.choice(np.array(["yes_churn", "no_churn"]), n, p=[0.2, 0.8]),
    }
    pd.DataFrame(cols).to_csv(path, index=False)


if __name__ == "__main__":
    main()
