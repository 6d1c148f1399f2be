#!/usr/bin/python3
"""Builds a 100,000-article blog from ../shared/corpus for the blog-page rpc benchmark.

  make_site100k.py [CORPUS_DIR] [OUT_DIR]
  defaults: ../../shared/corpus and ./out (beside this script)

Writes, in OUT_DIR:
  site100k.jsonl     100,000 chaja.v1.Article lines (the indexer's JSONL), oldest first
  site100k.ids.tsv   one "id<TAB>YYYY-MM" line per article (month in Asia/Seoul), for chaja-load

The articles (every field derived from the data; nothing random, so two runs give the same file):
  - all 3,668 petitions with a body: title, body, category "청원/<petition category>" ('/' in it
    becomes '·', so "육아/교육" stays one sub-category), tags = status,
    agree bucket ("동의 1만+", "답변 대상" from 200,000), month ("2019년 4월") and the petition's two
    most frequent words; published = begin date at a time derived from the id (KST);
    comment_count = num_agree / 100; author "청원인".
  - NSMC movie pages, the rest: each movie's reviews in date order cut into posts of 7 reviews
    (a "관람평 모음"), of which 96,332 are kept (chosen by a hash of the id). Title "[영화 ID] " + the
    first review; body = the reviews as paragraphs; category "영화/<명작|호평|보통|혹평>" from the mean
    rating; tags = "movie-ID", year ("2015년"), "평점 N" and the most frequent word; published = the last
    review's date; comment_count = reviews after the first; author = the first review's author.

The corpus text stays in OUT_DIR (bench/out is gitignored); never commit it.
"""
import collections
import datetime
import hashlib
import json
import os
import re
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "shared", "corpus")
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "out")

TOTAL = 100_000
REVIEWS_PER_POST = 7
KST = datetime.timezone(datetime.timedelta(hours=9))

# Words too common to be a useful tag.
STOPWORDS = set("""
국민 청원 청원합니다 정부 대한 위해 때문 그리고 하지만 그러나 있습니다 합니다 입니다 있는 없는 하는
것입니다 것이 그런 이런 저런 우리 저는 제가 저희 지금 현재 정말 너무 진짜 그냥 이건 이거 그거 하고
영화 영화는 영화가 영화를 영화다 영화의 보고 봤는데 봤다 재밌 재미 재미있 재밌다 최고 평점 점수
아니 아닌 이다 같은 같다 많은 많이 모든 어떤 하나 다시 정도 대해 통해 관련 경우 문제 생각 사람
사람들 안녕하세요 부탁드립니다 바랍니다 합니까 됩니다 되는 되어 하여 하게 하기 했습니다 했다 한다
""".split())
PARTICLES = sorted("은 는 이 가 을 를 의 에 에서 에게 으로 로 도 만 과 와 이나 나 까지 부터 보다 처럼 이다 입니다 하고".split(),
                   key=len, reverse=True)
HANGUL_WORD = re.compile(r"[가-힣]{2,}")


def stable_hash(text):
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def top_words(text, n):
    """The n most frequent Hangul words of `text`, a trailing particle removed; ties by first use."""
    counts = collections.Counter()
    first = {}
    for i, m in enumerate(HANGUL_WORD.finditer(text)):
        word = m.group()
        for p in PARTICLES:
            if word.endswith(p) and len(word) - len(p) >= 2:
                word = word[: -len(p)]
                break
        if word in STOPWORDS or len(word) > 8:
            continue
        counts[word] += 1
        first.setdefault(word, i)
    ranked = sorted(counts, key=lambda w: (-counts[w], first[w]))
    return [w for w in ranked[:n] if counts[w] >= 2]


def published(day, key):
    """`day` (a date) at a time of day derived from `key`, in KST, as RFC 3339 UTC."""
    h = stable_hash(key)
    t = datetime.datetime(day.year, day.month, day.day, (h >> 8) % 24, h % 60, (h >> 16) % 60, tzinfo=KST)
    return t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), t.strftime("%Y-%m")


def agree_bucket(n):
    if n >= 200_000:
        return "답변 대상"
    for limit, name in ((100, "동의 100 미만"), (1_000, "동의 100+"), (10_000, "동의 1천+"), (100_000, "동의 1만+")):
        if n < limit:
            return name
    return "동의 10만+"


