#include "synthscale/text/audit.h"

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "synthscale/core/random_stream.h"
#include "synthscale/text/report.h"
#include "text_test_util.h"

namespace synthscale::text {
namespace {

using nlohmann::json;
using testing::JsonLine;
using testing::TempDir;
using testing::WriteFile;

// Pseudo-words: documents that share no shingle unless planted.
std::string RandomWords(RandomStream& stream, std::size_t words) {
  static const char* kSyllables[] = {"ka", "lo", "mi", "ne", "su", "ra", "to", "vi", "de", "po"};
  std::string text;
  for (std::size_t word = 0; word < words; ++word) {
    if (word > 0) text += ' ';
    const std::size_t syllables = 2 + stream.UniformBelow(3);
    for (std::size_t idx = 0; idx < syllables; ++idx) text += kSyllables[stream.UniformBelow(10)];
  }
  return text;
}

constexpr const char* kGerman =
    "Der Ausschuss trifft sich nächste Woche wieder, um den Haushalt und den neuen Zeitplan der Bibliothek zu "
    "besprechen, und alle Mitglieder sind herzlich eingeladen.";
constexpr const char* kFrench =
    "Le comité se réunira de nouveau la semaine prochaine pour discuter du budget et du nouveau calendrier de la "
    "bibliothèque, et tous les membres sont invités.";

struct Corpus {
  TempDir dir;
  TextAuditInputs inputs;
};

// 40 documents d0..d39 with planted defects: d5 = d2 (exact), d7 = d3 with two words
// changed (near), d9 holds 80 characters of source s1, d11 holds benchmark item q1,
// d20 is German and d21 French.
std::unique_ptr<Corpus> MakeCorpus() {
  auto corpus = std::make_unique<Corpus>();
  RandomStream stream(3, "test.text.audit", 0);
  std::vector<std::string> source;
  for (int idx = 0; idx < 3; ++idx) source.push_back(RandomWords(stream, 60));
  std::vector<std::string> items;
  for (int idx = 0; idx < 3; ++idx) items.push_back(RandomWords(stream, 30));
  items.push_back("too short item");
  std::vector<std::string> docs;
  for (int idx = 0; idx < 40; ++idx) docs.push_back(RandomWords(stream, 80));
  docs[5] = docs[2];
  docs[7] = docs[3];
  docs[7].replace(docs[7].find(' ', 40), 1, " zz ");
  docs[7].replace(docs[7].rfind(' '), 1, " yy ");
  const std::size_t start = source[1].find(' ', 30) + 1;
  docs[9] = docs[9].substr(0, 100) + " " + source[1].substr(start, 80) + " " + docs[9].substr(100);
  docs[11] += " " + items[1];
  docs[20] = kGerman;
  docs[21] = kFrench;
  std::string synthetic, source_text, bench;
  for (std::size_t idx = 0; idx < docs.size(); ++idx) synthetic += JsonLine("d" + std::to_string(idx), docs[idx]);
  for (std::size_t idx = 0; idx < source.size(); ++idx) source_text += JsonLine("s" + std::to_string(idx), source[idx]);
  for (std::size_t idx = 0; idx < items.size(); ++idx) bench += JsonLine("q" + std::to_string(idx), items[idx]);
  corpus->inputs.synthetic = WriteFile(corpus->dir.File("synthetic.jsonl"), synthetic);
  corpus->inputs.source = WriteFile(corpus->dir.File("private.jsonl"), source_text);
  corpus->inputs.benchmarks = {WriteFile(corpus->dir.File("quiz.jsonl"), bench)};
  corpus->inputs.language_targets = WriteFile(corpus->dir.File("targets.json"), R"({"de": 0.5, "fr": 0.25, "it": 0.25})");
  return corpus;
}

Result<json> Audit(const TextAuditInputs& inputs, std::size_t threads, TextAuditOptions options = {}) {
  const Context ctx(threads);
  const SingleProcessCommunicator comm;
  return RunTextAudit(inputs, options, ctx, comm);
}

TEST(TextAudit, FindsEveryPlantedDefect) {
  const std::unique_ptr<Corpus> corpus = MakeCorpus();
  Result<json> report = Audit(corpus->inputs, 2);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ((*report)["format"], "synthscale-text-report");
  EXPECT_EQ((*report)["summary"]["documents"], 40);
  EXPECT_EQ((*report)["exact_duplicates"]["clusters"], json::parse(R"([["d2", "d5"]])"));
  EXPECT_EQ((*report)["near_duplicates"]["clusters"], json::parse(R"([["d2", "d5"], ["d3", "d7"]])"));
  EXPECT_EQ((*report)["summary"]["near_duplicate_removable_documents"], 2);

  const json& memorised = (*report)["memorisation"]["documents"];
  ASSERT_EQ(memorised.size(), 1u);
  EXPECT_EQ(memorised[0]["id"], "d9");
  EXPECT_EQ(memorised[0]["source_id"], "s1");
  EXPECT_GE(memorised[0]["longest_span_chars"].get<int>(), 80);
  EXPECT_LE(memorised[0]["longest_span_chars"].get<int>(), 82);  // the spaces around it may match too

  const json& contamination = (*report)["contamination"];
  ASSERT_EQ(contamination["items"].size(), 1u);
  EXPECT_EQ(contamination["items"][0]["benchmark"], "quiz");
  EXPECT_EQ(contamination["items"][0]["benchmark_id"], "q1");
  EXPECT_EQ(contamination["items"][0]["documents"], json::parse(R"(["d11"])"));
  EXPECT_DOUBLE_EQ(contamination["items"][0]["max_overlap"].get<double>(), 1.0);
  EXPECT_EQ(contamination["benchmarks"][0]["too_short"], 1);

  const json& languages = (*report)["languages"];
  EXPECT_EQ(languages["de"]["documents"], 1);
  EXPECT_EQ(languages["fr"]["documents"], 1);
  EXPECT_EQ(languages["de"]["script"], "Latn");
  EXPECT_EQ((*report)["language_targets"]["missing"], json::parse(R"(["it"])"));
  EXPECT_EQ((*report)["summary"]["under_represented_languages"], json::parse(R"(["de", "fr", "it"])"));
  std::int64_t total = 0;
  for (const auto& [code, entry] : languages.items()) total += entry["documents"].get<std::int64_t>();
  EXPECT_EQ(total, 40);
  EXPECT_TRUE((*report)["quality"].contains("de"));
}

TEST(TextAudit, SameBytesForOneTwoAndFourThreads) {
  const std::unique_ptr<Corpus> corpus = MakeCorpus();
  TextAuditOptions options;
  options.memorisation_chunk_mb = 1;
  Result<json> one = Audit(corpus->inputs, 1, options);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  for (std::size_t threads : {2u, 4u}) {
    Result<json> other = Audit(corpus->inputs, threads, options);
    ASSERT_TRUE(other.ok());
    EXPECT_EQ(TextReportJson(*other), TextReportJson(*one)) << threads << " threads";
  }
}

TEST(TextAudit, OptionalChecksAreNullWithoutTheirInputs) {
  const std::unique_ptr<Corpus> corpus = MakeCorpus();
  TextAuditInputs inputs;
  inputs.synthetic = corpus->inputs.synthetic;
  Result<json> report = Audit(inputs, 1);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE((*report)["memorisation"].is_null());
  EXPECT_TRUE((*report)["contamination"].is_null());
  EXPECT_TRUE((*report)["language_targets"].is_null());
  EXPECT_TRUE((*report)["summary"]["memorised_documents"].is_null());
}

TEST(TextAudit, DuplicateIdsAreAnError) {
  TempDir dir;
  TextAuditInputs inputs;
  inputs.synthetic = WriteFile(dir.File("s.jsonl"), JsonLine("a", "eins") + JsonLine("b", "zwei") + JsonLine("a", "drei"));
  Result<json> report = Audit(inputs, 1);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), ErrorCode::kInvalidData);
  EXPECT_EQ(report.status().location().line, 3);
  EXPECT_NE(report.status().message().find("duplicate document id 'a' (first on line 1)"), std::string::npos);
}

