// The in-memory posting lists and ranker against Xapian on the same site:
// the same postings, the same BM25 weights and order, and a Searcher that
// answers the same with them as without.
#include "search/memory_ranker.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/schema.h"
#include "index/site.h"
#include "index/site_writer.h"
#include "search/memory_postings.h"
#include "search/query_plan.h"
#include "search/searcher.h"
#include "testing/temp_dir.h"

namespace chaja::search {
namespace {

using index::kPrefixId;
using index::SiteDatabasePath;
using index::SiteWriter;

// Words of several frequencies: the first few land in most posts (lists of
// hundreds of postings, so skip entries are used), the last in a handful.
const char* const kWords[] = {"영화",   "정말",   "좋았습니다", "배우",  "연기",   "스토리", "감동",  "지루한",
                              "OpenAI", "GPT-4o", "models",    "우분투", "ubuntu", "설치",   "흡연",  "장면",
                              "캠페인", "금연",   "10점",      "최고의", "반전",   "음악",   "감독님", "인공지능"};

v1::Article Generated(int i, std::mt19937* rng) {
  const int n_words = sizeof(kWords) / sizeof(kWords[0]);
  // Skewed toward the first words: min of two draws.
  auto word = [&]() { return kWords[std::min((*rng)() % n_words, (*rng)() % n_words)]; };
  v1::Article article;
  article.set_id(absl::StrCat("a", i));
  article.set_title(absl::StrCat(word(), " ", word()));
  std::string body;
  const int length = 3 + static_cast<int>((*rng)() % 25);
  for (int w = 0; w < length; ++w) absl::StrAppend(&body, w == 0 ? "" : " ", word());
  article.set_body(body);
  article.set_category(i % 3 == 0 ? "리뷰" : "소식");
  article.add_tags(i % 2 == 0 ? "영화" : "AI");
  article.mutable_published()->set_seconds(1735689600 + i * 3600);
  return article;
}

class MemoryRankerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<SiteWriter>> writer = SiteWriter::Open(data_dir_, "blog");
    ASSERT_TRUE(writer.ok()) << writer.status();
    writer_ = *std::move(writer);
    std::mt19937 rng(20261128);
    for (int i = 0; i < 900; ++i) ASSERT_TRUE(writer_->Upsert(Generated(i, &rng)).ok());
    // Holes in the docid range, as deletions leave them.
    for (int i = 0; i < 900; i += 7) ASSERT_TRUE(writer_->Delete(absl::StrCat("a", i)).ok());
    ASSERT_TRUE(writer_->Commit().ok());
    absl::StatusOr<std::string> path = SiteDatabasePath(data_dir_, "blog");
    ASSERT_TRUE(path.ok());
    path_ = *path;
  }

  std::shared_ptr<const MemoryPostings> Load() {
    absl::StatusOr<std::shared_ptr<const MemoryPostings>> loaded = MemoryPostings::Load(Xapian::Database(path_));
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    return loaded.ok() ? *loaded : nullptr;
  }

  std::unique_ptr<Searcher> OpenSearcher(const RankingParams& params) {
    absl::StatusOr<std::unique_ptr<Searcher>> searcher = Searcher::Open(path_);
    EXPECT_TRUE(searcher.ok()) << searcher.status();
    if (!searcher.ok()) return nullptr;
    (*searcher)->set_ranking(params);
    return *std::move(searcher);
  }

  const testing::TempDir temp_dir_{"memory_ranker_test"};
  const std::string data_dir_ = temp_dir_.path();
  std::string path_;
  std::unique_ptr<SiteWriter> writer_;  // closed before temp_dir_ is removed
};

