#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "synthscale/synth/synthesizer.h"

namespace synthscale {
namespace {

TEST(SynthesizerRegistry, ListsMethodsSorted) {
  const std::vector<std::string> methods = SynthesizerMethods();
  EXPECT_TRUE(std::is_sorted(methods.begin(), methods.end()));
  EXPECT_NE(std::find(methods.begin(), methods.end(), "independent"), methods.end());
}

TEST(SynthesizerRegistry, MakesEveryListedMethodUnfitted) {
  SynthesizerOptions budget;
  budget.rho = 1.0;
  for (const std::string& method : SynthesizerMethods()) {
    Result<std::unique_ptr<Synthesizer>> synthesizer =
        MakeSynthesizer(method, IsPrivateMethod(method) ? budget : SynthesizerOptions{});
    ASSERT_TRUE(synthesizer.ok()) << method;
    EXPECT_EQ((*synthesizer)->method(), method);
    EXPECT_FALSE((*synthesizer)->fitted()) << method;
    EXPECT_EQ((*synthesizer)->differentially_private(), IsPrivateMethod(method)) << method;
  }
  EXPECT_TRUE(IsPrivateMethod("mst"));
  EXPECT_TRUE(IsPrivateMethod("aim"));
  EXPECT_FALSE(IsPrivateMethod("independent"));
  EXPECT_FALSE(IsPrivateMethod("nope"));
  Result<std::unique_ptr<Synthesizer>> independent = MakeSynthesizer("independent");
  ASSERT_TRUE(independent.ok());
  EXPECT_FALSE((*independent)->differentially_private());
}

TEST(SynthesizerRegistry, UnknownMethodListsAvailableMethods) {
  for (const char* method : {"nope", "", "Independent", "independent "}) {
    Result<std::unique_ptr<Synthesizer>> synthesizer = MakeSynthesizer(method);
    ASSERT_FALSE(synthesizer.ok()) << method;
    EXPECT_EQ(synthesizer.status().code(), ErrorCode::kInvalidArgument);
    const std::string& message = synthesizer.status().message();
    EXPECT_NE(message.find("unknown method '" + std::string(method) + "'"), std::string::npos) << message;
    for (const std::string& known : SynthesizerMethods()) {
      EXPECT_NE(message.find(known), std::string::npos) << message;
    }
    EXPECT_NE(message.find("available: aim, independent, mst"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace synthscale
