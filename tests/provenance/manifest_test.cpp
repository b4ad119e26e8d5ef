#include "synthscale/provenance/manifest.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "provenance_test_util.h"
#include "synthscale/core/crypto.h"
#include "synthscale/core/version.h"

namespace synthscale {
namespace {

using Json = nlohmann::ordered_json;
using testing_provenance::ReadAll;
using testing_provenance::SampleRun;
using testing_provenance::TempDir;

Json Build(const ManifestInput& input) {
  Result<std::string> text = BuildManifest(input);
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  return text.ok() ? Json::parse(*text) : Json();
}

TEST(Manifest, HasCroissantContextAndDatasetFields) {
  TempDir dir;
  const Json manifest = Build(SampleRun(dir, /*differentially_private=*/false));
  const Json& context = manifest["@context"];
  EXPECT_EQ(context["@vocab"], "https://schema.org/");
  EXPECT_EQ(context["cr"], "http://mlcommons.org/croissant/");
  EXPECT_EQ(context["rai"], "http://mlcommons.org/croissant/RAI/");
  EXPECT_EQ(context["prov"], "http://www.w3.org/ns/prov#");
  EXPECT_EQ(manifest["@type"], "sc:Dataset");
  EXPECT_EQ(manifest["conformsTo"], "http://mlcommons.org/croissant/1.1");
  EXPECT_EQ(manifest["name"], "synth.csv");
  EXPECT_EQ(manifest["license"], "CC-BY-4.0");
  EXPECT_EQ(manifest["creator"]["name"], "Test Steward");
  EXPECT_EQ(manifest["datePublished"], "2025-01-02T03:04:09Z");
  EXPECT_NE(manifest["description"].get<std::string>().find("NOT differentially private"), std::string::npos);
}

TEST(Manifest, DefaultsLicenseAndCreatorToUnspecified) {
  TempDir dir;
  ManifestInput input = SampleRun(dir, false);
  input.license.clear();
  input.creator.clear();
  const Json manifest = Build(input);
  EXPECT_EQ(manifest["license"], "unspecified");
  EXPECT_EQ(manifest["creator"]["name"], "unspecified");
}

TEST(Manifest, FileObjectHasSha256SizeAndFormat) {
  TempDir dir;
  const ManifestInput input = SampleRun(dir, false);
  const Json manifest = Build(input);
  ASSERT_EQ(manifest["distribution"].size(), 1u);
  const Json& file = manifest["distribution"][0];
  const std::string bytes = ReadAll(dir.File("synth.csv"));
  EXPECT_EQ(file["@type"], "cr:FileObject");
  EXPECT_EQ(file["contentUrl"], "synth.csv");  // relative to the manifest's folder
  EXPECT_EQ(file["contentSize"], std::to_string(bytes.size()) + " B");
  EXPECT_EQ(file["encodingFormat"], "text/csv");
  EXPECT_EQ(file["sha256"], ToHex(Sha256(bytes)));
  Result<Sha256Digest> from_file = Sha256File(dir.File("synth.csv"));
  ASSERT_TRUE(from_file.ok());
  EXPECT_EQ(file["sha256"], ToHex(*from_file));
}

TEST(Manifest, ContentUrlIsRelativeToTheManifestFolder) {
  TempDir dir;
  std::filesystem::create_directory(dir.File("out"));
  ManifestInput input = SampleRun(dir, false);
  input.manifest_path = dir.File("out/run.manifest.json");
  const Json manifest = Build(input);
  EXPECT_EQ(manifest["distribution"][0]["contentUrl"], "../synth.csv");
}

TEST(Manifest, RecordsHowTheOutputWasGenerated) {
  TempDir dir;
  const Json manifest = Build(SampleRun(dir, true));
  const Json& activity = manifest["prov:wasGeneratedBy"];
  EXPECT_EQ(activity["@type"], "prov:Activity");
  EXPECT_EQ(activity["prov:startedAtTime"], "2025-01-02T03:04:05Z");
  EXPECT_EQ(activity["prov:endedAtTime"], "2025-01-02T03:04:09Z");
  EXPECT_EQ(activity["prov:wasAssociatedWith"]["softwareVersion"], Version());
  EXPECT_EQ(activity["prov:wasAssociatedWith"]["ss:gitCommit"], GitCommit());
  EXPECT_EQ(activity["commandLine"].size(), 7u);
  EXPECT_EQ(activity["configuration"]["method"], "aim");
  EXPECT_EQ(activity["ss:seed"], "18446744073709551615");  // text: exact beyond 2^53
  EXPECT_EQ(activity["ss:noiseKeySha256"], std::string(64, 'a'));
  EXPECT_EQ(activity["ss:host"], "testhost");
  EXPECT_EQ(activity["ss:threads"], 2);
  EXPECT_EQ(activity["ss:ranks"], 1);
  EXPECT_EQ(activity["ss:outputRows"], 2);
}

TEST(Manifest, RecordsTheLedgerPerMechanism) {
  TempDir dir;
  const Json manifest = Build(SampleRun(dir, true));
  EXPECT_EQ(manifest["ss:differentiallyPrivate"], true);
  const Json& privacy = manifest["ss:privacy"];
  EXPECT_EQ(privacy["ss:epsilon"], 1.0);
  EXPECT_EQ(privacy["ss:delta"], 1e-9);
  EXPECT_GT(privacy["ss:rhoBudget"].get<double>(), 0.0);
  EXPECT_NEAR(privacy["ss:rhoSpent"].get<double>(), 0.01125, 1e-12);
  ASSERT_EQ(privacy["ss:perMechanism"].size(), 2u);
  EXPECT_EQ(privacy["ss:perMechanism"][0]["ss:mechanism"], "exponential");
  EXPECT_EQ(privacy["ss:perMechanism"][0]["ss:charges"], 1);
  EXPECT_EQ(privacy["ss:perMechanism"][0]["ss:epsilon"], 0.1);
  EXPECT_EQ(privacy["ss:perMechanism"][1]["ss:mechanism"], "gaussian");
  EXPECT_EQ(privacy["ss:perMechanism"][1]["ss:charges"], 2);
  EXPECT_FALSE(privacy["ss:perMechanism"][1].contains("ss:epsilon"));
  EXPECT_EQ(privacy["privacyLedger"]["charges"].size(), 3u);
}

TEST(Manifest, RaiFieldsSayHowPrivateTheDataIs) {
  TempDir dir;
  const Json dp = Build(SampleRun(dir, true));
  EXPECT_NE(dp["rai:dataCollection"].get<std::string>().find("Synthetic"), std::string::npos);
  EXPECT_NE(dp["rai:personalSensitiveInformation"][0].get<std::string>().find("None by construction"), std::string::npos);
  EXPECT_NE(dp["rai:personalSensitiveInformation"][0].get<std::string>().find("epsilon=1"), std::string::npos);
  EXPECT_FALSE(dp["rai:dataLimitations"].empty());

  TempDir other;
  const Json plain = Build(SampleRun(other, false));
  EXPECT_NE(plain["rai:personalSensitiveInformation"][0].get<std::string>().find("NOT privacy-protected"),
            std::string::npos);
}

TEST(Manifest, DataDependentDomainIsNotCalledPrivateByConstruction) {
  TempDir dir;
  ManifestInput input = SampleRun(dir, true);
  input.data_dependent_domain = true;
  const Json manifest = Build(input);
  const std::string personal = manifest["rai:personalSensitiveInformation"][0];
  EXPECT_EQ(personal.find("None by construction"), std::string::npos);
  EXPECT_NE(personal.find("NOT covered"), std::string::npos);
  EXPECT_EQ(manifest["ss:privacy"]["ss:dataDependentDomain"], true);
}

TEST(Manifest, NonPrivateManifestHashesInputs) {
  TempDir dir;
  const Json manifest = Build(SampleRun(dir, false));
  const Json& inputs = manifest["prov:wasDerivedFrom"];
  ASSERT_EQ(inputs.size(), 2u);
  EXPECT_EQ(inputs[0]["name"], "adult.csv");
  EXPECT_EQ(inputs[0]["sha256"], ToHex(Sha256(ReadAll(dir.File("adult.csv")))));
  EXPECT_EQ(manifest["prov:wasGeneratedBy"]["ss:inputRows"], 3);
  EXPECT_EQ(manifest["ss:inputHashesIncluded"], true);
}

TEST(Manifest, PrivateManifestWithholdsConfidentialInputHashesByDefault) {
  TempDir dir;
  const ManifestInput input = SampleRun(dir, true);
  EXPECT_FALSE(IncludesInputHashes(input));
  Result<std::string> text = BuildManifest(input);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  const Json manifest = Json::parse(*text);
  const Json& inputs = manifest["prov:wasDerivedFrom"];
  ASSERT_EQ(inputs.size(), 2u);
  EXPECT_EQ(inputs[0]["name"], "adult.csv");  // named, …
  EXPECT_FALSE(inputs[0].contains("sha256"));  // … but neither hashed …
  EXPECT_FALSE(inputs[0].contains("contentSize"));  // … nor sized
  EXPECT_TRUE(inputs[0].contains("ss:hashWithheld"));
  EXPECT_TRUE(inputs[1].contains("sha256"));  // the public schema is hashed
  EXPECT_FALSE(manifest["prov:wasGeneratedBy"].contains("ss:inputRows"));
  EXPECT_EQ(manifest["ss:inputHashesIncluded"], false);
  // Nowhere in the text: not the input's hash, not its row count key.
  EXPECT_EQ(text->find(ToHex(Sha256(ReadAll(dir.File("adult.csv"))))), std::string::npos);
  EXPECT_EQ(text->find("inputRows"), std::string::npos);
}

TEST(Manifest, PrivateManifestForTheStewardIncludesInputHashes) {
  TempDir dir;
  ManifestInput input = SampleRun(dir, true);
  input.include_input_hashes = true;
  const Json manifest = Build(input);
  EXPECT_EQ(manifest["prov:wasDerivedFrom"][0]["sha256"], ToHex(Sha256(ReadAll(dir.File("adult.csv")))));
  EXPECT_EQ(manifest["prov:wasGeneratedBy"]["ss:inputRows"], 3);
}

TEST(Manifest, EvaluationSummaryIsEmbedded) {
  TempDir dir;
  ManifestInput input = SampleRun(dir, false);
  input.evaluation_json = R"({"fidelity": {"tvd_1way_mean": 0.02}})";
  EXPECT_EQ(Build(input)["evaluation"]["fidelity"]["tvd_1way_mean"], 0.02);
}

TEST(Manifest, RejectsBadInput) {
  TempDir dir;
  ManifestInput none;
  EXPECT_NE(BuildManifest(none).status().message().find("at least one output"), std::string::npos);

  ManifestInput bad_config = SampleRun(dir, false);
  bad_config.configuration_json = "[1, 2]";
  const Status config_status = BuildManifest(bad_config).status();
  EXPECT_EQ(config_status.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(config_status.message().find("configuration must be a JSON object"), std::string::npos);

  ManifestInput no_ledger = SampleRun(dir, true);
  no_ledger.ledger_json.clear();
  EXPECT_NE(BuildManifest(no_ledger).status().message().find("needs the privacy ledger"), std::string::npos);

  ManifestInput bad_ranks = SampleRun(dir, false);
  bad_ranks.ranks = 0;
  EXPECT_NE(BuildManifest(bad_ranks).status().message().find("ranks must be >= 1, got 0"), std::string::npos);

  ManifestInput missing = SampleRun(dir, false);
  missing.outputs[0].path = dir.File("nope.csv");
  const Status missing_status = BuildManifest(missing).status();
  EXPECT_EQ(missing_status.code(), ErrorCode::kIO);
  EXPECT_NE(missing_status.message().find("nope.csv"), std::string::npos);
}

TEST(Manifest, MediaTypesAndTimestamps) {
  EXPECT_EQ(ManifestMediaType("a/model.ssm"), "application/vnd.synthscale.model");
  EXPECT_EQ(ManifestMediaType("report.json"), "application/json");
  EXPECT_EQ(ManifestMediaType("x.csv.gz"), "application/gzip");
  EXPECT_EQ(ManifestMediaType("noext"), "application/octet-stream");
  EXPECT_EQ(UtcTimestamp(std::chrono::system_clock::from_time_t(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(ManifestPathFor("out/synth.csv"), "out/synth.csv.manifest.json");
  EXPECT_EQ(DataCardPathFor("out/synth.csv"), "out/synth.csv.datacard.md");
}

TEST(WriteManifest, WritesManifestAndCardThatListsIt) {
  TempDir dir;
  Result<ManifestPaths> paths = WriteManifest(SampleRun(dir, true), /*force=*/false);
  ASSERT_TRUE(paths.ok()) << paths.status().ToString();
  EXPECT_EQ(paths->manifest, dir.File("synth.csv.manifest.json"));
  EXPECT_EQ(paths->data_card, dir.File("synth.csv.datacard.md"));
  const Json manifest = Json::parse(ReadAll(paths->manifest));
  ASSERT_EQ(manifest["distribution"].size(), 2u);
  const std::string card = ReadAll(paths->data_card);
  EXPECT_EQ(manifest["distribution"][1]["contentUrl"], "synth.csv.datacard.md");
  EXPECT_EQ(manifest["distribution"][1]["sha256"], ToHex(Sha256(card)));
  EXPECT_EQ(manifest["distribution"][1]["encodingFormat"], "text/markdown");
  EXPECT_NE(card.find("# synth.csv"), std::string::npos);
  EXPECT_NE(card.find("withheld"), std::string::npos);
  EXPECT_NE(card.find("| gaussian | 2 |"), std::string::npos);
  EXPECT_NE(card.find("synthscale verify synth.csv.manifest.json"), std::string::npos);
}

TEST(WriteManifest, KeepsExistingFilesWithoutForce) {
  TempDir dir;
  const ManifestInput input = SampleRun(dir, false);
  dir.Write("synth.csv.datacard.md", "old card\n");
  const Status status = WriteManifest(input, /*force=*/false).status();
  EXPECT_EQ(status.code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(ReadAll(dir.File("synth.csv.datacard.md")), "old card\n");
  EXPECT_FALSE(std::filesystem::exists(dir.File("synth.csv.manifest.json")));
  ASSERT_TRUE(WriteManifest(input, /*force=*/true).ok());
  EXPECT_NE(ReadAll(dir.File("synth.csv.datacard.md")), "old card\n");
}

TEST(DataCard, RejectsWhatIsNotAManifest) {
  const Status status = BuildDataCard("{\"name\": 1}").status();
  EXPECT_EQ(status.code(), ErrorCode::kInvalidData);
  EXPECT_NE(status.message().find("not a synthscale manifest"), std::string::npos);
  EXPECT_FALSE(BuildDataCard("not json").ok());
}

TEST(DataCard, NonPrivateCardSaysSo) {
  TempDir dir;
  Result<std::string> manifest = BuildManifest(SampleRun(dir, false));
  ASSERT_TRUE(manifest.ok());
  Result<std::string> card = BuildDataCard(*manifest);
  ASSERT_TRUE(card.ok());
  EXPECT_NE(card->find("**Not differentially private.**"), std::string::npos);
  EXPECT_NE(card->find("adult.csv"), std::string::npos);
  EXPECT_NE(card->find("synthscale sample model.ssm -n 2 -o synth.csv"), std::string::npos);
}

// Writes one non-private and one DP manifest (with cards) into $SYNTHSCALE_MANIFEST_EXAMPLES_DIR
// when set, so tests/python/test_manifest_croissant.py and tests/cli/test_verify.py can
// validate and verify real manifests; into a temporary folder otherwise.
TEST(ManifestExamples, WriteExamples) {
  TempDir scratch;
  const char* target = std::getenv("SYNTHSCALE_MANIFEST_EXAMPLES_DIR");
  const std::string root = target != nullptr && *target != '\0' ? std::string(target) : scratch.path();
  for (const bool dp : {false, true}) {
    const std::string folder = root + (dp ? "/dp" : "/plain");
    std::filesystem::create_directories(folder);
    ManifestInput input;
    const auto write = [&](const std::string& name, const std::string& bytes) {
      std::ofstream out(folder + "/" + name, std::ios::binary);
      out << bytes;
      return folder + "/" + name;
    };
    input.outputs.push_back({write("synth.csv", "age,sex\n31,F\n47,M\n"), "", "synthetic table", true});
    input.outputs.push_back({write("report.json", "{\"fidelity\": 0.9}\n"), "", "evaluation report", true});
    input.inputs.push_back({write("adult.csv", "age,sex\n39,M\n"), "", "private input", true});
    input.method = dp ? "mst" : "independent";
    input.differentially_private = dp;
    if (dp) input.ledger_json = testing_provenance::SmallLedgerJson();
    input.command_line = {"synthscale", "fit", "adult.csv", "-o", "model.ssm"};
    input.configuration_json = R"({"method": "mst"})";
    input.seed = 7;
    input.evaluation_json = R"({"fidelity": 0.9})";
    Result<ManifestPaths> paths = WriteManifest(input, /*force=*/true);
    ASSERT_TRUE(paths.ok()) << paths.status().ToString();
    EXPECT_TRUE(std::filesystem::exists(paths->manifest));
  }
}

}  // namespace
}  // namespace synthscale
