#!/usr/bin/env python3
"""Turns the raw files of one scripts/bench run into results.json and summary.md.

  bench/suite_report.py RUN_DIR [EVAL_README]

RUN_DIR is bench/out/bench-<timestamp>/ as scripts/bench leaves it (meta.json,
index/, search/, relevance/, micro/, skipped.txt). EVAL_README is
../shared/eval/README.md: the other engines' figures on nsmc_reviews are read
from its tables, so every Chaja figure is also given as a ratio against them
and against the in-process Xapian baseline of the same run. Prints summary.md.
"""
import glob
import json
import os
import re
import statistics
import sys

MIB = 1024 * 1024
BIG = "nsmc_reviews"
GROWTH = ["nsmc_reviews_10k", "nsmc_reviews_100k", BIG]
EXTRA = ["petitions", "nsmc_movies"]
# MRR@10 of the relevance table in bench/README.md ("Results"), which the
# suite must not fall below.
RELEVANCE_TABLE_MRR = {"nsmc_reviews": 0.691, "petitions": 0.823}


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def eval_engines(readme):
    """The 'Speed and size on nsmc_reviews' and MRR tables of the eval README."""
    engines = {}
    if not readme or not os.path.exists(readme):
        return engines
    text = open(readme, encoding="utf-8").read()
    speed = text.split("Speed and size", 1)[-1]
    for line in speed.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 7 or not re.match(r"^[\d.]+$", cells[1]):
            continue
        p = [float(x) for x in cells[5].split("/")]
        engines[cells[0]] = {"index_s": float(cells[1]), "docs_per_s": float(cells[2].replace(",", "")),
                             "index_mib": float(cells[3]), "index_rss_mib": float(cells[4]),
                             "p50": p[0], "p95": p[1], "p99": p[2], "search_rss_mib": float(cells[6])}
    mrr = text.split("MRR@10 / Recall@10", 1)[-1].split("Speed and size", 1)[0]
    for line in mrr.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 5 or "/" not in cells[1]:
            continue
        name = cells[0]
        key = next((k for k in engines if k.split(" (")[0] == name.split(" (")[0] or name.startswith(k.split(" (")[0])),
                   name)
        e = engines.setdefault(key, {})
        for set_name, cell in zip(["klue_nli", "petitions", "nsmc_movies", "nsmc_reviews"], cells[1:]):
            e.setdefault("mrr", {})[set_name] = float(cell.split("/")[0])
    return engines


def indexing(run, set_name):
    runs = []
    for path in sorted(glob.glob(f"{run}/index/{set_name}.chaja.*.json")):
        tag = path.rsplit(".", 2)[-2]
        if not tag.isdigit():
            continue
        m, size = load(path), load(path.replace(".json", ".size.json")) or {}
        if not m:
            continue
        runs.append({"run": int(tag), "rc": m["rc"], "wall_s": m["wall_s"], "cpu_s": round(m["user_s"] + m["sys_s"], 3),
                     "peak_rss_kib": m["max_rss_kib"], **size})
    base = load(f"{run}/index/{set_name}.xapian.out.json")
    if not runs or not base:
        return None
    docs, in_bytes = base["docs"], base["input_bytes"]
    for r in runs:
        r["docs_per_s"] = round(docs / r["wall_s"], 1)
        r["mb_per_s"] = round(in_bytes / 1e6 / r["wall_s"], 3)
    med = {k: median([r.get(k) for r in runs]) for k in
           ("wall_s", "cpu_s", "docs_per_s", "mb_per_s", "peak_rss_kib", "du_bytes", "apparent_bytes")}
    out = {"docs": docs, "input_bytes": in_bytes, "runs": runs, "median": med}
    compact = load(f"{run}/index/{set_name}.chaja.compact.json")
    if compact:
        out["compact"] = {"wall_s": compact["wall_s"], **(load(f"{run}/index/{set_name}.chaja.compact.size.json") or {})}
    xm, xs = load(f"{run}/index/{set_name}.xapian.json") or {}, load(f"{run}/index/{set_name}.xapian.size.json") or {}
    out["xapian"] = {"wall_s": xm.get("wall_s", base["seconds"]), "docs_per_s": round(docs / xm.get("wall_s", base["seconds"]), 1),
                     "mb_per_s": round(in_bytes / 1e6 / xm.get("wall_s", base["seconds"]), 3),
                     "peak_rss_kib": xm.get("max_rss_kib", base["peak_rss_kib"]), **xs}
    xc = load(f"{run}/index/{set_name}.xapian.compact.json")
    if xc:
        out["xapian"]["compact"] = {"wall_s": xc["wall_s"], **(load(f"{run}/index/{set_name}.xapian.compact.size.json") or {})}
    return out


