// Generator source connector: deterministic rows of a configurable shape, count and rate, each
// with a sequence number, for tests and benchmarks of the runtime without a database.
//
// Row n (n = 0, 1, ...) of task t has `seq` = n and `fields` further columns whose values are pure
// functions of (n, column): cycling string, int32, double, boolean, int64. The source partition is
// {"generator": "<connector>", "task": t}; the offset is {"seq": n}. After a restart the task
// resumes at the committed seq + 1, so a consumer can count gaps and duplicates.
//
// Threading: poll() runs on the task thread; stop() may be called from another thread.
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "tributary/plugin.h"

namespace {

using namespace tributary;

const ConfigDef& generator_config_def() {
  static const ConfigDef def = [] {
    ConfigDef d;
    d.define("topic", ConfigType::String, std::nullopt, Importance::High,
             "Topic to write the generated rows to.", "Generator", validators::non_empty_string());
    d.define("count", ConfigType::Long, "-1", Importance::High,
             "Rows per task before the task goes idle (-1: unbounded).", "Generator");
    d.define("rate.per.sec", ConfigType::Double, "0", Importance::Medium,
             "Rows per second per task (0: as fast as possible).", "Generator");
    d.define("fields", ConfigType::Int, "5", Importance::Medium,
             "Columns besides `seq`; types cycle string, int32, double, boolean, int64.",
             "Generator", validators::between(0, 1000));
    d.define("string.length", ConfigType::Int, "16", Importance::Low,
             "Length of the generated string columns.", "Generator", validators::between(1, 65536));
    d.define("batch.size", ConfigType::Int, "1000", Importance::Medium,
             "Most rows returned by one poll().", "Generator", validators::between(1, 1000000));
    d.define("key.enabled", ConfigType::Boolean, "true", Importance::Low,
             "Give each record a key struct {seq}.", "Generator");
    d.define("offsets.lazy", ConfigType::Boolean, "false", Importance::Low,
             "Testing aid: give each record's offset as a LazyOffset (one shared OffsetSource "
             "and the seq), as the MySQL connector does, instead of a map.",
             "Testing");
    d.define("idle.poll.ms", ConfigType::Long, "100", Importance::Low,
             "Testing aid: how long a poll() waits once `count` rows were generated. It asks "
             "the worker's SourceTaskContext::poll_wait first, as the CDC connectors do.",
             "Testing", validators::at_least(1));
    d.define("fail.on.start", ConfigType::Boolean, "false", Importance::Low,
             "Testing aid: throw from the task's start().", "Testing");
    d.define("fail.after.rows", ConfigType::Long, "-1", Importance::Low,
             "Testing aid: throw from poll() once this many rows were generated (-1: never).",
             "Testing");
    d.define("stall.after.rows", ConfigType::Long, "-1", Importance::Low,
             "Testing aid: once this many rows were generated, one poll() sleeps `stall.ms` and "
             "ignores stop() meanwhile, as a task stuck in a blocking call (-1: never).",
             "Testing");
    d.define("stall.ms", ConfigType::Long, "0", Importance::Low,
             "Testing aid: how long the stall of `stall.after.rows` lasts.", "Testing",
             validators::at_least(0));
    return d;
  }();
  return def;
}

// {"seq": n}, for offsets.lazy.
class SeqOffsets : public OffsetSource {
 public:
  OffsetMap offset(std::uint64_t seq) const override {
    OffsetMap o = OffsetMap::object();
    o.emplace("seq", static_cast<std::int64_t>(seq));
    return o;
  }
};

class GeneratorTask : public SourceTask {
 public:
  void start(const ConfigMap& props, SourceTaskContext& ctx) override {
    Config c(generator_config_def(), props);
    if (c.get_bool("fail.on.start"))
      throw std::runtime_error("generator: fail.on.start is set (testing aid)");
    topic_ = c.get_string("topic");
    count_ = c.get_long("count");
    rate_ = c.get_double("rate.per.sec");
    batch_ = c.get_int("batch.size");
    fail_after_ = c.get_long("fail.after.rows");
    stall_after_ = c.get_long("stall.after.rows");
    stall_ms_ = c.get_long("stall.ms");
    idle_poll_ms_ = c.get_long("idle.poll.ms");
    ctx_ = &ctx;
    str_len_ = c.get_int("string.length");
    key_enabled_ = c.get_bool("key.enabled");
    if (c.get_bool("offsets.lazy")) seq_offsets_ = std::make_shared<const SeqOffsets>();
    int fields = c.get_int("fields");
    auto task = parse_long(props.count("task.id") ? props.at("task.id") : "0").value_or(0);

    std::string base = "tributary.generator." + topic_;
    SchemaBuilder vb = SchemaBuilder::struct_();
    vb.name(base + ".Value");
    vb.field("seq", schemas::int64());
    for (int i = 1; i <= fields; ++i) {
      switch ((i - 1) % 5) {
        case 0: vb.field("f" + std::to_string(i), schemas::string(true)); break;
        case 1: vb.field("f" + std::to_string(i), schemas::int32(true)); break;
        case 2: vb.field("f" + std::to_string(i), schemas::float64(true)); break;
        case 3: vb.field("f" + std::to_string(i), schemas::boolean(true)); break;
        default: vb.field("f" + std::to_string(i), schemas::int64(true)); break;
      }
    }
    value_schema_ = vb.build();
    key_schema_ =
        SchemaBuilder::struct_().name(base + ".Key").field("seq", schemas::int64()).build();
    partition_ =
        std::make_shared<OffsetMap>(OffsetMap{{"generator", ctx.connector_name()}, {"task", task}});
    if (auto off = ctx.committed_offset(*partition_); off && off->contains("seq"))
      next_ = (*off)["seq"].get<std::int64_t>() + 1;
    started_ = std::chrono::steady_clock::now();
    start_seq_ = next_;
  }

