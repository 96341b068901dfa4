#include "binlog_position.h"

#include <cctype>
#include <charconv>
#include <stdexcept>
#include <utility>
#include <vector>

#include "java_hash_map.h"

namespace tributary::mysql {
namespace {

std::uint64_t number(std::string_view s, const std::string& entry) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size())
    throw std::invalid_argument("'" + entry + "' is not a MariaDB GTID <domain>-<server>-<seq>");
  return v;
}

}  // namespace

GtidState GtidState::parse(const std::string& text) {
  GtidState s;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    std::string entry = text.substr(start, comma - start);
    while (!entry.empty() && std::isspace(static_cast<unsigned char>(entry.front())))
      entry.erase(0, 1);
    while (!entry.empty() && std::isspace(static_cast<unsigned char>(entry.back())))
      entry.pop_back();
    start = comma + 1;
    if (entry.empty()) continue;
    const auto d1 = entry.find('-');
    const auto d2 = d1 == std::string::npos ? std::string::npos : entry.find('-', d1 + 1);
    if (d2 == std::string::npos)
      throw std::invalid_argument("'" + entry + "' is not a MariaDB GTID <domain>-<server>-<seq>");
    const auto domain = number(std::string_view(entry).substr(0, d1), entry);
    const auto server = number(std::string_view(entry).substr(d1 + 1, d2 - d1 - 1), entry);
    const auto seq = number(std::string_view(entry).substr(d2 + 1), entry);
    if (domain > UINT32_MAX || server > UINT32_MAX)
      throw std::invalid_argument("'" + entry + "': domain and server ids are 32-bit");
    s.update(static_cast<std::uint32_t>(domain), static_cast<std::uint32_t>(server), seq);
  }
  return s;
}

void GtidState::update(std::uint32_t domain, std::uint32_t server, std::uint64_t sequence) {
  last_[domain] = Last{server, sequence};
  text_.clear();
  for (const auto& [d, last] : last_) {
    if (!text_.empty()) text_ += ',';
    text_ +=
        std::to_string(d) + "-" + std::to_string(last.server) + "-" + std::to_string(last.sequence);
  }
}

bool GtidState::contains(std::uint32_t domain, std::uint64_t sequence) const {
  auto it = last_.find(domain);
  return it != last_.end() && sequence <= it->second.sequence;
}

bool GtidState::includes(const GtidState& other) const {
  for (const auto& [domain, last] : other.last_)
    if (!contains(domain, last.sequence)) return false;
  return true;
}

OffsetMap to_offset(const BinlogPosition& p) {
  // Debezium's keys, written in its HashMap's order: by bucket, then in the order it puts them
  // (file, pos, server_id, gtids, event, row, ts_sec, snapshot). With at most 12 keys the table
  // has 16 buckets, so the order of any subset is the order of all eight with the absent ones
  // left out: computed once (a per-record sort was a third of the reader thread's time).
  enum Key { File, Pos, ServerId, Gtids, Event, Row, TsSec, Snapshot, kKeys };
  static const char* const kNames[kKeys] = {"file",  "pos", "server_id", "gtids",
                                            "event", "row", "ts_sec",    "snapshot"};
  static const std::vector<int> kOrder = [] {
    std::vector<std::pair<std::string, int>> all;
    for (int k = 0; k < kKeys; ++k) all.emplace_back(kNames[k], k);
    std::vector<int> order;
    for (const auto& [name, k] : cdc::java_hash_map_order(std::move(all))) order.push_back(k);
    return order;
  }();
  OffsetMap o = OffsetMap::object();
  // The keys are distinct: appended without operator[]'s search, into one allocation.
  auto& entries = o.get_ref<OffsetMap::object_t&>();
  entries.reserve(kKeys);
  for (const int k : kOrder) {
    switch (k) {
      case File: entries.emplace_back(kNames[k], p.file); break;
      case Pos: entries.emplace_back(kNames[k], p.pos); break;
      case ServerId:
        if (p.server_id != 0) entries.emplace_back(kNames[k], p.server_id);
        break;
      case Gtids:
        if (!p.gtids.empty()) entries.emplace_back(kNames[k], p.gtids);
        break;
      case Event:
        if (p.event != 0) entries.emplace_back(kNames[k], p.event);
        break;
      case Row:
        if (p.row != 0) entries.emplace_back(kNames[k], p.row);
        break;
      case TsSec:
        if (p.ts_sec != 0) entries.emplace_back(kNames[k], p.ts_sec);
        break;
      case Snapshot:
        if (p.snapshot) entries.emplace_back(kNames[k], true);
        break;
      default: break;
    }
  }
  return o;
}

