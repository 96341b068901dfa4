#include "unsupported_config.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace tributary::cdc {
namespace {

using Kind = UnsupportedKey::Kind;

std::string trimmed_lower(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  std::string out = s.substr(b, e - b);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Adds what `props` sets of `keys` to `out`, leaving out the keys `own` names (a connector's
// own list takes precedence over the common one).
void check(const ConfigMap& props, const std::vector<UnsupportedKey>& keys,
           const std::vector<UnsupportedKey>& own, UnsupportedFindings& out) {
  auto named = [](const std::vector<UnsupportedKey>& list, const std::string& key) {
    return std::find_if(list.begin(), list.end(),
                        [&](const UnsupportedKey& k) { return k.names(key); });
  };
  for (const auto& [key, value] : props) {
    const auto k = named(keys, key);
    if (k == keys.end() || (&keys != &own && named(own, key) != own.end())) continue;
    const std::string v = trimmed_lower(value);
    const bool accepted =
        v.empty() || std::any_of(k->accepted.begin(), k->accepted.end(),
                                 [&](const std::string& a) { return trimmed_lower(a) == v; });
    if (accepted) continue;
    if (k->kind == Kind::Refused)
      out.errors.emplace_back(key, "Tributary does not implement " + key + ": " + k->why);
    else
      out.warnings.push_back(key + " is set but has no effect in Tributary: " + k->why);
  }
}

}  // namespace

bool UnsupportedKey::names(const std::string& key) const {
  const auto star = name.find('*');
  if (star == std::string::npos) return name == key;
  const std::string_view prefix(name.data(), star);
  const std::string_view suffix(name.data() + star + 1, name.size() - star - 1);
  return key.size() > prefix.size() + suffix.size() && key.compare(0, prefix.size(), prefix) == 0 &&
         key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0;
}

const std::vector<UnsupportedKey>& common_unsupported_keys() {
  static const std::vector<UnsupportedKey> keys = {
      // Refused: each would make Debezium write other records than Tributary writes.
      {"column.mask.with.*.chars",
       Kind::Refused,
       {},
       "the records would carry the unmasked values; leave the column out with "
       "column.exclude.list, or mask it with a transform"},
      {"column.mask.hash.*",
       Kind::Refused,
       {},
       "the records would carry the unhashed values; leave the column out with "
       "column.exclude.list, or mask it with a transform"},
      {"column.truncate.to.*.chars", Kind::Refused, {}, "the records would carry the whole values"},
      {"column.propagate.source.type",
       Kind::Refused,
       {},
       "the __debezium.source.column.* schema parameters are not written"},
      {"datatype.propagate.source.type",
       Kind::Refused,
       {},
       "the __debezium.source.column.* schema parameters are not written"},
      {"include.schema.comments",
       Kind::Refused,
       {"false"},
       "table and column comments are not read into the schemas"},
      {"schema.name.adjustment.mode",
       Kind::Refused,
       {"none"},
       "schema names are written unadjusted (none)"},
      {"field.name.adjustment.mode",
       Kind::Refused,
       {"none"},
       "field names are written unadjusted (none)"},
      {"converters", Kind::Refused, {}, "custom converters are Java classes"},
      {"post.processors", Kind::Refused, {}, "post processors are Java classes"},
      {"topic.naming.strategy",
       Kind::Refused,
       {"io.debezium.schema.SchemaTopicNamingStrategy",
        "io.debezium.schema.DefaultTopicNamingStrategy"},
       "topics are named as the default strategies name them (<topic.prefix>.<schema>.<table>); "
       "route them elsewhere with a transform such as RegexRouter"},
      {"transaction.metadata.factory",
       Kind::Refused,
       {"io.debezium.pipeline.txmetadata.DefaultTransactionMetadataFactory"},
       "transaction metadata is written as the default factory writes it"},
      {"snapshot.include.collection.list",
       Kind::Refused,
       {},
       "the snapshot reads every captured table; narrow table.include.list instead"},
      {"snapshot.query.mode",
       Kind::Refused,
       {"select_all"},
       "custom snapshot queries are Java classes; use snapshot.select.statement.overrides"},
      // Ignored: no effect on the records written.
      {"event.processing.failure.handling.mode",
       Kind::Ignored,
       {"fail"},
       "an event that cannot be processed fails the task, as under fail: none is skipped"},
      {"snapshot.max.threads", Kind::Ignored, {"1"}, "tables are snapshotted one at a time"},
      {"snapshot.tables.order.by.row.count",
       Kind::Ignored,
       {"disabled"},
       "tables are snapshotted in the order the connector lists them"},
      {"query.fetch.size", Kind::Ignored, {"0"}, "streaming reads need no fetch size"},
      {"streaming.delay.ms", Kind::Ignored, {"0"}, "streaming starts at once"},
      {"heartbeat.topics.prefix",
       Kind::Ignored,
       {"__debezium-heartbeat"},
       "heartbeats go to topic.heartbeat.prefix, as in Debezium 2.x"},
      {"signal.data.collection",
       Kind::Ignored,
       {},
       "signals are not implemented: a row of the signal table is captured as any other, and "
       "no ad-hoc snapshot runs"},
      {"signal.enabled.channels", Kind::Ignored, {"source"}, "signals are not implemented"},
      {"signal.poll.interval.ms", Kind::Ignored, {"5000"}, "signals are not implemented"},
      {"incremental.snapshot.chunk.size",
       Kind::Ignored,
       {"1024"},
       "incremental snapshots (signals) are not implemented"},
      {"incremental.snapshot.allow.schema.changes",
       Kind::Ignored,
       {"false"},
       "incremental snapshots (signals) are not implemented"},
      {"incremental.snapshot.watermarking.strategy",
       Kind::Ignored,
       {"insert_insert"},
       "incremental snapshots (signals) are not implemented"},
      {"notification.enabled.channels", Kind::Ignored, {}, "notifications are not implemented"},
      {"notification.sink.topic.name", Kind::Ignored, {}, "notifications are not implemented"},
      {"custom.metric.tags",
       Kind::Ignored,
       {},
       "/metrics labels each series with the connector's own names"},
      {"snapshot.mode.custom.name",
       Kind::Ignored,
       {},
       "read only for snapshot.mode=custom, which is refused"},
      {"snapshot.mode.configuration.based.*",
       Kind::Ignored,
       {"false"},
       "read only for snapshot.mode=configuration_based, which is refused"},
      {"snapshot.query.mode.custom.name",
       Kind::Ignored,
       {},
       "read only for snapshot.query.mode=custom, which is refused"},
      {"snapshot.locking.mode.custom.name",
       Kind::Ignored,
       {},
       "read only for snapshot.locking.mode=custom, which is refused"},
      {"internal.log.position.check.enable",
       Kind::Ignored,
       {"true"},
       "one of Debezium's internal switches"},
      {"internal.snapshot.scan.all.columns.force",
       Kind::Ignored,
       {"false"},
       "one of Debezium's internal switches"},
  };
  return keys;
}

std::vector<std::pair<std::string, std::string>> describe_unsupported(
    const std::vector<UnsupportedKey>& keys) {
  std::vector<std::pair<std::string, std::string>> out;
  auto describe = [&](const UnsupportedKey& k) {
    std::string what = k.kind == Kind::Refused ? "Refused" : "Ignored (a WARN line)";
    if (!k.accepted.empty()) {
      what += " unless";
      for (std::size_t i = 0; i < k.accepted.size(); ++i)
        what += (i == 0 ? " `" : ", `") + k.accepted[i] + "`";
    }
    out.emplace_back(k.name, what + ": " + k.why + ".");
  };
  for (const auto& k : keys) describe(k);
  for (const auto& k : common_unsupported_keys()) {
    const bool own = std::any_of(keys.begin(), keys.end(),
                                 [&](const UnsupportedKey& o) { return o.names(k.name); });
    if (!own) describe(k);
  }
  return out;
}

UnsupportedFindings check_unsupported(const ConfigMap& props,
                                      const std::vector<UnsupportedKey>& keys) {
  UnsupportedFindings out;
  check(props, keys, keys, out);
  check(props, common_unsupported_keys(), keys, out);
  return out;
}

}  // namespace tributary::cdc
