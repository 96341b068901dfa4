#include "kafka/kafka.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>
#include <thread>

#include "common/log.h"

namespace tributary::kafka {
namespace {
constexpr const char* kLogger = "io.tributary.kafka";

void log_cb(const rd_kafka_t* rk, int level, const char* fac, const char* buf) {
  (void)rk;
  auto l = level <= 3   ? log::Level::Error
           : level <= 4 ? log::Level::Warn
           : level <= 6 ? log::Level::Info
                        : log::Level::Debug;
  if (log::enabled(kLogger, l))
    log::write(l, kLogger, std::string("librdkafka ") + fac + ": " + buf);
}

// Java client keys librdkafka does not have (or that mean something else): skipped quietly.
bool java_only(std::string_view k) {
  static const char* kSkip[] = {"key.serializer",     "value.serializer",    "key.deserializer",
                                "value.deserializer", "max.request.size",    "buffer.memory",
                                "max.block.ms",       "interceptor.classes", "metric.reporters",
                                "security.providers", "partitioner.class"};
  for (auto* s : kSkip)
    if (k == s) return true;
  return false;
}
}  // namespace

ConfPtr make_conf(const ConfigMap& props, std::string_view key_prefix) {
  ConfPtr conf(rd_kafka_conf_new());
  char err[512];
  for (const auto& [k, v] : props) {
    if (java_only(k)) continue;
    auto r = rd_kafka_conf_set(conf.get(), k.c_str(), v.c_str(), err, sizeof err);
    if (r == RD_KAFKA_CONF_UNKNOWN) {
      TLOG(Debug, kLogger,
           "Kafka client property " << key_prefix << k << " is not known to librdkafka; ignored");
    } else if (r != RD_KAFKA_CONF_OK) {
      throw ConfigError(std::string(key_prefix) + k, "Invalid value " + v + " for configuration " +
                                                         std::string(key_prefix) + k + ": " + err);
    }
  }
  rd_kafka_conf_set_log_cb(conf.get(), log_cb);
  return conf;
}

namespace {
// librdkafka 2.0's broker thread polls its socket with a zero timeout while an idempotent
// producer has its five requests in flight and older messages wait (the linger wake-up is
// computed before the in-flight cap applies), so under load it spins. A lower priority leaves
// that CPU to threads with work to do. The nice value travels in the interceptor's opaque.
rd_kafka_resp_err_t on_thread_start(rd_kafka_t*, rd_kafka_thread_type_t type, const char*,
                                    void* opaque) {
  const auto nice = static_cast<int>(reinterpret_cast<std::intptr_t>(opaque));
  if (type == RD_KAFKA_THREAD_BROKER) setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), nice);
  return RD_KAFKA_RESP_ERR_NO_ERROR;
}

rd_kafka_resp_err_t on_new(rd_kafka_t* rk, const rd_kafka_conf_t*, void* opaque, char*, size_t) {
  return rd_kafka_interceptor_add_on_thread_start(rk, "tributary-io-thread-nice", &on_thread_start,
                                                  opaque);
}
}  // namespace

Producer::Producer(const ConfigMap& props, DeliveryCallback on_delivery, int io_thread_nice)
    : on_delivery_(std::move(on_delivery)) {
  ConfPtr conf = make_conf(props, "producer.");
  if (io_thread_nice > 0)
    rd_kafka_conf_interceptor_add_on_new(
        conf.get(), "tributary-io-thread-nice", &on_new,
        reinterpret_cast<void*>(static_cast<std::intptr_t>(io_thread_nice)));
  rd_kafka_conf_set_dr_msg_cb(conf.get(), &Producer::dr_cb);
  rd_kafka_conf_set_opaque(conf.get(), this);
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), err, sizeof err);
  if (rk == nullptr) throw std::runtime_error(std::string("Cannot create Kafka producer: ") + err);
  conf.release();  // owned by rk now
  rk_.reset(rk);
}

Producer::~Producer() {
  for (auto& [_, t] : topics_) rd_kafka_topic_destroy(t);
  topics_.clear();
}

