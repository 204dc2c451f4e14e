#!/usr/bin/env python3
"""Request files for the prioritisation scenarios of bench/run (issue #4: "the ranked backlog
page p50 ≤ 3 ms, p99 ≤ 20 ms at 16 connections; a reorder p99 ≤ 10 ms; the value/effort matrix
of 1,000 ideas < 50 ms").

    bench/backlog.py BASE TOKEN PRODUCT_ID DB_FILE OUT_DIR

Against the running server (admin token) and its SQLite file (read only, for counts the API
does not give): writes into OUT_DIR
  backlog.pages   GET /products/{PRODUCT_ID}/backlog?sort=score&… (the HTML page, same filters as
                  backlog.paths)
  moves.paths     POST /api/v1/ideas/{id}/move for 2,000 ideas of PRODUCT_ID drawn from its
                  whole manual order (seeded), one per line …
  moves.bodies    … and, on the same line number, the move: up, down, a position among the
                  first 500, before or after another drawn idea (bench/wrk.lua sends line n of
                  both files together, as both have the same length)
  matrix.product  the product whose value/effort-scored idea count is closest to 1,000, its
                  count and key (tab-separated)
  counts.txt      ideas and value/effort scores per product (for the report)
Prints a summary.
"""

import http.client
import json
import random
import sqlite3
import sys
import urllib.parse
import uuid

MOVES = 2000


def main():
    base, token, product, db, out = sys.argv[1:6]
    url = urllib.parse.urlparse(base)

    def api(path):
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        res = conn.getresponse()
        data = res.read()
        conn.close()
        if res.status != 200:
            sys.exit(f"bench/backlog.py: GET {path} answered {res.status}: {data[:300]!r}")
        return json.loads(data)

    # Counts straight from the file: the API pages ideas but does not count them.
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)

    def by_product(sql):  # ids are stored as 16-byte blobs
        return {str(uuid.UUID(bytes=k)): v for k, v in con.execute(sql)}

    keys = by_product("SELECT id, key FROM products")
    ideas = by_product(
        "SELECT product_id, count(*) FROM ideas WHERE merged_into IS NULL GROUP BY product_id"
    )
    scored = by_product(
        "SELECT product_id, count(*) FROM idea_scores WHERE framework = 'value_effort' "
        "GROUP BY product_id"
    )
    con.close()
    with open(f"{out}/counts.txt", "w") as f:
        for p in sorted(ideas, key=lambda p: -ideas[p]):
            f.write(f"{keys.get(p, '?')}\t{p}\t{ideas[p]} ideas\t{scored.get(p, 0)} value/effort\n")
    matrix = min(scored, key=lambda p: abs(scored[p] - 1000)) if scored else product
    with open(f"{out}/matrix.product", "w") as f:
        f.write(f"{matrix}\t{scored.get(matrix, 0)}\t{keys.get(matrix, '?')}\n")

    # The product's ideas in its manual order (200 a page), every one, so the moves reach
    # the whole order and not only its top.
    order = []
    cursor = None
    while True:
        q = f"/api/v1/products/{product}/backlog?sort=rank&limit=200"
        if cursor:
            q += f"&cursor={urllib.parse.quote(cursor)}"
        page = api(q)
        order += [i["id"] for i in page["items"]]
        cursor = page.get("next_cursor")
        if not cursor:
            break
    if len(order) < 2:
        sys.exit("bench/backlog.py: the product has fewer than two ideas")
    rng = random.Random(4)
    movers = rng.sample(order, min(MOVES, len(order)))
    with open(f"{out}/moves.paths", "w") as paths, open(f"{out}/moves.bodies", "w") as bodies:
        for i, idea in enumerate(movers):
            kind = i % 5
            if kind == 0:
                body = {"to": "up"}
            elif kind == 1:
                body = {"to": "down"}
            elif kind == 2:
                body = {"position": rng.randrange(500)}
            else:
                other = rng.choice(order)
                while other == idea:
                    other = rng.choice(order)
                body = {"before" if kind == 3 else "after": other}
            paths.write(f"/api/v1/ideas/{idea}/move\n")
            bodies.write(json.dumps(body) + "\n")

    with open(f"{out}/backlog.paths") as f:
        api_paths = [l.strip() for l in f if l.strip()]
    with open(f"{out}/backlog.pages", "w") as f:
        for p in api_paths:
            f.write(p.replace("/api/v1/products/", "/products/", 1).replace("&limit=50", "") + "\n")
    print(
        f"{ideas.get(product, 0)} ideas in the backlog product ({len(order)} in its order, "
        f"{len(movers)} to move); matrix on {keys.get(matrix, '?')} "
        f"({scored.get(matrix, 0)} value/effort scores)"
    )


if __name__ == "__main__":
    main()
