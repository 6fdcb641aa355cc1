# jobs/bench ttq: time to quality, ours against scikit-learn and PyTorch on the same data (issue 22).
# Sourced by jobs/bench (SBP_HOME and _lib.sh set). Options:
#   --rows N[,N...]   training rows of Friedman #1, noise sd 1, seed 2026 (default 1000000,10000000)
#   --test-rows N     held-out rows, seed 2027 (default 100000)
#   --epochs E        passes the peers run (default 5); ours stops by its own rule (or --iterations)
#   --tuned "ARGS"    our tuned run's options (default: --precision float --batch-size 256)
#   --no-peers        ours only (no venv)
# Seconds to R2 0.95 and 0.955 count training only (ours: the sum of the iterations' seconds, the
# held-out RMSE computed each round as validation; the job's wall time beside it); passes are
# epochs (ours: rounds, each one local epoch). Peak memory: the process's maximum resident set.
# The peers are installed into a venv under target/ttq-venv (pip: scikit-learn, pyarrow, pandas,
# and torch: PyTorch's CPU wheel index, else PyPI) the first time; never by the tests.
ttq_main() {
  local rows="1000000,10000000" test_rows=100000 epochs=5 tuned="--precision float --batch-size 256"
  local peers=1 extra=()
  while [[ $# -gt 0 ]]; do
    case $1 in
      --rows) rows=$2; shift 2 ;;
      --test-rows) test_rows=$2; shift 2 ;;
      --epochs) epochs=$2; shift 2 ;;
      --tuned) tuned=$2; shift 2 ;;
      --no-peers) peers=0; shift ;;
      *) extra+=("$1"); shift ;;
    esac
  done
  local dir="$SBP_HOME/target/ttq" venv="$SBP_HOME/target/ttq-venv"
  mkdir -p "$dir"
  if [[ $peers == 1 && ! -x "$venv/bin/python" ]] \
      || [[ $peers == 1 ]] && ! "$venv/bin/python" -c "import sklearn, pyarrow" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --upgrade pip
    "$venv/bin/pip" install -q scikit-learn pyarrow pandas
    # PyTorch's CPU-only wheel, else PyPI's (its Linux wheel brings ~3 GB of CUDA libraries that
    # the CPU runs never load; TTQ_NO_PYPI_TORCH=1 skips it)
    "$venv/bin/pip" install -q torch --index-url https://download.pytorch.org/whl/cpu 2>/dev/null \
      || { [[ "${TTQ_NO_PYPI_TORCH:-0}" != 1 ]] && "$venv/bin/pip" install -q torch; } \
      || echo "torch: could not be installed; the table has no PyTorch row" >&2
  fi
  local test="$dir/friedman-test-$test_rows.parquet"
  [[ -d "$test" ]] || "$SBP_HOME/jobs/generate" --rows "$test_rows" --seed 2027 --noise 1 --output "$test" >&2
  local n
  for n in ${rows//,/ }; do
    local train="$dir/friedman-$n.parquet"
    [[ -d "$train" ]] || "$SBP_HOME/jobs/generate" --rows "$n" --seed 2026 --noise 1 --output "$train" >&2
    echo "== $n training rows ($(du -sh "$train" | cut -f1) Parquet), $test_rows held out"
    ttq_ours "ours, defaults (--hidden 64,64)" "$train" "$test" "$dir/m-$n-default" "${extra[@]}"
    # shellcheck disable=SC2086
    ttq_ours "ours, tuned ($tuned)" "$train" "$test" "$dir/m-$n-tuned" $tuned "${extra[@]}"
    ttq_ours "ours, gd full batch, 5 passes (cost per pass)" "$train" "$test" "$dir/m-$n-gd" \
        --optimizer gd --iterations 5 --block-size 256
    if [[ $peers == 1 ]]; then
      OMP_NUM_THREADS=2 "$venv/bin/python" "$SBP_HOME/src/bench/python/ttq_peers.py" "$train" "$test" sklearn "$epochs" | ttq_row
      if "$venv/bin/python" -c "import torch" 2>/dev/null; then
        OMP_NUM_THREADS=2 "$venv/bin/python" "$SBP_HOME/src/bench/python/ttq_peers.py" "$train" "$test" torch "$epochs" | ttq_row
      fi
    fi
  done
}

# ttq_ours NAME TRAIN TEST MODEL [train options...]: one run of jobs/train, its row of the table.
ttq_ours() {
  local name=$1 train=$2 test=$3 model=$4; shift 4
  local t0 t1 log="$model.log"
  t0=$(date +%s.%N)
  python3 - "$log" "$SBP_HOME/jobs/train" --input "$train" --validation "$test" --hidden 64,64 \
      --model "$model" --overwrite --log-every 1 "$@" <<'PY'
import resource, subprocess, sys
with open(sys.argv[1], "w") as log:
    rc = subprocess.call(sys.argv[2:], stdout=log, stderr=subprocess.STDOUT)
with open(sys.argv[1], "a") as log:
    print(f"PEAK_RSS_MB {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} RC {rc}", file=log)
PY
  t1=$(date +%s.%N)
  python3 - "$name" "$model" "$test" "$log" "$(echo "$t1 - $t0" | bc)" <<'PY' | ttq_row
import csv, json, re, sys
name, model, test, log, wall = sys.argv[1:]
m = json.load(open(f"{model}/model.json"))["training"]
rows = list(csv.DictReader(open(f"{model}/history.csv")))
v = m["metrics"]["validation"]
var = v["rmse"] ** 2 / (1 - v["r2"])  # the held-out label's variance, from the final metrics
secs, acc, out = [], 0.0, {"peer": name, "epochs": len(rows), "final_r2": v["r2"]}
for bar in (0.95, 0.955):
    out[f"to_{bar}"] = None
for i, r in enumerate(rows):
    rm = r.get("validation_rmse") or ""
    if rm:
        q = 1 - float(rm) ** 2 / var  # at the weights the iteration started from
        for bar in (0.95, 0.955):
            if out[f"to_{bar}"] is None and q >= bar:
                out[f"to_{bar}"] = {"seconds": acc, "passes": i}
    acc += float(r["seconds"])
out["seconds"] = acc
out["wall"] = float(wall)
out["seconds_per_pass"] = acc / max(1, len(rows))
peak = re.search(r"PEAK_RSS_MB (\d+)", open(log).read())
out["peak_rss_mb"] = float(peak.group(1)) if peak else None
print(json.dumps(out))
PY
}

# Formats the JSON lines of ttq_ours and ttq_peers.py as table rows.
ttq_row() {
  python3 "$SBP_HOME/src/bench/python/ttq_table.py"
}
