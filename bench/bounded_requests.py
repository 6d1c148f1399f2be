#!/usr/bin/env python3
"""Issue 14's bounded-request table: the costliest anonymous requests we know
how to build, each sent to two builds of chaja-searchd side by side, with the
server's CPU time per request (the sum of its threads' run time from
/proc/PID/task/*/schedstat, so other load on the machine counts less than in
wall time) and the wall time seen by the client. Medians of --rounds.

  bench/bounded_requests.py OLD_BUILD NEW_BUILD [--data bench/out/relevance-data]
      [--site nsmc-reviews] [--huge_dir DIR] [--rounds 7]

--data/--site: the 712k-review site of bench/relevance. --huge_dir: a data
folder made here with a site "huge" of four posts of almost 16 MiB (the
indexer's default limit), made once.
"""
import argparse
import json
import os
import pathlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

COMMON = ("영화 정말 너무 진짜 재밌다 최고 감동 배우 연기 스토리 재미 보고 사람 생각 시간 내용 "
          "마지막 다시 그냥 좋은 이런 없는 있는 하는 평점 쓰레기 완전 감독 작품 음악 좋다 별로").split()
FACETS = [{"field": "FACET_FIELD_TAG", "limit": 1000}, {"field": "FACET_FIELD_CATEGORY", "limit": 1000}]


def long_query(limit_bytes=2040):
    q = ""
    for w in COMMON * 40:
        if len((q + " " + w).encode()) > limit_bytes:
            break
        q = (q + " " + w).strip()
    return q


def cases_712k(max_limit):
    tags = [f"태그{i}" for i in range(64)]
    return [
        ("2 KB of common words, largest page, exact facets",
         dict(query=long_query(), limit=max_limit, facets=FACETS)),
        ("5 common words, exact facets", dict(query=" ".join(COMMON[:5]), limit=10, facets=FACETS)),
        ("32 common words, page 100 deep, exact facets",
         dict(query=" ".join(COMMON[:32]), limit=max_limit, offset=9900 - max_limit, facets=FACETS)),
        ("5 words, 64 tags (any), 64 excluded tags, facets",
         dict(query=" ".join(COMMON[:5]), tags=tags, tagMatch="TAG_MATCH_ANY", excludeTags=tags, facets=FACETS)),
        ("phrase of 2 common words, facets", dict(query='"정말 너무"', limit=10, facets=FACETS)),
        ("phrase of 32 common words", dict(query='"' + " ".join(COMMON[:32]) + '"', limit=10)),
        ("2 KB typed query (typing: true)", dict(query=long_query(), typing=True, limit=10)),
    ]


def cases_huge():
    return [
        ("a word in every post", dict(query="채우는 문장", limit=10)),
        ("a phrase in every post", dict(query='"채우는 문장이다"', limit=10)),
        ("a phrase at the very end", dict(query='"희귀한 마지막 구절"', limit=10)),
    ]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def cpu_ns(pid):
    total = 0
    for task in pathlib.Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError):
            pass  # a thread that ended meanwhile
    return total


class Searchd:
    def __init__(self, build, data, log, flags):
        self.port = free_port()
        self.log = log
        self.proc = subprocess.Popen(
            [f"{build}/searchd/chaja-searchd", "--data", data, "--listen", "127.0.0.1:0",
             "--http", f"127.0.0.1:{self.port}"] + flags, stderr=open(log, "w"))
        for _ in range(300):
            if "http on" in pathlib.Path(log).read_text():
                break
            time.sleep(0.1)

    def wait_for_lists(self, site):
        self.post(site, dict(query="영화", limit=1))
        for _ in range(600):
            if "in memory" in pathlib.Path(self.log).read_text():
                return
            time.sleep(0.1)

    def post(self, site, body):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}/v1/sites/{site}/search",
                                     data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req) as r:
                answer = json.load(r)
                return 200, answer.get("ranker", ""), len(answer.get("hits", []))
        except urllib.error.HTTPError as e:
            return e.code, json.load(e).get("status", ""), 0

    def measure(self, site, body, rounds):
        cpus, walls = [], []
        for _ in range(rounds):
            before = cpu_ns(self.proc.pid)
            t = time.perf_counter()
            status, ranker, hits = self.post(site, body)
            walls.append(time.perf_counter() - t)
            cpus.append(cpu_ns(self.proc.pid) - before)
        cpus.sort()
        walls.sort()
        return cpus[len(cpus) // 2] / 1e6, walls[len(walls) // 2] * 1e3, status, ranker, hits

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def make_huge(huge_dir, build):
    site = pathlib.Path(huge_dir) / "huge"
    if site.exists():
        return
    filler = "채우는 문장이다. " * ((16 * 1024 * 1024 - 4096) // len("채우는 문장이다. ".encode()))
    jsonl = pathlib.Path(huge_dir) / "huge.jsonl"
    jsonl.parent.mkdir(parents=True, exist_ok=True)
    with open(jsonl, "w") as f:
        for i in range(4):
            f.write(json.dumps({"id": f"huge{i}", "title": f"아주 긴 글 {i}",
                                "body": filler + " 희귀한 마지막 구절."}, ensure_ascii=False) + "\n")
        f.write(json.dumps({"id": "short", "title": "짧은 글", "body": "채우는 문장이다. 짧다."},
                           ensure_ascii=False) + "\n")
    subprocess.run([f"{build}/indexer/chaja-indexer", "--data", huge_dir, "--site", "huge", str(jsonl)], check=True)


def run(label, builds, data, site, cases, rounds, lists, out):
    rows = {}
    for name, build in builds:
        # The new build's deadline (2 s) would hide what a request costs.
        flags = ["--search_timeout", "10s"] if name == "new" else []
        searchd = Searchd(build, data, f"{out}/{name}-{label.replace(' ', '_')}.log", flags)
        if lists:
            searchd.wait_for_lists(site)
        for case, body in cases(name):
            searchd.post(site, body)  # warm the caches
            rows.setdefault(case, {})[name] = searchd.measure(site, body, rounds)
        searchd.stop()
    print(f"\n{label}: median server CPU ms / client wall ms over {rounds} rounds\n")
    print("| request | old CPU | old wall | new CPU | new wall | new answer |")
    print("|---|---|---|---|---|---|")
    for case, by in rows.items():
        o, n = by["old"], by["new"]
        print(f"| {case} | {o[0]:.1f} | {o[1]:.1f} | {n[0]:.1f} | {n[1]:.1f} | {n[2]} {n[3]} {n[4]} hits |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--data", default="bench/out/relevance-data")
    ap.add_argument("--site", default="nsmc-reviews")
    ap.add_argument("--huge_dir", default="bench/out/huge-data")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--out", default="bench/out")
    args = ap.parse_args()
    builds = [("old", args.old), ("new", args.new)]
    # The old build took pages of 1,000 hits; the new one takes 100.
    limits = {"old": 1000, "new": 100}
    run("712k reviews", builds, args.data, args.site, lambda name: cases_712k(limits[name]), args.rounds, True,
        args.out)
    make_huge(args.huge_dir, args.new)
    run("4 posts of 16 MiB", builds, args.huge_dir, "huge", lambda name: cases_huge(), args.rounds, False, args.out)


if __name__ == "__main__":
    sys.exit(main())
