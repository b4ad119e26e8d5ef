#include "synthscale/privacy/ledger.h"

#include <cmath>
#include <limits>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "synthscale/privacy/zcdp.h"

namespace synthscale {
namespace {

PrivacyCharge Manual(const std::string& label, double rho, Neighbouring neighbouring = Neighbouring::kAddRemoveOne) {
  PrivacyCharge charge;
  charge.label = label;
  charge.mechanism = "manual";
  charge.neighbouring = neighbouring;
  charge.rho = rho;
  return charge;
}

PrivacyLedger MakeLedger(double rho) {
  Result<PrivacyLedger> ledger = PrivacyLedger::FromRho(rho, Neighbouring::kAddRemoveOne);
  EXPECT_TRUE(ledger.ok()) << ledger.status().ToString();
  return std::move(ledger).value();
}

void ExpectMessage(const Status& status, ErrorCode code, const std::string& fragment) {
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), code);
  EXPECT_NE(status.message().find(fragment), std::string::npos) << status.message();
}

TEST(PrivacyLedger, BudgetMustBePositiveAndFinite) {
  for (const double bad : {0.0, -1.0, std::numeric_limits<double>::quiet_NaN(),
                           std::numeric_limits<double>::infinity()}) {
    Result<PrivacyLedger> ledger = PrivacyLedger::FromRho(bad, Neighbouring::kAddRemoveOne);
    ASSERT_FALSE(ledger.ok());
    ExpectMessage(ledger.status(), ErrorCode::kInvalidArgument, "budget rho must be a finite number > 0");
  }
  Result<PrivacyLedger> bad_delta = PrivacyLedger::FromEpsilonDelta(1.0, 1.0, Neighbouring::kReplaceOne);
  ASSERT_FALSE(bad_delta.ok());
  ExpectMessage(bad_delta.status(), ErrorCode::kInvalidArgument, "privacy budget: delta must be in (0, 1)");
}

TEST(PrivacyLedger, BudgetFromEpsilonDeltaUsesTheTightConversion) {
  Result<PrivacyLedger> ledger = PrivacyLedger::FromEpsilonDelta(1.0, 1e-6, Neighbouring::kReplaceOne);
  ASSERT_TRUE(ledger.ok());
  EXPECT_EQ(ledger->budget_rho(), *RhoFromEpsilonDelta(1.0, 1e-6));
  EXPECT_EQ(ledger->target_epsilon(), 1.0);
  EXPECT_EQ(ledger->target_delta(), 1e-6);
  EXPECT_EQ(ledger->neighbouring(), Neighbouring::kReplaceOne);
  EXPECT_EQ(ledger->spent_rho(), 0.0);
  EXPECT_EQ(ledger->remaining_rho(), ledger->budget_rho());
}

TEST(PrivacyLedger, ComposesByExactSums) {
  PrivacyLedger ledger = MakeLedger(1.0);
  ASSERT_TRUE(ledger.Charge(Manual("a", 0.125)).ok());
  ASSERT_TRUE(ledger.Charge(Manual("b", 0.25)).ok());
  ASSERT_TRUE(ledger.Charge(Manual("c", 0.5)).ok());
  EXPECT_EQ(ledger.spent_rho(), 0.875);
  EXPECT_EQ(ledger.remaining_rho(), 0.125);
  ASSERT_EQ(ledger.charges().size(), 3U);
  EXPECT_EQ(ledger.charges()[1].label, "b");
  // Spending exactly what remains is allowed; then nothing more, but a free charge is fine.
  ASSERT_TRUE(ledger.Charge(Manual("d", 0.125)).ok());
  EXPECT_EQ(ledger.spent_rho(), 1.0);
  EXPECT_FALSE(ledger.CanAfford(std::numeric_limits<double>::denorm_min()));
  EXPECT_TRUE(ledger.Charge(Manual("post-processing", 0.0)).ok());
}

