// Gauges that plugins publish through SourceTaskContext::gauge (TaskProbe::plugin_gauge): their
// exposition with the task's labels, identity per name and labels, and removal with the task.
#include <gtest/gtest.h>

#include <string>

#include "metrics/metrics.h"

namespace tributary {
namespace {

TEST(PluginGauges, CarryTheTaskLabelsAndTheirOwn) {
  Metrics m;
  TaskProbe probe(m, "inventory", 0);
  probe.plugin_gauge("debezium_metrics_Connected", "1 while connected", {{"context", "streaming"}})
      .set(1);
  const std::string text = m.serialize();
  EXPECT_NE(text.find("# HELP debezium_metrics_Connected 1 while connected"), std::string::npos);
  EXPECT_NE(text.find("debezium_metrics_Connected{connector=\"inventory\",context=\"streaming\","
                      "task=\"0\"} 1"),
            std::string::npos)
      << text;
}

TEST(PluginGauges, SameNameAndLabelsGiveTheSameGauge) {
  Metrics m;
  TaskProbe probe(m, "c", 0);
  MetricGauge& a = probe.plugin_gauge("x_total", "x", {{"table", "public.a"}});
  MetricGauge& b = probe.plugin_gauge("x_total", "x", {{"table", "public.a"}});
  MetricGauge& other = probe.plugin_gauge("x_total", "x", {{"table", "public.b"}});
  EXPECT_EQ(&a, &b);
  EXPECT_NE(&a, &other);
  a.set(5);
  other.set(7);
  const std::string text = m.serialize();
  EXPECT_NE(text.find("x_total{connector=\"c\",table=\"public.a\",task=\"0\"} 5"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("x_total{connector=\"c\",table=\"public.b\",task=\"0\"} 7"),
            std::string::npos)
      << text;
}

TEST(PluginGauges, LeaveWithTheirTask) {
  Metrics m;
  TaskProbe keep(m, "keep", 0);
  keep.plugin_gauge("y", "y", {}).set(1);
  {
    TaskProbe gone(m, "gone", 0);
    gone.plugin_gauge("y", "y", {}).set(2);
    EXPECT_NE(m.serialize().find("y{connector=\"gone\",task=\"0\"} 2"), std::string::npos);
  }
  const std::string text = m.serialize();
  EXPECT_EQ(text.find("connector=\"gone\""), std::string::npos) << text;
  EXPECT_NE(text.find("y{connector=\"keep\",task=\"0\"} 1"), std::string::npos) << text;
}

}  // namespace
}  // namespace tributary