TEST(TextAudit, InputErrors) {
  const std::unique_ptr<Corpus> corpus = MakeCorpus();
  TextAuditInputs inputs = corpus->inputs;
  inputs.benchmarks.push_back(corpus->dir.File("quiz.jsonl"));
  EXPECT_NE(Audit(inputs, 1).status().message().find("two benchmarks are named 'quiz'"), std::string::npos);
  inputs = corpus->inputs;
  inputs.source = corpus->dir.File("missing.jsonl");
  EXPECT_EQ(Audit(inputs, 1).status().code(), ErrorCode::kIO);
  TextAuditOptions options;
  options.rows = 0;
  EXPECT_EQ(Audit(corpus->inputs, 1, options).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Audit(TextAuditInputs{}, 1).status().code(), ErrorCode::kInvalidArgument);
}

TEST(TextReport, WritesBothFilesAndKeepsAnExistingReport) {
  const std::unique_ptr<Corpus> corpus = MakeCorpus();
  Result<json> report = Audit(corpus->inputs, 1);
  ASSERT_TRUE(report.ok());
  const std::string out = corpus->dir.File("report");
  Result<TextReportPaths> paths = WriteTextReport(*report, out, false);
  ASSERT_TRUE(paths.ok()) << paths.status().ToString();
  EXPECT_TRUE(std::filesystem::exists(paths->html));
  const std::string html = RenderTextReportHtml(*report);
  EXPECT_NE(html.find("<h1>Text audit</h1>"), std::string::npos);
  for (const char* fetch : {"<script", "<link", "src=", "href=", "url("}) {
    EXPECT_EQ(html.find(fetch), std::string::npos) << fetch;  // nothing fetched
  }
  EXPECT_EQ(WriteTextReport(*report, out, false).status().code(), ErrorCode::kAlreadyExists);
  EXPECT_TRUE(WriteTextReport(*report, out, true).ok());
  EXPECT_NE(RenderTextReportSummary(*report).find("text audit: 40 documents"), std::string::npos);
}

}  // namespace
}  // namespace synthscale::text
