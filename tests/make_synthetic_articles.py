#!/usr/bin/env python3
"""Writes N synthetic Korean articles as JSON Lines (chaja.v1.Article JSON mapping).

    make_synthetic_articles.py N OUT.jsonl [SEED]

Deterministic for a seed: the same file every time, so a re-run import is a
no-op. Generated text, not from ../shared: the crash test and import benches
use it to get a large input of a known size and ids.
"""
import json
import random
import sys

WORDS = ("검색 엔진 한국어 블로그 글 색인 도커 리눅스 파이썬 서버 데이터베이스 형태소 분석 "
         "바이그램 쿼리 성능 측정 배포 컨테이너 네트워크 보안 인증 캐시 로그 설정 파일 명령어 "
         "오늘 내일 여행 음식 사진 카페 고양이 강아지 영화 음악 책 독서 운동 산책 날씨 봄 여름").split()
TAGS = ("개발", "일상", "여행", "리뷰", "Docker", "Linux", "Python", "검색", "사진", "음악")
CATEGORIES = ("개발", "개발/파이썬", "개발/리눅스", "일상", "여행/국내", "리뷰/영화")


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    with open(out, "w", encoding="utf-8") as f:
        for i in range(n):
            body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 60)))
            article = {
                "id": f"syn-{i:06d}",
                "url": f"https://blog.example.kr/entry/{i}",
                "title": f"{rng.choice(WORDS)} {rng.choice(WORDS)} 이야기 {i}",
                "body": body,
                "category": rng.choice(CATEGORIES),
                "tags": rng.sample(TAGS, 2),
                "published": f"20{rng.randint(15, 25):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T"
                             f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00+09:00",
                "commentCount": rng.randint(0, 30),
            }
            f.write(json.dumps(article, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
