#!/usr/bin/env python3
"""topn-oracle.py: random rows and changelogs for the oracle tests of top-n
against PostgreSQL, and the replay of top-n's --emit update output.

  topn-oracle.py gen [OPTION...] > rows.ndjson
      A deterministic (--seed) stream of --rows rows {"id":N,"g":...,
      "v":...,"s":...}: id numbers the rows (unique, so a row is known by
      it); g, the partition, is a small integer, a string (sometimes
      escaped: "x\\/y" is "x/y"), null or missing; v, the ranking value, is
      mostly a number with many ties ("2.5" and "2.50", "1e1" and "10"),
      sometimes a string, a boolean, null or missing (--numbers: numbers,
      null or missing only); s, a tie-breaker, a short string with ties,
      sometimes escaped or missing.

      --partitions N     integers 0..N-1 for g (default 8)
      --group            write the rows grouped by g (first appearance
                         order), as for top-n --sorted
      --windows N        N windows of 1 minute from 2026-11-22T10:00Z: each
                         row gets window_start and window_end, rows of two
                         consecutive windows interleave, and a watermark
                         line closes window k halfway through window k+1's
                         rows; g then stays as is (partition by
                         window_start, or window_start,g)
      --changelog        a changelog: +I rows, updates (-U old, +U new
                         version with a new id, value and partition),
                         deletes (-D),
                         some rows without __kind (after the first) and a
                         few retractions that match nothing; prints their
                         count on stderr as "unmatched N"
      --wide             numbers also beyond 38 digits and far from 1, with
                         ties across forms ("1e38" and 39 digits, "1e-400"
                         and "0.1e-399", "1e589"), as numeric orders them
      --seed N --rows N

  topn-oracle.py replay [--partition LIST] [--rank-field NAME] < update-output
      Consolidate top-n's --emit update changelog by (partition values,
      rank), checking it on the way: +I and +U need the rank absent (a +U
      follows its -U), -U and -D must retract exactly the row there.
      Prints each surviving row as written, without __kind, sorted. A
      violation is an error (exit 1) naming the line.
"""
import argparse
import decimal
import json
import random
import re
import sys

NUMBERS = ["0", "1", "2", "2.5", "2.50", "3", "10", "1e1", "1.0E+1", "-1",
           "-0.25", "-2.5e-1", "7.125", "99", "100", "0.001",
           "123456789012345678901234567890.5", "-98765432109876543210"]
STRINGS = ['"a"', '"b"', '"a\\"b"', '"ab"', '"\\u00e9"', '"\u00e9t\u00e9"',
           '"Z"', '""', '"a\\/b"', '"a/b"']
WIDE = ["99999999999999999999999999999999999999", "1e38",
        "100000000000000000000000000000000000000",
        "100000000000000000000000000000000000001",
        "-100000000000000000000000000000000000001",
        "123456789012345678901234567890123456789012345678901",
        "123456789012345678901234567890123456789012345678902",
        "1e-400", "0.1e-399", "2e-401", "-1e-400", "1.5e-16382",
        "1e589", "1e590", "9.99e589", "-1e131071", "9e131071",
        "0.00000000000000000000000000000000000000000001",
        "12345678901234567890.123456789012345678901234567890"]
TIES = ['"x"', '"y"', '"y"', '"\\u0078"', '"z\\tz"', '"Y"']
GROUPS_STR = ['"x/y"', '"x\\/y"', '"\\u00fc"', '"\u00fc"']


def ts(minute, second=0):
    h, m = divmod(600 + minute, 60)
    return "2026-11-22T%02d:%02d:%02d.000Z" % (h, m, second)


class Gen:
    def __init__(self, a):
        self.a = a
        self.r = random.Random(a.seed)
        self.next_id = 0

    def value(self):
        r = self.r
        x = r.random()
        if x < 0.72 or self.a.numbers and x < 0.9:
            if self.a.wide and r.random() < 0.4:
                return r.choice(WIDE)
            if r.random() < 0.5:
                return r.choice(NUMBERS)
            return "%d.%02d" % (r.randint(-5, 60), r.choice([0, 25, 50, 99]))
        if x < 0.9:
            return r.choice(STRINGS + ["true", "false"])
        return None if x < 0.95 else "null"

    def group(self):
        r = self.r
        x = r.random()
        if x < 0.8:
            return str(r.randrange(self.a.partitions))
        if x < 0.9:
            return r.choice(GROUPS_STR)
        return None if x < 0.95 else "null"

    def row(self, g=None, window=None):
        """Members text of a fresh row (a new id)."""
        r = self.r
        self.next_id += 1
        m = ['"id":%d' % self.next_id]
        if window is not None:
            m.append('"window_start":"%s","window_end":"%s"'
                     % (ts(window), ts(window + 1)))
        g = self.group() if g is None else g
        if g is not None:
            m.append('"g":' + g)
        v = self.value()
        if v is not None:
            m.append('"v":' + v)
        if r.random() < 0.9:
            m.append('"s":' + r.choice(TIES))
        return ",".join(m)


