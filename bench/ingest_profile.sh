#!/usr/bin/env bash
# Baton's ingest + full profile against pandas on one 1,000,000 x 20 mixed CSV (~150 MB), in one
# run: wall time, CPU time (user + sys), peak RSS and the ratios. Not a timed test: a benchmark
# anyone can run. Usage: bench/ingest_profile.sh [ROWS]
#   BATON=path/to/baton (default build/ci/app/baton), PYTHON (default /usr/bin/python3),
#   CSV=path (default /tmp/baton_bench_mixed_<ROWS>.csv, generated once and reused).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
rows="${1:-1000000}"
baton="${BATON:-$root/build/ci/app/baton}"
python="${PYTHON:-/usr/bin/python3}"
csv="${CSV:-/tmp/baton_bench_mixed_${rows}.csv}"
work="$(mktemp -d /tmp/baton_bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# OpenMP threads that spin while they wait distort CPU time on a small machine (see app/main.cpp).
export OMP_WAIT_POLICY=PASSIVE

[[ -x "$baton" ]] || { echo "no baton executable at $baton (set BATON=...)" >&2; exit 2; }
if [[ ! -s "$csv" ]]; then
    echo "generating $csv ($rows rows) ..." >&2
    "$python" "$here/make_mixed_csv.py" "$csv" "$rows"
fi
size_bytes=$(stat -c %s "$csv")

# Warm the page cache for both sides alike, so the first runner doesn't pay for the disk.
cat "$csv" > /dev/null

measure() { # name, command...: "%e %U %S %M" = wall s, user s, sys s, peak RSS KiB
    local name="$1"; shift
    /usr/bin/time -f "%e %U %S %M" -o "$work/$name.time" "$@" > "$work/$name.out" 2> "$work/$name.err" || {
        echo "$name failed:" >&2; cat "$work/$name.err" >&2; exit 1; }
}

measure baton "$baton" profile --data "$csv" --target churned
measure pandas "$python" "$here/pandas_profile.py" "$csv"

"$python" - "$work" "$size_bytes" "$rows" <<'PY'
import json, sys
work, size, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def times(name):
    wall, user, sys_, rss = open(f"{work}/{name}.time").read().split()[-4:]
    return float(wall), float(user) + float(sys_), int(rss) / 1024.0
b, p = times("baton"), times("pandas")
baton = json.load(open(f"{work}/baton.out"))
pandas = json.loads(open(f"{work}/pandas.out").read().strip().splitlines()[-1])
mb = size / 1e6
print(f"file: {size/1e6:.1f} MB, {rows} rows; baton read {baton['summary']['rows']} rows x "
      f"{baton['summary']['columns']} cols, pandas {pandas['rows']} x {pandas['columns']}")
print(f"{'':14}{'Baton':>10}{'pandas':>10}{'pandas/Baton':>14}")
print(f"{'wall s':14}{b[0]:>10.2f}{p[0]:>10.2f}{p[0]/b[0]:>13.2f}x")
print(f"{'CPU s':14}{b[1]:>10.2f}{p[1]:>10.2f}{p[1]/b[1]:>13.2f}x")
print(f"{'peak RSS MiB':14}{b[2]:>10.0f}{p[2]:>10.0f}{p[2]/b[2]:>13.2f}x")
read_s, prof_s = baton['file']['read_ms'] / 1000, baton['file']['profile_ms'] / 1000
print(f"{'read s':14}{read_s:>10.2f}{pandas['read_s']:>10.2f}{pandas['read_s']/read_s:>13.2f}x")
print(f"{'profile s':14}{prof_s:>10.2f}{pandas['profile_s']:>10.2f}{pandas['profile_s']/prof_s:>13.2f}x")
print(f"Baton ingest: {mb/read_s:.0f} MB/s wall (on up to 2 threads); "
      f"pandas read_csv: {mb/pandas['read_s']:.0f} MB/s (1 thread)")
PY
