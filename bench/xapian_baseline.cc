// chaja-xapian-baseline: the in-process Xapian FLAG_CJK_NGRAM engine of
// ../shared/eval/README.md, in C++, so that scripts/bench can give every
// figure of Chaja also as a ratio against plain Xapian on the same input and
// the same machine, in the same run.
//
//   chaja-xapian-baseline --corpus corpus.jsonl --db DIR              index (DIR is replaced)
//   chaja-xapian-baseline --db DIR --queries queries.jsonl [--run R]  search
//
// What it does, as the eval README describes the Xapian row:
//  - Indexing: each line of the corpus (the Article JSON mapping; only id,
//    title and body are used) becomes one document. Its text is
//    title + "\n" + body, indexed by a Xapian::TermGenerator with
//    FLAG_CJK_NGRAM (Hangul unigrams and bigrams, with positions), no stemmer;
//    the document data is the id. One commit at the end (Xapian flushes every
//    XAPIAN_FLUSH_THRESHOLD documents on its own, 10,000 by default).
//    The JSON is parsed with protobuf's JSON mapping, as chaja-indexer does.
//  - Searching: each query is lower-cased with every non letter/digit turned
//    into a space (--eval_preprocess), parsed by Xapian::QueryParser with
//    FLAG_DEFAULT | FLAG_CJK_NGRAM and the default OR operator, and run with
//    BM25Weight's defaults for --k hits. The ids of the hits are read (the
//    run file). QueryParserErrors are caught and counted (Xapian 1.4.22 throws
//    on some Hangul+Latin/digit mixes). A warm-up pass runs every query first;
//    latency covers parse + match + reading the hit ids.
//
// Prints one JSON line (also to --json_out): indexing docs/s, MB/s, the
// database size, the peak RSS of this process; or the search p50/p95/p99 and
// the RSS after searching. Exit 0 on success, 1 on errors other than counted
// query errors, 2 on bad flags.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <sys/resource.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench/eval_protocol.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "chaja/v1/article.pb.h"

ABSL_FLAG(std::string, corpus, "", "Index this corpus.jsonl into --db (replacing it).");
ABSL_FLAG(std::string, db, "", "Xapian database folder.");
ABSL_FLAG(std::string, queries, "", "Search these queries (JSONL with qid and query) in --db.");
ABSL_FLAG(std::string, run, "", "Run file for ../shared/eval/score.py (qid, rank, docid, score).");
ABSL_FLAG(int, k, 10, "Hits per query.");
ABSL_FLAG(bool, warmup, true, "Run every query once before timing.");
ABSL_FLAG(bool, eval_preprocess, true, "Lower-case queries and turn every non letter/digit into a space.");
ABSL_FLAG(bool, default_flags, true, "Parse with FLAG_DEFAULT | FLAG_CJK_NGRAM (false: FLAG_CJK_NGRAM alone).");
ABSL_FLAG(std::string, json_out, "", "Also write the JSON result line to this file.");

namespace {

using chaja::bench::SearchBoxText;
using chaja::bench::Percentile;

using Clock = std::chrono::steady_clock;

uint64_t FolderBytes(const std::string& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec)) total += entry.file_size(ec);
  }
  return total;
}

long PeakRssKib() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // KiB on Linux
}

// VmRSS of this process in KiB, from /proc/self/status.
long CurrentRssKib() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

void Emit(const std::string& json) {
  std::printf("%s\n", json.c_str());
  if (const std::string path = absl::GetFlag(FLAGS_json_out); !path.empty()) std::ofstream(path) << json << '\n';
}

int Index(const std::string& corpus, const std::string& db_path) {
  std::ifstream in(corpus, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "chaja-xapian-baseline: cannot read --corpus %s\n", corpus.c_str());
    return 2;
  }
  std::error_code ec;
  std::filesystem::remove_all(db_path, ec);
  if (const auto parent = std::filesystem::path(db_path).parent_path(); !parent.empty()) {
    std::filesystem::create_directories(parent, ec);
  }
  const Clock::time_point start = Clock::now();
  size_t docs = 0, bad = 0;
  uint64_t bytes = 0;
  try {
    Xapian::WritableDatabase db(db_path, Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::TermGenerator generator;
    generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    chaja::v1::Article article;
    for (std::string line; std::getline(in, line);) {
      bytes += line.size() + 1;
      if (line.empty()) continue;
      article.Clear();
      if (!google::protobuf::util::JsonStringToMessage(line, &article, options).ok()) {
        ++bad;
        continue;
      }
      Xapian::Document doc;
      generator.set_document(doc);
      generator.index_text(article.title() + "\n" + article.body());
      doc.set_data(article.id());
      db.add_document(doc);
      ++docs;
    }
    db.commit();
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "chaja-xapian-baseline: %s\n", e.get_description().c_str());
    return 1;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  Emit(absl::StrFormat(
      "{\"tool\": \"chaja-xapian-baseline\", \"phase\": \"index\", \"docs\": %zu, \"bad_lines\": %zu, "
      "\"input_bytes\": %u, \"seconds\": %.3f, \"docs_per_s\": %.1f, \"mb_per_s\": %.3f, \"index_bytes\": %u, "
      "\"peak_rss_kib\": %d}",
      docs, bad, bytes, seconds, docs / seconds, bytes / 1e6 / seconds, FolderBytes(db_path), PeakRssKib()));
  return bad == 0 ? 0 : 1;
}

