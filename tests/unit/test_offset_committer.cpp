// OffsetCommitter: offsets written on the committer's thread while the owner goes on, one write
// at a time, failures and fencing reported, and nothing lost at the end.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "gated_offset_store.h"
#include "offsets/offset_committer.h"

namespace tributary {
namespace {
using namespace std::chrono_literals;
using testing::GatedOffsetStore;

const OffsetMap kPartition{{"server", "s"}};

std::vector<OffsetEntry> at(int pos) {
  return {OffsetEntry{kPartition, OffsetMap{{"pos", pos}}}};
}

TEST(OffsetCommitter, TheOwnerGoesOnWhileAWriteWaits) {
  GatedOffsetStore store;
  OffsetCommitter c(store, "conn", nullptr);
  EXPECT_FALSE(c.busy());
  EXPECT_FALSE(c.take().has_value());
  const auto t0 = std::chrono::steady_clock::now();
  c.submit(at(1), 5s);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);  // did not wait for the write
  ASSERT_TRUE(store.wait_started(1, 10s));
  EXPECT_TRUE(c.busy());
  EXPECT_FALSE(c.take().has_value());      // still writing
  EXPECT_FALSE(c.wait(50ms).has_value());  // still writing after a wait
  EXPECT_TRUE(c.busy());
  store.open();
  auto r = c.wait(10s);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->ok);
  EXPECT_FALSE(r->cancelled);
  EXPECT_FALSE(c.busy());
  EXPECT_FALSE(c.take().has_value());  // a result is taken once
  ASSERT_EQ(store.written().size(), 1u);
  EXPECT_EQ(*store.written()[0][0].second, R"({"pos":1})");
  EXPECT_EQ((*store.get("conn", kPartition))["pos"], 1);
}

TEST(OffsetCommitter, WritesLandInTheOrderTheyWereSubmitted) {
  GatedOffsetStore store(/*open=*/true);
  OffsetCommitter c(store, "conn", nullptr);
  for (int i = 1; i <= 50; ++i) {
    c.submit(at(i), 5s);
    auto r = c.wait(10s);
    ASSERT_TRUE(r && r->ok) << i;
  }
  const auto w = store.written();
  ASSERT_EQ(w.size(), 50u);
  for (int i = 0; i < 50; ++i)
    EXPECT_EQ(*w[i][0].second, "{\"pos\":" + std::to_string(i + 1) + "}");
  EXPECT_EQ((*store.get("conn", kPartition))["pos"], 50);
}

TEST(OffsetCommitter, AFailedWriteIsReportedWithTheStoresMessageAndKeepsTheOldOffset) {
  GatedOffsetStore store(/*open=*/true);
  OffsetCommitter c(store, "conn", nullptr);
  c.submit(at(1), 5s);
  ASSERT_TRUE(c.wait(10s)->ok);
  store.fail_next("No space left on device");
  c.submit(at(2), 5s);
  auto r = c.wait(10s);
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->ok);
  EXPECT_FALSE(r->cancelled);
  EXPECT_EQ(r->error, "No space left on device");
  EXPECT_EQ((*store.get("conn", kPartition))["pos"], 1);
  // The next write goes through again.
  c.submit(at(3), 5s);
  EXPECT_TRUE(c.wait(10s)->ok);
  EXPECT_EQ((*store.get("conn", kPartition))["pos"], 3);
}

TEST(OffsetCommitter, AFencedTaskWritesNothing) {
  GatedOffsetStore store(/*open=*/true);
  std::atomic<bool> fenced{false};
  OffsetCommitter c(store, "conn", [&] { return fenced.load(); });
  c.submit(at(1), 5s);
  ASSERT_TRUE(c.wait(10s)->ok);
  fenced = true;
  c.submit(at(2), 5s);
  auto r = c.wait(10s);
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->ok);
  EXPECT_TRUE(r->cancelled);
  EXPECT_EQ(store.written().size(), 1u);
  EXPECT_EQ((*store.get("conn", kPartition))["pos"], 1);
}

TEST(OffsetCommitter, DestroyedWhileWritingItFinishesTheWrite) {
  GatedOffsetStore store;
  std::thread opener;
  {
    OffsetCommitter c(store, "conn", nullptr);
    c.submit(at(7), 5s);
    ASSERT_TRUE(store.wait_started(1, 10s));
    opener = std::thread([&] {
      std::this_thread::sleep_for(100ms);
      store.open();
    });
  }  // waits for the write
  opener.join();
  ASSERT_EQ(store.written().size(), 1u);
  EXPECT_EQ((*store.get("conn", kPartition))["pos"], 7);
}

TEST(OffsetCommitter, NeverUsedItStartsNoThreadAndEndsAtOnce) {
  GatedOffsetStore store;
  const auto t0 = std::chrono::steady_clock::now();
  { OffsetCommitter c(store, "conn", nullptr); }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
  EXPECT_EQ(store.started(), 0);
}

}  // namespace
}  // namespace tributary
