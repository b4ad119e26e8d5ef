// GraphicalModel::Serialize / Deserialize: the binary form documented in graphical_model.h.
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>
#include <string>
#include <utility>

#include "synthscale/core/crypto.h"
#include "synthscale/pgm/graphical_model.h"

namespace synthscale {
namespace {

constexpr char kMagic[8] = {'S', 'S', 'P', 'G', 'M', '\x00', '\x01', '\n'};
constexpr std::uint32_t kFormatVersion = 1;
constexpr std::size_t kDigestBytes = 32;

template <typename T>
void AppendLittleEndian(std::string& out, T value) {
  std::uint64_t bits = 0;
  if constexpr (std::is_same_v<T, double>) {
    bits = std::bit_cast<std::uint64_t>(value);
  } else {
    bits = static_cast<std::uint64_t>(value);
  }
  for (std::size_t byte_idx = 0; byte_idx < sizeof(T); ++byte_idx) {
    out.push_back(static_cast<char>((bits >> (8 * byte_idx)) & 0xFF));
  }
}

// Reads the serialised form front to back; every read checks the remaining length.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}

  std::size_t remaining() const { return bytes_.size() - pos_; }

  Result<std::uint64_t> ReadUnsigned(std::size_t width, const char* what) {
    if (remaining() < width) return Truncated(what);
    std::uint64_t value = 0;
    for (std::size_t byte_idx = 0; byte_idx < width; ++byte_idx) {
      value |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes_[pos_ + byte_idx])) << (8 * byte_idx);
    }
    pos_ += width;
    return value;
  }
  Result<std::uint32_t> ReadU32(const char* what) {
    SYNTHSCALE_ASSIGN_OR_RETURN(const std::uint64_t value, ReadUnsigned(4, what));
    return static_cast<std::uint32_t>(value);
  }
  Result<double> ReadDouble(const char* what) {
    SYNTHSCALE_ASSIGN_OR_RETURN(const std::uint64_t bits, ReadUnsigned(8, what));
    return std::bit_cast<double>(bits);
  }
  Result<std::string> ReadString(std::size_t length, const char* what) {
    if (remaining() < length) return Truncated(what);
    std::string value(bytes_.substr(pos_, length));
    pos_ += length;
    return value;
  }

 private:
  Status Truncated(const char* what) const {
    return InvalidData(std::string("graphical model bytes end early: expected ") + what + " at byte " +
                       std::to_string(pos_));
  }

  std::string_view bytes_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string GraphicalModel::Serialize() const {
  std::string out(kMagic, sizeof(kMagic));
  AppendLittleEndian<std::uint32_t>(out, kFormatVersion);
  AppendLittleEndian<std::uint32_t>(out, static_cast<std::uint32_t>(domain_.num_attributes()));
  for (std::uint32_t attribute = 0; attribute < domain_.num_attributes(); ++attribute) {
    AppendLittleEndian<std::uint32_t>(out, domain_.size(attribute));
    AppendLittleEndian<std::uint32_t>(out, static_cast<std::uint32_t>(domain_.name(attribute).size()));
    out += domain_.name(attribute);
  }
  AppendLittleEndian<std::uint32_t>(out, static_cast<std::uint32_t>(cliques_.size()));
  for (const Clique& clique : cliques_) {
    AppendLittleEndian<std::uint32_t>(out, static_cast<std::uint32_t>(clique.size()));
    for (std::uint32_t attribute : clique) AppendLittleEndian<std::uint32_t>(out, attribute);
  }
  AppendLittleEndian<double>(out, total_);
  AppendLittleEndian<std::uint64_t>(out, num_cells());
  out.reserve(out.size() + 8 * num_cells() + kDigestBytes);
  for (const Factor& potential : potentials_) {
    for (double value : potential.values()) AppendLittleEndian<double>(out, value);
  }
  const Sha256Digest digest = Sha256(std::string_view(out));
  out.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  return out;
}

