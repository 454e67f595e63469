#!/usr/bin/env python3
"""window-oracle.py: random sales changelogs for oracle tests of window-agg
against PostgreSQL, and the replay of window-agg's --emit update output.

  window-oracle.py gen [OPTION...] --changelog FILE --sql FILE
      A deterministic (--seed) stream of sales as a changelog: inserts
      (+I, or plain rows without __kind), updates as -U old row / +U new
      row (new total_price, sometimes a new product_id or sale_ts), deletes
      as -D old row. Event times advance over --span seconds and arrive out
      of order by up to --disorder seconds: every row's sale_ts is at least
      (arrival clock - disorder) and the clock is never below a time already
      seen, so with --watermark-delay >= --disorder nothing is late. Updates
      and deletes only touch rows no older than that bound, for the same
      reason. FILE for --sql gets SQL that creates --table (sale_id int
      primary key, user_id int, product_id int, total_price numeric(12,2),
      sale_ts timestamptz) holding the final rows.

      --seed N --rows N (changes in all) --span SECONDS --disorder SECONDS
      --start RFC3339 --products N --users N --table NAME
      --unique-ts       no two rows ever share a sale_ts (first/last)
      --no-nulls        no null product_id or total_price
      --inserts-only    no updates or deletes
      --mixed-times     some sale_ts as PostgreSQL text or with a zone
      --mixed-scales    total_price with 0 to 4 decimals, the column an
                        unconstrained numeric (sum's scale is the largest
                        of the rows summed)
      --wide            some total_price far beyond 38 digits: 39 to 60
                        digit integers and decimals, 1e-400 and 1e589
                        style exponents, 38 nines; the column an
                        unconstrained numeric. Results stay under 1000
                        bytes, so window-agg writes them plain, as
                        PostgreSQL does
      --late-tumble SIZE,OFFSET,DELAY (seconds)
          print how many changelog rows window-agg --tumble SIZE
          --offset OFFSET --watermark-delay DELAY must count as late: rows
          whose window end is <= (largest sale_ts before them) - DELAY
      --late-file FILE  and write those lines there
      --dml FILE        the same changes as INSERT, UPDATE and DELETE
                        statements on --table, a few per transaction (for
                        a real CDC stream; create the table from --sql and
                        delete its rows first)

  window-oracle.py replay --key FIELD[,FIELD...] < window-agg-update-output
      Consolidate a changelog of results into the final results, checking
      it on the way: results are keyed by window_start, window_end and the
      key fields; +I needs the key absent, -U and -D must retract exactly
      the current result, +U needs the key absent (its -U came first).
      A result without __kind (--emit final with --allowed-lateness: a
      correction) replaces the one with its key.
      Prints each surviving result as written, without __kind, sorted.
      A violation is an error (exit 1) naming the line.

  window-oracle.py query --from SQL [--group LIST] [--agg LIST] [--time F]
                        [--having SQL]
      Print a PostgreSQL query that writes window-agg's result rows as the
      same JSON text: SQL is a relation with columns ws and we (window start
      and end) and the table's columns; the result is grouped by ws, we and
      the --group columns; --agg takes window-agg's -a syntax (count,
      count(f), sum, avg, min, max, count_distinct, first, last by --time,
      "as NAME"). Numbers are numeric's own text, times are formatted
      like window-agg's, so the comparison is of exact text.

  window-oracle.py firstdiff FILE_A FILE_B
      Print the first differing line of two files with its number and a
      short count of differences (a readable mismatch message).

Numbers are kept as exact text (decimal.Decimal), never floats.
"""
import argparse
import datetime
import decimal
import json
import random
import re
import sys

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def ms_of(text):
    """Milliseconds since the epoch of an RFC 3339 text with Z."""
    d = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z")
    return (d - EPOCH) // datetime.timedelta(milliseconds=1)


def rfc3339(ms):
    d = EPOCH + datetime.timedelta(milliseconds=ms)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000)


