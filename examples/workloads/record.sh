#!/bin/sh
# Record the page-access traces of examples/workloads/ (README.md there says what they are).
#
#   examples/workloads/record.sh [OUTDIR]     (default: examples/workloads)
#
# Needs gcc, valgrind (lackey), python3 and xz.  Each program is compiled with -O2 and run
# with two worker threads under valgrind, which serialises the threads (--fair-sched=yes:
# in turn); --trace-sched=yes says which thread runs, --trace-syscalls=yes shows munmap,
# lackey logs the data accesses, and lackey2csv.py turns the log into the trace format of
# docs/workloads.md.  Valgrind's scheduling is deterministic, so a re-recording differs
# only by a few records (the program's path and environment move its stack) unless the
# compiler, libc or valgrind differ.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
for program in matmul psort; do
    gcc -O2 -pthread -o "$build/$program" "$here/$program.c"
    valgrind --tool=lackey --trace-mem=yes --trace-sched=yes --fair-sched=yes \
        --trace-syscalls=yes --log-fd=3 "$build/$program" 2 3>&1 >/dev/null \
        | python3 "$here/lackey2csv.py" > "$build/$program.csv"
    xz -9 -c "$build/$program.csv" > "$out/$program.csv.xz"
    echo "$out/$program.csv.xz: $(xz -dc "$out/$program.csv.xz" | tail -n +3 | wc -l) records"
done