void Producer::dr_cb(rd_kafka_t*, const rd_kafka_message_t* msg, void* opaque) {
  auto* self = static_cast<Producer*>(opaque);
  if (self->on_delivery_) self->on_delivery_(*msg);
}

rd_kafka_topic_t* Producer::topic_handle(const std::string& topic) {
  auto it = topics_.find(topic);
  if (it != topics_.end()) return it->second;
  rd_kafka_topic_t* t = rd_kafka_topic_new(rk_.get(), topic.c_str(), nullptr);
  if (t == nullptr)
    throw std::runtime_error("Cannot create topic handle for '" + topic +
                             "': " + rd_kafka_err2str(rd_kafka_last_error()));
  topics_.emplace(topic, t);
  return t;
}

rd_kafka_resp_err_t Producer::produce(const std::string& topic, std::int32_t partition,
                                      const void* key, size_t key_len, const void* value,
                                      size_t value_len, std::int64_t timestamp_ms,
                                      const std::vector<HeaderBytes>& headers, void* msg_opaque) {
  rd_kafka_headers_t* hdrs = nullptr;
  if (!headers.empty()) {
    hdrs = rd_kafka_headers_new(headers.size());
    for (const auto& h : headers)
      rd_kafka_header_add(hdrs, h.key.data(), static_cast<ssize_t>(h.key.size()), h.value,
                          h.value == nullptr ? 0 : static_cast<ssize_t>(h.size));
  }
  rd_kafka_resp_err_t err = rd_kafka_producev(
      rk_.get(), RD_KAFKA_V_RKT(topic_handle(topic)), RD_KAFKA_V_PARTITION(partition),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(const_cast<void*>(key), key_len),
      RD_KAFKA_V_VALUE(const_cast<void*>(value), value_len), RD_KAFKA_V_TIMESTAMP(timestamp_ms),
      RD_KAFKA_V_HEADERS(hdrs), RD_KAFKA_V_OPAQUE(msg_opaque), RD_KAFKA_V_END);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR && hdrs != nullptr) rd_kafka_headers_destroy(hdrs);
  return err;
}

int Producer::poll(int timeout_ms) {
  return rd_kafka_poll(rk_.get(), timeout_ms);
}

bool Producer::flush(std::chrono::milliseconds timeout) {
  return rd_kafka_flush(rk_.get(), static_cast<int>(timeout.count())) == RD_KAFKA_RESP_ERR_NO_ERROR;
}

int Producer::queue_length() const {
  return rd_kafka_outq_len(rk_.get());
}

namespace {
HandlePtr make_client(const ConfigMap& props, rd_kafka_type_t type) {
  ConfPtr conf = make_conf(props);
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), err, sizeof err);
  if (rk == nullptr) throw std::runtime_error(std::string("Cannot create Kafka client: ") + err);
  conf.release();
  return HandlePtr(rk);
}
}  // namespace

