#include "offsets/offset_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/log.h"
#include "kafka/kafka.h"
#include "tributary/bounded_json.h"

namespace tributary {
namespace {
constexpr const char* kLogger = "io.tributary.offsets";
}

std::string compact_json(const OffsetMap& value) {
  // Jackson and nlohmann agree on compact output for the objects, strings and integers that
  // offsets hold; nlohmann writes non-ASCII as raw UTF-8, as Jackson does.
  return value.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace);
}

std::string offset_key(const std::string& connector, const OffsetMap& partition) {
  OffsetMap key = OffsetMap::array({connector, partition});
  return compact_json(key);
}

std::optional<OffsetMap> OffsetStore::get(const std::string& connector,
                                          const OffsetMap& partition) {
  std::lock_guard lk(mu_);
  auto c = data_.find(connector);
  if (c == data_.end()) return std::nullopt;
  auto it = c->second.find(offset_key(connector, partition));
  if (it == c->second.end()) return std::nullopt;
  return it->second.second;
}

std::vector<std::pair<OffsetMap, OffsetMap>> OffsetStore::all(const std::string& connector) {
  std::lock_guard lk(mu_);
  std::vector<std::pair<OffsetMap, OffsetMap>> out;
  auto c = data_.find(connector);
  if (c == data_.end()) return out;
  for (const auto& [_, po] : c->second) out.push_back(po);
  return out;
}

void OffsetStore::apply(std::string_view key, const std::string* value) {
  OffsetMap k;
  try {
    k = parse_bounded_json(key, "Offset key");
  } catch (const std::exception& e) {
    TLOG(Warn, kLogger, "Skipping offset record with unparseable key " << key << ": " << e.what());
    return;
  }
  if (!k.is_array() || k.size() != 2 || !k[0].is_string()) {
    TLOG(Warn, kLogger, "Skipping offset record with unexpected key " << key);
    return;
  }
  std::string connector = k[0].get<std::string>();
  std::string canonical = offset_key(connector, k[1]);
  std::lock_guard lk(mu_);
  if (value == nullptr) {
    data_[connector].erase(canonical);
    return;
  }
  try {
    data_[connector][canonical] = {k[1], parse_bounded_json(*value, "Offset value")};
  } catch (const std::exception& e) {
    TLOG(Warn, kLogger,
         "Skipping offset record for " << key << " with unparseable value: " << e.what());
  }
}

void OffsetStore::put(const std::string& connector, const std::vector<OffsetEntry>& entries,
                      std::chrono::milliseconds timeout) {
  if (entries.empty()) return;
  std::vector<std::pair<std::string, std::optional<std::string>>> kvs;
  kvs.reserve(entries.size());
  for (const auto& e : entries)
    kvs.emplace_back(offset_key(connector, e.partition),
                     e.offset ? std::optional<std::string>(compact_json(*e.offset)) : std::nullopt);
  std::lock_guard wl(write_mu_);
  {
    // The file backend rewrites the whole view, so update memory first and roll back on failure.
    std::lock_guard lk(mu_);
    auto before = data_[connector];
    for (size_t i = 0; i < entries.size(); ++i) {
      if (entries[i].offset)
        data_[connector][kvs[i].first] = {entries[i].partition, *entries[i].offset};
      else
        data_[connector].erase(kvs[i].first);
    }
    pending_rollback_ = std::move(before);
  }
  try {
    write(kvs, timeout);
  } catch (...) {
    std::lock_guard lk(mu_);
    data_[connector] = std::move(pending_rollback_);
    throw;
  }
}

namespace {

class FileOffsetStore : public OffsetStore {
 public:
  explicit FileOffsetStore(std::string path) : path_(std::move(path)) {}

  void start() override {
    std::ifstream in(path_);
    if (!in) return;  // first start
    std::stringstream ss;
    ss << in.rdbuf();
    if (ss.str().empty()) return;
    OffsetMap doc;
    try {
      doc = parse_bounded_json(ss.str(), "Offsets file '" + path_ + "'");
    } catch (const std::exception& e) {
      throw std::runtime_error("Offsets file '" + path_ + "' is not valid JSON: " + e.what());
    }
    const auto offsets = doc.is_object() ? doc.find("offsets") : doc.end();
    if (offsets == doc.end() || !offsets->is_array())
      throw std::runtime_error("Offsets file '" + path_ +
                               "' is not a Tributary offsets file (no \"offsets\" array)");
    size_t index = 0;
    for (const auto& e : *offsets) {
      auto k = e.is_object() ? e.find("key") : e.end();
      auto v = e.is_object() ? e.find("value") : e.end();
      if (k == e.end() || v == e.end() || !k->is_string() || !v->is_string())
        throw std::runtime_error("Offsets file '" + path_ + "': entry " + std::to_string(index) +
                                 " needs string \"key\" and \"value\"");
      std::string value = v->get<std::string>();
      apply(k->get<std::string>(), &value);
      ++index;
    }
  }

