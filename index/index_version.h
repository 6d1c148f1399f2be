// IndexVersion: which database, at which commit, a snapshot of a site was
// read from. Xapian counts revisions within one database; a bulk import or a
// replica can put another database in the folder at the same revision, so the
// database's UUID is part of the identity.
#ifndef CHAJA_INDEX_INDEX_VERSION_H_
#define CHAJA_INDEX_INDEX_VERSION_H_

#include <string>

#include <xapian.h>

namespace chaja::index {

struct IndexVersion {
  std::string uuid;
  Xapian::rev revision = 0;

  static IndexVersion Of(const Xapian::Database& db) { return {db.get_uuid(), db.get_revision()}; }
  bool operator==(const IndexVersion& other) const { return revision == other.revision && uuid == other.uuid; }
  bool operator!=(const IndexVersion& other) const { return !(*this == other); }
};

}  // namespace chaja::index

#endif  // CHAJA_INDEX_INDEX_VERSION_H_