  void poll(std::vector<SourceRecord>& out) override {
    if (stopped_.load()) return;
    if (count_ >= 0 && next_ >= count_) {
      wait_for(ctx_->poll_wait(std::chrono::milliseconds(idle_poll_ms_)));
      return;
    }
    std::int64_t n = batch_;
    if (count_ >= 0) n = std::min<std::int64_t>(n, count_ - next_);
    if (rate_ > 0) {
      // Rows allowed by now at the configured rate, counted from start.
      double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
      auto allowed = static_cast<std::int64_t>(elapsed * rate_) - (next_ - start_seq_);
      if (allowed <= 0) {
        wait_for(std::chrono::milliseconds(std::max(1, static_cast<int>(1000.0 / rate_))));
        return;
      }
      n = std::min(n, allowed);
    }
    if (stall_after_ >= 0 && next_ >= stall_after_) {
      stall_after_ = -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(stall_ms_));
    }
    if (fail_after_ >= 0 && next_ + n > fail_after_) {
      n = fail_after_ - next_;
      if (n <= 0) throw std::runtime_error("generator: fail.after.rows reached (testing aid)");
    }
    out.reserve(static_cast<size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) out.push_back(make(next_++));
  }

  void stop() override {
    stopped_.store(true);
    cv_.notify_all();
  }

 private:
  void wait_for(std::chrono::milliseconds d) {
    std::unique_lock lk(mu_);
    cv_.wait_for(lk, d, [this] { return stopped_.load(); });
  }

