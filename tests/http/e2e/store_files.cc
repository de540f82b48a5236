#include "tests/http/e2e/store_files.h"

#include <memory>
#include <vector>

#include <gtest/gtest.h>
#include <rocksdb/db.h>

namespace ikv::e2e {

std::map<std::string, std::string> read_column_family(const std::string& db_path,
                                                      const std::string& family) {
  std::map<std::string, std::string> out;
  rocksdb::Options options;
  std::vector<std::string> names;
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(options, db_path, &names);
  if (!s.ok()) {
    ADD_FAILURE() << "cannot list the column families of " << db_path << ": " << s.ToString();
    return out;
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& n : names) descriptors.emplace_back(n, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  s = rocksdb::DB::OpenForReadOnly(options, db_path, descriptors, &handles, &raw);
  if (!s.ok()) {
    ADD_FAILURE() << "cannot open " << db_path << " read-only: " << s.ToString();
    return out;
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::ColumnFamilyHandle* wanted = nullptr;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == family) wanted = handles[i];
  }
  if (wanted == nullptr) {
    ADD_FAILURE() << db_path << " has no column family " << family;
  } else {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), wanted));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      out.emplace(it->key().ToString(), it->value().ToString());
    }
    EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  }
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  return out;
}

}  // namespace ikv::e2e
