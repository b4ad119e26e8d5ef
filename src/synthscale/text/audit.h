// The text audit: which languages a synthetic corpus holds and in what shares, how much of
// it is duplicated (exactly, and nearly by MinHash LSH), whether it reproduces spans of a
// private source (suffix arrays), and whether benchmark items leaked into it (word
// n-grams). docs/text.md documents every key of the report.
//
// The synthetic corpus is streamed in batches of lines, each parsed and analysed on the
// thread pool in fixed-size tasks; per-document results are kept by document index and
// sums are integers, so report.json is byte-identical for any thread count. Per-language
// sums go through the Communicator (one AllReduceSum), so ranks holding shards of the
// corpus could add them; the duplicate clusters, memorised documents and contaminated
// items are gathered on one process (the Communicator has no gather yet). Near-duplicate
// candidates are verified by exact Jaccard in a second pass over the synthetic file,
// which reads only the candidates' shingles.
//
// The private source and the benchmarks are read whole; the memorisation check holds the
// source plus one chunk of synthetic text (memorisation_chunk_mb) at a time.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "synthscale/core/context.h"
#include "synthscale/core/status.h"
#include "synthscale/dist/communicator.h"
#include "synthscale/text/audit_options.h"

namespace synthscale::text {

struct TextAuditInputs {
  std::string synthetic;                // the corpus to audit (required)
  std::string source;                   // the private source; empty: no memorisation check
  std::vector<std::string> benchmarks;  // benchmark item files; empty: no contamination check
  std::string language_targets;         // JSON of target shares; empty: none
};

// "synthscale-text-report" version written by this build.
inline constexpr int kTextReportVersion = 1;

// Audit the inputs and return report.json's content. Errors: kInvalidArgument for bad
// options or two benchmarks with the same name; kIO for unreadable files; kInvalidData
// (with file, line and column) for malformed corpora, duplicate document ids, or a file
// that changed between the two passes.
Result<nlohmann::json> RunTextAudit(const TextAuditInputs& inputs, const TextAuditOptions& options, const Context& ctx,
                                    const Communicator& comm);

}  // namespace synthscale::text
