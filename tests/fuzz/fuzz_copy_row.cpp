// libFuzzer: a snapshot row as COPY ... TO STDOUT sends it, split into fields, and each field
// through the text conversions the connector applies to values of its column types (numeric,
// bytea, date, time, timestamp, timestamptz). std::invalid_argument / std::out_of_range are the
// only allowed failures of a conversion.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "pg_text.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tributary::pg;
  std::string_view line(reinterpret_cast<const char*>(data), size);
  std::vector<std::optional<std::string_view>> fields;
  std::vector<std::string> scratch;
  split_copy_row(line, fields, scratch);
  std::string iso;
  for (const auto& f : fields) {
    if (!f) continue;
    auto guarded = [&](auto&& fn) {
      try {
        fn();
      } catch (const std::invalid_argument&) {
      } catch (const std::out_of_range&) {
      }
    };
    guarded([&] { (void)parse_numeric(*f); });
    guarded([&] { (void)parse_numeric(*f, 2); });
    guarded([&] { (void)parse_bytea_hex(*f); });
    guarded([&] { (void)parse_date_days(*f); });
    guarded([&] { (void)parse_time_micros(*f); });
    guarded([&] { (void)parse_timestamp_micros(*f); });
    guarded([&] { (void)parse_timestamptz_micros(*f); });
    guarded([&] { (void)utc_timestamptz_as_iso(*f, 6, iso); });
  }
  return 0;
}
