#include "index/document_builder.h"

#include <algorithm>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "analyzer/jamo.h"
#include "analyzer/utf8.h"
#include "index/schema.h"

namespace chaja::index {

namespace {

// A compatibility jamo is three bytes of UTF-8.
constexpr size_t kJamoBytes = 3;

// A value as shown in facets: control characters would break the slot
// encoding (schema.h EncodeKeyed), and they never display anyway.
std::string DisplayValue(std::string value) {
  for (char& c : value) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return value;
}

}  // namespace

double TimestampSeconds(const google::protobuf::Timestamp& t) {
  return static_cast<double>(t.seconds()) + static_cast<double>(t.nanos()) / 1e9;
}

absl::Status ValidateArticle(const v1::Article& article, const ArticleLimits& limits) {
  if (article.id().empty()) return absl::InvalidArgumentError("missing id");
  if (article.id().size() > limits.max_id_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("id is ", article.id().size(), " bytes; the limit is ", limits.max_id_bytes));
  }
  if (article.title().size() > limits.max_title_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("title is ", article.title().size(), " bytes; the limit is ", limits.max_title_bytes));
  }
  if (article.body().size() > limits.max_body_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("body is ", article.body().size(), " bytes; the limit is ", limits.max_body_bytes));
  }
  if (article.tags_size() > limits.max_tags) {
    return absl::InvalidArgumentError(absl::StrCat(article.tags_size(), " tags; the limit is ", limits.max_tags));
  }
  for (const auto& [name, value] : {std::pair<const char*, const std::string*>{"id", &article.id()},
                                    {"title", &article.title()},
                                    {"body", &article.body()},
                                    {"category", &article.category()},
                                    {"url", &article.url()},
                                    {"author", &article.author()}}) {
    if (!analyzer::IsValidUtf8(*value)) {
      return absl::InvalidArgumentError(absl::StrCat(name, " is not valid UTF-8"));
    }
  }
  for (const std::string& tag : article.tags()) {
    if (!analyzer::IsValidUtf8(tag)) return absl::InvalidArgumentError("a tag is not valid UTF-8");
  }
  if (article.published().seconds() < -62135596800 || article.published().seconds() > 253402300799) {
    return absl::InvalidArgumentError("published is outside years 0001..9999");
  }
  return absl::OkStatus();
}

void DocumentBuilder::IndexText(absl::string_view text, absl::string_view prefix, Xapian::termcount wdf,
                                Xapian::Document* doc) const {
  // Terms without positions: positions were over half of the index and most
  // of the indexing time, and only quoted phrases need them, which searchd
  // checks against the stored text instead (index/phrase_filter.h).
  analyzer_.ForEachToken(text, 0, [&](const analyzer::Token& t) {
    doc->add_term(absl::StrCat(prefix, t.term), wdf);
    if (t.kind == analyzer::TokenKind::kWord && prefix.empty()) {
      doc->add_term(absl::StrCat(kPrefixStem, t.stem), wdf);
    }
  });
}

namespace {

// `word` without the punctuation around it (설정: → 설정, "한글" → 한글): the
// 초성 terms name the word as suggestions show it.
absl::string_view TrimPunctuation(absl::string_view word) {
  static constexpr absl::string_view kMarks[] = {"·", "…", "“", "”", "‘", "’", "「", "」", "『", "』"};
  for (bool trimmed = true; trimmed && !word.empty();) {
    trimmed = false;
    if (absl::ascii_ispunct(word.front())) word.remove_prefix(1), trimmed = true;
    if (!word.empty() && absl::ascii_ispunct(word.back())) word.remove_suffix(1), trimmed = true;
    for (absl::string_view mark : kMarks) {
      if (absl::ConsumePrefix(&word, mark) || absl::ConsumeSuffix(&word, mark)) trimmed = true;
    }
  }
  return word;
}

// The 초성 terms of a title, tag or category part: of each word, and (for the
// title) of the whole text without spaces.
void AddChoseongTerms(absl::string_view text, bool whole, Xapian::Document* doc) {
  const std::string key = NormalizeKey(text);
  for (absl::string_view word : absl::StrSplit(key, absl::ByAnyChar(" /"), absl::SkipEmpty())) {
    word = TrimPunctuation(word);
    const std::string initials = analyzer::Choseong(word);
    // With a within-document frequency, so that a 초성 query ranks by them
    // (boolean terms weigh nothing in BM25).
    if (initials.size() >= 2 * kJamoBytes) doc->add_term(ChoseongTerm(initials, word));
  }
  if (!whole) return;
  const std::string initials = analyzer::Choseong(key);
  if (initials.size() >= 2 * kJamoBytes) doc->add_boolean_term(TitleChoseongTerm(initials));
}

}  // namespace

