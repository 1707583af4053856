"""Turn valgrind's `--tool=lackey --trace-mem=yes --trace-sched=yes` log into a numaspec
page-access trace (docs/workloads.md), written to standard output.

Valgrind runs one thread at a time; `--trace-sched=yes` logs `SCHED[k]: acquired lock` each
time thread k starts to run, and lackey logs every data access (` L`, ` S`, ` M` lines) of the
running thread in the same log, in order.  So every access belongs to the thread that last
acquired the lock.  Valgrind reuses the slot k of a thread that has exited, so the trace
numbers threads itself: 1 for the main thread, then 2, 3, ... in the order they start
(`acquired lock (thread_wrapper(starting new thread))`).  Instruction fetches (`I` lines)
are left out (code pages are read-only).

A page unmapped by `munmap` (`--trace-syscalls=yes` logs it) and mapped again later is
another page: accesses after the k-th unmap of a virtual page get the page number
k << 36 | page (a 4 KiB page number of a 48-bit address has 36 bits), so that a page freed
by one thread and reused by another is not taken for memory they share.

Consecutive accesses of one thread to one page are one record (a write if any of them
writes; ` M` is a read and a write); `time` is the index of the run's first access among all
data accesses of the log.

    valgrind --tool=lackey --trace-mem=yes --trace-sched=yes --fair-sched=yes \
        --trace-syscalls=yes --log-fd=3 PROG 3>&1 >/dev/null \
        | python3 lackey2csv.py > trace.csv
"""

from __future__ import annotations

import re
import sys

PAGE_SHIFT = 12  # 4 KiB pages
GENERATION_SHIFT = 36  # above every page number of a 48-bit address space
MUNMAP = re.compile(r"sys_munmap \( (0x[0-9a-f]+), (\d+) \).*Success")
SCHED = re.compile(r"SCHED\[(\d+)\]:\s+acquired lock( \(thread_wrapper)?")


def convert(lines, out) -> int:  # type: ignore[no-untyped-def]
    out.write("#numaspec-trace 1\ntime,thread,page,op\n")
    thread, index, written, started = 1, 0, 0, 0
    numbers: dict[int, int] = {}  # valgrind's thread slot -> the trace's thread number
    unmapped: dict[int, int] = {}  # virtual page -> how often it was unmapped
    run = None  # [time, thread, page, op] of the run being collapsed
    for line in lines:
        if len(line) > 3 and line[0] == " " and line[1] in "LSM" and line[2] == " ":
            page = int(line[3:line.index(",")], 16) >> PAGE_SHIFT
            page |= unmapped.get(page, 0) << GENERATION_SHIFT
            op = "r" if line[1] == "L" else "w"
            if run is not None and run[1] == thread and run[2] == page:
                if op == "w":
                    run[3] = "w"
            else:
                if run is not None:
                    out.write(f"{run[0]},{run[1]},{run[2]:#x},{run[3]}\n")
                    written += 1
                run = [index, thread, page, op]
            index += 1
        elif "sys_munmap" in line:
            found = MUNMAP.search(line)
            if found and int(found.group(2)) > 0:
                start = int(found.group(1), 16)
                for page in range(start >> PAGE_SHIFT,
                                  (start + int(found.group(2)) - 1 >> PAGE_SHIFT) + 1):
                    unmapped[page] = unmapped.get(page, 0) + 1
        elif "SCHED[" in line:
            found = SCHED.search(line)
            if found:
                slot = int(found.group(1))
                if found.group(2) or slot not in numbers:  # a new thread in this slot
                    started += 1
                    numbers[slot] = started
                thread = numbers[slot]
    if run is not None:
        out.write(f"{run[0]},{run[1]},{run[2]:#x},{run[3]}\n")
        written += 1
    return written


if __name__ == "__main__":
    records = convert(sys.stdin, sys.stdout)
    sys.stderr.write(f"lackey2csv: {records} records\n")