def petitions():
    pdir = os.path.join(SRC, "petitions")
    for fn in sorted(os.listdir(pdir)):
        if not fn.startswith("petitions_"):
            continue
        for line in open(os.path.join(pdir, fn), encoding="utf-8"):
            if not line.strip():
                continue
            p = json.loads(line)
            if not p.get("content", "").strip():
                continue
            pid = f"petition-{p['petition_idx']}"
            day = datetime.date.fromisoformat(p["begin"])
            when, month = published(day, pid)
            tags = [p["status"], agree_bucket(p["num_agree"]), f"{day.year}년 {day.month}월"]
            tags += [w for w in top_words(p["title"] + " " + p["content"], 2) if w not in tags]
            yield month, {
                "id": pid,
                "url": f"https://www1.president.go.kr/petitions/{p['petition_idx']}",
                "title": p["title"],
                "body": p["content"],
                # "육아/교육" is one category, not two levels.
                "category": "청원/" + p["category"].replace("/", "·"),
                "tags": tags,
                "published": when,
                "commentCount": min(p["num_agree"] // 100, 1_000_000),
                "author": "청원인",
            }


def review_day(date):  # "15.08.25"
    yy, mm, dd = (int(x) for x in date.split("."))
    return datetime.date(2000 + yy, mm, dd)


def movie_posts():
    by_movie = collections.defaultdict(list)
    with tarfile.open(os.path.join(SRC, "nsmc", "raw.tar.xz"), "r:xz") as tf:
        for member in tf:
            if not member.isfile() or not member.name.endswith(".json"):
                continue
            for r in json.load(tf.extractfile(member)):
                if r["review"].strip():
                    by_movie[r["movie_id"]].append(r)
    for movie_id in sorted(by_movie, key=int):
        reviews = sorted(by_movie[movie_id], key=lambda r: (review_day(r["date"]), int(r["review_id"])))
        for i in range(0, len(reviews), REVIEWS_PER_POST):
            chunk = reviews[i : i + REVIEWS_PER_POST]
            yield movie_id, i // REVIEWS_PER_POST, chunk


def movie_article(movie_id, index, chunk):
    pid = f"movie-{movie_id}-{index + 1}"
    mean = sum(int(r["rating"]) for r in chunk) / len(chunk)
    bucket = "명작" if mean >= 9 else "호평" if mean >= 7 else "보통" if mean >= 4 else "혹평"
    last_day = review_day(chunk[-1]["date"])
    when, month = published(last_day, pid)
    body = "\n\n".join(r["review"].strip() for r in chunk)
    first = chunk[0]["review"].strip()
    title = f"[영화 {movie_id}] " + (first if len(first) <= 40 else first[:40] + "…")
    tags = [f"movie-{movie_id}", f"{last_day.year}년", f"평점 {round(mean)}"]
    tags += [w for w in top_words(body, 1) if w not in tags]
    return month, {
        "id": pid,
        "url": f"https://movie.naver.com/movie/bi/mi/point.naver?code={movie_id}&page={index + 1}",
        "title": title,
        "body": body,
        "category": f"영화/{bucket}",
        "tags": tags,
        "published": when,
        "commentCount": len(chunk) - 1,
        "author": chunk[0]["author"],
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    articles = list(petitions())
    need = TOTAL - len(articles)
    chunks = list(movie_posts())
    if len(chunks) < need:
        sys.exit(f"make_site100k: only {len(chunks)} movie posts for {need} needed")
    # Keep `need` of them, chosen by a hash of the id (spread over every movie and year).
    chunks.sort(key=lambda c: stable_hash(f"movie-{c[0]}-{c[1] + 1}"))
    articles += [movie_article(*c) for c in chunks[:need]]
    articles.sort(key=lambda a: (a[1]["published"], a[1]["id"]))  # a blog grows oldest first

    jsonl = os.path.join(OUT, "site100k.jsonl")
    ids = os.path.join(OUT, "site100k.ids.tsv")
    with open(jsonl + ".tmp", "w", encoding="utf-8") as f, open(ids + ".tmp", "w", encoding="utf-8") as g:
        for month, a in articles:
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
            g.write(f"{a['id']}\t{month}\n")
    os.replace(jsonl + ".tmp", jsonl)
    os.replace(ids + ".tmp", ids)
    cats = collections.Counter(a["category"] for _, a in articles)
    tags = collections.Counter(t for _, a in articles for t in a["tags"])
    print(f"make_site100k: {len(articles)} articles ({TOTAL - need} petitions, {need} movie posts of "
          f"{len(chunks)}), {len(cats)} categories, {len(tags)} distinct tags, "
          f"{articles[0][1]['published'][:10]} .. {articles[-1][1]['published'][:10]} -> {jsonl}")


if __name__ == "__main__":
    main()
