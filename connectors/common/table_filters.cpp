#include "table_filters.h"

#include <cctype>
#include <stdexcept>
#include <string_view>

namespace tributary::cdc {
namespace {

std::string get(const ConfigMap& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? std::string() : it->second;
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::vector<std::regex> regex_list(const ConfigMap& props, const std::string& key) {
  std::vector<std::regex> out;
  for (const auto& r : split_list(get(props, key), ',')) {
    try {
      out.emplace_back(r);
    } catch (const std::regex_error& e) {
      throw std::invalid_argument(key + ": '" + r +
                                  "' is not a valid regular expression: " + e.what());
    }
  }
  return out;
}

bool any_match(const std::vector<std::regex>& rs, const std::string& s) {
  for (const auto& r : rs)
    if (std::regex_match(s, r)) return true;
  return false;
}

}  // namespace

std::vector<std::string> split_list(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    const size_t end = std::min(s.find(sep, start), s.size());
    std::string item = trim(std::string_view(s).substr(start, end - start));
    if (!item.empty()) out.push_back(std::move(item));
    start = end + 1;
  }
  return out;
}

TableFilters::TableFilters(const ConfigMap& props, const std::string& container)
    : container_include_(regex_list(props, container + ".include.list")),
      container_exclude_(regex_list(props, container + ".exclude.list")),
      table_include_(regex_list(props, "table.include.list")),
      table_exclude_(regex_list(props, "table.exclude.list")),
      column_include_(regex_list(props, "column.include.list")),
      column_exclude_(regex_list(props, "column.exclude.list")) {
  for (const auto& entry : split_list(get(props, "message.key.columns"), ';')) {
    const size_t colon = entry.rfind(':');
    if (colon == std::string::npos)
      throw std::invalid_argument("message.key.columns: '" + entry +
                                  "' is not <fully-qualified table>:<column>[,<column>...]");
    try {
      key_columns_.emplace_back(std::regex(trim(std::string_view(entry).substr(0, colon))),
                                split_list(entry.substr(colon + 1), ','));
    } catch (const std::regex_error& e) {
      throw std::invalid_argument("message.key.columns: '" + entry + "': " + e.what());
    }
  }
}

bool TableFilters::container_included(const std::string& container) const {
  if (!container_include_.empty() && !any_match(container_include_, container)) return false;
  return !any_match(container_exclude_, container);
}

bool TableFilters::table_included(const std::string& container, const std::string& table) const {
  if (!container_included(container)) return false;
  const std::string id = container + "." + table;
  if (!table_include_.empty() && !any_match(table_include_, id)) return false;
  return !any_match(table_exclude_, id);
}

bool TableFilters::column_included(const std::string& table_id, const std::string& column) const {
  if (column_include_.empty() && column_exclude_.empty()) return true;
  const std::string id = table_id + "." + column;
  if (!column_include_.empty() && !any_match(column_include_, id)) return false;
  return !any_match(column_exclude_, id);
}

std::optional<std::vector<std::string>> TableFilters::key_columns(
    const std::string& table_id) const {
  for (const auto& [re, cols] : key_columns_)
    if (std::regex_match(table_id, re)) return cols;
  return std::nullopt;
}

}  // namespace tributary::cdc
