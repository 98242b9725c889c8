#!/usr/bin/env bash
# Whole-command benchmarks at realistic shapes, side by side with DuckDB and polars in one run.
#
#   scripts/bench.sh                 # 1M and 10M ledger rows, 10M-row import, 1M-person roster,
#                                    # 50,000 × 30 xlsx import, 10,000 × 30 report
#   ROWS="1000000" RUNS=3 scripts/bench.sh
#
# Inputs come from examples/gen-bench.rs (deterministic, seed 1): a province's civil servants
# on the staff scheme, ~125 rows a person (unit head, 8 colleagues, 50 members of the public).
# Each job runs RUNS times, interleaved with the other tools; the median wall time and the
# peak RSS (GNU time) are printed as a Markdown table for BENCHMARKS.md. DuckDB and polars
# run when `python3 -c 'import duckdb'` / `import polars` work (pip install duckdb polars).
# Needs GNU time at /usr/bin/time. Work files go to a temporary folder, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-"1000000 10000000"}
RUNS=${RUNS:-3}
IMPORT_ROWS=${IMPORT_ROWS:-10000000}
ROSTER_PEOPLE=${ROSTER_PEOPLE:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --bin perf --example gen-bench --example csv-floor
perf=target/release/perf
gen=target/release/examples/gen-bench
floor=target/release/examples/csv-floor
have() { python3 -c "import $1" 2>/dev/null; }

# run NAME CMD… : one timed run; appends "seconds kib" to $work/NAME.times
run() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/t" "$@" >/dev/null 2>"$work/err" || {
    # perf exits 1 when some subjects are incomplete (1 in 500 by design): not a failure.
    [ $? -eq 1 ] && [ "${1##*/}" = perf ] || { cat "$work/err" >&2; exit 1; }
  }
  tail -n 1 "$work/t" >>"$work/$name.times"
}

# median NAME : "median-seconds peak-MiB"
median() {
  sort -n "$work/$1.times" | awk '{ t[NR] = $1; m = ($2 > m ? $2 : m) } END { printf "%.2f %d", t[int((NR + 1) / 2)], m / 1024 }'
}

row() { # row JOB SHAPE NAME…
  local job=$1 shape=$2; shift 2
  local line="| $job | $shape"
  for n in "$@"; do
    if [ -s "$work/$n.times" ]; then
      read -r s m <<<"$(median "$n")"
      line="$line | $s s, $m MiB"
    else
      line="$line | —"
    fi
  done
  echo "$line |"
}

echo "| job | shape | perf | csv-read floor | DuckDB | polars |"
echo "|---|---|---|---|---|---|"
for rows in $ROWS; do
  n=$((rows / 125))
  d="$work/s$rows"
  "$gen" --subjects "$n" --seed 1 --out "$d" 2>/dev/null
  for _ in $(seq "$RUNS"); do
    run "score$rows" "$perf" score "$d/ledger.csv" --scheme "$d/scheme.toml" --roster "$d/roster.csv" \
      --period 2026Q1 --format csv -o "$d/scores.csv"
    run "floor$rows" "$floor" "$d/ledger.csv"
    have duckdb && run "duckdb$rows" python3 scripts/duckdb_score.py "$d/ledger.csv"
    have polars && run "polars$rows" python3 scripts/polars_score.py "$d/ledger.csv"
  done
  row "\`perf score\`" "$(wc -l <"$d/ledger.csv") rows / $n people" "score$rows" "floor$rows" "duckdb$rows" "polars$rows"
  rm -rf "$d"
done

# A roster of a million people, about 20 rows each.
d="$work/roster"
"$gen" --subjects "$ROSTER_PEOPLE" --seed 1 --peers 4 --public 3 --out "$d" 2>/dev/null
for _ in $(seq "$RUNS"); do
  run roster "$perf" score "$d/ledger.csv" --scheme "$d/scheme.toml" --roster "$d/roster.csv" \
    --period 2026Q1 --format csv -o "$d/scores.csv"
  run rosterfloor "$floor" "$d/ledger.csv"
  have duckdb && run rosterduckdb python3 scripts/duckdb_score.py "$d/ledger.csv"
  have polars && run rosterpolars python3 scripts/polars_score.py "$d/ledger.csv"
done
row "\`perf score\`" "$(wc -l <"$d/ledger.csv") rows / $ROSTER_PEOPLE people" roster rosterfloor rosterduckdb rosterpolars
rm -rf "$d"

# Import of a long CSV (the same rows without the source column): checked and written out.
d="$work/import"
"$gen" --subjects $((IMPORT_ROWS / 125)) --seed 1 --long --out "$d" 2>/dev/null
for _ in $(seq "$RUNS"); do
  run import "$perf" import "$d/long.csv" --scheme "$d/scheme.toml" --roster "$d/roster.csv" -o "$d/ledger.csv"
  rm -f "$d/ledger.csv" "$d/issues.csv"
  run importfloor "$floor" "$d/long.csv"
  have duckdb && run importduckdb python3 scripts/duckdb_import.py "$d/long.csv" "$d/roster.csv" "$d/dd.csv"
done
row "\`perf import\` long CSV" "$(wc -l <"$d/long.csv") rows" import importfloor importduckdb

# Workbooks: reading a wide .xlsx (50,000 people × 30 ratings) and writing the report for
# 10,000 × 30. Compared with python-calamine reading every cell and with Python XlsxWriter
# writing the very cells of perf's report (its own timing of the writing alone; no formats or
# charts, so the comparison favours it). Needs `pip install xlsxwriter python-calamine`.
if have xlsxwriter && have python_calamine; then
  echo
  echo "| job | shape | perf | other |"
  echo "|---|---|---|---|"
  d="$work/wide"
  python3 scripts/gen_wide.py "${WIDE_PEOPLE:-50000}" "$d"
  for _ in $(seq "$RUNS"); do
    run wide "$perf" import "$d/wide.xlsx" --scheme "$d/scheme.toml" --roster "$d/roster.csv" \
      --period 2026Q1 --rater leader -o "$d/ledger.csv"
    rm -f "$d/ledger.csv" "$d/issues.csv"
    run widecalamine python3 scripts/calamine_read.py "$d/wide.xlsx"
  done
  row "\`perf import\` wide .xlsx vs python-calamine (read only)" "${WIDE_PEOPLE:-50000} × 30" wide widecalamine
  rm -rf "$d"
  d="$work/report"
  python3 scripts/gen_wide.py "${REPORT_PEOPLE:-10000}" "$d"
  "$perf" import "$d/wide.xlsx" --scheme "$d/scheme.toml" --roster "$d/roster.csv" --period 2026Q1 \
    --rater leader -o "$d/ledger.csv" 2>/dev/null || true
  for _ in $(seq "$RUNS"); do
    run report "$perf" report "$d/ledger.csv" --scheme "$d/scheme.toml" --roster "$d/roster.csv" \
      -o "$d/report.xlsx"
    python3 scripts/xlsxwriter_same_cells.py "$d/report.xlsx" "$d/xw.xlsx" 2>/dev/null |
      awk '{ print $1, 0 }' >>"$work/reportxw.times"
  done
  row "\`perf report\` (read, score, write) vs XlsxWriter (write only)" "${REPORT_PEOPLE:-10000} × 30" report reportxw
fi
