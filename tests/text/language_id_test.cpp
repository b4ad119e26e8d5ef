#include "synthscale/text/language_id.h"

#include <gtest/gtest.h>

namespace synthscale::text {
namespace {

struct Sample {
  const char* code;
  const char* text;
};

// Short sentences written for this test (not from a corpus).
constexpr Sample kSamples[] = {
    {"en", "The committee will meet again next week to discuss the budget and the new schedule for the library."},
    {"de", "Der Ausschuss trifft sich nächste Woche wieder, um den Haushalt und den neuen Zeitplan der Bibliothek zu besprechen."},
    {"fr", "Le comité se réunira de nouveau la semaine prochaine pour discuter du budget et du nouveau calendrier de la bibliothèque."},
    {"es", "El comité se reunirá de nuevo la próxima semana para discutir el presupuesto y el nuevo horario de la biblioteca."},
    {"it", "Il comitato si riunirà di nuovo la prossima settimana per discutere il bilancio e il nuovo orario della biblioteca."},
    {"nl", "De commissie komt volgende week opnieuw bijeen om de begroting en het nieuwe rooster van de bibliotheek te bespreken."},
    {"pl", "Komisja spotka się ponownie w przyszłym tygodniu, aby omówić budżet i nowy harmonogram pracy biblioteki."},
    {"ru", "Комитет снова соберётся на следующей неделе, чтобы обсудить бюджет и новое расписание работы библиотеки."},
};

TEST(LanguageId, IdentifiesEachTestLanguage) {
  for (const Sample& sample : kSamples) {
    const LanguageGuess guess = IdentifyLanguage(sample.text);
    EXPECT_EQ(LanguageSlotCode(guess.slot), sample.code) << sample.text;
    EXPECT_TRUE(guess.reliable) << sample.text;
    EXPECT_GE(guess.percent, kMixedThresholdPercent);
  }
}

TEST(LanguageId, NoLettersIsUndetermined) {
  EXPECT_EQ(IdentifyLanguage("").slot, UndeterminedSlot());
  EXPECT_EQ(IdentifyLanguage("12345 67 -- 89 !!!").slot, UndeterminedSlot());
}

TEST(LanguageId, HalfAndHalfIsMixed) {
  const std::string text = std::string(kSamples[1].text) + " " + kSamples[7].text + " " + kSamples[2].text;
  const LanguageGuess guess = IdentifyLanguage(text);
  EXPECT_EQ(LanguageSlotCode(guess.slot), "mul") << int{guess.percent};
}

TEST(LanguageId, SlotCodesRoundTrip) {
  EXPECT_EQ(LanguageSlotCode(UndeterminedSlot()), "und");
  EXPECT_EQ(LanguageSlotCode(MixedSlot()), "mul");
  EXPECT_EQ(LanguageSlotName(MixedSlot()), "mixed");
  for (const char* code : {"de", "fr", "ru", "pl", "und", "mul"}) {
    EXPECT_EQ(LanguageSlotCode(LanguageSlotOfCode(code)), code);
  }
  EXPECT_EQ(LanguageSlotName(LanguageSlotOfCode("de")), "German");
  EXPECT_EQ(LanguageSlotOfCode("xx-not-a-language"), LanguageSlotCount());
  EXPECT_NE(LanguageIdentifierVersion().find("CLD2"), std::string::npos);
}

}  // namespace
}  // namespace synthscale::text
