#!/usr/bin/env python3
"""join-oracle.py: data and PostgreSQL queries for oracle tests of
interval-join (tests/interval-join-oracle.bats).

  join-oracle.py gen [OPTION...] --clicks FILE --checkouts FILE --sql FILE
      Deterministic (--seed) clicks and checkouts of a shop:
        clicks     {"click_id","user_id","product_id","source","click_ts"}
        checkouts  {"checkout_id","user_id","product_id","total","checkout_ts"}
      Times are RFC 3339 UTC with milliseconds ("2026-11-22T10:00:00.123Z"),
      totals exact numeric(12,2) text. Each checkout gets clicks of its user
      by one of these scenarios (relative to the window [T+LOWER, T+UPPER]
      of --lower/--upper, default the hour up to the checkout time T):
        edges     clicks exactly at T+LOWER and at T+UPPER
        upper     clicks at T+UPPER and 1 ms after only (like outside,
                  mostly by a user of this one checkout)
        outside   clicks 1 ms outside on both sides only (no match;
                  mostly by a user of this one checkout, so that no
                  other click can match it)
        all4      both edges and 1 ms outside on both sides
        tiefirst  3 clicks at one time (sometimes exactly T+LOWER), in a
                  known order, plus later ones: --pick first must take the
                  earliest arrival of the three
        tielast   3 clicks at one time (sometimes exactly T+UPPER), plus
                  earlier ones: --pick last must take the latest arrival
        normal    0 to 4 clicks from T-2h to T+30m
        none      no click of its own
      plus --background clicks of random users at random times. Some clicks
      and checkouts have a null user_id (never matches), the last
      --noclick users never click at all. Click sources are a few ad
      channels, one with an escaped quote and one non-ASCII.
      Both files are in time order, ties in generation order (click_id is
      the position in the in-order file), unless --disorder MS: then each
      file arrives out of order by at most MS (every row's time is at least
      the largest time before it minus MS), rows of equal time keep their
      relative order, so --pick first/last ties resolve as in time order.
      --watermarks N: after every N rows of each file, an in-band
      {"__watermark":...} line: the largest time so far minus --disorder.
      FILE for --sql creates tables --clicks-table and --checkouts-table
      (with an "arrival" column: the line number in the file written) and
      loads them with COPY. --mixed FILE: both streams in one, merged in
      arrival order, each row with "kind":"click" or "kind":"checkout"
      first (an upstream for tee).

  join-oracle.py rows --table T --kind clicks|checkouts
      Print a PostgreSQL query writing the rows of a clicks or checkouts
      table (as gen creates it) as gen writes them, in arrival order: for
      rows loaded by hand, times beyond RFC 3339 included.

  join-oracle.py query --clicks-table T --checkouts-table T
                       --pick first|last|all --type inner|left
                       [--lower MS --upper MS]
      Print a PostgreSQL query writing interval-join's rows as the same
      JSON text: the checkout's members, then the click's, the click's
      user_id and product_id as right_user_id and right_product_id, nulls
      for an unmatched checkout (--type left). A click matches when
      user_id is equal and click_ts BETWEEN checkout_ts + LOWER AND
      checkout_ts + UPPER; first/last is a LATERAL subquery ordered by
      (click_ts, arrival), LIMIT 1.

  join-oracle.py tgen [OPTION...] --changelog FILE --sales FILE --sql FILE
      A products table's changelog, as cdc-unwrap --changelog writes it
      with -a source.ts_ms: inserts +I (or a plain row: an upsert), updates
      as -U old row / +U new row (or a plain row), deletes -D, re-inserts
      after deletes, several versions of a product in one millisecond;
      rows {"product_id","name","price","category","updated_at",
      "__source_ts_ms"}. updated_at and __source_ts_ms are the time of the
      change (the same instant, text and epoch ms), except in -U rows (the
      old row, as it was). A -D row carries the time of the delete in both.
      Sales {"sale_id","product_id","quantity","sale_ts"}: random products
      (some never inserted, some null), some exactly at a version's time
      and 1 ms before it, some before any version. --disorder MS as for
      gen (sales only; a changelog is in commit order). FILE for --sql
      creates --changelog-table (every changelog line, with seq = its line
      number and kind) and --sales-table.

  join-oracle.py tquery --changelog-table T --sales-table T --type inner|left
      Print a PostgreSQL query writing interval-join --temporal's rows: each
      sale with the latest version (not -U) of its product with
      updated_at <= sale_ts, ties by seq; a -D version or none is no
      match.

  join-oracle.py long --hours H --clicks FILE --checkouts FILE
                      [--click-every MS] [--checkout-every MS] [--users N]
                      [--mixed FILE]
      A long stream in time order for the memory test: a click every
      --click-every ms (default 100), a checkout every --checkout-every ms
      (default 1000), random users; --mixed FILE: both in one stream in
      time order, "kind" first as for gen. Prints the largest number of
      clicks in any closed window of 1 h.

  join-oracle.py firstdiff FILE_A FILE_B
      Print the first differing line of two files with its number and a
      short count of differences (a readable mismatch message).

Numbers are kept as exact text, never floats.
"""
import argparse
import datetime
import json
import random
import sys

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
HOUR = 3600000
SOURCES = ["tiktok_ads", "google_ads", "facebook_post", "instagram_story",
           "newsletter", 'email "winter"', "partner_ü"]
