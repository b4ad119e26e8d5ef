// Helpers shared by the provenance tests: a DP ledger and a manifest over files in a folder.
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "../io/io_test_util.h"
#include "synthscale/privacy/ledger.h"
#include "synthscale/provenance/manifest.h"

namespace synthscale::testing_provenance {

using testing_io::ReadAll;
using testing_io::TempDir;

// A ledger for (epsilon=1, delta=1e-9) with two Gaussian charges and one exponential one.
inline std::string SmallLedgerJson() {
  Result<PrivacyLedger> ledger = PrivacyLedger::FromEpsilonDelta(1.0, 1e-9, Neighbouring::kAddRemoveOne);
  EXPECT_TRUE(ledger.ok()) << ledger.status().ToString();
  for (const char* label : {"marginal (age)", "marginal (age, sex)"}) {
    PrivacyCharge charge;
    charge.label = label;
    charge.mechanism = "gaussian";
    charge.sensitivity_norm = "L2";
    charge.sensitivity = 1.0;
    charge.sensitivity_exact = "1";
    charge.noise_scale = 10.0;
    charge.noise_exact = "sigma^2=100";
    charge.rho = 0.005;
    EXPECT_TRUE(ledger->Charge(charge).ok());
  }
  PrivacyCharge selection;
  selection.label = "round 1 selection";
  selection.mechanism = "exponential";
  selection.sensitivity_norm = "score";
  selection.sensitivity = 1.0;
  selection.sensitivity_exact = "1";
  selection.noise_scale = 20.0;
  selection.noise_exact = "epsilon=1/10";
  selection.rho = 0.00125;
  selection.epsilon = 0.1;
  EXPECT_TRUE(ledger->Charge(selection).ok());
  ledger->SetNoiseKeyCommitment(Sha256(std::string_view("test noise key")));
  return ledger->ToJson();
}

// A sample run: `synth.csv` from `model.ssm` (public) fitted on `adult.csv` (confidential).
inline ManifestInput SampleRun(const TempDir& dir, bool differentially_private) {
  ManifestInput input;
  input.outputs.push_back({dir.Write("synth.csv", "age,sex\n31,F\n47,M\n"), "", "synthetic table", true});
  input.inputs.push_back({dir.Write("adult.csv", "age,sex\n39,M\n50,M\n38,F\n"), "", "private input", true});
  input.inputs.push_back({dir.Write("schema.json", "{\"columns\": []}\n"), "", "public schema", false});
  input.method = differentially_private ? "aim" : "independent";
  input.differentially_private = differentially_private;
  if (differentially_private) input.ledger_json = SmallLedgerJson();
  input.license = "CC-BY-4.0";
  input.creator = "Test Steward";
  input.command_line = {"synthscale", "sample", "model.ssm", "-n", "2", "-o", "synth.csv"};
  input.configuration_json = R"({"method": "aim", "epsilon": 1, "delta": 1e-9})";
  input.seed = 18446744073709551615ULL;
  input.noise_key_sha256 = std::string(64, 'a');
  input.input_rows = 3;
  input.output_rows = 2;
  input.threads = 2;
  input.ranks = 1;
  input.host = "testhost";
  input.started_at = "2025-01-02T03:04:05Z";
  input.ended_at = "2025-01-02T03:04:09Z";
  return input;
}

}  // namespace synthscale::testing_provenance