StoredArticle StoreArticle(const v1::Article& article) {
  StoredArticle stored;
  {
    // Deterministic bytes, so the same article always hashes the same.
    google::protobuf::io::StringOutputStream stream(&stored.data);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    article.SerializeToCodedStream(&coded);
  }
  stored.content_hash = StableHash(absl::StrCat(kDocumentFormat, ":", stored.data));
  return stored;
}

Xapian::Document DocumentBuilder::Build(const v1::Article& article, StoredArticle stored) const {
  Xapian::Document doc;
  IndexText(article.title(), kPrefixText, kTitleWdfInc, &doc);
  IndexText(article.title(), kPrefixTitle, 1, &doc);
  IndexText(article.body(), kPrefixText, 1, &doc);

  doc.add_boolean_term(IdTerm(article.id()));
  // Weighted, so that a query that is a post's title (or, being typed, the
  // start of one) ranks the post first.
  if (!NormalizeKey(article.title()).empty()) doc.add_term(TitleKeyTerm(article.title()));
  AddChoseongTerms(article.title(), /*whole=*/true, &doc);
  AddChoseongTerms(article.category(), /*whole=*/false, &doc);
  std::vector<KeyedValue> tags;
  for (const std::string& tag : article.tags()) {
    std::string key = NormalizeKey(tag);
    // DOCKER and ＤＯＣＫＥＲ on one post are one tag (the first spelling shows).
    if (key.empty() || std::any_of(tags.begin(), tags.end(), [&](const KeyedValue& t) { return t.key == key; })) {
      continue;
    }
    doc.add_boolean_term(TagTerm(tag));
    AddChoseongTerms(tag, /*whole=*/false, &doc);
    std::string display = DisplayValue(tag);
    tags.push_back({std::move(key), std::move(display)});
  }
  std::string category_value;
  if (!article.category().empty()) {
    // The category and every ancestor, so category:개발 finds 개발/파이썬.
    const std::string key = NormalizeKey(article.category());
    for (size_t slash = key.find('/'); slash != std::string::npos; slash = key.find('/', slash + 1)) {
      doc.add_boolean_term(CategoryTerm(key.substr(0, slash)));
    }
    doc.add_boolean_term(CategoryTerm(key));
    std::string display = DisplayValue(article.category());
    category_value = EncodeKeyed({{key, display}});
  }
  if (!article.author().empty()) doc.add_boolean_term(AuthorTerm(article.author()));

  doc.add_value(kSlotPublished, Xapian::sortable_serialise(TimestampSeconds(article.published())));
  doc.add_value(kSlotCommentCount, Xapian::sortable_serialise(article.comment_count()));
  doc.add_value(kSlotCategory, category_value);
  doc.add_value(kSlotTags, EncodeKeyed(tags));
  doc.add_value(kSlotContentHash, stored.content_hash);
  if (article.body().size() > kStoredHeadBodyBytes) {
    v1::Article head = article;
    head.set_body(std::string(analyzer::TruncateUtf8(article.body(), kStoredHeadBodyBytes)));
    doc.add_value(kSlotStoredHead, head.SerializeAsString());
  }
  doc.set_data(std::move(stored.data));
  return doc;
}

void FillPostSummary(const v1::Article& article, v1::PostSummary* out) {
  out->set_id(article.id());
  out->set_title(article.title());
  out->set_url(article.url());
  if (article.has_published()) *out->mutable_published() = article.published();
  out->set_comment_count(article.comment_count());
  out->set_category(article.category());
  *out->mutable_tags() = article.tags();
}

absl::StatusOr<v1::Article> ArticleFromDocument(const Xapian::Document& doc) {
  v1::Article article;
  if (!article.ParseFromString(doc.get_data())) {
    return absl::DataLossError("stored article data does not parse");
  }
  return article;
}

absl::StatusOr<v1::Article> ArticleHeadFromDocument(const Xapian::Document& doc) {
  const std::string head = doc.get_value(kSlotStoredHead);
  if (head.empty()) return ArticleFromDocument(doc);  // a short post, or one indexed before the head
  v1::Article article;
  if (!article.ParseFromString(head)) return absl::DataLossError("stored article head does not parse");
  return article;
}

}  // namespace chaja::index