int Search(const std::string& db_path, const std::string& queries_path) {
  std::ifstream in(queries_path);
  if (!in) {
    std::fprintf(stderr, "chaja-xapian-baseline: cannot read --queries %s\n", queries_path.c_str());
    return 2;
  }
  std::vector<std::pair<std::string, std::string>> queries;
  size_t skipped = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    google::protobuf::Struct q;
    if (!google::protobuf::util::JsonStringToMessage(line, &q).ok()) continue;
    const auto& fields = q.fields();
    std::string text = fields.count("query") ? fields.at("query").string_value() : "";
    if (absl::GetFlag(FLAGS_eval_preprocess)) text = SearchBoxText(text);
    if (text.find_first_not_of(' ') == std::string::npos) {
      ++skipped;
      continue;
    }
    queries.emplace_back(fields.count("qid") ? fields.at("qid").string_value() : "", text);
  }
  std::ofstream run;
  if (!absl::GetFlag(FLAGS_run).empty()) run.open(absl::GetFlag(FLAGS_run));
  std::vector<double> ms;
  size_t parse_errors = 0, no_results = 0;
  try {
    Xapian::Database db(db_path);
    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(Xapian::BM25Weight());
    Xapian::QueryParser parser;
    parser.set_database(db);
    parser.set_default_op(Xapian::Query::OP_OR);
    const unsigned flags = (absl::GetFlag(FLAGS_default_flags) ? Xapian::QueryParser::FLAG_DEFAULT : 0) |
                           Xapian::QueryParser::FLAG_CJK_NGRAM;
    const int k = absl::GetFlag(FLAGS_k);
    // Returns false on a parse error.
    auto run_one = [&](const std::string& qid, const std::string& text, bool write) {
      Xapian::Query query;
      try {
        query = parser.parse_query(text, flags);
      } catch (const Xapian::QueryParserError&) {
        return false;
      }
      enquire.set_query(query);
      const Xapian::MSet mset = enquire.get_mset(0, k);
      int rank = 0;
      for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
        const std::string id = it.get_document().get_data();
        if (write) run << qid << '\t' << ++rank << '\t' << id << '\t' << it.get_weight() << '\n';
      }
      if (write && mset.empty()) ++no_results;
      return true;
    };
    if (absl::GetFlag(FLAGS_warmup)) {
      for (const auto& [qid, text] : queries) (void)run_one(qid, text, false);
    }
    for (const auto& [qid, text] : queries) {
      const Clock::time_point start = Clock::now();
      const bool ok = run_one(qid, text, run.is_open());
      if (!ok) {
        ++parse_errors;
        continue;
      }
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "chaja-xapian-baseline: %s\n", e.get_description().c_str());
    return 1;
  }
  std::sort(ms.begin(), ms.end());
  Emit(absl::StrFormat(
      "{\"tool\": \"chaja-xapian-baseline\", \"phase\": \"search\", \"queries\": %zu, \"skipped_empty\": %zu, "
      "\"parse_errors\": %zu, \"no_results\": %zu, \"ms\": {\"p50\": %.3f, \"p90\": %.3f, \"p95\": %.3f, "
      "\"p99\": %.3f, \"p99.9\": %.3f, \"max\": %.3f}, \"rss_kib\": %d, \"peak_rss_kib\": %d}",
      queries.size(), skipped, parse_errors, no_results, Percentile(ms, 0.5), Percentile(ms, 0.9), Percentile(ms, 0.95),
      Percentile(ms, 0.99), Percentile(ms, 0.999), ms.empty() ? 0.0 : ms.back(), CurrentRssKib(), PeakRssKib()));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string db = absl::GetFlag(FLAGS_db);
  const std::string corpus = absl::GetFlag(FLAGS_corpus), queries = absl::GetFlag(FLAGS_queries);
  if (db.empty() || (corpus.empty() == queries.empty())) {
    std::fprintf(stderr, "chaja-xapian-baseline: need --db and one of --corpus (index) or --queries (search)\n");
    return 2;
  }
  return corpus.empty() ? Search(db, queries) : Index(corpus, db);
}
