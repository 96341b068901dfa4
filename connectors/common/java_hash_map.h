// The iteration order of a java.util.HashMap<String, ?>: Debezium builds its source offsets in
// HashMaps and Connect's JsonConverter writes them in that order, so the offsets a connector
// stores are byte-identical to Debezium's only when their keys come in the same order. The order
// is by bucket (String.hashCode spread by h ^ h >>> 16, modulo the table size: 16, doubled each
// time the map holds more than 3/4 of it), and by insertion within a bucket.
//
// Threading: pure.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tributary::cdc {

/// Java's String.hashCode of `s` (UTF-16 code units; ASCII keys here).
std::int32_t java_string_hash(const std::string& s);

/// `entries` (in the order Debezium puts them) reordered as a HashMap iterates them.
template <class V>
std::vector<std::pair<std::string, V>> java_hash_map_order(
    std::vector<std::pair<std::string, V>> entries) {
  std::size_t capacity = 16;
  while (entries.size() > capacity * 3 / 4) capacity *= 2;
  std::vector<std::pair<std::size_t, std::size_t>> order;  // (bucket, insertion index)
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto h = static_cast<std::uint32_t>(java_string_hash(entries[i].first));
    order.emplace_back((h ^ (h >> 16)) & (capacity - 1), i);
  }
  std::sort(order.begin(), order.end());
  std::vector<std::pair<std::string, V>> out;
  out.reserve(entries.size());
  for (const auto& [bucket, i] : order) out.push_back(std::move(entries[i]));
  return out;
}

}  // namespace tributary::cdc