CATEGORIES = ["toys", "books", "garden", "kitchen", "outdoor"]
NAMES = ["lamp", "kettle", "chair", "puzzle", "novel", "rake", "tent",
         "mug", "kite", "atlas"]


def ms_of(text):
    """Milliseconds since the epoch of an RFC 3339 text with Z."""
    d = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z")
    return (d - EPOCH) // datetime.timedelta(milliseconds=1)


_day_cache = {}


def rfc3339(ms):
    """RFC 3339 UTC with milliseconds; fast for many calls."""
    day, rest = divmod(ms, 86400000)
    d = _day_cache.get(day)
    if d is None:
        d = _day_cache[day] = (EPOCH + datetime.timedelta(days=day)
                               ).strftime("%Y-%m-%d")
    s, frac = divmod(rest, 1000)
    return "%sT%02d:%02d:%02d.%03dZ" % (d, s // 3600, s // 60 % 60, s % 60,
                                        frac)


def cents(c):
    """Exact numeric(12,2) text of an integer number of cents."""
    return "%d.%02d" % (c // 100, c % 100)


def jnum(v):
    return "null" if v is None else str(v)


def jtext(s):
    return "null" if s is None else json.dumps(s, ensure_ascii=False)


def copy_val(v):
    """A value in COPY's text format."""
    if v is None:
        return "\\N"
    return str(v).replace("\\", "\\\\").replace("\t", "\\t").replace(
        "\n", "\\n")


def disorder(rows, tkey, d, rnd):
    """rows (in time order) in an arrival order where every row's time is
    at least the largest earlier time minus d: sorted by time plus a
    jitter in [0, d]. Rows of equal time keep their relative order."""
    if d <= 0:
        return list(rows)
    keyed = sorted(range(len(rows)),
                   key=lambda i: (tkey(rows[i]) + rnd.randint(0, d), i))
    out = [rows[i] for i in keyed]
    # rows of one time back into their original relative order
    slots = {}
    for pos, i in enumerate(keyed):
        slots.setdefault(tkey(rows[i]), []).append((pos, i))
    for group in slots.values():
        if len(group) > 1:
            positions = sorted(p for p, _ in group)
            for p, i in zip(positions, sorted(i for _, i in group)):
                out[p] = rows[i]
    return out


def max_disorder(times):
    top, worst = None, 0
    for t in times:
        if top is not None and top - t > worst:
            worst = top - t
        top = t if top is None else max(top, t)
    return worst


# ---------------------------------------------------------------------
# Interval join: clicks and checkouts

def gen(argv):
    p = argparse.ArgumentParser(prog="join-oracle.py gen")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--users", type=int, default=40)
    p.add_argument("--noclick", type=int, default=5,
                   help="the last N users never click")
    p.add_argument("--products", type=int, default=20)
    p.add_argument("--checkouts-n", "-n", type=int, default=300)
    p.add_argument("--background", type=int, default=400)
    p.add_argument("--span", type=float, default=4 * 3600,
                   help="seconds of checkouts after the first hour")
    p.add_argument("--start", default="2026-11-22T08:00:00.000Z")
    p.add_argument("--lower", type=int, default=-HOUR, help="ms")
    p.add_argument("--upper", type=int, default=0, help="ms")
    p.add_argument("--disorder", type=int, default=0, help="ms")
    p.add_argument("--watermarks", type=int, default=0,
                   help="a watermark line every N rows")
    p.add_argument("--clicks", required=True)
    p.add_argument("--checkouts", required=True)
    p.add_argument("--sql")
    p.add_argument("--mixed")
    p.add_argument("--clicks-table", default="clicks")
    p.add_argument("--checkouts-table", default="checkouts")
    a = p.parse_args(argv)
    rnd = random.Random(a.seed)
    start = ms_of(a.start)
    span = int(a.span * 1000)
    lo, hi = a.lower, a.upper
    clickers = max(a.users - a.noclick, 1)
    clicks = []             # [t, user, product, source], generation order
    checkouts = []          # [t, user, product, cents]

    def click(t, user):
        prod = None if rnd.random() < 0.03 else rnd.randint(1, a.products)
        clicks.append([t, user, prod, rnd.choice(SOURCES)])

    lonely = a.users          # users of one checkout: see "outside"
    for _ in range(a.checkouts_n):
        t = start + HOUR + rnd.randint(0, span)
        r = rnd.random()
        user = None if r < 0.04 else rnd.randint(1, a.users)
        scen = rnd.choices(
            ["edges", "upper", "outside", "all4", "tiefirst", "tielast",
             "normal", "none"], [10, 6, 8, 8, 10, 10, 38, 10])[0]
        if scen in ("outside", "upper") and user is not None and \
                rnd.random() < 0.7:
            # a user of this checkout only: no other click can match it
            lonely += 1
            user = lonely
        checkouts.append([t, user, rnd.randint(1, a.products),
                          rnd.randint(1, 10 ** 7) if r > 0.9 else
                          rnd.randint(100, 50000)])
        if rnd.random() < 0.05:         # a second checkout, same time
            checkouts.append([t, user, rnd.randint(1, a.products),
                              rnd.randint(100, 50000)])
        if user is None or clickers < user <= a.users:
            continue
        if scen == "edges":
            for x in rnd.sample([t + lo, t + hi], 2):
                click(x, user)
        elif scen == "upper":
            for x in rnd.sample([t + hi, t + hi + 1], 2):
                click(x, user)
        elif scen == "outside":
            for x in rnd.sample([t + lo - 1, t + hi + 1], 2):
                click(x, user)
        elif scen == "all4":
            for x in rnd.sample([t + lo - 1, t + lo, t + hi, t + hi + 1], 4):
                click(x, user)
        elif scen == "tiefirst":
            x = t + lo if rnd.random() < 0.3 else t + rnd.randint(lo, hi)
            srcs = rnd.sample(SOURCES, 3)
            for s in srcs:                      # this order: arrival order
                clicks.append([x, user, rnd.randint(1, a.products), s])
            for _ in range(rnd.randint(0, 2)):  # later ones
                click(rnd.randint(x, t + hi), user)
        elif scen == "tielast":
            x = t + hi if rnd.random() < 0.3 else t + rnd.randint(lo, hi)
            for _ in range(rnd.randint(0, 2)):  # earlier ones
                click(rnd.randint(t + lo, x), user)
            for s in rnd.sample(SOURCES, 3):
                clicks.append([x, user, rnd.randint(1, a.products), s])
        elif scen == "normal":
            for _ in range(rnd.randint(0, 4)):
                click(t + rnd.randint(-2 * HOUR, HOUR // 2), user)
    for _ in range(a.background):
        user = None if rnd.random() < 0.05 else rnd.randint(1, clickers)
        click(start + rnd.randint(0, span + 2 * HOUR), user)

    # in time order, ties in generation order; ids are those positions
    clicks.sort(key=lambda c: c[0])
    checkouts.sort(key=lambda c: c[0])
    clines = ['{"click_id":%d,"user_id":%s,"product_id":%s,"source":%s,'
              '"click_ts":"%s"}' % (i, jnum(c[1]), jnum(c[2]), jtext(c[3]),
                                    rfc3339(c[0]))
              for i, c in enumerate(clicks, 1)]
    olines = ['{"checkout_id":%d,"user_id":%s,"product_id":%s,"total":%s,'
              '"checkout_ts":"%s"}' % (i, jnum(c[1]), jnum(c[2]),
                                       cents(c[3]), rfc3339(c[0]))
              for i, c in enumerate(checkouts, 1)]
    crows = [(c[0], i, line) for i, (c, line) in
             enumerate(zip(clicks, clines), 1)]
    orows = [(c[0], i, line) for i, (c, line) in
             enumerate(zip(checkouts, olines), 1)]
    crows = disorder(crows, lambda r: r[0], a.disorder, rnd)
    orows = disorder(orows, lambda r: r[0], a.disorder, rnd)
    for path, rows in ((a.clicks, crows), (a.checkouts, orows)):
        with open(path, "w", encoding="utf-8") as f:
            top = None
            for n, r in enumerate(rows, 1):
                f.write(r[2] + "\n")
                top = r[0] if top is None else max(top, r[0])
                if a.watermarks and n % a.watermarks == 0:
                    # no later row is older than that
                    f.write('{"__watermark":"%s"}\n' %
                            rfc3339(top - a.disorder))
    if a.mixed:
        # both in one stream, merged by the largest time so far of each:
        # each keeps its own order, their clocks advance together
        both = []
        for k, (kind, rows) in enumerate((("click", crows),
                                          ("checkout", orows))):
            top = None
            for n, r in enumerate(rows):
                top = r[0] if top is None else max(top, r[0])
                both.append((top, k, n, '{"kind":"%s",' % kind + r[2][1:]))
        both.sort(key=lambda x: x[:3])
        with open(a.mixed, "w", encoding="utf-8") as f:
            f.writelines(x[3] + "\n" for x in both)
    if a.sql:
        with open(a.sql, "w", encoding="utf-8") as f:
            ct, ot = a.clicks_table, a.checkouts_table
            f.write("CREATE TABLE %s (arrival int, click_id int, user_id "
                    "int, product_id int, source text, click_ts "
                    "timestamptz);\n" % ct)
            f.write("CREATE TABLE %s (arrival int, checkout_id int, user_id "
                    "int, product_id int, total numeric(12,2), checkout_ts "
                    "timestamptz);\n" % ot)
            f.write("COPY %s FROM stdin;\n" % ct)
            for n, r in enumerate(crows, 1):
                c = clicks[r[1] - 1]
                f.write("\t".join(copy_val(v) for v in (
                    n, r[1], c[1], c[2], c[3], rfc3339(c[0]))) + "\n")
            f.write("\\.\nCOPY %s FROM stdin;\n" % ot)
            for n, r in enumerate(orows, 1):
                c = checkouts[r[1] - 1]
                f.write("\t".join(copy_val(v) for v in (
                    n, r[1], c[1], c[2], cents(c[3]), rfc3339(c[0]))) + "\n")
            f.write("\\.\nCREATE INDEX ON %s (user_id, click_ts);\n"
                    "ANALYZE %s; ANALYZE %s;\n" % (ct, ct, ot))
    if a.disorder:
        # say how out of order the files really are
        print(max(max_disorder([r[0] for r in crows]),
                  max_disorder([r[0] for r in orows])))


def ts_sql(e):
    """A timestamptz as the tools write it (DESIGN.md section 4): RFC 3339
    UTC with milliseconds, ISO 8601 years (astronomical: PostgreSQL's 45 BC
    is -0044; a sign outside 0000-9999), infinity and -infinity."""
    u = "((%s) AT TIME ZONE 'UTC')" % e
    return ("CASE WHEN isfinite(%s) THEN (SELECT CASE WHEN y < 0 THEN '-' "
            "|| lpad((-y)::text, 4, '0') WHEN y > 9999 THEN '+' || y::text "
            "ELSE lpad(y::text, 4, '0') END FROM (SELECT extract(year FROM "
            "%s)::int + (extract(year FROM %s) < 0)::int AS y) AS yy) || "
            "to_char(%s, '-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') "
            "ELSE (%s)::text END" % (e, u, u, u, e))


def jv(e):
    """A number (or null) as JSON text."""
    return "coalesce((%s)::text, 'null')" % e


def js(e):
    """A text (or null) as JSON text."""
    return "coalesce(to_json(%s)::text, 'null')" % e


def jt(e):
    """A timestamptz (or null) as interval-join's input text."""
    return "coalesce('\"' || %s || '\"', 'null')" % ts_sql(e)


def members(pairs):
    """'"name":' || value, ... as one SQL text expression."""
    out = []
    for i, (name, expr) in enumerate(pairs):
        out.append("'%s%s:' || %s" % ("," if i else "", json.dumps(name),
                                     expr))
    return " || ".join(out)


def rows(argv):
    p = argparse.ArgumentParser(prog="join-oracle.py rows")
    p.add_argument("--table", required=True)
    p.add_argument("--kind", choices=["clicks", "checkouts"], required=True)
    a = p.parse_args(argv)
    if a.kind == "clicks":
        m = members([("click_id", jv("click_id")),
                     ("user_id", jv("user_id")),
                     ("product_id", jv("product_id")),
                     ("source", js("source")),
                     ("click_ts", jt("click_ts"))])
    else:
        m = members([("checkout_id", jv("checkout_id")),
                     ("user_id", jv("user_id")),
                     ("product_id", jv("product_id")),
                     ("total", jv("total")),
                     ("checkout_ts", jt("checkout_ts"))])
    print("SELECT '{' || %s || '}' FROM %s ORDER BY arrival" % (m, a.table))


def query(argv):
    p = argparse.ArgumentParser(prog="join-oracle.py query")
    p.add_argument("--clicks-table", default="clicks")
    p.add_argument("--checkouts-table", default="checkouts")
    p.add_argument("--pick", choices=["all", "first", "last"],
                   required=True)
    p.add_argument("--type", choices=["inner", "left"], required=True)
    p.add_argument("--lower", type=int, default=-HOUR)
    p.add_argument("--upper", type=int, default=0)
    a = p.parse_args(argv)
    left = members([("checkout_id", jv("co.checkout_id")),
                    ("user_id", jv("co.user_id")),
                    ("product_id", jv("co.product_id")),
                    ("total", jv("co.total")),
                    ("checkout_ts", jt("co.checkout_ts"))])
    right = members([("click_id", jv("c.click_id")),
                     ("right_user_id", jv("c.user_id")),
                     ("right_product_id", jv("c.product_id")),
                     ("source", js("c.source")),
                     ("click_ts", jt("c.click_ts"))])
    cond = ("c.user_id = co.user_id AND c.click_ts BETWEEN "
            "co.checkout_ts + interval '1 millisecond' * %d AND "
            "co.checkout_ts + interval '1 millisecond' * %d"
            % (a.lower, a.upper))
    join = "LEFT JOIN" if a.type == "left" else "JOIN"
    if a.pick == "all":
        rel = "%s %s c ON %s" % (join, a.clicks_table, cond)
    else:
        order = ("c.click_ts, c.arrival" if a.pick == "first" else
                 "c.click_ts DESC, c.arrival DESC")
        rel = ("%s LATERAL (SELECT * FROM %s c WHERE %s ORDER BY %s "
               "LIMIT 1) c ON true" % (join, a.clicks_table, cond, order))
    print("SELECT '{' || %s || ',' || %s || '}'\nFROM %s co\n%s" % (
        left, right, a.checkouts_table, rel))


# ---------------------------------------------------------------------
# Temporal join: a products changelog and sales

def tgen(argv):
    p = argparse.ArgumentParser(prog="join-oracle.py tgen")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--products", type=int, default=25)
    p.add_argument("--unknown", type=int, default=3,
                   help="product ids sold but never inserted")
    p.add_argument("--changes", type=int, default=400)
    p.add_argument("--sales-n", "-n", type=int, default=800)
    p.add_argument("--span", type=float, default=2 * 3600, help="seconds")
    p.add_argument("--start", default="2026-11-22T08:00:00.000Z")
    p.add_argument("--disorder", type=int, default=0, help="ms (sales)")
    p.add_argument("--changelog", required=True)
    p.add_argument("--sales", required=True)
    p.add_argument("--sql")
    p.add_argument("--changelog-table", default="products_log")
    p.add_argument("--sales-table", default="sales")
    a = p.parse_args(argv)
    rnd = random.Random(a.seed)
    start = ms_of(a.start)
    span = int(a.span * 1000)
    step = max(2 * span // max(a.changes, 1), 1)
    cur = {}                # product_id -> current row (dict)
    log = []                # [kind or None, row dict, source ts]
    vtimes = []             # times of versions written
    t = start
    pid = None
    for _ in range(a.changes):
        if pid is not None and rnd.random() < 0.06:
            pass            # another change of the same product, same ms
        else:
            t += rnd.randint(0, step) if rnd.random() < 0.9 else 0
            pid = rnd.randint(1, a.products)
        old = cur.get(pid)
        if old is None:
            row = {"product_id": pid, "name": rnd.choice(NAMES),
                   "price": rnd.randint(50, 90000),
                   "category": rnd.choice(CATEGORIES), "updated_at": t}
            log.append(["+I" if rnd.random() < 0.8 else None, row, t])
            cur[pid] = row
            vtimes.append(t)
        elif rnd.random() < 0.18:
            gone = dict(old, updated_at=t)
            log.append(["-D", gone, t])
            del cur[pid]
            vtimes.append(t)
        else:
            new = dict(old, updated_at=t)
            r = rnd.random()
            if r < 0.8:
                new["price"] = rnd.randint(50, 90000)
            if r > 0.6:
                new["category"] = rnd.choice(CATEGORIES)
            if rnd.random() < 0.8:
                log.append(["-U", old, t])
                log.append(["+U", new, t])
            else:
                log.append([None, new, t])     # an upsert
            cur[pid] = new
            vtimes.append(t)
    end = t
    sales = []
    for i in range(a.sales_n):
        r = rnd.random()
        if r < 0.25 and vtimes:                # at a version, or 1 ms before
            st = rnd.choice(vtimes) - (1 if r < 0.1 else 0)
        elif r < 0.3:                           # before any version
            st = start - rnd.randint(1, 60000)
        else:
            st = rnd.randint(start, end + 60000)
        if r < 0.25 and log and rnd.random() < 0.7:
            # the product just changed then, if we can find it
            cands = [e[1]["product_id"] for e in log if e[2] == st + (
                1 if r < 0.1 else 0)]
            prod = rnd.choice(cands) if cands else rnd.randint(
                1, a.products)
        else:
            q = rnd.random()
            prod = None if q < 0.03 else rnd.randint(
                1, a.products + a.unknown)
        sales.append([st, prod, rnd.randint(1, 5)])
    sales.sort(key=lambda s: s[0])
    slines = ['{"sale_id":%d,"product_id":%s,"quantity":%d,'
              '"sale_ts":"%s"}' % (i, jnum(s[1]), s[2], rfc3339(s[0]))
              for i, s in enumerate(sales, 1)]
    srows = disorder([(s[0], i, line) for i, (s, line) in
                      enumerate(zip(sales, slines), 1)],
                     lambda r: r[0], a.disorder, rnd)

    def pline(kind, row, src):
        body = ('"product_id":%d,"name":%s,"price":%s,"category":%s,'
                '"updated_at":"%s","__source_ts_ms":%d' % (
                    row["product_id"], jtext(row["name"]),
                    cents(row["price"]), jtext(row["category"]),
                    rfc3339(row["updated_at"]), src))
        return "{" + ('"__kind":"%s",' % kind if kind else "") + body + "}"

    with open(a.changelog, "w", encoding="utf-8") as f:
        f.writelines(pline(*e) + "\n" for e in log)
    with open(a.sales, "w", encoding="utf-8") as f:
        f.writelines(r[2] + "\n" for r in srows)
    if a.sql:
        with open(a.sql, "w", encoding="utf-8") as f:
            lt, st_ = a.changelog_table, a.sales_table
            f.write("CREATE TABLE %s (seq int, kind text, product_id int, "
                    "name text, price numeric(12,2), category text, "
                    "updated_at timestamptz, source_ts_ms bigint);\n" % lt)
            f.write("CREATE TABLE %s (arrival int, sale_id int, product_id "
                    "int, quantity int, sale_ts timestamptz);\n" % st_)
            f.write("COPY %s FROM stdin;\n" % lt)
            for n, (kind, row, src) in enumerate(log, 1):
                f.write("\t".join(copy_val(v) for v in (
                    n, kind or "plain", row["product_id"], row["name"],
                    cents(row["price"]), row["category"],
                    rfc3339(row["updated_at"]), src)) + "\n")
            f.write("\\.\nCOPY %s FROM stdin;\n" % st_)
            for n, r in enumerate(srows, 1):
                s = sales[r[1] - 1]
                f.write("\t".join(copy_val(v) for v in (
                    n, r[1], s[1], s[2], rfc3339(s[0]))) + "\n")
            f.write("\\.\nANALYZE %s; ANALYZE %s;\n" % (lt, st_))
    if a.disorder:
        print(max_disorder([r[0] for r in srows]))


def tquery(argv):
    p = argparse.ArgumentParser(prog="join-oracle.py tquery")
    p.add_argument("--changelog-table", default="products_log")
    p.add_argument("--sales-table", default="sales")
    p.add_argument("--type", choices=["inner", "left"], required=True)
    a = p.parse_args(argv)
    left = members([("sale_id", jv("s.sale_id")),
                    ("product_id", jv("s.product_id")),
                    ("quantity", jv("s.quantity")),
                    ("sale_ts", jt("s.sale_ts"))])
    names = [("right_product_id", "product_id", jv),
             ("name", "name", js), ("price", "price", jv),
             ("category", "category", js), ("updated_at", "updated_at", jt),
             ("__source_ts_ms", "source_ts_ms", jv)]
    right = members([(n, f("v." + c)) for n, c, f in names])
    nulls = ",".join("%s:null" % json.dumps(n) for n, _, _ in names)
    print("SELECT '{' || %s || ',' || CASE WHEN v.kind IS NULL OR "
          "v.kind = '-D' THEN '%s' ELSE %s END || '}'\n"
          "FROM %s s LEFT JOIN LATERAL (SELECT * FROM %s v\n"
          "    WHERE v.product_id = s.product_id AND v.kind <> '-U'\n"
          "      AND v.updated_at <= s.sale_ts\n"
          "    ORDER BY v.updated_at DESC, v.seq DESC LIMIT 1) v ON true%s"
          % (left, nulls, right, a.sales_table, a.changelog_table,
             "" if a.type == "left" else
             "\nWHERE v.kind IS NOT NULL AND v.kind <> '-D'"))


# ---------------------------------------------------------------------

def long_stream(argv):
    p = argparse.ArgumentParser(prog="join-oracle.py long")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--hours", type=float, required=True)
    p.add_argument("--click-every", type=int, default=100)
    p.add_argument("--checkout-every", type=int, default=1000)
    p.add_argument("--users", type=int, default=5000)
    p.add_argument("--start", default="2026-11-22T00:00:00.000Z")
    p.add_argument("--clicks", required=True)
    p.add_argument("--checkouts", required=True)
    p.add_argument("--mixed")
    a = p.parse_args(argv)
    rnd = random.Random(a.seed)
    start = ms_of(a.start)
    end = start + int(a.hours * HOUR)
    ri = rnd.randint
    clicks = ['{"click_id":%d,"user_id":%d,"product_id":%d,"source":"%s",'
              '"click_ts":"%s"}' % (n, ri(1, a.users), ri(1, 500),
                                    SOURCES[n % 5], rfc3339(t))
              for n, t in enumerate(range(start, end, a.click_every), 1)]
    checkouts = ['{"checkout_id":%d,"user_id":%d,"product_id":%d,'
                 '"total":%s,"checkout_ts":"%s"}' % (
                     n, ri(1, a.users), ri(1, 500), cents(ri(100, 50000)),
                     rfc3339(t))
                 for n, t in enumerate(range(start, end, a.checkout_every),
                                       1)]
    for path, rows in ((a.clicks, clicks), (a.checkouts, checkouts)):
        with open(path, "w") as f:
            f.writelines(r + "\n" for r in rows)
    if a.mixed:
        # one stream in time order (clicks first at equal times)
        with open(a.mixed, "w") as f:
            i = j = 0
            while i < len(clicks) or j < len(checkouts):
                if j == len(checkouts) or (i < len(clicks) and
                                           i * a.click_every <=
                                           j * a.checkout_every):
                    f.write('{"kind":"click",' + clicks[i][1:] + "\n")
                    i += 1
                else:
                    f.write('{"kind":"checkout",' + checkouts[j][1:] + "\n")
                    j += 1
    # clicks in a closed window of 1 h: the most any hour holds
    print(min(HOUR // a.click_every + 1, len(range(start, end,
                                                   a.click_every))))


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
    elif cmd == ["query"]:
        query(rest)
    elif cmd == ["rows"]:
        rows(rest)
    elif cmd == ["tgen"]:
        tgen(rest)
    elif cmd == ["tquery"]:
        tquery(rest)
    elif cmd == ["long"]:
        long_stream(rest)
    elif cmd == ["firstdiff"] and len(rest) == 2:
        sys.exit(firstdiff(rest))
    else:
        sys.exit(__doc__)