void create_topics(const ConfigMap& client_props, const std::vector<NewTopic>& topics,
                   std::chrono::milliseconds timeout) {
  if (topics.empty()) return;
  HandlePtr rk = make_client(client_props, RD_KAFKA_PRODUCER);
  std::vector<rd_kafka_NewTopic_t*> nts;
  char err[512];
  for (const auto& t : topics) {
    rd_kafka_NewTopic_t* nt =
        rd_kafka_NewTopic_new(t.name.c_str(), t.partitions, t.replication_factor, err, sizeof err);
    if (nt == nullptr) {
      for (auto* n : nts) rd_kafka_NewTopic_destroy(n);
      throw std::runtime_error("Cannot create topic '" + t.name + "': " + err);
    }
    for (const auto& [k, v] : t.configs) rd_kafka_NewTopic_set_config(nt, k.c_str(), v.c_str());
    nts.push_back(nt);
  }
  rd_kafka_queue_t* q = rd_kafka_queue_new(rk.get());
  rd_kafka_AdminOptions_t* opts =
      rd_kafka_AdminOptions_new(rk.get(), RD_KAFKA_ADMIN_OP_CREATETOPICS);
  rd_kafka_AdminOptions_set_request_timeout(opts, static_cast<int>(timeout.count()), err,
                                            sizeof err);
  rd_kafka_CreateTopics(rk.get(), nts.data(), nts.size(), opts, q);
  rd_kafka_event_t* ev = rd_kafka_queue_poll(q, static_cast<int>(timeout.count()) + 1000);
  std::string failure;
  if (ev == nullptr) {
    failure = "timed out after " + std::to_string(timeout.count()) + " ms creating topic '" +
              topics.front().name + "'";
  } else if (rd_kafka_event_error(ev) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    failure =
        "cannot create topic '" + topics.front().name + "': " + rd_kafka_event_error_string(ev);
  } else {
    const rd_kafka_CreateTopics_result_t* res = rd_kafka_event_CreateTopics_result(ev);
    size_t n = 0;
    const rd_kafka_topic_result_t** trs = rd_kafka_CreateTopics_result_topics(res, &n);
    for (size_t i = 0; i < n; ++i) {
      auto e = rd_kafka_topic_result_error(trs[i]);
      if (e != RD_KAFKA_RESP_ERR_NO_ERROR && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
        failure =
            std::string("cannot create topic '") + rd_kafka_topic_result_name(trs[i]) + "': " +
            (rd_kafka_topic_result_error_string(trs[i]) ? rd_kafka_topic_result_error_string(trs[i])
                                                        : rd_kafka_err2str(e));
        break;
      }
    }
  }
  if (ev) rd_kafka_event_destroy(ev);
  rd_kafka_AdminOptions_destroy(opts);
  rd_kafka_queue_destroy(q);
  for (auto* n : nts) rd_kafka_NewTopic_destroy(n);
  if (!failure.empty()) throw std::runtime_error(failure);
}

void delete_topics(const ConfigMap& client_props, const std::vector<std::string>& topics,
                   std::chrono::milliseconds timeout) {
  if (topics.empty()) return;
  HandlePtr rk = make_client(client_props, RD_KAFKA_PRODUCER);
  std::vector<rd_kafka_DeleteTopic_t*> dts;
  for (const auto& t : topics) dts.push_back(rd_kafka_DeleteTopic_new(t.c_str()));
  rd_kafka_queue_t* q = rd_kafka_queue_new(rk.get());
  rd_kafka_DeleteTopics(rk.get(), dts.data(), dts.size(), nullptr, q);
  rd_kafka_event_t* ev = rd_kafka_queue_poll(q, static_cast<int>(timeout.count()));
  std::string failure;
  if (ev == nullptr) {
    failure = "timed out deleting topic '" + topics.front() + "'";
  } else if (rd_kafka_event_error(ev) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    failure = "cannot delete topic '" + topics.front() + "': " + rd_kafka_event_error_string(ev);
  } else {
    size_t n = 0;
    const rd_kafka_topic_result_t** trs =
        rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(ev), &n);
    for (size_t i = 0; i < n && failure.empty(); ++i) {
      auto e = rd_kafka_topic_result_error(trs[i]);
      if (e != RD_KAFKA_RESP_ERR_NO_ERROR && e != RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
        failure = std::string("cannot delete topic '") + rd_kafka_topic_result_name(trs[i]) +
                  "': " + rd_kafka_err2str(e);
    }
  }
  if (ev) rd_kafka_event_destroy(ev);
  rd_kafka_queue_destroy(q);
  for (auto* d : dts) rd_kafka_DeleteTopic_destroy(d);
  if (!failure.empty()) throw std::runtime_error(failure);
}

std::optional<std::string> cluster_id(const ConfigMap& client_props,
                                      std::chrono::milliseconds timeout) {
  HandlePtr rk = make_client(client_props, RD_KAFKA_PRODUCER);
  char* id = rd_kafka_clusterid(rk.get(), static_cast<int>(timeout.count()));
  if (id == nullptr) return std::nullopt;
  std::string out(id);
  rd_kafka_mem_free(rk.get(), id);
  return out;
}

