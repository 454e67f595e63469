#!/usr/bin/env python3
"""cdc-oracle.py: change events from a simulated table, and the replay of a
changelog, for oracle tests of cdc-unwrap.

  cdc-oracle.py gen SEED N IDENTITY TABLEFILE > events.ndjson
      N random inserts, updates (some changing the key) and deletes on two
      tables, as Debezium-shaped events the way PostgreSQL's pgoutput fills
      them under REPLICA IDENTITY IDENTITY (default: update without key
      change has no before, key change and delete carry only the key; full:
      complete old rows). The final content of both tables goes to
      TABLEFILE, one row per line, sorted.
  cdc-oracle.py replay < changelog.ndjson
      Apply +I/+U as insertions and -U/-D as retractions of exactly equal
      rows; print the surviving rows sorted. A retraction of a row that is
      not there is an error (exit 1): a changelog must retract what it
      inserted.

Numbers are kept as their exact text (decimal.Decimal), never floats.
"""
import decimal
import json
import random
import sys


def enc(v, sort=False):
    """Compact JSON that writes a Decimal as a number with its exact
    digits (json.dumps would need floats for that)."""
    if isinstance(v, dict):
        items = sorted(v.items()) if sort else v.items()
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" +
                              enc(x, sort) for k, x in items) + "}"
    if isinstance(v, list):
        return "[" + ",".join(enc(x, sort) for x in v) + "]"
    if isinstance(v, decimal.Decimal):
        return str(v)
    return json.dumps(v, ensure_ascii=False)


def dumps(row):
    return enc(row, sort=True)


def gen(seed, n, identity, tablefile):
    rnd = random.Random(seed)
    tables = {"orders": {}, "items": {}}
    keys = {"orders": "order_id", "items": "item_id"}
    next_id = {"orders": 1, "items": 1}
    lsn = 1000
    out = sys.stdout
    for i in range(n):
        table = rnd.choice(["orders", "items"])
        rows, key = tables[table], keys[table]
        lsn += rnd.randint(1, 500)
        op = rnd.choices(["c", "u", "d"], [5, 4, 2])[0] if rows else "c"
        before = after = None
        if op == "c":
            k = next_id[table]
            next_id[table] += 1
            after = {key: k, "customer": rnd.randint(1, 20),
                     "total": decimal.Decimal(rnd.randint(0, 99999)) /
                     100, "note": rnd.choice(["", "gift", 'say "hi"',
                                              "caf\u00e9", "tab\there"])}
            rows[k] = after
        elif op == "u":
            k = rnd.choice(sorted(rows))
            old = rows[k]
            after = dict(old)
            after["total"] = decimal.Decimal(rnd.randint(0, 99999)) / 100
            if rnd.random() < 0.15:           # the key changes
                nk = next_id[table]
                next_id[table] += 1
                after[key] = nk
                del rows[k]
                rows[nk] = after
                before = dict(old) if identity == "full" else {key: k}
            else:
                rows[k] = after
                before = dict(old) if identity == "full" else None
        else:
            k = rnd.choice(sorted(rows))
            old = rows.pop(k)
            before = dict(old) if identity == "full" else {key: k}
        ev = {"before": before, "after": after,
              "source": {"connector": "postgresql", "db": "shop",
                         "schema": "public", "table": table, "lsn": lsn,
                         "txId": 700 + i, "ts_ms": 1763805600000 + i,
                         "snapshot": "false"},
              "op": op, "ts_ms": 1763805600000 + i}
        out.write(enc(ev) + "\n")
    with open(tablefile, "w") as f:
        for t in sorted(tables):
            for k in sorted(tables[t]):
                f.write(dumps(tables[t][k]) + "\n")


def replay():
    alive = {}
    for n, line in enumerate(sys.stdin, 1):
        row = json.loads(line, parse_float=decimal.Decimal)
        if "__watermark" in row:
            continue
        kind = row.pop("__kind", "+I")
        text = dumps(row)
        if kind in ("+I", "+U"):
            alive[text] = alive.get(text, 0) + 1
        elif kind in ("-U", "-D"):
            if alive.get(text, 0) == 0:
                sys.exit("replay: line %d: %s retracts a row that is not "
                         "there: %s" % (n, kind, text))
            alive[text] -= 1
        else:
            sys.exit("replay: line %d: bad __kind %r" % (n, kind))
    for text in sorted(t for t, c in alive.items() for _ in range(c)):
        print(text)


if __name__ == "__main__":
    if sys.argv[1:2] == ["gen"] and len(sys.argv) == 6:
        gen(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5])
    elif sys.argv[1:] == ["replay"]:
        replay()
    else:
        sys.exit(__doc__)
