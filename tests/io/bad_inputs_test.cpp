// The bad-input catalogue (tests/bad_inputs/cases.json) at the library level: every case
// fails with the documented error kind (exit code), location and advice, and leaves its
// input untouched and no output behind. tests/cli/test_bad_inputs.py runs the same
// catalogue through the synthscale program.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "io_test_util.h"
#include "synthscale/io/atomic_file.h"
#include "synthscale/io/csv_reader.h"
#include "synthscale/io/schema_infer.h"

namespace synthscale {
namespace {

using testing_io::ReadAll;
using testing_io::TempDir;

const std::string kCatalogue = std::string(SYNTHSCALE_SOURCE_DIR) + "/tests/bad_inputs";

struct BadInput {
  std::string name;
  nlohmann::json spec;
};

std::vector<BadInput> LoadCases(const char* key) {
  std::ifstream in(kCatalogue + "/cases.json");
  const nlohmann::json manifest = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  std::vector<BadInput> cases;
  if (manifest.is_discarded() || !manifest.contains(key)) return cases;
  for (const nlohmann::json& spec : manifest[key]) cases.push_back({spec.at("name").get<std::string>(), spec});
  return cases;
}

// The CLI's mapping (cli/cli_common.cpp, docs/cli.md).
int ExitCodeOf(const Status& status) {
  switch (status.code()) {
    case ErrorCode::kOk: return 0;
    case ErrorCode::kInvalidArgument: return 2;
    case ErrorCode::kInvalidData: return 3;
    case ErrorCode::kIO: return 4;
    case ErrorCode::kNotFitted: return 5;
    case ErrorCode::kAlreadyExists: return 6;
    case ErrorCode::kInternal: return 70;
  }
  return 70;
}

// Make a generated input in `dir`; returns false (with a reason) if the case cannot run here.
bool Generate(const nlohmann::json& generate, const std::string& path, const TempDir& dir, std::string& skip) {
  const std::string kind = generate.at("kind").get<std::string>();
  if (kind == "missing" || kind == "existing_output") return true;
  if (kind == "directory") return ::mkdir(path.c_str(), 0755) == 0;
  if (kind == "big_field") {
    std::ofstream out(path, std::ios::binary);
    out << "city,age,height,smoker,visit\nLyon,34,1.72,false,2021-03-04\n";
    const std::string block(1u << 20, 'x');
    auto left = generate.at("field_bytes").get<std::size_t>();
    while (left > 0) {
      const std::size_t size = std::min(left, block.size());
      out.write(block.data(), static_cast<std::streamsize>(size));
      left -= size;
    }
    out << ",40,1.80,true,2021-01-01\n";
    return static_cast<bool>(out);
  }
  const std::string source = ReadAll(kCatalogue + "/" + generate.at("from").get<std::string>());
  if (kind == "truncated_gzip") {
    std::string text;
    for (int copy = 0; copy < generate.at("repeat").get<int>(); ++copy) text += source;
    const std::string gz = testing_io::Gzip(text);
    dir.Write(path.substr(dir.path().size() + 1), gz.substr(0, gz.size() / 2));
    return true;
  }
  if (kind == "unreadable") {
    if (::geteuid() == 0) {
      skip = "running as root, who can read a file without read permission";
      return false;
    }
    dir.Write(path.substr(dir.path().size() + 1), source);
    return ::chmod(path.c_str(), 0) == 0;
  }
  skip = "unknown generate kind '" + kind + "'";
  return false;
}

// What `synthscale fit --method independent --schema S FILE -o OUT.ssm` does up to fitting.
Status RunFit(const std::string& input, const std::string& schema_path, const std::string& output,
              const Context& ctx) {
  SYNTHSCALE_ASSIGN_OR_RETURN(AtomicOutputFile claimed, AtomicOutputFile::Create(output, false));
  SYNTHSCALE_ASSIGN_OR_RETURN(Schema schema, Schema::ReadFile(schema_path));
  SYNTHSCALE_ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> reader, CsvReader::Open(input, CsvOptions{}));
  Table batch;
  while (true) {
    SYNTHSCALE_ASSIGN_OR_RETURN(const bool more, reader->NextBatch(schema, ctx, &batch));
    if (!more) break;
  }
  return Status::Ok();  // `claimed` is dropped uncommitted: only the error paths matter here
}

Status RunCase(const nlohmann::json& spec, const std::string& input, const TempDir& dir) {
  Context ctx(2);
  if (spec.at("kind") == "infer") return InferSchemaFromCsv(input, CsvOptions{}, InferOptions{}, ctx).status();
  return RunFit(input, kCatalogue + "/" + spec.at("schema").get<std::string>(), dir.File("OUT.ssm"), ctx);
}

class BadInputCatalogue : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadInputCatalogue, FailsWithTheDocumentedErrorAndLeavesNothingBehind) {
  const nlohmann::json& spec = GetParam().spec;
  TempDir dir;
  std::string input = kCatalogue + "/" + spec.at("input").get<std::string>();
  if (spec.contains("generate")) {
    input = dir.File(spec.at("input").get<std::string>());
    std::string skip;
    if (!Generate(spec.at("generate"), input, dir, skip)) {
      if (!skip.empty()) GTEST_SKIP() << skip;
      FAIL() << "could not generate " << input;
    }
    if (spec.at("generate").at("kind") == "existing_output") dir.Write("OUT.ssm", "an older model");
  }
  const bool regular = ::access(input.c_str(), F_OK) == 0 && !std::filesystem::is_directory(input);
  const std::string before = regular && spec.at("name") != "unreadable_file" ? ReadAll(input) : std::string();
  const std::vector<std::string> files_before = dir.List();