 protected:
  void write(const std::vector<std::pair<std::string, std::optional<std::string>>>&,
             std::chrono::milliseconds) override {
    OffsetMap doc = {{"format", "tributary-offsets-v1"}, {"offsets", OffsetMap::array()}};
    {
      std::lock_guard lk(mu_);
      for (const auto& [connector, m] : data_)
        for (const auto& [key, po] : m)
          doc["offsets"].push_back({{"key", key}, {"value", compact_json(po.second)}});
    }
    std::string tmp = path_ + ".tmp";
    std::string text = doc.dump(1);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error("Cannot write offsets file '" + tmp + "'");
    size_t off = 0;
    while (off < text.size()) {
      auto n = ::write(fd, text.data() + off, text.size() - off);
      if (n <= 0) {
        ::close(fd);
        throw std::runtime_error("Cannot write offsets file '" + tmp + "'");
      }
      off += static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0) {
      ::close(fd);
      throw std::runtime_error("Cannot fsync offsets file '" + tmp + "'");
    }
    ::close(fd);
    if (std::rename(tmp.c_str(), path_.c_str()) != 0)
      throw std::runtime_error("Cannot rename '" + tmp + "' to offsets file '" + path_ + "'");
  }

 private:
  std::string path_;
};

class KafkaOffsetStore : public OffsetStore {
 public:
  KafkaOffsetStore(ConfigMap props, std::string topic, int partitions, int rf)
      : props_(std::move(props)), topic_(std::move(topic)), partitions_(partitions), rf_(rf) {}

  void start() override {
    kafka::create_topics(props_, {{topic_, partitions_, rf_, {{"cleanup.policy", "compact"}}}},
                         std::chrono::seconds(30));
    kafka::read_topic_to_end(props_, topic_, std::chrono::seconds(60),
                             [this](std::string_view k, const std::string* v) { apply(k, v); });
    ConfigMap pp = props_;
    pp["enable.idempotence"] = "true";
    pp["acks"] = "all";
    pp["linger.ms"] = "0";
    pp["partitioner"] = kafka::kJavaCompatiblePartitioner;
    producer_ = std::make_unique<kafka::Producer>(pp, [](const rd_kafka_message_t& msg) {
      // Runs inside producer_->poll(), under producer_mu_.
      auto* b = static_cast<Batch*>(msg._private);
      if (msg.err != RD_KAFKA_RESP_ERR_NO_ERROR && b->error.empty())
        b->error = rd_kafka_err2str(msg.err);
      --b->outstanding;
      if (--b->refs == 0) delete b;
    });
  }

 protected:
  // One write's messages. Shared by the writer and each message's delivery callback; the last
  // one to let go deletes it, so a writer that times out never leaves a dangling pointer.
  struct Batch {
    int outstanding = 0;
    int refs = 1;
    std::string error;
  };

  void write(const std::vector<std::pair<std::string, std::optional<std::string>>>& kvs,
             std::chrono::milliseconds timeout) override {
    std::lock_guard lk(producer_mu_);
    auto* b = new Batch;
    auto release = [&] {
      if (--b->refs == 0) delete b;
    };
    for (const auto& [k, v] : kvs) {
      auto err = producer_->produce(topic_, RD_KAFKA_PARTITION_UA, k.data(), k.size(),
                                    v ? v->data() : nullptr, v ? v->size() : 0, 0, {}, b);
      if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        release();
        throw std::runtime_error("Cannot write offsets to topic '" + topic_ +
                                 "': " + rd_kafka_err2str(err));
      }
      ++b->outstanding;
      ++b->refs;
    }
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (b->outstanding > 0 && std::chrono::steady_clock::now() < deadline) producer_->poll(10);
    std::string failure;
    if (b->outstanding > 0)
      failure = "Timed out after " + std::to_string(timeout.count()) +
                " ms writing offsets to topic '" + topic_ + "'";
    else if (!b->error.empty())
      failure = "Cannot write offsets to topic '" + topic_ + "': " + b->error;
    release();
    if (!failure.empty()) throw std::runtime_error(failure);
  }

 private:
  ConfigMap props_;
  std::string topic_;
  int partitions_;
  int rf_;
  std::mutex producer_mu_;
  std::unique_ptr<kafka::Producer> producer_;
};

}  // namespace

std::unique_ptr<OffsetStore> make_file_offset_store(std::string path) {
  return std::make_unique<FileOffsetStore>(std::move(path));
}

std::unique_ptr<OffsetStore> make_kafka_offset_store(ConfigMap client_props, std::string topic,
                                                     int partitions, int replication_factor) {
  return std::make_unique<KafkaOffsetStore>(std::move(client_props), std::move(topic), partitions,
                                            replication_factor);
}

}  // namespace tributary