  // A deterministic string of str_len_ characters from (seq, col): six bits of a splitmix64
  // hash per character, ten characters per hash.
  std::string text(std::int64_t seq, int col) const {
    static constexpr char kAlphabet[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
    std::string s(static_cast<size_t>(str_len_), 'a');
    std::uint64_t state =
        static_cast<std::uint64_t>(seq) * 1000003ULL + static_cast<std::uint64_t>(col);
    std::uint64_t bits = 0;
    int left = 0;
    for (auto& ch : s) {
      if (left == 0) {
        state += 0x9E3779B97F4A7C15ULL;
        bits = state;
        bits = (bits ^ (bits >> 30)) * 0xBF58476D1CE4E5B9ULL;
        bits = (bits ^ (bits >> 27)) * 0x94D049BB133111EBULL;
        bits ^= bits >> 31;
        left = 10;
      }
      ch = kAlphabet[bits & 63];
      bits >>= 6;
      --left;
    }
    return s;
  }

  SourceRecord make(std::int64_t seq) {
    SourceRecord r;
    r.source_partition = partition_;
    if (seq_offsets_) {
      r.lazy_offset = {seq_offsets_, static_cast<std::uint64_t>(seq)};
    } else {
      r.source_offset = OffsetMap(nlohmann::ordered_json::value_t::object);
      r.source_offset.emplace("seq", seq);
    }
    r.topic = topic_;
    Struct v(value_schema_);
    v.put(0, Value(seq));
    const auto& fields = value_schema_->fields();
    for (size_t i = 1; i < fields.size(); ++i) {
      int col = static_cast<int>(i);
      switch ((col - 1) % 5) {
        case 0: v.put(col, Value(text(seq, col))); break;
        case 1: v.put(col, Value(static_cast<std::int32_t>((seq * 31 + col) % 1000000))); break;
        case 2: v.put(col, Value(static_cast<double>(seq % 100000) / 8.0 + col)); break;
        case 3: v.put(col, Value((seq + col) % 2 == 0)); break;
        default: v.put(col, Value(static_cast<std::int64_t>(seq * 1000 + col))); break;
      }
    }
    r.value_schema = value_schema_;
    r.value = std::move(v).build();
    if (key_enabled_) {
      r.key_schema = key_schema_;
      Struct k(key_schema_);
      k.put(0, Value(seq));
      r.key = std::move(k).build();
    }
    return r;
  }

  std::string topic_;
  std::shared_ptr<const SeqOffsets> seq_offsets_;  // offsets.lazy
  std::int64_t count_ = -1;
  double rate_ = 0;
  int batch_ = 1000;
  std::int64_t fail_after_ = -1;
  std::int64_t stall_after_ = -1;
  std::int64_t stall_ms_ = 0;
  std::int64_t idle_poll_ms_ = 100;
  SourceTaskContext* ctx_ = nullptr;  // the worker's, for the task's life
  int str_len_ = 16;
  bool key_enabled_ = true;
  SchemaPtr value_schema_;
  SchemaPtr key_schema_;
  PartitionPtr partition_;
  std::int64_t next_ = 0;
  std::int64_t start_seq_ = 0;
  std::chrono::steady_clock::time_point started_;
  std::atomic<bool> stopped_{false};
  std::mutex mu_;
  std::condition_variable cv_;
};

class GeneratorConnector : public SourceConnector {
 public:
  void start(const ConfigMap& props, ConnectorContext&) override {
    auto errors = generator_config_def().validate(props);
    for (const auto& [k, e] : errors)
      if (!e.empty()) throw ConfigError(k, e.front());
    props_ = props;
  }
  std::vector<ConfigMap> task_configs(int max_tasks) override {
    std::vector<ConfigMap> out;
    for (int i = 0; i < max_tasks; ++i) {
      ConfigMap c = props_;
      c["task.id"] = std::to_string(i);
      out.push_back(std::move(c));
    }
    return out;
  }
  void stop() override {}
  std::unique_ptr<SourceTask> create_task() override { return std::make_unique<GeneratorTask>(); }

 private:
  ConfigMap props_;
};

void register_generator(PluginRegistrar& r) {
  PluginDescriptor d;
  d.class_name = "io.tributary.connect.generator.GeneratorSourceConnector";
  d.aliases = {"GeneratorSourceConnector", "GeneratorSource", "generator"};
  d.type = PluginType::Source;
  d.version = "0.1.0";
  d.config_def = generator_config_def();
  d.make_source = [] { return std::make_unique<GeneratorConnector>(); };
  r.add(std::move(d));
}

}  // namespace

TRIBUTARY_PLUGIN(register_generator)