bool RowOffsets::covers(const BinlogPosition& p) const {
  return p.pos == p_.pos && p.event == p_.event && p.server_id == p_.server_id &&
         p.ts_sec == p_.ts_sec && p.snapshot == p_.snapshot && p.file == p_.file &&
         p.gtids == p_.gtids;
}

OffsetMap RowOffsets::offset(std::uint64_t row) const {
  BinlogPosition p = p_;
  p.row = row;
  return to_offset(p);
}

OffsetMap to_offset(const BinlogPosition& p, const std::string& transaction_id) {
  OffsetMap base = to_offset(p);
  if (transaction_id.empty()) return base;
  // The position's keys in Debezium's put order, then transaction_id, iterated as the HashMap
  // that holds all of them.
  static const char* const kPutOrder[] = {"file",  "pos", "server_id", "gtids",
                                          "event", "row", "ts_sec",    "snapshot"};
  std::vector<std::pair<std::string, OffsetMap>> entries;
  for (const char* k : kPutOrder)
    if (base.contains(k)) entries.emplace_back(k, std::move(base[k]));
  entries.emplace_back("transaction_id", transaction_id);
  OffsetMap o = OffsetMap::object();
  for (auto& [k, v] : cdc::java_hash_map_order(std::move(entries))) o[k] = std::move(v);
  return o;
}

BinlogPosition from_offset(const OffsetMap& offset) {
  if (!offset.is_object()) throw std::invalid_argument("the stored offset is not an object");
  BinlogPosition p;
  auto unsigned_of = [&](const char* key, bool required) -> std::uint64_t {
    if (!offset.contains(key)) {
      if (required)
        throw std::invalid_argument(std::string("Source offset '") + key +
                                    "' parameter is missing");
      return 0;
    }
    const auto& v = offset[key];
    if (v.is_number_unsigned()) return v.get<std::uint64_t>();
    if (v.is_number_integer() && v.get<std::int64_t>() >= 0)
      return static_cast<std::uint64_t>(v.get<std::int64_t>());
    if (v.is_string()) {  // Debezium's offsets hold some numbers as strings
      const auto& s = v.get_ref<const std::string&>();
      std::uint64_t n = 0;
      const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
      if (!s.empty() && ec == std::errc() && end == s.data() + s.size()) return n;
    }
    throw std::invalid_argument(std::string("Source offset '") + key +
                                "' is not a number: " + v.dump().substr(0, 100));
  };
  if (!offset.contains("file") || !offset["file"].is_string())
    throw std::invalid_argument("Source offset 'file' parameter is missing");
  p.file = offset["file"].get<std::string>();
  p.pos = unsigned_of("pos", true);
  p.event = unsigned_of("event", false);
  p.row = unsigned_of("row", false);
  p.server_id = unsigned_of("server_id", false);
  p.ts_sec = static_cast<std::int64_t>(unsigned_of("ts_sec", false));
  if (offset.contains("gtids")) {
    if (!offset["gtids"].is_string())
      throw std::invalid_argument("Source offset 'gtids' is not a string");
    p.gtids = offset["gtids"].get<std::string>();
    try {
      GtidState::parse(p.gtids);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(std::string("Source offset 'gtids': ") + e.what());
    }
  }
  p.snapshot = offset.contains("snapshot") && offset["snapshot"].is_boolean() &&
               offset["snapshot"].get<bool>();
  return p;
}

}  // namespace tributary::mysql
