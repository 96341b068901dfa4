// The table and column filters every Debezium relational connector reads: <container>.include /
// exclude.list (schema.* for PostgreSQL, database.* for MySQL / MariaDB), table.include /
// exclude.list ("<container>.<table>"), column.include / exclude.list
// ("<container>.<table>.<column>"), each a comma-separated list of anchored regular expressions,
// and message.key.columns ("<table regex>:<col>,<col>;...").
//
// Threading: built once from the task's config; const methods from any thread.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "tributary/config.h"

namespace tributary::cdc {

class TableFilters {
 public:
  /// `container` is "schema" or "database": the keys <container>.include.list / exclude.list.
  /// Throws std::invalid_argument("<key>: ...") for a regex that does not compile or a
  /// malformed message.key.columns entry.
  TableFilters(const ConfigMap& props, const std::string& container);
  /// Whether <container>.include / exclude.list let the schema or database in.
  bool container_included(const std::string& container) const;
  bool table_included(const std::string& container, const std::string& table) const;
  /// `table_id` is "<container>.<table>".
  bool column_included(const std::string& table_id, const std::string& column) const;
  /// Key columns given by message.key.columns for this table, if any.
  std::optional<std::vector<std::string>> key_columns(const std::string& table_id) const;

 private:
  std::vector<std::regex> container_include_, container_exclude_, table_include_, table_exclude_,
      column_include_, column_exclude_;
  std::vector<std::pair<std::regex, std::vector<std::string>>> key_columns_;
};

/// `s` split at `sep`, each item trimmed, empty items left out.
std::vector<std::string> split_list(const std::string& s, char sep);

}  // namespace tributary::cdc