def gen(argv):
    p = argparse.ArgumentParser(prog="topn-oracle.py gen")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--rows", type=int, default=1000)
    p.add_argument("--partitions", type=int, default=8)
    p.add_argument("--group", action="store_true")
    p.add_argument("--windows", type=int, default=0)
    p.add_argument("--changelog", action="store_true")
    p.add_argument("--numbers", action="store_true")
    p.add_argument("--wide", action="store_true")
    a = p.parse_args(argv)
    g = Gen(a)
    out = []
    if a.windows:
        per = max(1, a.rows // a.windows)
        for w in range(a.windows):
            for i in range(per):
                # the second half of window w interleaves with the first
                # half of window w+1; watermark for w-1 once past halfway
                out.append("{" + g.row(window=w) + "}")
                if i == per // 2 and w > 0:
                    out.append('{"__watermark":"%s"}' % ts(w))
                if i >= per // 2 and w + 1 < a.windows and g.r.random() < 0.3:
                    out.append("{" + g.row(window=w + 1) + "}")
    elif a.changelog:
        live = []
        unmatched = 0
        for n in range(a.rows):
            x = g.r.random()
            if n == 0 or x < 0.55 or not live:
                body = g.row()
                kind = '"__kind":"+I",' if n == 0 or g.r.random() < 0.8 else ""
                out.append("{" + kind + body + "}")
                live.append(body)
            elif x < 0.8:
                # the new version may move to another partition
                old = live.pop(g.r.randrange(len(live)))
                new = g.row()
                out.append('{"__kind":"-U",' + old + "}")
                out.append('{"__kind":"+U",' + new + "}")
                live.append(new)
            elif x < 0.97:
                old = live.pop(g.r.randrange(len(live)))
                out.append('{"__kind":"-D",' + old + "}")
            else:
                out.append('{"__kind":"-D",' + g.row() + "}")
                unmatched += 1
        print("unmatched %d" % unmatched, file=sys.stderr)
    else:
        rows = []
        for _ in range(a.rows):
            rows.append(g.row())
        if a.group:
            order = {}
            for body in rows:
                order.setdefault(canon_group(body), len(order))
            rows.sort(key=lambda b: order[canon_group(b)])
        out = ["{" + b + "}" for b in rows]
    sys.stdout.write("\n".join(out) + "\n")


def canon_group(body):
    """The partition value of a row's members text, as top-n sees it."""
    v = json.loads("{" + body + "}").get("g")
    return json.dumps(v, ensure_ascii=False)


def replay(argv):
    p = argparse.ArgumentParser(prog="topn-oracle.py replay")
    p.add_argument("--partition", default="")
    p.add_argument("--rank-field", default="rank")
    a = p.parse_args(argv)
    paths = [f.split(".") for f in a.partition.split(",") if f]
    live = {}
    strip = re.compile(r'^\{"__kind":"([^"]*)",?')
    for n, line in enumerate(sys.stdin, 1):
        line = line.rstrip("\n")
        if not line or line.startswith('{"__watermark"'):
            continue
        m = strip.match(line)
        if not m:
            sys.exit("replay: line %d: no __kind: %s" % (n, line))
        kind, text = m.group(1), "{" + line[m.end():]
        row = json.loads(text, parse_float=decimal.Decimal)
        key = []
        for path in paths:
            v = row
            for seg in path:
                v = v.get(seg) if isinstance(v, dict) else None
            key.append(v)
        key.append(row[a.rank_field])
        key = json.dumps(key, default=str, ensure_ascii=False)
        cur = live.get(key)
        if kind in ("+I", "+U"):
            if cur is not None:
                sys.exit("replay: line %d: %s of a rank already there "
                         "(%s): %s" % (n, kind, cur, line))
            live[key] = text
        elif kind in ("-U", "-D"):
            if cur != text:
                sys.exit("replay: line %d: %s does not retract the row at "
                         "its rank (%s): %s" % (n, kind, cur, line))
            del live[key]
        else:
            sys.exit("replay: line %d: bad __kind %r" % (n, kind))
    for text in sorted(live.values()):
        print(text)


def main():
    # rows are UTF-8 whatever the locale (the tests run with LC_ALL=C)
    sys.stdout.reconfigure(encoding="utf-8")
    sys.stdin.reconfigure(encoding="utf-8")
    if len(sys.argv) < 2 or sys.argv[1] not in ("gen", "replay"):
        sys.exit("usage: topn-oracle.py gen|replay [OPTION...]")
    {"gen": gen, "replay": replay}[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