TEST(PrivacyLedger, OverspendIsRefusedAndChangesNothing) {
  PrivacyLedger ledger = MakeLedger(1.0);
  ASSERT_TRUE(ledger.Charge(Manual("first", 0.75)).ok());
  EXPECT_FALSE(ledger.CanAfford(0.5));
  const Status refused = ledger.Charge(Manual("marginal (age, sex)", 0.5));
  ExpectMessage(refused, ErrorCode::kInvalidArgument, "privacy budget exceeded: 'marginal (age, sex)' needs rho = 0.5");
  EXPECT_NE(refused.message().find("nothing was released"), std::string::npos);
  EXPECT_EQ(ledger.spent_rho(), 0.75);
  EXPECT_EQ(ledger.charges().size(), 1U);
  EXPECT_TRUE(ledger.Charge(Manual("second", 0.25)).ok());
}

TEST(PrivacyLedger, RoundingNeverLetsTheTotalPassTheBudget) {
  // The double 0.1 is slightly above 1/10, so ten of them sum to more than 1 in exact
  // arithmetic: the tenth charge must be refused, although 0.1 + ... + 0.1 rounds to 1.
  PrivacyLedger ledger = MakeLedger(1.0);
  for (int idx = 0; idx < 9; ++idx) ASSERT_TRUE(ledger.Charge(Manual("tenth", 0.1)).ok()) << idx;
  EXPECT_FALSE(ledger.Charge(Manual("tenth", 0.1)).ok());
  // Whatever remains (rounded down) can always be spent.
  EXPECT_TRUE(ledger.Charge(Manual("rest", ledger.remaining_rho())).ok());
  EXPECT_LE(ledger.spent_rho(), 1.0);
}

TEST(PrivacyLedger, ThirdsOfABudgetFit) {
  PrivacyLedger ledger = MakeLedger(1.0);
  ASSERT_TRUE(ledger.Charge(Manual("one", 1.0 / 3)).ok());
  ASSERT_TRUE(ledger.Charge(Manual("two", 1.0 / 3)).ok());
  ASSERT_TRUE(ledger.Charge(Manual("three", ledger.remaining_rho())).ok());
  EXPECT_LE(ledger.spent_rho(), 1.0);
}

TEST(PrivacyLedger, RefusesBadCharges) {
  PrivacyLedger ledger = MakeLedger(1.0);
  ExpectMessage(ledger.Charge(Manual("", 0.1)), ErrorCode::kInvalidArgument, "needs a label");
  ExpectMessage(ledger.Charge(Manual("x", -0.1)), ErrorCode::kInvalidArgument, "rho must be a finite number >= 0");
  ExpectMessage(ledger.Charge(Manual("x", std::numeric_limits<double>::quiet_NaN())), ErrorCode::kInvalidArgument,
                "rho must be a finite number >= 0");
  ExpectMessage(ledger.Charge(Manual("x", 0.1, Neighbouring::kReplaceOne)), ErrorCode::kInvalidArgument,
                "stated for neighbouring relation 'replace_one_row' but the ledger uses 'add_remove_one_row'");
  PrivacyCharge negative_epsilon = Manual("x", 0.1);
  negative_epsilon.epsilon = -1.0;
  ExpectMessage(ledger.Charge(negative_epsilon), ErrorCode::kInvalidArgument, "epsilon must be a finite number");
  EXPECT_TRUE(ledger.charges().empty());
  EXPECT_EQ(ledger.spent_rho(), 0.0);
}

PrivacyLedger ExampleLedger() {
  PrivacyLedger ledger = *PrivacyLedger::FromEpsilonDelta(2.0, 1e-7, Neighbouring::kReplaceOne);
  PrivacyCharge gaussian = Manual("marginal (age, sex)", 0.0123456789, Neighbouring::kReplaceOne);
  gaussian.mechanism = "gaussian";
  gaussian.sensitivity_norm = "L2";
  gaussian.sensitivity = std::sqrt(2.0);
  gaussian.sensitivity_exact = "sqrt(2)";
  gaussian.noise_scale = 9.0;
  gaussian.noise_exact = "sigma^2=81";
  PrivacyCharge laplace = Manual("count \"rows\"\n", 0.005, Neighbouring::kReplaceOne);  // escapes survive
  laplace.mechanism = "laplace";
  laplace.epsilon = 0.1;
  EXPECT_TRUE(ledger.Charge(gaussian).ok());
  EXPECT_TRUE(ledger.Charge(laplace).ok());
  ledger.SetNoiseKeyCommitment(Sha256(std::string_view("not a real key")));
  return ledger;
}

