// libFuzzer target: arbitrary bytes as schema JSON (Schema::FromJson).
//
// Besides "no crash, no exception, no sanitizer report", a schema that parses must be
// valid and survive ToJson -> FromJson unchanged; otherwise __builtin_trap().
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "synthscale/table/schema.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  synthscale::Result<synthscale::Schema> schema = synthscale::Schema::FromJson(text, "fuzz.json");
  if (!schema.ok()) {
    if (schema.status().message().empty()) __builtin_trap();
    return 0;
  }
  if (!schema->Validate().ok()) __builtin_trap();
  const std::string json = schema->ToJson();
  synthscale::Result<synthscale::Schema> again = synthscale::Schema::FromJson(json, "fuzz.json");
  if (!again.ok() || again->ToJson() != json) __builtin_trap();
  return 0;
}