def pgtext(ms):
    """The same instant as PostgreSQL writes timestamptz: trailing
    fractional zeros dropped, +00."""
    d = EPOCH + datetime.timedelta(milliseconds=ms)
    s = d.strftime("%Y-%m-%d %H:%M:%S")
    if ms % 1000:
        s += (".%03d" % (ms % 1000)).rstrip("0")
    return s + "+00"


def zoned(ms, minutes):
    """RFC 3339 in another zone (minutes east of UTC)."""
    tz = datetime.timezone(datetime.timedelta(minutes=minutes))
    d = (EPOCH + datetime.timedelta(milliseconds=ms)).astimezone(tz)
    sign = "+" if minutes >= 0 else "-"
    m = abs(minutes)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d%s%02d:%02d" % (
        ms % 1000, sign, m // 60, m % 60)


def cents(c):
    """Exact numeric(12,2) text of an integer number of cents."""
    sign = "-" if c < 0 else ""
    c = abs(c)
    return "%s%d.%02d" % (sign, c // 100, c % 100)


class Gen:
    def __init__(self, a):
        self.a = a
        self.rnd = random.Random(a.seed)
        self.rows = {}          # sale_id -> row dict (values as text)
        self.ms = {}            # sale_id -> sale_ts in ms
        self.used_ts = set()
        self.next_id = 1
        self.out = []           # changelog lines
        self.times = []         # event time (ms) of each changelog line
        self.dml = []           # the same changes as SQL statements

    def price(self):
        p = self.price2()
        if p is not None and self.a.wide and self.rnd.random() < 0.2:
            return self.wide()
        if p is None or not self.a.mixed_scales:
            return p
        # The same value with 0 to 4 decimals, the scale a function of the
        # value: equal values are equal texts, so min and max have one
        # right answer (PostgreSQL's min of 1.5 and 1.50 is either).
        c = int(decimal.Decimal(p) * 100)
        c -= c % self.rnd.choice([1, 1, 10, 100])   # more trailing zeros
        scale = (c * 2654435761 >> 7) % 5
        if scale < 2 and c % 10 ** (2 - scale):
            scale = 2
        return str(decimal.Decimal(c).scaleb(-2).quantize(
            decimal.Decimal(1).scaleb(-scale)))

    def wide(self):
        """A number beyond 38 digits or far from 1, as JSON text. Equal
        values always get the same text (min and max have one right
        answer), and none equals a price of price2."""
        r = self.rnd
        sign = "-" if r.random() < 0.3 else ""
        k = r.randrange(6)
        if k == 0:                              # 39 to 60 digit integer
            return sign + str(r.randint(10**38, 10**r.randint(39, 60) - 1))
        if k == 1:                              # 30 + 15 digit decimal
            return "%s%d.%015d" % (sign, r.randint(10**29, 10**30 - 1),
                                   r.randint(1, 10**15 - 1))
        if k == 2:                              # huge: d.dde+E
            e = r.randint(40, 589)
            return "%s%d.%0*de%d" % (sign, r.randint(1, 9), e % 3 + 1,
                                     r.randint(0, 10 ** (e % 3 + 1) - 1), e)
        if k == 3:                              # tiny: d.ddE-E
            e = r.randint(10, 400 - 4)
            return "%s%d.%0*dE-%d" % (sign, r.randint(1, 9), e % 3 + 1,
                                      r.randint(0, 10 ** (e % 3 + 1) - 1), e)
        if k == 4:                              # the 38-digit boundary
            return sign + r.choice(["9" * 38, "1e38", "1" + "0" * 38])
        return sign + r.choice(["1e-400", "2e-400", "1e589", "5e588"])

    def price2(self):
        r = self.rnd.random()
        if not self.a.no_nulls and r < 0.02:
            return None
        if r < 0.07:
            return "0.00"
        if r < 0.13:                            # a refund
            return cents(-self.rnd.randint(1, 20000))
        if r < 0.18:                            # a large sale
            return cents(self.rnd.randint(10**8, 10**12 - 1))
        if r < 0.22:
            return cents(self.rnd.randint(1, 99))
        return cents(self.rnd.randint(100, 50000))

    def product(self):
        if not self.a.no_nulls and self.rnd.random() < 0.06:
            return None
        return self.rnd.randint(1, self.a.products)

    def when(self, clock):
        """An event time no older than clock - disorder."""
        lo = clock - int(self.a.disorder * 1000)
        r = self.rnd.random()
        if r < 0.06 and self.used_ts and not self.a.unique_ts:
            t = self.rnd.choice(sorted(self.used_ts))   # a tie
            if t >= lo:
                return t
        t = self.rnd.randint(lo, clock)
        if r > 0.94:                            # on a 10 s boundary
            b = t - t % 10000
            if b >= lo:
                t = b
        while self.a.unique_ts and t in self.used_ts:
            t += 1
        return t

    def tstext(self, t):
        if self.a.mixed_times:
            r = self.rnd.random()
            if r < 0.15:
                return pgtext(t)
            if r < 0.3:
                return zoned(t, self.rnd.choice([60, -300, 330]))
        return rfc3339(t)

    def emit(self, kind, row):
        fields = ['"sale_id":%d' % row["sale_id"],
                  '"user_id":%d' % row["user_id"],
                  '"product_id":%s' % ("null" if row["product_id"] is None
                                       else row["product_id"]),
                  '"total_price":%s' % ("null" if row["total_price"] is None
                                        else row["total_price"]),
                  '"sale_ts":"%s"' % row["sale_ts"]]
        if kind == "+I" and self.rnd.random() < 0.25:
            line = "{" + ",".join(fields) + "}"   # no __kind: an insert
        else:
            line = '{"__kind":"%s",' % kind + ",".join(fields) + "}"
        self.out.append(line)
        self.times.append(self.ms[row["sale_id"]])

    def run(self):
        a = self.a
        start = ms_of(a.start)
        span = int(a.span * 1000)
        dis = int(a.disorder * 1000)
        for i in range(a.rows):
            # the arrival clock: from start + disorder to start + span
            clock = start + dis + span * i // max(a.rows - 1, 1)
            recent = [k for k in self.rows if self.ms[k] >= clock - dis]
            op = "c"
            if recent and not a.inserts_only:
                op = self.rnd.choices(["c", "u", "d"], [6, 3, 1])[0]
            if op == "c":
                k = self.next_id
                self.next_id += 1
                t = self.when(clock)
                self.ms[k] = t
                self.used_ts.add(t)
                row = {"sale_id": k, "user_id":
                       self.rnd.randint(1, a.users),
                       "product_id": self.product(),
                       "total_price": self.price(),
                       "sale_ts": self.tstext(t)}
                self.rows[k] = row
                self.emit("+I", row)
                self.dml.append("INSERT INTO %s VALUES %s;" % (
                    a.table, self.values(row)))
            elif op == "u":
                k = self.rnd.choice(sorted(recent))
                old = self.rows[k]
                self.emit("-U", old)
                new = dict(old)
                r = self.rnd.random()
                if r > 0.1:                     # else: a no-op update
                    new["total_price"] = self.price()
                if r > 0.7:
                    new["product_id"] = self.product()
                if r > 0.4 and self.rnd.random() < 0.5:
                    self.used_ts.discard(self.ms[k])
                    t = self.when(clock)
                    self.ms[k] = t
                    self.used_ts.add(t)
                    new["sale_ts"] = self.tstext(t)
                self.rows[k] = new
                self.emit("+U", new)
                self.dml.append(
                    "UPDATE %s SET (user_id, product_id, total_price, "
                    "sale_ts) = %s WHERE sale_id = %d;" % (
                        a.table, self.values(new).replace("(%d, " % k, "(",
                                                          1), k))
            else:
                k = self.rnd.choice(sorted(recent))
                self.emit("-D", self.rows.pop(k))
                self.used_ts.discard(self.ms.pop(k))
                self.dml.append("DELETE FROM %s WHERE sale_id = %d;" % (
                    a.table, k))

    @staticmethod
    def values(r):
        """A row as an SQL tuple."""
        return "(%d, %d, %s, %s, '%s')" % (
            r["sale_id"], r["user_id"],
            "NULL" if r["product_id"] is None else r["product_id"],
            "NULL" if r["total_price"] is None else r["total_price"],
            r["sale_ts"])

    def write(self):
        a = self.a
        with open(a.changelog, "w") as f:
            for line in self.out:
                f.write(line + "\n")
        with open(a.sql, "w") as f:
            f.write("CREATE TABLE %s (sale_id int PRIMARY KEY, user_id int, "
                    "product_id int, total_price %s, "
                    "sale_ts timestamptz);\n" % (
                        a.table, "numeric" if a.mixed_scales or a.wide
                        else "numeric(12,2)"))
            vals = [self.values(self.rows[k]) for k in sorted(self.rows)]
            if vals:
                f.write("INSERT INTO %s VALUES\n%s;\n" % (a.table,
                                                        ",\n".join(vals)))
        if a.dml:
            # the changes a few at a time, one transaction each
            with open(a.dml, "w") as f:
                for i in range(0, len(self.dml), 7):
                    f.write("BEGIN;\n%s\nCOMMIT;\n" %
                            "\n".join(self.dml[i:i + 7]))

    def late(self, size, offset, delay):
        """The changelog lines window-agg --tumble must find late (see
        the doc string)."""
        size, offset, delay = (int(x * 1000) for x in (size, offset, delay))
        late, top = [], None
        for line, t in zip(self.out, self.times):
            end = t - (t - offset) % size + size
            if top is not None and end <= top - delay:
                late.append(line)
            top = t if top is None else max(top, t)
        return late


def gen(argv):
    p = argparse.ArgumentParser(prog="window-oracle.py gen")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--rows", type=int, default=1000)
    p.add_argument("--span", type=float, default=1200)
    p.add_argument("--disorder", type=float, default=5)
    p.add_argument("--start", default="2026-11-22T10:00:00.000Z")
    p.add_argument("--products", type=int, default=5)
    p.add_argument("--users", type=int, default=12)
    p.add_argument("--table", default="sales")
    p.add_argument("--unique-ts", action="store_true")
    p.add_argument("--no-nulls", action="store_true")
    p.add_argument("--inserts-only", action="store_true")
    p.add_argument("--mixed-times", action="store_true")
    p.add_argument("--mixed-scales", action="store_true")
    p.add_argument("--wide", action="store_true")
    p.add_argument("--late-tumble")
    p.add_argument("--late-file")
    p.add_argument("--dml")
    p.add_argument("--changelog", required=True)
    p.add_argument("--sql", required=True)
    a = p.parse_args(argv)
    g = Gen(a)
    g.run()
    g.write()
    if a.late_tumble:
        size, offset, delay = (float(x) for x in a.late_tumble.split(","))
        late = g.late(size, offset, delay)
        print(len(late))
        if a.late_file:
            with open(a.late_file, "w") as f:
                f.writelines(line + "\n" for line in late)


def replay(argv):
    p = argparse.ArgumentParser(prog="window-oracle.py replay")
    p.add_argument("--key", default="")
    a = p.parse_args(argv)
    keys = ["window_start", "window_end"] + [k for k in a.key.split(",") if k]
    live = {}               # key -> result text without __kind
    strip = re.compile(r'^\{"__kind":"([^"]*)",?')
    for n, line in enumerate(sys.stdin, 1):
        line = line.rstrip("\n")
        if not line or line.startswith('{"__watermark"'):
            continue
        m = strip.match(line)
        if m:
            kind, text = m.group(1), "{" + line[m.end():]
        else:
            kind, text = None, line     # --emit final: a replacement
        row = json.loads(text, parse_float=decimal.Decimal)
        try:
            key = json.dumps([row[k] for k in keys], default=str)
        except KeyError as e:
            sys.exit("replay: line %d: no field %s: %s" % (n, e, line))
        cur = live.get(key)
        if kind is None:
            live[key] = text
        elif kind in ("+I", "+U"):
            if cur is not None:
                sys.exit("replay: line %d: %s of a result already there "
                         "(%s): %s" % (n, kind, cur, line))
            live[key] = text
        elif kind in ("-U", "-D"):
            if cur != text:
                sys.exit("replay: line %d: %s does not retract the current "
                         "result (%s): %s" % (n, kind, cur, line))
            del live[key]
        else:
            sys.exit("replay: line %d: bad __kind %r" % (n, kind))
    for text in sorted(live.values()):
        print(text)


def jstr(s):
    return json.dumps(s).replace("'", "''")


def query(argv):
    p = argparse.ArgumentParser(prog="window-oracle.py query")
    p.add_argument("--from", dest="rel", required=True)
    p.add_argument("--group", default="")
    p.add_argument("--agg", default="count")
    p.add_argument("--time", default="sale_ts")
    p.add_argument("--having", help="an SQL condition for HAVING")
    a = p.parse_args(argv)

    def ts(e):
        return ("'\"' || to_char((%s) AT TIME ZONE 'UTC', "
                "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') || '\"'" % e)

    def val(e):
        return "coalesce((%s)::text, 'null')" % e

    groups = [g for g in a.group.split(",") if g]
    parts = ["'{\"window_start\":' || " + ts("ws"),
             "',\"window_end\":' || " + ts("we")]
    for g in groups:
        parts.append("'," + jstr(g) + ":' || " + val(g))
    for spec in a.agg.split(","):
        m = re.fullmatch(r"\s*(\w+)(?:\((\w*)\))?(?:\s+as\s+(\w+))?\s*",
                         spec)
        if not m:
            sys.exit("query: bad aggregate %r" % spec)
        fn, f, name = m.groups()
        if fn == "count" and not f:
            expr, dflt = "count(*)", "count"
        else:
            dflt = fn + "_" + f
            expr = {
                "count": "count(%s)",
                "sum": "sum(%s)",
                "avg": "avg(%s)",
                "min": "min(%s)",
                "max": "max(%s)",
                "count_distinct": "count(DISTINCT %s)",
                "first": "(array_agg(%%s ORDER BY %s) FILTER "
                         "(WHERE %%s IS NOT NULL))[1]" % a.time,
                "last": "(array_agg(%%s ORDER BY %s DESC) FILTER "
                        "(WHERE %%s IS NOT NULL))[1]" % a.time,
            }[fn].replace("%s", f)
        parts.append("'," + jstr(name or dflt) + ":' || " + val(expr))
    print("SELECT " + "\n    || ".join(parts) + " || '}'\nFROM (" + a.rel +
          ") w\nGROUP BY " + ", ".join(["ws", "we"] + groups) +
          ("\nHAVING " + a.having if a.having else ""))


def firstdiff(argv):
    with open(argv[0]) as f:
        a = f.read().splitlines()
    with open(argv[1]) as f:
        b = f.read().splitlines()
    ndiff = sum(1 for x, y in zip(a, b) if x != y) + abs(len(a) - len(b))
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else "(end of file)"
        y = b[i] if i < len(b) else "(end of file)"
        if x != y:
            print("%d and %d lines, %d differ; first at line %d:\n- %s\n+ %s"
                  % (len(a), len(b), ndiff, i + 1, x, y))
            return 1
    return 0


if __name__ == "__main__":
    cmd, rest = sys.argv[1:2], sys.argv[2:]
    if cmd == ["gen"]:
        gen(rest)
    elif cmd == ["replay"]:
        replay(rest)
    elif cmd == ["query"]:
        query(rest)
    elif cmd == ["firstdiff"] and len(rest) == 2:
        sys.exit(firstdiff(rest))
    else:
        sys.exit(__doc__)