def cpu_per_call(run, name, result):
    """searchd CPU ms per call of a loadgen run, warm-up calls included."""
    cpu = load(f"{run}/search/{name}.cpu.json")
    calls = result.get("calls", 0) + result.get("warmup_calls", 0)
    return round(cpu["searchd_cpu_s"] * 1e3 / calls, 3) if cpu and calls else None


def searching(run, set_name):
    out = {}
    singles = [load(p) for p in sorted(glob.glob(f"{run}/search/{set_name}.single.*.json"))
               if re.search(r"\.single\.\d+\.json$", p)]
    singles = [s for s in singles if s]
    if singles:
        keys = ("p50", "p90", "p95", "p99", "p99.9", "max", "mean")
        out["single"] = {
            "runs": [{"client_ms": s["client_ms"], "server_ms": s["server_ms"], "qps": s["qps"], "calls": s["calls"],
                      "errors": s["errors"], "load": [s["load_before"], s["load_after"]],
                      "searchd_cpu_ms_per_call": cpu_per_call(run, f"{set_name}.single.{i}", s)}
                     for i, s in enumerate(singles, 1)],
            "median": {"client_ms": {k: median([s["client_ms"][k] for s in singles]) for k in keys},
                       "server_ms": {k: median([s["server_ms"][k] for s in singles]) for k in keys},
                       "qps": median([s["qps"] for s in singles])},
            "errors": sum(s["errors"] for s in singles)}
    for c in ("c1", "c8"):
        s = load(f"{run}/search/{set_name}.{c}.json")
        if s:
            out[c] = {k: s.get(k) for k in ("concurrency", "calls", "errors", "first_error", "seconds", "qps", "client_ms",
                                            "server_ms", "client_cpu_s", "load_before", "load_after")}
            out[c]["searchd_cpu_s"] = (load(f"{run}/search/{set_name}.{c}.cpu.json") or {}).get("searchd_cpu_s")
            out[c]["searchd_cpu_ms_per_call"] = cpu_per_call(run, f"{set_name}.{c}", s)
    if "c1" in out and "c8" in out and out["c1"]["qps"]:
        out["c8_over_c1"] = round(out["c8"]["qps"] / out["c1"]["qps"], 3)
    for when in ("idle", "loaded"):
        r = load(f"{run}/search/{set_name}.{when}.rss.json")
        if r:
            out.setdefault("searchd_rss_kib", {})[when] = r
    x = load(f"{run}/search/{set_name}.xapian.json")
    if x:
        out["xapian"] = x
    return out


def relevance(run, set_name):
    out = {}
    for engine in ("chaja", "xapian"):
        s = load(f"{run}/relevance/{set_name}.{engine}.score.json")
        if s:
            out[engine] = s
    e = load(f"{run}/relevance/{set_name}.chaja.eval-run.json")
    if e:
        out["chaja_eval_run"] = e
    return out