void read_topic_to_end(
    const ConfigMap& client_props, const std::string& topic, std::chrono::milliseconds timeout,
    const std::function<void(std::string_view key, const std::string* value)>& fn) {
  ConfigMap props = client_props;
  props["enable.auto.commit"] = "false";
  props["enable.partition.eof"] = "true";
  props["isolation.level"] = "read_committed";
  props.erase("group.id");
  props["group.id"] = "tributary-reader";  // required by librdkafka, never joined (assign only)
  HandlePtr rk = make_client(props, RD_KAFKA_CONSUMER);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto left = [&] {
    return static_cast<int>(std::max<long>(0, std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  deadline - std::chrono::steady_clock::now())
                                                  .count()));
  };
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk.get(), topic.c_str(), nullptr);
  auto e = rd_kafka_metadata(rk.get(), 0, rkt, &md, left());
  rd_kafka_topic_destroy(rkt);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw std::runtime_error("Cannot read metadata of topic '" + topic +
                             "': " + rd_kafka_err2str(e));
  std::vector<std::int32_t> parts;
  if (md->topic_cnt == 1 && md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR)
    for (int i = 0; i < md->topics[0].partition_cnt; ++i)
      parts.push_back(md->topics[0].partitions[i].id);
  auto terr = md->topic_cnt == 1 ? md->topics[0].err : RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
  rd_kafka_metadata_destroy(md);
  if (terr == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART || parts.empty()) return;  // nothing yet
  if (terr != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw std::runtime_error("Cannot read topic '" + topic + "': " + rd_kafka_err2str(terr));

  rd_kafka_topic_partition_list_t* assign =
      rd_kafka_topic_partition_list_new(static_cast<int>(parts.size()));
  std::unordered_map<std::int32_t, std::int64_t> end;
  for (auto p : parts) {
    std::int64_t lo = 0, hi = 0;
    auto qe = rd_kafka_query_watermark_offsets(rk.get(), topic.c_str(), p, &lo, &hi, left());
    // A topic created a moment ago may not have a leader yet: retry until the deadline.
    while ((qe == RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION ||
            qe == RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE ||
            qe == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) &&
           left() > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      qe = rd_kafka_query_watermark_offsets(rk.get(), topic.c_str(), p, &lo, &hi, left());
    }
    if (qe != RD_KAFKA_RESP_ERR_NO_ERROR) {
      rd_kafka_topic_partition_list_destroy(assign);
      throw std::runtime_error("Cannot read end offsets of topic '" + topic +
                               "': " + rd_kafka_err2str(qe));
    }
    if (hi > lo) {
      end[p] = hi;
      rd_kafka_topic_partition_list_add(assign, topic.c_str(), p)->offset =
          RD_KAFKA_OFFSET_BEGINNING;
    }
  }
  if (end.empty()) {
    rd_kafka_topic_partition_list_destroy(assign);
    return;
  }
  rd_kafka_assign(rk.get(), assign);
  rd_kafka_topic_partition_list_destroy(assign);
  while (!end.empty()) {
    if (left() == 0) {
      rd_kafka_consumer_close(rk.get());
      throw std::runtime_error("Timed out reading topic '" + topic + "' to its end");
    }
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk.get(), std::min(left(), 200));
    if (m == nullptr) continue;
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      std::string_view key(static_cast<const char*>(m->key), m->key_len);
      if (m->payload == nullptr) {
        fn(key, nullptr);
      } else {
        std::string value(static_cast<const char*>(m->payload), m->len);
        fn(key, &value);
      }
      auto it = end.find(m->partition);
      if (it != end.end() && m->offset + 1 >= it->second) end.erase(it);
    } else if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      end.erase(m->partition);
    } else {
      std::string msg = rd_kafka_message_errstr(m);
      rd_kafka_message_destroy(m);
      rd_kafka_consumer_close(rk.get());
      throw std::runtime_error("Error reading topic '" + topic + "': " + msg);
    }
    rd_kafka_message_destroy(m);
  }
  rd_kafka_consumer_close(rk.get());
}

}  // namespace tributary::kafka
