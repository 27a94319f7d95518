#!/usr/bin/env bash
# One prepared script for everything GPU-related in the gradient-descent engine.
#
#   benchmarks/gpu_check.sh                      # on an H100/H200 machine: CUDA tests, throughput, the picture
#   benchmarks/gpu_check.sh --device cpu --quick # the same steps at small sizes on the CPU (CI, no GPU)
#
# Installs nothing from the network.  Every stage has its own time limit so that
# the whole script stays under 8 minutes; a failed or timed-out stage is recorded
# (its exit status in summary.md) and the next stage still runs.  Results go to
# --out DIR (default: $OUT if set, else benchmarks/gpu_check_out): env.txt,
# nvidia-smi.txt, pytest_cuda.txt, throughput.md/.json, picture.md/.json, summary.md.
set -euo pipefail

cd "$(dirname "$0")/.."
DEVICE=cuda
QUICK=0
DEST="${OUT:-benchmarks/gpu_check_out}"
while [ $# -gt 0 ]; do
    case "$1" in
        --device) DEVICE="$2"; shift 2 ;;
        --out) DEST="$2"; shift 2 ;;
        --quick) QUICK=1; shift ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "error: unknown option $1" >&2; exit 2 ;;
    esac
done
mkdir -p "$DEST"
PY="${PYTHON:-python3}"
START=$(date +%s)
SUMMARY="$DEST/summary.md"
echo "# gpu_check $(date -u +%Y-%m-%dT%H:%M:%SZ), device $DEVICE, quick $QUICK" > "$SUMMARY"

stage() {  # stage NAME LIMIT_S LOGFILE COMMAND...
    local name="$1" limit="$2" log="$3"; shift 3
    local t0 rc=0
    t0=$(date +%s)
    echo "== $name (limit ${limit}s)" >&2
    timeout --kill-after=10 "$limit" "$@" > "$log" 2>&1 || rc=$?
    echo "- $name: exit $rc, $(( $(date +%s) - t0 )) s, log $(basename "$log")" >> "$SUMMARY"
    tail -n 3 "$log" >&2 || true
}

# 1. the machine
{
    echo "host: $(uname -a)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- || true), $(nproc) logical CPUs"
    "$PY" - <<'EOF'
import platform, torch
print("python", platform.python_version(), "torch", torch.__version__, "cuda build", torch.version.cuda)
print("cuda available", torch.cuda.is_available())
for i in range(torch.cuda.device_count()):
    p = torch.cuda.get_device_properties(i)
    print(f"cuda:{i} {p.name}, {p.total_memory / 2**30:.0f} GiB, capability {p.major}.{p.minor}")
EOF
} > "$DEST/env.txt" 2>&1
cat "$DEST/env.txt" | sed 's/^/    /' >> "$SUMMARY"
if command -v nvidia-smi > /dev/null 2>&1; then
    nvidia-smi > "$DEST/nvidia-smi.txt" 2>&1 || true
fi
if [ "$DEVICE" != "cpu" ] && ! "$PY" -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)"; then
    echo "error: --device $DEVICE but torch sees no CUDA device (use --device cpu)" | tee -a "$SUMMARY" >&2
    exit 3
fi

# 2. tests: the CUDA ones (they skip cleanly without a device) and the batch-independence ones
stage "pytest (cuda + independence)" 150 "$DEST/pytest_cuda.txt" \
    "$PY" -m pytest -q -p no:cacheprovider tests/test_gd.py -k "cuda or alone or compiled" -rs

# 3. throughput: eager and torch.compile, restart-steps per second
if [ "$DEVICE" = "cpu" ]; then
    THROUGHPUT=(--device cpu --batches 64 --work 2e4 --repeats 1 --naive-steps 50 --naive-restarts 1 --threads 1)
else
    THROUGHPUT=(--device "$DEVICE" --batches 1024 65536 --work 5e7 --min-steps 50 --max-steps 2000 --repeats 3 --no-naive)
fi
stage "throughput" 240 "$DEST/throughput.md" \
    "$PY" benchmarks/bench_gd_throughput.py "${THROUGHPUT[@]}" --compile --fast --json "$DEST/throughput.json"

# 4. the reference picture (n = 50 and 100, 1.8 and 2.0 edges per vertex, up to 4,096 restarts)
if [ "$DEVICE" = "cpu" ]; then
    PICTURE=(--device cpu --cells 12:1.8:2:16 --steps 100 --threads 1)
elif [ "$QUICK" = 1 ]; then
    PICTURE=(--device "$DEVICE" --cells 50:1.8:8:4096 --compile)
else
    PICTURE=(--device "$DEVICE" --cells 50:1.8:32:4096 100:1.8:32:4096 100:2.0:32:4096 --compile)
fi
REMAINING=$(( 470 - ($(date +%s) - START) ))
[ "$REMAINING" -lt 30 ] && REMAINING=30
stage "picture" "$REMAINING" "$DEST/picture.md" \
    "$PY" benchmarks/bench_gd_crosscheck.py "${PICTURE[@]}" --json "$DEST/picture.json"

echo "- total $(( $(date +%s) - START )) s" >> "$SUMMARY"
cat "$SUMMARY"