TEST(PrivacyLedger, JsonRoundTrip) {
  const PrivacyLedger ledger = ExampleLedger();
  const std::string json = ledger.ToJson();
  Result<PrivacyLedger> parsed = PrivacyLedger::FromJson(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->ToJson(), json);
  EXPECT_EQ(parsed->budget_rho(), ledger.budget_rho());
  EXPECT_EQ(parsed->spent_rho(), ledger.spent_rho());
  EXPECT_EQ(parsed->target_epsilon(), 2.0);
  EXPECT_EQ(parsed->target_delta(), 1e-7);
  EXPECT_EQ(parsed->neighbouring(), Neighbouring::kReplaceOne);
  EXPECT_EQ(parsed->noise_key_sha256(), ledger.noise_key_sha256());
  ASSERT_EQ(parsed->charges().size(), 2U);
  EXPECT_EQ(parsed->charges()[0], ledger.charges()[0]);
  EXPECT_EQ(parsed->charges()[1], ledger.charges()[1]);
  EXPECT_EQ(parsed->charges()[1].epsilon, 0.1);
  EXPECT_FALSE(parsed->charges()[0].epsilon.has_value());
  // The documented keys are there.
  const nlohmann::json doc = nlohmann::json::parse(json);
  EXPECT_EQ(doc["synthscale_privacy_ledger"], 1);
  EXPECT_EQ(doc["accounting"], "zCDP");
  EXPECT_EQ(doc["neighbouring"], "replace_one_row");
  EXPECT_EQ(doc["charges"][0]["sensitivity_exact"], "sqrt(2)");
}

TEST(PrivacyLedger, JsonRoundTripWithoutOptionalFields) {
  PrivacyLedger ledger = MakeLedger(0.5);
  ASSERT_TRUE(ledger.Charge(Manual("x", 0.5)).ok());
  Result<PrivacyLedger> parsed = PrivacyLedger::FromJson(ledger.ToJson());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_FALSE(parsed->target_epsilon().has_value());
  EXPECT_TRUE(parsed->noise_key_sha256().empty());
  EXPECT_EQ(parsed->spent_rho(), 0.5);
}

void ExpectBadJson(const std::string& text, const std::string& fragment) {
  Result<PrivacyLedger> parsed = PrivacyLedger::FromJson(text);
  ASSERT_FALSE(parsed.ok()) << text;
  ExpectMessage(parsed.status(), ErrorCode::kInvalidData, fragment);
}

TEST(PrivacyLedger, FromJsonRejectsDamagedLedgers) {
  const nlohmann::json good = nlohmann::json::parse(ExampleLedger().ToJson());
  ExpectBadJson("{", "not valid JSON");
  ExpectBadJson("[]", "top level must be an object");
  nlohmann::json doc = good;
  doc["surprise"] = 1;
  ExpectBadJson(doc.dump(), "unknown key 'surprise'");
  doc = good;
  doc["synthscale_privacy_ledger"] = 2;
  ExpectBadJson(doc.dump(), "\"synthscale_privacy_ledger\": 1");
  doc = good;
  doc["spent_rho"] = 0.0;
  ExpectBadJson(doc.dump(), "does not match the sum of the charges");
  doc = good;
  doc["charges"][0]["rho"] = 1e6;
  ExpectBadJson(doc.dump(), "privacy budget exceeded");
  doc = good;
  doc["charges"][1]["neighbouring"] = "add_remove_one_row";
  ExpectBadJson(doc.dump(), "charges[1]");
  doc = good;
  doc["charges"][0]["rho"] = "0.1";
  ExpectBadJson(doc.dump(), "'rho' in charges[0] must be a number");
  doc = good;
  doc["charges"][0].erase("label");
  ExpectBadJson(doc.dump(), "missing 'label' in charges[0]");
  doc = good;
  doc["budget"]["rho"] = 100.0;  // more than (2, 1e-7) allows
  ExpectBadJson(doc.dump(), "larger than (epsilon, delta)");
  doc = good;
  doc["budget"].erase("delta");
  ExpectBadJson(doc.dump(), "both 'epsilon' and 'delta' or neither");
  doc = good;
  doc["neighbouring"] = "nearby";
  ExpectBadJson(doc.dump(), "neighbouring relation must be");
}

}  // namespace
}  // namespace synthscale
