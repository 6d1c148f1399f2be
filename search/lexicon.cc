#include "search/lexicon.h"

#include "index/status.h"

namespace chaja::search {

void XapianLexicon::Fail(const Xapian::Error& e) const {
  if (status_.ok()) status_ = index::XapianErrorToStatus(e, "reading the vocabulary");
}

uint64_t XapianLexicon::DocCount() const {
  if (!status_.ok()) return 0;
  try {
    return db_->get_doccount();
  } catch (const Xapian::Error& e) {
    Fail(e);
    return 0;
  }
}

bool XapianLexicon::CoOccur(const std::vector<std::string>& terms) const {
  if (!status_.ok() || terms.empty()) return false;
  // A leapfrog over the posting lists, stopping at the first post that has
  // them all: no matcher, no weights. The plan asks this for most Korean words
  // of a query, so it must cost little more than the lookups themselves.
  try {
    std::vector<Xapian::PostingIterator> lists;
    for (const std::string& term : terms) {
      lists.push_back(db_->postlist_begin(term));
      if (lists.back() == db_->postlist_end(term)) return false;
    }
    Xapian::docid target = *lists.front();
    for (size_t agreed = 0; agreed < lists.size();) {
      for (Xapian::PostingIterator& list : lists) {
        list.skip_to(target);
        if (list == Xapian::PostingIterator()) return false;
        if (*list != target) {
          target = *list;
          agreed = 0;
          break;
        }
        ++agreed;
      }
    }
    return true;
  } catch (const Xapian::Error& e) {
    Fail(e);
    return false;
  }
}

bool XapianLexicon::AnyMatch(const QueryNode& query) const {
  if (!status_.ok() || query.empty()) return false;
  try {
    Xapian::Enquire enquire(*db_);
    enquire.set_query(ToXapian(query));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    return !enquire.get_mset(0, 1).empty();
  } catch (const Xapian::Error& e) {
    Fail(e);
    return false;
  }
}

uint64_t XapianLexicon::Frequency(const std::string& term) const {
  if (term.empty() || !status_.ok()) return 0;
  try {
    return db_->get_termfreq(term);
  } catch (const Xapian::Error& e) {
    Fail(e);
    return 0;
  }
}

void XapianLexicon::ForEachInRange(const std::string& from, const std::string& to,
                                   const std::function<bool(const std::string&, uint64_t)>& fn) const {
  ForEachInRanges({{from, to}}, fn);
}

void XapianLexicon::ForEachInRanges(const std::vector<std::pair<std::string, std::string>>& ranges,
                                    const std::function<bool(const std::string&, uint64_t)>& fn) const {
  if (!status_.ok() || ranges.empty()) return;
  try {
    Xapian::TermIterator it = db_->allterms_begin();
    const Xapian::TermIterator end = db_->allterms_end();
    for (const auto& [from, to] : ranges) {
      if (to < from) continue;
      // skip_to only moves forward: ranges are sorted, and a cursor already
      // past `from` is where the range starts.
      if (it != end && *it < from) it.skip_to(from);
      for (; it != end; ++it) {
        const std::string term = *it;
        if (term > to) break;
        if (!fn(term, it.get_termfreq())) return;
      }
      if (it == end) return;
    }
  } catch (const Xapian::Error& e) {
    Fail(e);
  }
}

}  // namespace chaja::search
