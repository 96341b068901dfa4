#include "struct_pool.h"

#include <algorithm>

namespace tributary::cdc {

std::shared_ptr<Value::StructData> StructPool::acquire(const SchemaPtr& schema, std::size_t n) {
  for (Bucket& b : buckets_) {
    if (b.schema != schema.get() || b.free.empty()) continue;
    std::shared_ptr<Value::StructData> s = std::move(b.free.back());
    b.free.pop_back();
    --count_;
    s->fields.resize(n);
    return s;
  }
  return make_struct(nullptr, schema, n);
}

void StructPool::recycle(SourceRecord& record) {
  take(record.key, 0);
  take(record.value, 1);
}

void StructPool::take(Value& v, int depth) {
  auto* p = std::get_if<std::shared_ptr<Value::StructData>>(&v.storage());
  if (p == nullptr || !*p || p->use_count() != 1 || count_ >= max_) return;
  Value::StructData& s = **p;
  if (depth > 0)
    for (Value& f : s.fields) take(f, depth - 1);
  auto it = std::find_if(buckets_.begin(), buckets_.end(),
                         [&](const Bucket& b) { return b.schema == s.schema.get(); });
  if (it == buckets_.end()) {
    if (buckets_.size() == kMaxBuckets) {
      buckets_.clear();
      count_ = 0;
    }
    buckets_.push_back(Bucket{s.schema.get(), {}});
    it = buckets_.end() - 1;
  }
  // The bucket's key stays valid: every struct in it holds its schema.
  it->free.push_back(std::move(*p));
  ++count_;
  v = Value();
}

std::shared_ptr<Value::StructData> make_struct(StructPool* pool, const SchemaPtr& schema,
                                               std::size_t n) {
  if (pool != nullptr) return pool->acquire(schema, n);
  auto s = std::make_shared<Value::StructData>();
  s->schema = schema;
  s->fields.resize(n);
  return s;
}

void RecordShells::refill(std::vector<SourceRecord>& out, std::vector<SourceRecord>& spent) {
  shells_.clear();  // those not reused, and the moved-from ones
  next_ = 0;
  out.clear();
  out.swap(shells_);
  shells_.swap(spent);
}

SourceRecord& RecordShells::emplace(std::vector<SourceRecord>& out) {
  if (next_ == shells_.size()) return out.emplace_back();
  SourceRecord& r = out.emplace_back(std::move(shells_[next_++]));
  if (!r.source_offset.is_null()) r.source_offset = OffsetMap();
  r.kafka_partition.reset();
  r.timestamp.reset();
  r.headers.clear();
  return r;
}

void assign_fields(std::vector<Value>& dst, const std::vector<Value>& src) {
  dst.resize(src.size());
  Value* d = dst.data();
  const Value* s = src.data();
  for (std::size_t i = 0, n = src.size(); i < n; ++i) {
    auto& ds = d[i].storage();
    const auto& ss = s[i].storage();
    if (ds.index() == ss.index()) {
      switch (ss.index()) {
        case 0: continue;  // null
        case 5: *std::get_if<std::int64_t>(&ds) = *std::get_if<std::int64_t>(&ss); continue;
        case 4: *std::get_if<std::int32_t>(&ds) = *std::get_if<std::int32_t>(&ss); continue;
        case 1: *std::get_if<bool>(&ds) = *std::get_if<bool>(&ss); continue;
        case 8: *std::get_if<std::string>(&ds) = *std::get_if<std::string>(&ss); continue;
        default: break;
      }
    }
    d[i] = s[i];
  }
}

void assign_text(Value& slot, std::string_view s) {
  if (auto* p = std::get_if<std::string>(&slot.storage())) {
    p->assign(s.data(), s.size());
  } else {
    slot = Value(std::string(s));
  }
}

void assign_bytes(Value& slot, const std::uint8_t* data, std::size_t n) {
  if (auto* p = std::get_if<Bytes>(&slot.storage())) {
    p->assign(data, data + n);
  } else {
    slot = Value(Bytes(data, data + n));
  }
}

}  // namespace tributary::cdc
