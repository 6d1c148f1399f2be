#!/usr/bin/env python3
"""Runs one command and records what it cost: wall time, CPU time and peak RSS.

  bench/measure.py OUT.json [--stdout FILE] [--stderr FILE] -- COMMAND [ARG...]

The peak RSS is the command's own maximum resident set size (ru_maxrss, KiB)
from wait4(). Linux carries a process's high-water mark across fork and exec,
so a command started straight from Python would report at least Python's own
RSS (about 14 MB); the command is therefore started by GNU time
(/usr/bin/time, Debian package `time`), whose own RSS is about 1–2 MB. Without
it the Python floor applies and "rss_floor_kib" says so.

Exits with the command's exit code; OUT.json is written either way:

  {"argv": [...], "rc": 0, "wall_s": 12.3, "user_s": 11.9, "sys_s": 0.4, "max_rss_kib": 191032}
"""
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

GNU_TIME = "/usr/bin/time"


def main():
    args = sys.argv[1:]
    if len(args) < 3 or "--" not in args:
        sys.exit(__doc__)
    out = args[0]
    split = args.index("--")
    opts, cmd = args[1:split], args[split + 1:]
    files = {}
    for name in ("--stdout", "--stderr"):
        if name in opts:
            files[name] = open(opts[opts.index(name) + 1], "wb")
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        use_time = os.access(GNU_TIME, os.X_OK)
        argv = [GNU_TIME, "-q", "-o", report.name, "-f", "%e %U %S %M %x", "--"] + cmd if use_time else cmd
        start = time.monotonic()
        proc = subprocess.Popen(argv, stdout=files.get("--stdout"), stderr=files.get("--stderr"))
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
        rc = os.waitstatus_to_exitcode(status)
        result = {"argv": cmd, "rc": rc, "wall_s": round(wall, 3), "user_s": round(usage.ru_utime, 3),
                  "sys_s": round(usage.ru_stime, 3), "max_rss_kib": usage.ru_maxrss}
        fields = report.read().split()
        if use_time and len(fields) >= 5:
            # The last line is ours ("Command exited with non-zero status" may come before it).
            _, user, system, rss, code = fields[-5:]
            result.update(user_s=float(user), sys_s=float(system), max_rss_kib=int(rss), rc=int(code))
        else:
            result["rss_floor_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with open(out, "w") as f:
        json.dump(result, f)
        f.write("\n")
    sys.exit(result["rc"])


if __name__ == "__main__":
    main()
