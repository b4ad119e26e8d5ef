// libFuzzer target: arbitrary model payloads (Model::Deserialize, including the graphical
// model's binary form of mst/aim).
//
// The input is a little-endian uint32 n, then n bytes of JSON payload, then the binary
// part. The target frames them as a version 2 model file with a correct SHA-256 (and, when
// the binary part looks like a graphical model, fixes its trailing SHA-256 too), so the
// fuzzer explores the parsers rather than the checksums. A model that loads must
// serialise, load again to the same bytes, and sample rows; otherwise __builtin_trap().
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "synthscale/core/context.h"
#include "synthscale/core/crypto.h"
#include "synthscale/synth/model.h"

namespace {

void PutLittleEndian(std::string& out, std::uint64_t value, int bytes) {
  for (int byte_idx = 0; byte_idx < bytes; ++byte_idx) out.push_back(static_cast<char>((value >> (8 * byte_idx)) & 0xFF));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  std::uint32_t json_length = 0;
  for (int byte_idx = 3; byte_idx >= 0; --byte_idx) json_length = (json_length << 8) | data[byte_idx];
  const std::string_view rest(reinterpret_cast<const char*>(data) + 4, size - 4);
  if (json_length > rest.size()) json_length = static_cast<std::uint32_t>(rest.size());
  const std::string json(rest.substr(0, json_length));
  std::string binary(rest.substr(json_length));
  if (binary.size() >= 40 && binary.compare(0, 5, "SSPGM") == 0) {
    const synthscale::Sha256Digest inner = synthscale::Sha256(std::string_view(binary).substr(0, binary.size() - 32));
    binary.replace(binary.size() - 32, 32, reinterpret_cast<const char*>(inner.data()), inner.size());
  }
  std::string file = "SSMODEL\n";
  PutLittleEndian(file, 2, 4);
  PutLittleEndian(file, json.size(), 8);
  PutLittleEndian(file, binary.size(), 8);
  const synthscale::Sha256Digest digest = synthscale::Sha256(json + binary);
  file.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  file += json;
  file += binary;

  synthscale::Result<synthscale::Model> model = synthscale::Model::Deserialize(file, "fuzz.ssm");
  if (!model.ok()) {
    if (model.status().message().empty()) __builtin_trap();
    return 0;
  }
  const std::string bytes = model->Serialize();
  synthscale::Result<synthscale::Model> again = synthscale::Model::Deserialize(bytes, "fuzz.ssm");
  if (!again.ok() || again->Serialize() != bytes) __builtin_trap();
  const synthscale::Context ctx(1);
  if (!model->Sample(0, 16, 1, ctx).ok()) __builtin_trap();
  (void)model->DescribeJson();
  return 0;
}