  const Status status = RunCase(spec, input, dir);
  const std::string line = "synthscale: " + status.ToString();
  EXPECT_EQ(ExitCodeOf(status), spec.at("exit").get<int>()) << line;
  for (const nlohmann::json& expected : spec.at("stderr")) {
    EXPECT_NE(line.find(expected.get<std::string>()), std::string::npos)
        << "missing '" << expected.get<std::string>() << "' in: " << line;
  }
  EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  EXPECT_EQ(dir.List(), files_before) << "a file was left behind";
  if (!before.empty()) {
    EXPECT_EQ(ReadAll(input), before) << "the input changed";
  }
  if (spec.contains("generate") && spec.at("generate").at("kind") == "existing_output") {
    EXPECT_EQ(ReadAll(dir.File("OUT.ssm")), "an older model");
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, BadInputCatalogue, ::testing::ValuesIn(LoadCases("cases")),
                         [](const ::testing::TestParamInfo<BadInput>& param_info) { return param_info.param.name; });

class GoodInputCatalogue : public ::testing::TestWithParam<BadInput> {};

TEST_P(GoodInputCatalogue, Succeeds) {
  TempDir dir;
  const nlohmann::json& spec = GetParam().spec;
  const Status status = RunCase(spec, kCatalogue + "/" + spec.at("input").get<std::string>(), dir);
  EXPECT_TRUE(status.ok()) << status.ToString();
}

INSTANTIATE_TEST_SUITE_P(Cases, GoodInputCatalogue, ::testing::ValuesIn(LoadCases("good_cases")),
                         [](const ::testing::TestParamInfo<BadInput>& param_info) { return param_info.param.name; });

TEST(BadInputCatalogue, CoversAtLeastThirtyTwoCasesWithExistingFiles) {
  const std::vector<BadInput> cases = LoadCases("cases");
  EXPECT_GE(cases.size(), 32u);
  for (const BadInput& bad : cases) {
    if (bad.spec.contains("generate")) continue;
    EXPECT_TRUE(std::filesystem::exists(kCatalogue + "/" + bad.spec.at("input").get<std::string>())) << bad.name;
    if (bad.spec.contains("schema") && bad.name != "nonexistent_schema") {
      EXPECT_TRUE(std::filesystem::exists(kCatalogue + "/" + bad.spec.at("schema").get<std::string>())) << bad.name;
    }
  }
}

}  // namespace
}  // namespace synthscale