def micro(run):
    out = {}
    for name in ("analyzer", "query"):
        data = load(f"{run}/micro/{name}.json")
        if not data:
            continue
        for b in data.get("benchmarks", []):
            if b.get("aggregate_name", "median") != "median":
                continue
            key = b.get("run_name", b["name"]).replace("_median", "")
            out.setdefault(name, {})[key] = {
                "mb_per_s": round(b["bytes_per_second"] / 1e6, 2) if "bytes_per_second" in b else None,
                "items_per_s": round(b["items_per_second"], 1) if "items_per_second" in b else None,
                "cpu_ns": round(b["cpu_time"] * {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")], 1)}
    return out


def fmt(x, digits=2, unit=""):
    if x is None:
        return "—"
    if isinstance(x, float) and abs(x) >= 1000:
        return f"{x:,.0f}{unit}"
    if isinstance(x, int):
        return f"{x:,}{unit}"
    return f"{x:.{digits}f}{unit}"


def ratio(a, b):
    return round(a / b, 3) if a is not None and b else None


def rx(a, b):
    r = ratio(a, b)
    return "—" if r is None else f"×{r:.2f}"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    run = sys.argv[1].rstrip("/")
    engines = eval_engines(sys.argv[2] if len(sys.argv) > 2 else None)
    meta = load(f"{run}/meta.json") or {}
    skipped = open(f"{run}/skipped.txt").read().splitlines() if os.path.exists(f"{run}/skipped.txt") else []
    res = {"meta": meta, "skipped": skipped, "indexing": {}, "search": {}, "relevance": {}, "micro": micro(run),
           "eval_readme_engines": engines}
    for s in GROWTH + EXTRA:
        ix = indexing(run, s)
        if ix:
            res["indexing"][s] = ix
        se = searching(run, s)
        if se:
            res["search"][s] = se
        rel = relevance(run, s)
        if rel:
            res["relevance"][s] = rel
    res["timeline"] = []
    if os.path.exists(f"{run}/timeline.tsv"):
        for line in open(f"{run}/timeline.tsv"):
            t, load_avg, step = line.rstrip("\n").split("\t", 2)
            res["timeline"].append({"t_s": int(t), "load": float(load_avg), "step": step})
    res["http_load"] = None
    if os.path.exists(f"{run}/http_load/http_load.json"):
        with open(f"{run}/http_load/http_load.json") as f:
            res["http_load"] = [json.loads(line) for line in f if line.strip()]

    # ---- targets on the 712k set ----
    ix, se, rel = res["indexing"].get(BIG, {}), res["search"].get(BIG, {}), res["relevance"].get(BIG, {})
    med, single = ix.get("median", {}), se.get("single", {}).get("median", {})
    rss_loaded = se.get("searchd_rss_kib", {}).get("loaded", {})
    analyzer = res["micro"].get("analyzer", {}).get("BM_AnalyzeDocs", {})
    mrr = rel.get("chaja", {}).get("mrr@10")
    kib_mib = lambda k: k / 1024 if k is not None else None
    b_mib = lambda b: b / MIB if b is not None else None
    c1, c8 = se.get("c1", {}).get("qps"), se.get("c8", {}).get("qps")
    targets = [
        ("indexing docs/s (median)", ">= 15,000", med.get("docs_per_s"), lambda v: v >= 15000),
        ("indexer peak RSS MiB", "< 500", kib_mib(med.get("peak_rss_kib")), lambda v: v < 500),
        ("index MiB (after the normal commit)", "<= 250", b_mib(med.get("du_bytes")), lambda v: v <= 250),
        ("index MiB after xapian-compact", "(<= 250)", b_mib(ix.get("compact", {}).get("du_bytes")), lambda v: v <= 250),
        ("single client p50 ms (gRPC)", "<= 2.0", single.get("client_ms", {}).get("p50"), lambda v: v <= 2.0),
        ("single client p99 ms (gRPC)", "<= 11", single.get("client_ms", {}).get("p99"), lambda v: v <= 11),
        # The table's figures are rounded to 3 decimals; so is the comparison.
        ("MRR@10", f">= {RELEVANCE_TABLE_MRR[BIG]}", mrr, lambda v: round(v, 3) >= RELEVANCE_TABLE_MRR[BIG]),
        ("concurrency 8 QPS / concurrency 1 QPS", ">= 1.7", se.get("c8_over_c1"), lambda v: v >= 1.7),
        ("searchd VmHWM MiB after the load", "< 100", kib_mib(rss_loaded.get("VmHWM_kib")), lambda v: v < 100),
        ("analyzer MB/s per core (NSMC reviews)", ">= 30", analyzer.get("mb_per_s"), lambda v: v >= 30),
    ]
    res["targets"] = [{"figure": n, "target": t, "measured": None if v is None else round(v, 3),
                       "met": None if v is None else bool(ok(v))} for n, t, v, ok in targets]
    res["ratios"] = {}
    xi = ix.get("xapian", {})
    xs = se.get("xapian", {})
    res["ratios"]["vs_xapian_baseline"] = {
        "docs_per_s": ratio(med.get("docs_per_s"), xi.get("docs_per_s")),
        "index_size": ratio(med.get("du_bytes"), xi.get("du_bytes")),
        "index_peak_rss": ratio(med.get("peak_rss_kib"), xi.get("peak_rss_kib")),
        "p50": ratio(single.get("client_ms", {}).get("p50"), xs.get("ms", {}).get("p50")),
        "p99": ratio(single.get("client_ms", {}).get("p99"), xs.get("ms", {}).get("p99")),
        "mrr@10": ratio(mrr, rel.get("xapian", {}).get("mrr@10")),
    }
    for name, e in engines.items():
        if "docs_per_s" not in e:
            continue
        res["ratios"][name] = {
            "docs_per_s": ratio(med.get("docs_per_s"), e["docs_per_s"]),
            "index_size": ratio(b_mib(med.get("du_bytes")), e["index_mib"]),
            "index_peak_rss": ratio(kib_mib(med.get("peak_rss_kib")), e["index_rss_mib"]),
            "p50": ratio(single.get("client_ms", {}).get("p50"), e["p50"]),
            "p99": ratio(single.get("client_ms", {}).get("p99"), e["p99"]),
            "search_rss": ratio(kib_mib(rss_loaded.get("VmRSS_kib")), e["search_rss_mib"]),
            "mrr@10": ratio(mrr, e.get("mrr", {}).get(BIG)),
        }
    with open(f"{run}/results.json", "w") as f:
        json.dump(res, f, indent=1, ensure_ascii=False)
        f.write("\n")
    md = summary(res, engines)
    with open(f"{run}/summary.md", "w") as f:
        f.write(md)
    print(md)


def summary(res, engines):
    meta, L = res["meta"], []
    L.append(f"# scripts/bench {meta.get('date', '')}\n")
    dirty = meta.get("dirty") or []
    L.append(f"Commit `{meta.get('commit', '?')[:12]}` ({meta.get('commit_subject', '')})"
             + (f", with uncommitted changes in {len(dirty)} files: " + ", ".join(d.split()[-1] for d in dirty[:12]) if dirty else "")
             + f". {meta.get('cores')} cores ({meta.get('cpu', '?')}), {meta.get('mem_mib', 0):,} MiB; load average at the start"
             f" {meta.get('load_at_start')}; indexing runs of the 712k set: {meta.get('runs')}; closed loop {meta.get('duration')}"
             f" per run. Indexer flags: `{meta.get('indexer_flags') or '(defaults)'}`.\n")
    big_docs = res["indexing"].get(BIG, {}).get("docs", 0)
    L.append(f"## Targets (nsmc_reviews, {big_docs:,} docs)\n")
    L.append("| figure | target | measured | met |")
    L.append("|---|---|---|---|")
    for t in res["targets"]:
        met = {True: "yes", False: "**no**", None: "—"}[t["met"]]
        L.append(f"| {t['figure']} | {t['target']} | {fmt(t['measured'], 3 if 'MRR' in t['figure'] else 2)} | {met} |")
    L.append("")

    ix, se, rel = res["indexing"].get(BIG, {}), res["search"].get(BIG, {}), res["relevance"].get(BIG, {})
    med, xi = ix.get("median", {}), ix.get("xapian", {})
    single = se.get("single", {}).get("median", {}).get("client_ms", {})
    xs = se.get("xapian", {}).get("ms", {})
    rss = se.get("searchd_rss_kib", {}).get("loaded", {})
    mib = lambda b: b / MIB if b else None
    L.append("## Against the other engines (nsmc_reviews)\n")
    L.append("Chaja's search figures are over loopback gRPC (client-side, one client); the others are in-process "
             "(../shared/eval/README.md), except the Xapian baseline of this run, also in-process. "
             "Ratios are Chaja / engine (docs/s: higher is better; the rest: lower is better).\n")
    L.append("| engine | docs/s | index MiB | index peak RSS MiB | p50 / p95 / p99 ms | search RSS MiB | MRR@10 |")
    L.append("|---|---|---|---|---|---|---|")
    mrr = rel.get("chaja", {}).get("mrr@10")
    L.append(f"| **Chaja** (this run) | {fmt(med.get('docs_per_s'))} | {fmt(mib(med.get('du_bytes')), 1)} | "
             f"{fmt(med.get('peak_rss_kib', 0) / 1024 if med.get('peak_rss_kib') else None, 0)} | "
             f"{fmt(single.get('p50'))} / {fmt(single.get('p95'))} / {fmt(single.get('p99'))} | "
             f"{fmt(rss.get('VmRSS_kib', 0) / 1024 if rss else None, 0)} | {fmt(mrr, 3)} |")
    xmrr = rel.get("xapian", {}).get("mrr@10")
    xrss = se.get("xapian", {}).get("rss_kib")
    L.append(f"| Xapian FLAG_CJK_NGRAM, C++ (this run) | {fmt(xi.get('docs_per_s'))} {rx(med.get('docs_per_s'), xi.get('docs_per_s'))} | "
             f"{fmt(mib(xi.get('du_bytes')), 1)} {rx(med.get('du_bytes'), xi.get('du_bytes'))} | "
             f"{fmt(xi.get('peak_rss_kib', 0) / 1024 if xi.get('peak_rss_kib') else None, 0)} {rx(med.get('peak_rss_kib'), xi.get('peak_rss_kib'))} | "
             f"{fmt(xs.get('p50'))} / {fmt(xs.get('p95'))} / {fmt(xs.get('p99'))} {rx(single.get('p50'), xs.get('p50'))} / {rx(single.get('p99'), xs.get('p99'))} | "
             f"{fmt(xrss / 1024 if xrss else None, 0)} {rx(rss.get('VmRSS_kib'), xrss)} | {fmt(xmrr, 3)} |")
    for name, e in engines.items():
        if "docs_per_s" not in e:
            continue
        em = e.get("mrr", {}).get(BIG)
        L.append(f"| {name} | {fmt(e['docs_per_s'])} {rx(med.get('docs_per_s'), e['docs_per_s'])} | "
                 f"{fmt(e['index_mib'], 0)} {rx(mib(med.get('du_bytes')), e['index_mib'])} | "
                 f"{fmt(e['index_rss_mib'], 0)} {rx(med.get('peak_rss_kib', 0) / 1024 if med.get('peak_rss_kib') else None, e['index_rss_mib'])} | "
                 f"{fmt(e['p50'])} / {fmt(e['p95'])} / {fmt(e['p99'])} {rx(single.get('p50'), e['p50'])} / {rx(single.get('p99'), e['p99'])} | "
                 f"{fmt(e['search_rss_mib'], 0)} {rx(rss.get('VmRSS_kib', 0) / 1024 if rss else None, e['search_rss_mib'])} | "
                 f"{fmt(em, 3)} |")
    L.append("")

    L.append("## Indexing\n")
    L.append("Wall time of the whole `chaja-indexer` process (JSON parsing, analysis, Xapian, commits); docs/s and MB/s "
             "of the input JSONL; index size is `du` of the site's `xapian/` folder after the normal commit, and of a "
             "`xapian-compact` copy; peak RSS is the process's maxrss. Median over the runs listed.\n")
    L.append("| set | docs | input MB | runs | wall s | docs/s | MB/s | peak RSS MiB | index MiB | compacted MiB (s) | "
             "Xapian docs/s | Xapian MiB (compacted) | Xapian RSS MiB | docs/s ×Xapian | size ×Xapian |")
    L.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for s in GROWTH + EXTRA:
        i = res["indexing"].get(s)
        if not i:
            continue
        m, x, c = i["median"], i["xapian"], i.get("compact", {})
        xc = x.get("compact", {})
        L.append(f"| {s} | {i['docs']:,} | {i['input_bytes'] / 1e6:.1f} | {len(i['runs'])} "
                 f"({', '.join(fmt(r['wall_s'], 1) for r in i['runs'])}) | {fmt(m['wall_s'], 1)} | {fmt(m['docs_per_s'], 0)} | "
                 f"{fmt(m['mb_per_s'])} | {fmt(m['peak_rss_kib'] / 1024, 0)} | {fmt(mib(m['du_bytes']), 1)} | "
                 f"{fmt(mib(c.get('du_bytes')), 1)} ({fmt(c.get('wall_s'), 1)}) | {fmt(x['docs_per_s'], 0)} | "
                 f"{fmt(mib(x.get('du_bytes')), 1)} ({fmt(mib(xc.get('du_bytes')), 1)}) | {fmt(x['peak_rss_kib'] / 1024, 0)} | "
                 f"{rx(m['docs_per_s'], x['docs_per_s'])} | {rx(m['du_bytes'], x.get('du_bytes'))} |")
    L.append("")

    L.append(f"## Search load on nsmc_reviews ({big_docs:,} docs)\n")
    L.append("`chaja-loadgen` over loopback gRPC, natural mode, 10 hits, the 3,000 queries prepared as in the eval. "
             "Single: every query once after a warm-up pass (median of the runs). Closed: N calls in flight for the "
             "duration after a 2 s warm-up. Client-side ms; server `took` in brackets.\n")
    L.append("| run | calls | errors | QPS | p50 | p90 | p95 | p99 | p99.9 | server p50 / p99 | searchd CPU ms/call |")
    L.append("|---|---|---|---|---|---|---|---|---|---|---|")
    sg = se.get("single", {})
    for k, r in enumerate(sg.get("runs", []), 1):
        c, sv = r["client_ms"], r["server_ms"]
        L.append(f"| single #{k} | {r['calls']:,} | {r['errors']} | {fmt(r['qps'], 1)} | {fmt(c['p50'])} | {fmt(c['p90'])} | "
                 f"{fmt(c['p95'])} | {fmt(c['p99'])} | {fmt(c['p99.9'])} | {fmt(sv['p50'])} / {fmt(sv['p99'])} | "
                 f"{fmt(r.get('searchd_cpu_ms_per_call'))} |")
    if sg:
        c, sv = sg["median"]["client_ms"], sg["median"]["server_ms"]
        L.append(f"| single, median | | {sg['errors']} | {fmt(sg['median']['qps'], 1)} | **{fmt(c['p50'])}** | {fmt(c['p90'])} | "
                 f"{fmt(c['p95'])} | **{fmt(c['p99'])}** | {fmt(c['p99.9'])} | {fmt(sv['p50'])} / {fmt(sv['p99'])} | |")
    for k in ("c1", "c8"):
        r = se.get(k)
        if r:
            c, sv = r["client_ms"], r["server_ms"]
            L.append(f"| closed, concurrency {r['concurrency']} | {r['calls']:,} | {r['errors']} | **{fmt(r['qps'], 1)}** | "
                     f"{fmt(c['p50'])} | {fmt(c['p90'])} | {fmt(c['p95'])} | **{fmt(c['p99'])}** | {fmt(c['p99.9'])} | "
                     f"{fmt(sv['p50'])} / {fmt(sv['p99'])} | {fmt(r.get('searchd_cpu_ms_per_call'))} |")
    if "xapian" in se:
        x = se["xapian"]
        L.append(f"| Xapian baseline, in-process, single | {x['queries'] - x['parse_errors']:,} | {x['parse_errors']} parse errors | | "
                 f"{fmt(x['ms']['p50'])} | {fmt(x['ms']['p90'])} | {fmt(x['ms']['p95'])} | {fmt(x['ms']['p99'])} | "
                 f"{fmt(x['ms']['p99.9'])} | | |")
    L.append("")
    if "c8_over_c1" in se:
        cpu = "; ".join(f"concurrency {se[k]['concurrency']}: searchd {fmt(se[k].get('searchd_cpu_s'), 1)} s, "
                        f"client {fmt(se[k].get('client_cpu_s'), 1)} s" for k in ("c1", "c8"))
        L.append(f"Concurrency 8 / concurrency 1 throughput: **×{se['c8_over_c1']:.2f}** (target ×1.7). "
                 f"CPU used during the closed runs ({cpu}; the machine has {res['meta'].get('cores')} cores).")
    rk = se.get("searchd_rss_kib", {})
    if rk:
        L.append("chaja-searchd memory: " + "; ".join(
            f"{w}: VmRSS {v['VmRSS_kib'] / 1024:.0f} MiB, VmHWM {v['VmHWM_kib'] / 1024:.0f} MiB" for w, v in rk.items())
            + " (idle: after start, before any query; loaded: after all the runs above).")
    L.append("")

    L.append("## Growth: 10k → 100k → 712k reviews\n")
    L.append("Single-client p50/p99 over gRPC (one run for the prefixes, median for 712k); the Xapian columns are the "
             "in-process baseline of this run. ×: factor against the previous row.\n")
    L.append("| docs | index s | docs/s | index MiB | p50 ms | p99 ms | searchd RSS MiB | Xapian index s | Xapian MiB | "
             "Xapian p50 / p99 ms | MRR@10 (judged) |")
    L.append("|---|---|---|---|---|---|---|---|---|---|---|")
    prev = None
    for s in GROWTH:
        i, q, r = res["indexing"].get(s), res["search"].get(s, {}), res["relevance"].get(s, {})
        if not i:
            continue
        m, x = i["median"], i["xapian"]
        c = q.get("single", {}).get("median", {}).get("client_ms", {})
        xq = q.get("xapian", {}).get("ms", {})
        cur = {"docs": i["docs"], "wall": m["wall_s"], "size": m["du_bytes"], "p50": c.get("p50"), "p99": c.get("p99")}
        g = (lambda k: f" {rx(cur[k], prev[k])}" if prev else "")
        rs = q.get("searchd_rss_kib", {}).get("loaded", {}).get("VmRSS_kib")
        judged = r.get("chaja", {}).get("queries_scored")
        L.append(f"| {i['docs']:,}{g('docs')} | {fmt(m['wall_s'], 1)}{g('wall')} | {fmt(m['docs_per_s'])} | "
                 f"{fmt(mib(m['du_bytes']), 1)}{g('size')} | {fmt(c.get('p50'))}{g('p50')} | {fmt(c.get('p99'))}{g('p99')} | "
                 f"{fmt(rs / 1024 if rs else None, 0)} | {fmt(x['wall_s'], 1)} | {fmt(mib(x.get('du_bytes')), 1)} | "
                 f"{fmt(xq.get('p50'))} / {fmt(xq.get('p99'))} | {fmt(r.get('chaja', {}).get('mrr@10'), 3)} ({judged or '—'}) |")
        prev = cur
    L.append("")

    L.append("## Relevance (../shared/eval/score.py)\n")
    L.append("| set | judged queries | Chaja MRR@10 / Recall@10 / nDCG@10 (no result) | Xapian baseline | relevance table | "
             "best in eval README |")
    L.append("|---|---|---|---|---|---|")
    for s in GROWTH + EXTRA:
        r = res["relevance"].get(s)
        if not r or "chaja" not in r:
            continue
        c, x = r["chaja"], r.get("xapian", {})
        best = max(((e["mrr"][s], n) for n, e in engines.items() if s in e.get("mrr", {})), default=None)
        L.append(f"| {s} | {c['queries_scored']} | {c['mrr@10']:.3f} / {c['recall@10']:.3f} / {c['ndcg@10']:.3f} "
                 f"({c['queries_with_no_results']}) | "
                 + (f"{x['mrr@10']:.3f} / {x['recall@10']:.3f} / {x['ndcg@10']:.3f} ({x['queries_with_no_results']})" if x else "—")
                 + f" | {RELEVANCE_TABLE_MRR.get(s, '—')} | " + (f"{best[0]:.3f} ({best[1]})" if best else "—") + " |")
    L.append("")

    L.append("## Micro-benchmarks (Google Benchmark, median of 3 repetitions, one core)\n")
    L.append("| benchmark | MB/s | items/s | CPU ns per iteration |")
    L.append("|---|---|---|---|")
    for group in ("analyzer", "query"):
        for name, b in res["micro"].get(group, {}).items():
            L.append(f"| {name} | {fmt(b['mb_per_s'])} | {fmt(b['items_per_s'], 0)} | {fmt(b['cpu_ns'], 0)} |")
    L.append("")
    if res.get("http_load"):
        L.append("## HTTP/JSON beside gRPC (bench/http_load, closed loop on the same queries)\n")
        L.append("| transport | connections | req/s | p50 ms | p90 ms | p99 ms | max ms | errors |")
        L.append("|---|---|---|---|---|---|---|---|")
        for r in res["http_load"]:
            e = r.get("errors")
            e = sum(e.values()) if isinstance(e, dict) else e
            L.append(f"| {r.get('transport')} | {r.get('connections')} | {fmt(r.get('rps'), 1)} | {fmt(r.get('p50_ms'))} | "
                     f"{fmt(r.get('p90_ms'))} | {fmt(r.get('p99_ms'))} | {fmt(r.get('max_ms'))} | {e} |")
        L.append("")
    tl = res.get("timeline", [])
    if tl:
        L.append("## Time\n")
        L.append(f"The suite took {tl[-1]['t_s']} s after the build. Step (seconds, load average at its start):\n")
        L.append(", ".join(f"{a['step']} {b['t_s'] - a['t_s']} s ({a['load']})" for a, b in zip(tl, tl[1:])) + ".\n")
    if res["skipped"]:
        L.append("## Skipped to stay within the time budget\n")
        L.extend(f"- {s}" for s in res["skipped"])
        L.append("")
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    main()
