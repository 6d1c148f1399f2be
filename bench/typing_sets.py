#!/usr/bin/python3
"""The sets bench/typing measures beside ../shared/eval's, and its query files.

  typing_sets.py blog BLOG_JSONL OUT_DIR
      OUT_DIR/choseong.jsonl: one query per title, tag and category of the sample blog whose
      text has >= 2 Hangul syllables. "query" is the 초성 of each word's Hangul syllables, the
      words joined by spaces as make_typing.py's choseong does ("개발 환경" -> "ㄱㅂ ㅎㄱ",
      "WSL2 우분투에서" -> "ㅇㅂㅌㅇㅅ"; a word without Hangul, such as "Docker", is left out);
      "clean" is the text as the search box sees it; "relevant" is every post with that
      title, tag or category.
  typing_sets.py titled SET_DIR CORPUS_DIR OUT_DIR
      A titled copy of nsmc_movies: SET_DIR's corpus.jsonl (the 14,730 untitled pages) plus one
      page per film of CORPUS_DIR/nsmc/synopses.json {"id": "synopsis_NN", "title": title_kr,
      "body": synopsis}, and SET_DIR's queries.jsonl as it is. The corpus has no title for the
      review pages (see bench/README.md), so the synopses are the titled pages that
      make_typing.py's choseong, title_half and title_mistype ask for.
  typing_sets.py queries VARIANT_JSONL CLEAN_OUT TYPED_OUT
      The two queries files of a variant in score.py's format ({qid, query, relevant}): the
      "clean" field as the query, and the variant ("query") as the query.
"""
import json
import os
import sys
import unicodedata

CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"


def clean_query(s):
    """As ../shared/eval/make_typing.py: lower-case; every non letter/mark/digit becomes a space."""
    return " ".join("".join(ch if unicodedata.category(ch)[0] in "LMN" else " " for ch in s.lower()).split())


def is_syllable(ch):
    return 0xAC00 <= ord(ch) <= 0xD7A3


def choseong(text):
    words = ("".join(CHO[(ord(ch) - 0xAC00) // 588] for ch in w if is_syllable(ch)) for w in text.split())
    return " ".join(w for w in words if w)


def write(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def blog(blog_jsonl, out_dir):
    posts = [json.loads(l) for l in open(blog_jsonl, encoding="utf-8") if l.strip()]
    # kind -> text as written -> post ids
    found = {"title": {}, "tag": {}, "category": {}}
    for p in posts:
        found["title"].setdefault(p["title"], []).append(p["id"])
        for tag in p.get("tags", []):
            found["tag"].setdefault(tag, []).append(p["id"])
        if p.get("category"):
            found["category"].setdefault(p["category"], []).append(p["id"])
    rows = []
    for kind, texts in found.items():
        for text, ids in sorted(texts.items()):
            if sum(map(is_syllable, text)) < 2:
                continue
            rows.append({"qid": f"cho-{kind}-{text}", "query": choseong(clean_query(text)),
                         "clean": clean_query(text), "relevant": sorted(set(ids))})
    os.makedirs(out_dir, exist_ok=True)
    write(os.path.join(out_dir, "choseong.jsonl"), rows)
    kinds = {k: sum(1 for r in rows if r["qid"].startswith(f"cho-{k}-")) for k in found}
    print(f"blog choseong: {len(rows)} queries ({kinds['title']} titles, {kinds['tag']} tags, "
          f"{kinds['category']} categories), e.g. {rows[0]['clean']!r} -> {rows[0]['query']!r}")


def titled(set_dir, corpus_dir, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    synopses = json.load(open(os.path.join(corpus_dir, "nsmc", "synopses.json"), encoding="utf-8"))
    with open(os.path.join(out_dir, "corpus.jsonl"), "w", encoding="utf-8") as out:
        for line in open(os.path.join(set_dir, "corpus.jsonl"), encoding="utf-8"):
            out.write(line)
        for i, s in enumerate(synopses):
            body = " ".join(s["synopsis"].replace("\r", " ").split())
            out.write(json.dumps({"id": f"synopsis_{i:02d}", "title": s["title_kr"].strip(), "body": body},
                                 ensure_ascii=False) + "\n")
    with open(os.path.join(out_dir, "queries.jsonl"), "w", encoding="utf-8") as out:
        for line in open(os.path.join(set_dir, "queries.jsonl"), encoding="utf-8"):
            out.write(line)
    print(f"nsmc_movies_titled: {len(synopses)} titled synopsis pages added -> {out_dir}")


def queries(variant_jsonl, clean_out, typed_out):
    rows = [json.loads(l) for l in open(variant_jsonl, encoding="utf-8") if l.strip()]
    write(clean_out, ({"qid": r["qid"], "query": r["clean"], "relevant": r["relevant"]} for r in rows))
    write(typed_out, ({"qid": r["qid"], "query": r["query"], "relevant": r["relevant"]} for r in rows))


if __name__ == "__main__":
    commands = {"blog": (blog, 2), "titled": (titled, 3), "queries": (queries, 3)}
    if len(sys.argv) < 2 or sys.argv[1] not in commands or len(sys.argv) != commands[sys.argv[1]][1] + 2:
        sys.exit(__doc__)
    commands[sys.argv[1]][0](*sys.argv[2:])
