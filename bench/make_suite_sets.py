#!/usr/bin/env python3
"""Prefix sets of nsmc_reviews for scripts/bench, so cost growth can be read off.

  bench/make_suite_sets.py GEN_DIR OUT_DIR N [N...]

GEN_DIR holds ../shared/eval/make_dev.py's output (nsmc_reviews/{corpus,queries}.jsonl).
For each N, OUT_DIR/nsmc_reviews_<N/1000>k/ gets:
  corpus.jsonl   the first N lines of the reviews corpus, unchanged;
  queries.jsonl  every latency-only query (empty "relevant", kept as is) and every
                 judged query with at least one relevant review inside the prefix,
                 its "relevant" list cut to those reviews; judged queries whose
                 reviews all lie outside the prefix are left out.
It also writes OUT_DIR/reviews_text.txt: the bodies of the first 100,000 reviews,
one per line (newlines inside a body become spaces), for analyzer_bench's
BM_AnalyzeDocs (CHAJA_BENCH_TEXT).
Prints one line per set: docs, queries, judged.
"""
import json
import os
import sys


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    gen, out, sizes = sys.argv[1], sys.argv[2], [int(n) for n in sys.argv[3:]]
    src = os.path.join(gen, "nsmc_reviews")
    with open(os.path.join(src, "queries.jsonl"), encoding="utf-8") as f:
        queries = [json.loads(line) for line in f if line.strip()]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(src, "corpus.jsonl"), encoding="utf-8") as f:
        head = []
        for line in f:
            head.append(line)
            if len(head) >= max(sizes + [100000]):
                break
    with open(os.path.join(out, "reviews_text.txt"), "w", encoding="utf-8") as f:
        for line in head[:100000]:
            f.write(" ".join(json.loads(line)["body"].split("\n")) + "\n")
    for n in sizes:
        name = f"nsmc_reviews_{n // 1000}k"
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        ids = {json.loads(line)["id"] for line in head[:n]}
        with open(os.path.join(d, "corpus.jsonl"), "w", encoding="utf-8") as f:
            f.writelines(head[:n])
        kept = judged = 0
        with open(os.path.join(d, "queries.jsonl"), "w", encoding="utf-8") as f:
            for q in queries:
                if q["relevant"]:
                    rel = [r for r in q["relevant"] if r in ids]
                    if not rel:
                        continue
                    q = dict(q, relevant=rel)
                    judged += 1
                f.write(json.dumps(q, ensure_ascii=False) + "\n")
                kept += 1
        print(f"{name}: {min(n, len(head))} docs, {kept} queries ({judged} judged) -> {d}")


if __name__ == "__main__":
    main()
