#!/usr/bin/env python3
"""Builds the import-speed inputs of bench/import from ../shared/corpus (offline).

    make_import_sets.py CORPUS_DIR OUT_DIR

Writes, once (skipped when present):
  petitions.jsonl     one article per petition: title, category, body, published (begin date, KST)
  petitions.rss       the same articles as one RSS 2.0 feed (exercises XML + HTML-to-text)
  nsmc_movies.jsonl   one article per movie file of nsmc/raw.tar.xz: its reviews are the body
                      (one paragraph each), commentCount the number of reviews, published the latest
"""
import json
import os
import sys
import tarfile
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from xml.sax.saxutils import escape

KST = timezone(timedelta(hours=9))


def petitions(corpus, out_dir):
    jsonl = os.path.join(out_dir, "petitions.jsonl")
    rss = os.path.join(out_dir, "petitions.rss")
    if os.path.exists(jsonl) and os.path.exists(rss):
        return
    folder = os.path.join(corpus, "petitions")
    articles = []
    for name in sorted(os.listdir(folder)):
        if not name.startswith("petitions_"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for line in f:
                p = json.loads(line)
                articles.append({
                    "id": "petition-" + p["petition_idx"],
                    "url": "https://www1.president.go.kr/petitions/" + p["petition_idx"],
                    "title": p["title"],
                    "body": p["content"],
                    "category": p["category"],
                    "published": p["begin"] + "T00:00:00+09:00",
                })
    with open(jsonl + ".tmp", "w", encoding="utf-8") as f:
        for a in articles:
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    os.replace(jsonl + ".tmp", jsonl)
    with open(rss + ".tmp", "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n<channel>\n<title>국민청원</title>\n')
        for a in articles:
            date = datetime.fromisoformat(a["published"]).astimezone(KST)
            paragraphs = "".join("<p>" + escape(p) + "</p>" for p in a["body"].split("\n") if p.strip())
            f.write("<item><title>%s</title><link>%s</link><guid>%s</guid><pubDate>%s</pubDate>"
                    "<category>%s</category><content:encoded><![CDATA[%s]]></content:encoded></item>\n" % (
                        escape(a["title"]), escape(a["url"]), escape(a["id"]), format_datetime(date),
                        escape(a["category"]), paragraphs.replace("]]>", "]]&gt;")))
        f.write("</channel>\n</rss>\n")
    os.replace(rss + ".tmp", rss)


def nsmc_movies(corpus, out_dir):
    out = os.path.join(out_dir, "nsmc_movies.jsonl")
    if os.path.exists(out):
        return
    with tarfile.open(os.path.join(corpus, "nsmc", "raw.tar.xz")) as tar, \
            open(out + ".tmp", "w", encoding="utf-8") as f:
        for member in tar:
            if not member.isfile() or not member.name.endswith(".json"):
                continue
            reviews = json.load(tar.extractfile(member))
            if not reviews:
                continue
            movie = os.path.basename(member.name)[:-5]
            dates = sorted(r["date"] for r in reviews if r.get("date"))  # YY.MM.DD
            published = "20%s-%s-%sT00:00:00+09:00" % tuple(dates[-1].split(".")) if dates else None
            article = {
                "id": "movie-" + movie,
                "title": "영화 %s 관람평" % movie,
                "body": "\n\n".join(r["review"] for r in reviews if r.get("review")),
                "commentCount": len(reviews),
            }
            if published:
                article["published"] = published
            f.write(json.dumps(article, ensure_ascii=False) + "\n")
    os.replace(out + ".tmp", out)


def main():
    corpus, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    petitions(corpus, out_dir)
    nsmc_movies(corpus, out_dir)


if __name__ == "__main__":
    main()
