// libFuzzer target: arbitrary bytes as a text corpus (JSONL and plain text readers), and
// every document through the scanner, language identification, the repetition signals
// and the memorisation search against a fixed source.
//
// Besides "no crash, no exception, no sanitizer report": an error carries a message and a
// line; a document's text is valid UTF-8 (it passed the reader's checks); otherwise
// __builtin_trap().
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "synthscale/io/utf8.h"
#include "synthscale/text/corpus.h"
#include "synthscale/text/language_id.h"
#include "synthscale/text/memorisation.h"
#include "synthscale/text/quality.h"
#include "synthscale/text/scan.h"

namespace {

void Consume(std::string_view bytes, synthscale::text::CorpusFormat format) {
  using namespace synthscale::text;
  synthscale::ThreadPool pool(1);
  CorpusOptions options;
  options.format = format;
  auto reader = CorpusReader::FromBytes(bytes, "fuzz", options);
  if (!reader.ok()) __builtin_trap();
  CorpusBatch batch;
  DocumentScanner scanner;
  RepetitionScratch scratch;
  ConcatenatedTexts source(kSourceSeparator);
  source.Add("the quick brown fox jumps over the lazy dog");
  ConcatenatedTexts chunk(kSyntheticSeparator);
  for (;;) {
    auto more = (*reader)->Next(batch, pool, 256);
    if (!more.ok()) {
      if (more.status().message().empty() || more.status().location().line < 1) __builtin_trap();
      return;
    }
    if (!*more) break;
    for (const CorpusDocument& doc : batch.documents()) {
      const auto check = synthscale::csv_internal::ValidateUtf8(doc.text.data(), doc.text.size());
      if (check.offset != doc.text.size() && !check.nul) __builtin_trap();
      scanner.Scan(doc.text);
      (void)MeasureRepetition(scanner.word_hashes(), scanner.word_chars(), scratch);
      (void)IdentifyLanguage(doc.text);
      chunk.Add(doc.text);
    }
  }
  auto found = FindMemorisedSpans(source, chunk, 8, pool);
  if (!found.ok()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  Consume(bytes, synthscale::text::CorpusFormat::kJsonl);
  Consume(bytes, synthscale::text::CorpusFormat::kText);
  return 0;
}