Result<GraphicalModel> GraphicalModel::Deserialize(std::string_view bytes) {
  if (bytes.size() < sizeof(kMagic) + kDigestBytes || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    return InvalidData("not a serialised graphical model (missing the SSPGM magic bytes)");
  }
  const std::string_view body = bytes.substr(0, bytes.size() - kDigestBytes);
  const Sha256Digest digest = Sha256(body);
  if (std::memcmp(digest.data(), bytes.data() + body.size(), kDigestBytes) != 0) {
    return InvalidData("graphical model bytes are corrupt: SHA-256 checksum mismatch");
  }
  Reader reader(body.substr(sizeof(kMagic)));
  SYNTHSCALE_ASSIGN_OR_RETURN(const std::uint32_t version, reader.ReadU32("the format version"));
  if (version != kFormatVersion) {
    return InvalidData("graphical model format version " + std::to_string(version) + " is not supported (expected " +
                       std::to_string(kFormatVersion) + ")");
  }
  SYNTHSCALE_ASSIGN_OR_RETURN(const std::uint32_t num_attributes, reader.ReadU32("the attribute count"));
  if (num_attributes > reader.remaining() / 8) {
    return InvalidData("graphical model declares " + std::to_string(num_attributes) +
                       " attributes, more than its bytes can hold");
  }
  std::vector<std::string> names;
  std::vector<std::uint32_t> sizes;
  for (std::uint32_t attribute = 0; attribute < num_attributes; ++attribute) {
    SYNTHSCALE_ASSIGN_OR_RETURN(const std::uint32_t size, reader.ReadU32("an attribute size"));
    SYNTHSCALE_ASSIGN_OR_RETURN(const std::uint32_t name_length, reader.ReadU32("an attribute name length"));
    SYNTHSCALE_ASSIGN_OR_RETURN(std::string name, reader.ReadString(name_length, "an attribute name"));
    sizes.push_back(size);
    names.push_back(std::move(name));
  }
  SYNTHSCALE_ASSIGN_OR_RETURN(const std::uint32_t num_cliques, reader.ReadU32("the clique count"));
  if (num_cliques > reader.remaining() / 4) {
    return InvalidData("graphical model declares " + std::to_string(num_cliques) +
                       " cliques, more than its bytes can hold");
  }
  std::vector<Clique> cliques(num_cliques);
  for (Clique& clique : cliques) {
    SYNTHSCALE_ASSIGN_OR_RETURN(const std::uint32_t length, reader.ReadU32("a clique length"));
    if (length > reader.remaining() / 4) return InvalidData("graphical model clique length runs past its bytes");
    for (std::uint32_t pos = 0; pos < length; ++pos) {
      SYNTHSCALE_ASSIGN_OR_RETURN(const std::uint32_t attribute, reader.ReadU32("a clique attribute"));
      clique.push_back(attribute);
    }
  }
  SYNTHSCALE_ASSIGN_OR_RETURN(const double total, reader.ReadDouble("the total"));
  SYNTHSCALE_ASSIGN_OR_RETURN(const std::uint64_t num_values, reader.ReadUnsigned(8, "the potential count"));
  if (num_values != reader.remaining() / 8 || reader.remaining() % 8 != 0) {
    return InvalidData("graphical model declares " + std::to_string(num_values) + " potential values but has " +
                       std::to_string(reader.remaining()) + " bytes left");
  }

  const Domain domain(std::move(names), std::move(sizes));
  Result<GraphicalModel> created = Create(domain, cliques, num_values);
  if (!created.ok()) return InvalidData("graphical model structure is invalid: " + created.status().message());
  GraphicalModel model = std::move(created).value();
  if (model.num_cells() != num_values) {
    return InvalidData("graphical model declares " + std::to_string(num_values) + " potential values, its tree needs " +
                       std::to_string(model.num_cells()));
  }
  std::vector<Factor> potentials = model.potentials_;
  for (Factor& potential : potentials) {
    for (double& value : potential.mutable_values()) {
      SYNTHSCALE_ASSIGN_OR_RETURN(value, reader.ReadDouble("a potential value"));
    }
  }
  const Status set = model.SetParameters(std::move(potentials), total);
  if (!set.ok()) return InvalidData("graphical model parameters are invalid: " + set.message());
  return model;
}

}  // namespace synthscale