TEST_F(MemoryRankerTest, PostingListsAreXapians) {
  const std::shared_ptr<const MemoryPostings> postings = Load();
  ASSERT_NE(postings, nullptr);
  const Xapian::Database db(path_);
  EXPECT_EQ(postings->doc_count(), db.get_doccount());
  EXPECT_EQ(postings->average_length(), db.get_avlength());
  EXPECT_EQ(postings->revision(), db.get_revision());
  for (Xapian::docid did = 1; did <= db.get_lastdocid(); ++did) {
    Xapian::termcount expected = 0;
    try {
      expected = db.get_doclength(did);
    } catch (const Xapian::DocNotFoundError&) {
    }
    ASSERT_EQ(postings->doc_length(did), expected) << did;
  }
  size_t terms = 0;
  bool some_list_has_skips = false;
  for (Xapian::TermIterator t = db.allterms_begin(); t != db.allterms_end(); ++t) {
    const std::string term = *t;
    if (term.rfind(std::string(kPrefixId), 0) == 0) {
      EXPECT_EQ(postings->term_freq(term), 0u) << "id terms are left out";
      continue;
    }
    ++terms;
    ASSERT_EQ(postings->term_freq(term), t.get_termfreq()) << term;
    some_list_has_skips = some_list_has_skips || t.get_termfreq() > 2 * MemoryPostings::kSkipEvery;
    // A full walk, then skip_to to every third docid from a fresh cursor.
    MemoryPostings::Cursor c = postings->Open(term);
    for (Xapian::PostingIterator p = db.postlist_begin(term); p != db.postlist_end(term); ++p, c.Next()) {
      ASSERT_FALSE(c.at_end()) << term;
      ASSERT_EQ(c.docid(), *p) << term;
      ASSERT_EQ(c.wdf(), p.get_wdf()) << term;
    }
    EXPECT_TRUE(c.at_end()) << term;
    MemoryPostings::Cursor skipping = postings->Open(term);
    Xapian::PostingIterator p = db.postlist_begin(term);
    for (Xapian::docid target = 1; target <= db.get_lastdocid() + 1; target += 3) {
      skipping.SkipTo(target);
      p.skip_to(target);
      ASSERT_EQ(skipping.at_end(), p == db.postlist_end(term)) << term << " " << target;
      if (skipping.at_end()) break;
      ASSERT_EQ(skipping.docid(), *p) << term << " " << target;
      ASSERT_EQ(skipping.wdf(), p.get_wdf()) << term << " " << target;
    }
  }
  EXPECT_EQ(postings->term_count(), terms);
  EXPECT_TRUE(some_list_has_skips);
  EXPECT_LE(postings->memory_bytes(), 4 * postings->posting_count() + 64 * terms + 4 * (db.get_lastdocid() + 1));
  // Refused before copying when they would not fit.
  EXPECT_EQ(MemoryPostings::Load(db, nullptr, postings->memory_bytes() / 4).status().code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(postings->term_freq("없는단어"), 0u);
  EXPECT_TRUE(postings->Open("없는단어").at_end());
}

// With a shortlist that holds every match, the in-memory ranker must give
// Xapian's own answer: same posts, same weights, same order.
TEST_F(MemoryRankerTest, RanksAsXapianDoes) {
  const std::shared_ptr<const MemoryPostings> postings = Load();
  ASSERT_NE(postings, nullptr);
  const Xapian::Database db(path_);
  RankingParams params;
  params.shortlist_size = 100000;
  PlanOptions options;
  options.title_boost = 2.5;  // title terms under OP_SCALE_WEIGHT beside body terms
  options.body_weight = 0.8;
  for (const char* query : {"영화 정말 좋았습니다", "감동적인 반전 영화", "GPT-4o models 설치", "ubuntu 우분투",
                            "+배우 연기", "+배우 +연기 -지루한", "스토리 -영화", "title:영화 감동", "10점 최고의 음악",
                            "tag:영화 반전", "category:리뷰 감독님 음악", "흡연 OR 금연 캠페인", "인공지능"}) {
    SCOPED_TRACE(query);
    absl::StatusOr<QueryPlan> plan = PlanQuery(query, options);
    ASSERT_TRUE(plan.ok()) << plan.status();

    Xapian::Enquire enquire(db);
    enquire.set_query(ToXapian(plan->tree));
    enquire.set_weighting_scheme(Xapian::BM25Weight(params.k1, params.k2, params.k3, params.b, params.min_normlen));
    const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
    MemoryRankerScratch scratch;
    const std::optional<RankedPage> ranking =
        RankInMemory(*postings, nullptr, plan->tree, plan->tree, params, 0, mset.size(), &scratch);
    ASSERT_GT(mset.size(), 0u);
    ASSERT_TRUE(ranking.has_value());
    // Sums may be added in another order: compare weights to 1e-12 and
    // order posts whose weights agree that far by docid.
    auto canonical = [](std::vector<std::pair<double, Xapian::docid>> hits) {
      std::sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) {
        const double wa = std::round(a.first * 1e9), wb = std::round(b.first * 1e9);
        return wa != wb ? wa > wb : a.second < b.second;
      });
      return hits;
    };
    std::vector<std::pair<double, Xapian::docid>> expected, got;
    for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) expected.emplace_back(it.get_weight(), *it);
    for (const RankedHit& hit : ranking->hits) got.emplace_back(hit.weight, hit.docid);
    // Only posts with text weight are shortlisted; Xapian also lists posts
    // matching a filter-only branch with weight 0 (none of these queries do).
    expected = canonical(expected);
    got = canonical(got);
    ASSERT_EQ(got.size(), expected.size());
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].second, expected[i].second) << "hit " << i;
      EXPECT_NEAR(got[i].first, expected[i].first, 1e-12 * expected[i].first) << "hit " << i;
    }
    // The estimate is Xapian's kind of estimate, not a count, but never below the matches seen.
    EXPECT_GE(ranking->total, got.size());
    EXPECT_LE(ranking->total, db.get_doccount());

    // A page further down is the same slice.
    const std::optional<RankedPage> page =
        RankInMemory(*postings, nullptr, plan->tree, plan->tree, params, 5, 7, &scratch);
    if (mset.size() >= 12) {
      ASSERT_TRUE(page.has_value());
      ASSERT_EQ(page->hits.size(), 7u);
      for (size_t i = 0; i < 7; ++i) EXPECT_EQ(page->hits[i].docid, ranking->hits[5 + i].docid);
    }
  }
}

