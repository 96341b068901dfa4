// libFuzzer: the logical replication stream as PostgreSQL (or anything claiming to be it) sends
// it: a CopyData frame (XLogData / keepalive) and the pgoutput message inside, then the input as
// a pgoutput message of its own. ProtocolError is the only allowed failure.
#include <cstdint>
#include <string_view>

#include "pgoutput.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tributary::pg;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    Frame f = decode_frame(bytes);
    if (auto* x = std::get_if<XLogData>(&f)) (void)decode_message(x->payload);
  } catch (const ProtocolError&) {
  }
  try {
    (void)decode_message(bytes);
  } catch (const ProtocolError&) {
  }
  return 0;
}
