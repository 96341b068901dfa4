// An OffsetStore whose writes wait at a gate the test opens, like a disk that stalls in fsync,
// and that records what each write carried. For the tests of the OffsetCommitter and of the
// TaskRunner's commits (unit and integration tests).
//
// Threading: write() runs on the writer's thread, the rest on the test's; one mutex guards all.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "offsets/offset_store.h"

namespace tributary::testing {

class GatedOffsetStore : public OffsetStore {
 public:
  using Write = std::vector<std::pair<std::string, std::optional<std::string>>>;

  explicit GatedOffsetStore(bool open = false) : open_(open) {}
  void start() override {}

  /// Lets the waiting write and all later ones through.
  void open() {
    std::lock_guard lk(gate_mu_);
    open_ = true;
    gate_cv_.notify_all();
  }
  /// The next write that passes the gate fails with `message` (a full disk).
  void fail_next(std::string message) {
    std::lock_guard lk(gate_mu_);
    fail_next_ = std::move(message);
  }
  /// Waits up to `wait` until `n` writes have reached the gate.
  bool wait_started(int n, std::chrono::milliseconds wait) {
    std::unique_lock lk(gate_mu_);
    return gate_cv_.wait_for(lk, wait, [&] { return started_ >= n; });
  }
  int started() {
    std::lock_guard lk(gate_mu_);
    return started_;
  }
  std::vector<Write> written() {
    std::lock_guard lk(gate_mu_);
    return written_;
  }

 protected:
  void write(const Write& kvs, std::chrono::milliseconds) override {
    std::unique_lock lk(gate_mu_);
    ++started_;
    gate_cv_.notify_all();
    // Like fsync, the gate ignores the write's timeout; a minute bounds a test that forgot it.
    if (!gate_cv_.wait_for(lk, std::chrono::minutes(1), [&] { return open_; }))
      throw std::runtime_error("test gate never opened");
    if (!fail_next_.empty()) {
      std::string m = std::move(fail_next_);
      fail_next_.clear();
      throw std::runtime_error(m);
    }
    written_.push_back(kvs);
  }

 private:
  std::mutex gate_mu_;
  std::condition_variable gate_cv_;
  bool open_;
  std::string fail_next_;
  int started_ = 0;
  std::vector<Write> written_;
};

}  // namespace tributary::testing
