// store_files: reads a stopped server's event store with RocksDB directly, to
// check what its files hold independently of the server's own code.
//
// Thread-safety: plain functions; the store must not be open elsewhere (open a
// copy of a running server's directory).
//
//   auto keys = read_column_family(copy + "/events", "keys");
//   EXPECT_FALSE(keys.contains("k/" + member_id));
#pragma once

#include <map>
#include <string>

namespace ikv::e2e {

// Every key and value of column family `family` of the RocksDB database at
// `db_path`, opened read-only. Fails the current test (ADD_FAILURE) and
// returns {} when the database or the family cannot be opened.
std::map<std::string, std::string> read_column_family(const std::string& db_path,
                                                      const std::string& family);

}  // namespace ikv::e2e