// A shortlist too small for the page is made from every term instead, which
// is how Xapian ranks the whole query; k2 is refused.
TEST_F(MemoryRankerTest, ShortShortlistsUseEveryTerm) {
  const std::shared_ptr<const MemoryPostings> postings = Load();
  ASSERT_NE(postings, nullptr);
  const Xapian::Database db(path_);
  absl::StatusOr<QueryPlan> whole = PlanQuery("영화 흡연", PlanOptions());
  absl::StatusOr<QueryPlan> selective = PlanQuery("흡연", PlanOptions());
  ASSERT_TRUE(whole.ok() && selective.ok());
  const Xapian::doccount with_rare = postings->term_freq("흡연");
  ASSERT_GT(with_rare, 0u);
  RankingParams params;
  Xapian::Enquire enquire(db);
  enquire.set_query(ToXapian(whole->tree));
  enquire.set_weighting_scheme(Xapian::BM25Weight(params.k1, params.k2, params.k3, params.b, params.min_normlen));
  const Xapian::MSet mset = enquire.get_mset(0, with_rare + 5);
  MemoryRankerScratch scratch;
  const std::optional<RankedPage> ranking =
      RankInMemory(*postings, nullptr, whole->tree, selective->tree, params, 0, with_rare + 5, &scratch);
  ASSERT_TRUE(ranking.has_value());
  ASSERT_EQ(ranking->hits.size(), mset.size());
  size_t i = 0;
  for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it, ++i) {
    EXPECT_NEAR(ranking->hits[i].weight, it.get_weight(), 1e-12 * it.get_weight()) << i;
  }
  // A query matching fewer posts than the page: all of them.
  absl::StatusOr<QueryPlan> rare = PlanQuery("흡연", PlanOptions());
  const std::optional<RankedPage> few =
      RankInMemory(*postings, nullptr, rare->tree, rare->tree, params, 0, 1000, &scratch);
  ASSERT_TRUE(few.has_value());
  EXPECT_EQ(few->hits.size(), with_rare);
  // Without a selective term, and for a page past the shortlist's top half,
  // every term is summed: the same page as Xapian's.
  const QueryNode none;
  for (const auto& [offset, limit] : {std::pair<uint32_t, uint32_t>{0, 10}, {params.shortlist_size, 20}}) {
    const Xapian::MSet page = enquire.get_mset(offset, limit);
    const std::optional<RankedPage> in_memory =
        RankInMemory(*postings, nullptr, whole->tree, none, params, offset, limit, &scratch);
    ASSERT_TRUE(in_memory.has_value());
    ASSERT_EQ(in_memory->hits.size(), page.size());
    size_t at = 0;
    for (Xapian::MSetIterator it = page.begin(); it != page.end(); ++it, ++at) {
      EXPECT_EQ(in_memory->hits[at].docid, *it) << offset << "+" << at;
    }
  }
  params.k2 = 1;  // BM25's query-length part is not implemented here
  EXPECT_FALSE(RankInMemory(*postings, nullptr, whole->tree, selective->tree, params, 0, 1, &scratch).has_value());
}

