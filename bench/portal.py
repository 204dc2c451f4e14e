#!/usr/bin/env python3
"""Request files for the portal scenarios of bench/run (issue #3: "a vote p99 ≤ 10 ms and
≥ 2,000 votes/s; the portal's idea list p99 ≤ 20 ms").

    bench/portal.py BASE TOKEN PRODUCT_ID OUT_DIR VOTERS

Against the running server: finds the workspace's slug and the product's key, lists the
product's published ideas (team API, admin token), signs VOTERS portal users in the way end
users do (the sign-in form, the code read from the outbox as an admin reads it when no SMTP
server is set, the code form), and writes into OUT_DIR:
  portal.base     the portal's path, /p/{workspace}/{product}
  portal.paths    GET list pages: trending, top, newest, each status filter, first pages
  votes.paths     POST …/ideas/{number}/vote for every published idea
  votes.headers   one `Cookie:` line per signed-in voter (bench/wrk.lua pairs every path with
                  every voter before it repeats one, so each request is a new vote)
Prints how many ideas and voters it wrote.
"""

import http.client
import json
import re
import sys
import urllib.parse


def main():
    base, token, product, out, voters = sys.argv[1:6]
    voters = int(voters)
    url = urllib.parse.urlparse(base)

    def request(method, path, body=None, headers=None):
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        conn.request(method, path, body=body, headers=headers or {})
        res = conn.getresponse()
        data = res.read()
        conn.close()
        return res.status, res.getheader("Set-Cookie") or "", data

    def api(path):
        status, _, data = request("GET", path, headers={"Authorization": f"Bearer {token}"})
        if status != 200:
            sys.exit(f"bench/portal.py: GET {path} answered {status}: {data[:300]!r}")
        return json.loads(data)

    slug = api("/api/v1/workspace")["slug"]
    key = api(f"/api/v1/products/{product}")["key"]
    portal = f"/p/{slug}/{key}"

    numbers = []
    cursor = None
    while True:
        q = f"/api/v1/products/{product}/portal/ideas?state=published&limit=200"
        if cursor:
            q += f"&cursor={urllib.parse.quote(cursor)}"
        page = api(q)
        numbers += [i["number"] for i in page["items"]]
        cursor = page.get("next_cursor")
        if not cursor:
            break
    if not numbers:
        sys.exit("bench/portal.py: the product has no published idea (generate with votes)")

    form = {"Content-Type": "application/x-www-form-urlencoded", "Origin": base}
    cookies = []
    for n in range(voters):
        email = f"bench-voter-{n}@example.org"
        body = urllib.parse.urlencode({"email": email, "display_name": f"Voter {n}"})
        status, _, data = request("POST", f"{portal}/sign-in", body, form)
        if status != 200:
            sys.exit(f"bench/portal.py: sign-in answered {status}: {data[:300]!r}")
        mails = api("/api/v1/outbox?limit=50")["items"]
        text = next((m["text"] for m in mails if m["to"] == email), "")
        code = re.search(r"\b(\d{6})\b", text)
        if not code:
            sys.exit(f"bench/portal.py: no code for {email} in the outbox")
        body = urllib.parse.urlencode({"email": email, "code": code.group(1), "next": portal})
        status, cookie, data = request("POST", f"{portal}/sign-in/code", body, form)
        if status not in (302, 303) or not cookie:
            sys.exit(f"bench/portal.py: code form answered {status}: {data[:300]!r}")
        cookies.append("Cookie: " + cookie.split(";")[0])

    sorts = ["", "?sort=top", "?sort=newest"]
    statuses = ["under_consideration", "planned", "in_progress", "shipped", "declined"]
    with open(f"{out}/portal.base", "w") as f:
        f.write(portal + "\n")
    with open(f"{out}/portal.paths", "w") as f:
        for s in sorts:
            f.write(portal + s + "\n")
        for st in statuses:
            f.write(f"{portal}?status={st}\n")
    with open(f"{out}/votes.paths", "w") as f:
        for n in numbers:
            f.write(f"{portal}/ideas/{n}/vote\n")
    with open(f"{out}/votes.headers", "w") as f:
        f.write("\n".join(cookies) + "\n")
    print(f"{len(numbers)} published ideas, {len(cookies)} voters signed in on {portal}")


if __name__ == "__main__":
    main()
