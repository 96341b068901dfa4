// StructPool: the structs of records the worker is done with, kept for the reader's next records
// instead of freed and allocated again. A change event is four structs (key, envelope, source,
// row), each a StructData and a vector of fields, and its strings and decimals are one more
// allocation each; freeing a spent batch and building the next one were a third of the reader's
// instructions per event. A reused struct keeps its fields' old values, so assigning a string or
// bytes of the same field again reuses their buffers (assign_text(), assign_bytes()).
//
// Only structs nobody else holds are taken (use_count 1: a struct a transform kept, or one two
// records share, such as a tombstone's key, is left to be freed as before). The pool is bounded
// (`max_structs`) and keyed by schema, so a struct comes back for the same shape of value.
//
// Threading: owned by one thread, the connector's reader: it takes spent records back
// (ChangeEventQueue::take_spent) and builds new ones; no lock.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "tributary/data.h"
#include "tributary/record.h"

namespace tributary::cdc {

class StructPool {
 public:
  explicit StructPool(std::size_t max_structs = 65536) : max_(max_structs) {}

  /// A struct of `schema` with `n` fields: a reused one, whose fields hold old values for the
  /// caller to assign every one of, or a fresh one of n null fields.
  std::shared_ptr<Value::StructData> acquire(const SchemaPtr& schema, std::size_t n);

  /// Takes back the structs of a spent record that nobody else holds: its key, its value and the
  /// structs among the value's fields (an envelope's before, after, source and transaction).
  void recycle(SourceRecord& record);

  std::size_t size() const { return count_; }

 private:
  void take(Value& v, int depth);
  struct Bucket {
    const Schema* schema = nullptr;
    std::vector<std::shared_ptr<Value::StructData>> free;
  };
  // A few shapes at a time (a table's key, row, source and envelope); cleared when a new shape
  // would make more than kMaxBuckets (after DDL, or many tables).
  static constexpr std::size_t kMaxBuckets = 16;
  std::vector<Bucket> buckets_;
  std::size_t count_ = 0;
  std::size_t max_;
};

/// A struct of `schema` with `n` fields from `pool`, or a fresh one of n null fields when `pool`
/// is null (callers assign every field either way).
std::shared_ptr<Value::StructData> make_struct(StructPool* pool, const SchemaPtr& schema,
                                               std::size_t n);

/// Spent records, reused as the shells of the next ones: a shell keeps its topic's buffer and its
/// shared pointers (partition, schemas), so that a record of the same table as the one before
/// allocates no topic and changes no atomic reference count (8 per record were a tenth of a
/// narrow row's reading). The reader's thread's, as the pool.
class RecordShells {
 public:
  /// After a batch went to the worker (`out`, moved from): `out` gets the vector of the last
  /// shells (its capacity, for the next batch), and the batch the worker handed back (`spent`,
  /// whose structs the pool took) becomes the shells.
  void refill(std::vector<SourceRecord>& out, std::vector<SourceRecord>& spent);
  /// A record appended to `out`: a shell with its offset, Kafka partition, timestamp and headers
  /// cleared, whose topic, key, value, schemas, partition and lazy offset the caller sets, every
  /// one (the shared pointers with share()); or a fresh record.
  SourceRecord& emplace(std::vector<SourceRecord>& out);

 private:
  std::vector<SourceRecord> shells_;
  std::size_t next_ = 0;
};

/// Takes the record just appended to a batch out again unless done() is called: a record that
/// failed half-built does not stay in the batch, whose complete records a failing reader still
/// hands on.
class UnfinishedRecord {
 public:
  explicit UnfinishedRecord(std::vector<SourceRecord>& out) : out_(out) {}
  UnfinishedRecord(const UnfinishedRecord&) = delete;
  UnfinishedRecord& operator=(const UnfinishedRecord&) = delete;
  ~UnfinishedRecord() {
    if (!done_) out_.pop_back();
  }
  void done() { done_ = true; }

 private:
  std::vector<SourceRecord>& out_;
  bool done_ = false;
};

/// `slot = p`, but no reference count changes when it already holds p.
template <class T, class U>
void share(std::shared_ptr<T>& slot, const std::shared_ptr<U>& p) {
  if (slot != p) slot = p;
}

/// Sets `slot` to the string `s`, reusing the buffer of a string it holds.
void assign_text(Value& slot, std::string_view s);
/// `dst = src` field by field, in place where a field holds a scalar or a string of its source's
/// type (a Source block copied from the event's first record into a pooled struct: the vector's
/// copy assignment dispatched each field through the variant's tables, 25 instructions a field).
void assign_fields(std::vector<Value>& dst, const std::vector<Value>& src);
/// Sets `slot` to the bytes [data, data + n), reusing the buffer of bytes it holds.
void assign_bytes(Value& slot, const std::uint8_t* data, std::size_t n);

}  // namespace tributary::cdc
