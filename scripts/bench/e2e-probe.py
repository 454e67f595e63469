#!/usr/bin/env python3
"""e2e-probe: measuring helpers of scripts/bench/e2e.sh.

  e2e-probe.py commit OUT   stamp each line of stdin on arrival; append to OUT
                            the arrival time (ms since the epoch) and the
                            milliseconds since its "__source_ts_ms" (the
                            commit time cdc-unwrap -a source.ts_ms adds)
  e2e-probe.py window OUT   the same from each line's "window_end": how long
                            after a window ended its result arrived (results
                            written before their window ended, by the end
                            of input, are not counted)
  e2e-probe.py rss PID OUT [PG]
                            until SIGTERM, sample the peak RSS (VmHWM) and
                            the CPU time of every process below PID twice a
                            second; then write "STAGE TOOL PEAK_KB CPU_S"
                            lines to OUT, STAGE being the scripts/shop/
                            script the process runs under (or "-"); the
                            CPU seconds of processes alike are added.  With
                            PG, a postmaster's pid, its processes too, as
                            stage "postgres": walsender, backend, other
  e2e-probe.py stats FILE   p50, p99, max and count of the lags in FILE
  e2e-probe.py series FILE  the largest lag of each second, one line each:
                            seconds since the first line, then milliseconds

Lines without the field (watermarks) are not counted.  Every clock is this
machine's, so the figures need no synchronisation.
"""
import os
import re
import signal
import sys
import time
from datetime import datetime

COMMIT = re.compile(rb'"__source_ts_ms":(\d+)')
WINDOW = re.compile(rb'"window_end":"([^"]+)"')


def stamp(kind, out):
    pattern = COMMIT if kind == "commit" else WINDOW
    with open(out, "w") as f:
        for line in sys.stdin.buffer:
            now = time.time() * 1000.0
            m = pattern.search(line)
            if not m:
                continue
            if kind == "commit":
                t = int(m.group(1))
            else:
                iso = m.group(1).decode().replace("Z", "+00:00")
                t = datetime.fromisoformat(iso).timestamp() * 1000.0
            if kind == "window" and now < t:
                continue
            f.write("%.0f %.1f\n" % (now, now - t))


def children():
    """Map each pid to its parent pid, for every process we may read."""
    parent = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            parent[int(d)] = int(fields[1])
        except OSError:
            pass
    return parent


def cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().split(b"\0")
    except OSError:
        return []


def stage_of(pid, parent, root):
    """The scripts/shop/ script pid runs under, or "-"."""
    while pid and pid != root:
        for arg in cmdline(pid)[:3]:
            m = re.search(rb"scripts/shop/([a-z0-9-]+)$", arg)
            if m:
                return m.group(1).decode()
        pid = parent.get(pid, 0)
    return "-"


def pg_role(pid, postmaster):
    """What a PostgreSQL process does, from the title it sets."""
    if pid == postmaster:
        return "postmaster"
    title = (cmdline(pid) or [b""])[0]
    if title.startswith(b"postgres: walsender"):
        return "walsender"
    if b"[local]" in title or b"(" in title:
        return "backend"
    return "other"


def rss(root, out, pg=0):
    peak = {}
    cpu = {}   # pid -> (key, CPU seconds last seen)
    tick = os.sysconf("SC_CLK_TCK")
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    while not stop:
        parent = children()
        below = {root}
        server = {pg} if pg else set()
        grew = True
        while grew:
            grew = False
            for p, pp in parent.items():
                for tree in (below, server):
                    if pp in tree and p not in tree:
                        tree.add(p)
                        grew = True
        for p in (below | server) - {root, os.getpid()}:
            try:
                with open("/proc/%d/comm" % p) as f:
                    tool = f.read().strip()
                with open("/proc/%d/status" % p) as f:
                    hwm = [l for l in f if l.startswith("VmHWM:")]
            except OSError:
                continue
            if not hwm:
                continue
            kb = int(hwm[0].split()[1])
            if p in server:
                key = ("postgres", pg_role(p, pg))
            else:
                key = (stage_of(p, parent, root), tool)
            peak[key] = max(peak.get(key, 0), kb)
            try:
                with open("/proc/%d/stat" % p) as f:
                    st = f.read().rsplit(")", 1)[1].split()
                cpu[p] = (key, (int(st[11]) + int(st[12])) / tick)
            except OSError:
                pass
        time.sleep(0.5)
    with open(out, "w") as f:
        spent = {}
        for key, sec in cpu.values():
            spent[key] = spent.get(key, 0) + sec
        for (stage, tool), kb in sorted(peak.items()):
            f.write("%s %s %d %.1f\n" % (stage, tool, kb,
                                         spent.get((stage, tool), 0)))


def stats(path):
    try:
        with open(path) as f:
            v = sorted(float(x.split()[1]) for x in f if x.strip())
    except FileNotFoundError:  # that probe did not run
        v = []
    if not v:
        print("- - - 0")
        return
    pick = lambda q: v[min(len(v) - 1, int(q * len(v)))]
    print("%.0f %.0f %.0f %d" % (pick(0.50), pick(0.99), v[-1], len(v)))


def series(path):
    worst = {}
    with open(path) as f:
        for x in f:
            at, lag = x.split()
            sec = int(float(at) // 1000)
            worst[sec] = max(worst.get(sec, 0.0), float(lag))
    first = min(worst, default=0)
    for sec in sorted(worst):
        print("%d %.0f" % (sec - first, worst[sec]))


def main():
    mode = sys.argv[1]
    if mode in ("commit", "window"):
        stamp(mode, sys.argv[2])
    elif mode == "rss":
        rss(int(sys.argv[2]), sys.argv[3],
            int(sys.argv[4]) if len(sys.argv) > 4 else 0)
    elif mode == "stats":
        stats(sys.argv[2])
    elif mode == "series":
        series(sys.argv[2])
    else:
        sys.exit("e2e-probe: unknown mode %r" % mode)


if __name__ == "__main__":
    try:
        main()
    except (BrokenPipeError, KeyboardInterrupt):
        pass
