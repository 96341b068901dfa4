// kafka::Producer against the real broker: librdkafka's broker threads of a task producer run
// at the nice value of tributary.producer.io.thread.nice, and unchanged when it is 0.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <fstream>
#include <sstream>

#include "kafka/kafka.h"
#include "kafka_test_util.h"

namespace tributary {
namespace {
using namespace std::chrono_literals;
using testing::bootstrap;

// Nice values of this process's threads whose name starts with `prefix`, from /proc.
std::vector<int> thread_nices(const std::string& prefix) {
  std::vector<int> out;
  for (const auto& t : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(t.path() / "comm");
    std::string name;
    std::getline(comm, name);
    if (name.rfind(prefix, 0) != 0) continue;
    std::ifstream stat(t.path() / "stat");
    std::string line((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    // Fields after the ")" closing the name: state(3) ... priority(18) nice(19).
    std::istringstream rest(line.substr(line.rfind(')') + 2));
    std::string field;
    for (int i = 3; i <= 19 && rest >> field; ++i)
      if (i == 19) out.push_back(std::stoi(field));
  }
  return out;
}

// The nice value threads inherit from this (main) thread.
int own_nice() {
  return getpriority(PRIO_PROCESS, 0);
}

void produce_one(kafka::Producer& p, const std::string& topic) {
  ASSERT_EQ(p.produce(topic, RD_KAFKA_PARTITION_UA, "k", 1, "v", 1, 0, {}, nullptr),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_TRUE(p.flush(30s));
}

TEST(KafkaProducer, BrokerThreadsRunAtTheConfiguredNiceValue) {
  REQUIRE_KAFKA();
  const std::string topic = testing::unique_name("nice");
  {
    kafka::Producer p({{"bootstrap.servers", bootstrap()}}, nullptr, 7);
    produce_one(p, topic);
    auto nices = thread_nices("rdk:broker");
    ASSERT_FALSE(nices.empty()) << "no librdkafka broker thread found";
    for (int n : nices) EXPECT_EQ(n, 7);
  }
  {
    kafka::Producer p({{"bootstrap.servers", bootstrap()}}, nullptr, 0);
    produce_one(p, topic);
    auto nices = thread_nices("rdk:broker");
    ASSERT_FALSE(nices.empty());
    for (int n : nices) EXPECT_EQ(n, own_nice());
  }
}

}  // namespace
}  // namespace tributary