// A Searcher given the lists answers as one without them, through the
// shortlist, for every kind of query (those with phrases ask Xapian), and
// never uses lists of another database or an older revision. Each answer
// says which ranker gave it, so the comparison cannot pass by skipping the
// in-memory path.
TEST_F(MemoryRankerTest, SearcherAnswersTheSameWithTheLists) {
  RankingParams params;
  params.shortlist_min_docs = 1;
  params.shortlist_share = 0.5;
  params.shortlist_size = 40;
  std::unique_ptr<Searcher> plain = OpenSearcher(params);
  std::unique_ptr<Searcher> in_memory = OpenSearcher(params);
  ASSERT_NE(plain, nullptr);
  ASSERT_NE(in_memory, nullptr);
  std::shared_ptr<const MemoryPostings> postings = Load();
  in_memory->set_memory_postings(postings);
  auto same = [&](v1::SearchRequest request, const char* ranker) {
    request.set_site("blog");
    SCOPED_TRACE(request.ShortDebugString());
    absl::StatusOr<v1::SearchResponse> a = plain->Search(request);
    absl::StatusOr<v1::SearchResponse> b = in_memory->Search(request);
    ASSERT_TRUE(a.ok()) << a.status();
    ASSERT_TRUE(b.ok()) << b.status();
    EXPECT_EQ(a->ranker(), "xapian");
    EXPECT_EQ(b->ranker(), ranker);
    ASSERT_EQ(a->hits_size(), b->hits_size());
    for (int i = 0; i < a->hits_size(); ++i) {
      EXPECT_EQ(a->hits(i).id(), b->hits(i).id()) << "hit " << i;
      EXPECT_NEAR(a->hits(i).score(), b->hits(i).score(), 1e-9) << "hit " << i;
      EXPECT_EQ(a->hits(i).snippet(), b->hits(i).snippet()) << "hit " << i;
    }
    EXPECT_GE(b->total_hits(), static_cast<uint64_t>(b->hits_size()));
    // With facets the count is exact on both paths (the lists feed it too).
    if (request.facets_size() > 0) {
      EXPECT_EQ(a->total_hits(), b->total_hits());
      EXPECT_TRUE(b->total_hits_exact());
      ASSERT_EQ(a->facets_size(), b->facets_size());
      for (int f = 0; f < a->facets_size(); ++f) EXPECT_EQ(a->facets(f).DebugString(), b->facets(f).DebugString());
    }
  };
  for (const char* query : {"흡연 장면 영화", "금연 캠페인 감동", "반전 음악 감독님", "GPT-4o ubuntu 설치",
                            "+반전 음악", "흡연 -영화", "\"흡연 장면\"", "인공지능 캠페인 tag:AI"}) {
    // Quoted phrases are checked against the stored text: Xapian answers.
    const char* ranker = absl::StrContains(query, "\"") ? "xapian" : "memory";
    v1::SearchRequest request;
    request.set_query(query);
    request.set_limit(10);
    same(request, ranker);
    request.set_offset(10);
    same(request, ranker);
    request.set_offset(0);
    request.add_facets()->set_field(v1::FACET_FIELD_TAG);
    request.add_facets()->set_field(v1::FACET_FIELD_CATEGORY);
    same(request, ranker);
    // Request filters: tags (all, any), excluded tags and a category are
    // filtered from the lists, a date range from the column snapshot.
    request.add_tags("영화");
    same(request, ranker);
    request.add_tags("AI");
    same(request, ranker);  // both: no post has both
    request.set_tag_match(v1::TAG_MATCH_ANY);
    same(request, ranker);
    request.clear_tags();
    request.add_exclude_tags("AI");
    same(request, ranker);
    request.clear_exclude_tags();
    request.set_category("리뷰");
    same(request, ranker);
    request.clear_category();
    request.mutable_published_from()->set_seconds(1735689600 + 200 * 3600);
    request.mutable_published_to()->set_seconds(1735689600 + 600 * 3600);
    same(request, ranker);
    // Sorted by date: not the in-memory ranker's job.
    request.set_sort(v1::SORT_ORDER_NEWEST);
    same(request, "xapian");
  }
  // Pages past the shortlist's top half, and queries without a selective
  // term (a share no term is under), sum every term: still in memory.
  for (const double share : {0.5, 1e-9}) {
    params.shortlist_share = share;
    plain = OpenSearcher(params);
    in_memory = OpenSearcher(params);
    in_memory->set_memory_postings(postings);
    v1::SearchRequest request;
    request.set_query("영화 배우 연기 흡연");
    request.set_limit(10);
    same(request, "memory");
    request.set_offset(30);
    same(request, "memory");
    request.add_facets()->set_field(v1::FACET_FIELD_TAG);
    same(request, "memory");
  }

  // Lists of another database at the same revision (a bulk import or a
  // replica can put one in the folder): not used either.
  {
    absl::StatusOr<std::unique_ptr<SiteWriter>> other = SiteWriter::Open(data_dir_, "other");
    ASSERT_TRUE(other.ok()) << other.status();
    std::mt19937 rng(7);
    for (int i = 0; i < 300; ++i) ASSERT_TRUE((*other)->Upsert(Generated(i, &rng)).ok());
    ASSERT_TRUE((*other)->Commit().ok());
    absl::StatusOr<std::string> other_path = SiteDatabasePath(data_dir_, "other");
    ASSERT_TRUE(other_path.ok());
    const Xapian::Database other_db(*other_path);
    ASSERT_EQ(other_db.get_revision(), Xapian::Database(path_).get_revision());
    std::shared_ptr<const MemoryPostings> theirs = *MemoryPostings::Load(other_db);
    EXPECT_FALSE(theirs->IsOf(Xapian::Database(path_)));
    in_memory->set_memory_postings(theirs);
    v1::SearchRequest request;
    request.set_query("인공지능 감독님 음악");  // the rarest words: shortlisted
    same(request, "xapian");
    in_memory->set_memory_postings(postings);
    same(request, "memory");
  }

  // A commit the lists have not seen: the searcher must not use them.
  v1::Article fresh;
  fresh.set_id("fresh");
  fresh.set_body("인공지능 감독님 인공지능 감독님 새로운 글");
  ASSERT_TRUE(writer_->Upsert(fresh).ok());
  ASSERT_TRUE(writer_->Commit().ok());
  ASSERT_TRUE(in_memory->Refresh().ok());
  ASSERT_TRUE(plain->Refresh().ok());
  v1::SearchRequest request;
  request.set_site("blog");
  request.set_query("인공지능 감독님");  // rare words: would be shortlisted
  absl::StatusOr<v1::SearchResponse> response = in_memory->Search(request);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_GT(response->hits_size(), 0);
  EXPECT_EQ(response->hits(0).id(), "fresh");
  same(request, "xapian");
}

}  // namespace
}  // namespace chaja::search
