#include "synthscale/workflow/mix.h"

#include <cmath>
#include <memory>

#include "synthscale/io/csv_reader.h"
#include "synthscale/io/csv_writer.h"

namespace synthscale {
namespace {

// The first `rows` rows of `batch` (rows <= batch.num_rows()).
Table Head(const Table& batch, std::size_t rows) {
  Table head;
  for (const Column& column : batch.columns()) {
    Column part;
    part.name = column.name;
    part.type = column.type;
    part.AppendRange(column, 0, rows);
    head.AddColumn(std::move(part));
  }
  head.SetNumRows(rows);
  return head;
}

}  // namespace

Result<MixSummary> MixCsv(const MixOptions& options, const Schema& schema, const Context& ctx) {
  if (options.share.has_value() == options.rows.has_value()) {
    return InvalidArgument("mix needs exactly one of --share (a share of the real rows) and --rows (a count)");
  }
  if (options.share && !(std::isfinite(*options.share) && *options.share >= 0)) {
    return InvalidArgument("--share must be a finite number >= 0");
  }
  SYNTHSCALE_ASSIGN_OR_RETURN(CsvWriter writer, CsvWriter::Create(options.output, schema, options.force));
  MixSummary summary;
  Table batch;
  {
    SYNTHSCALE_ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> real, CsvReader::Open(options.real, options.csv));
    while (true) {
      SYNTHSCALE_ASSIGN_OR_RETURN(bool more, real->NextBatch(schema, ctx, &batch));
      if (!more) break;
      SYNTHSCALE_RETURN_IF_ERROR(writer.Append(batch, ctx));
      summary.real_rows += batch.num_rows();
    }
  }
  const std::uint64_t wanted =
      options.rows ? *options.rows
                   : static_cast<std::uint64_t>(std::llround(*options.share * static_cast<double>(summary.real_rows)));
  if (wanted > 0) {
    SYNTHSCALE_ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> synthetic,
                                CsvReader::Open(options.synthetic, options.csv));
    while (summary.synthetic_rows < wanted) {
      SYNTHSCALE_ASSIGN_OR_RETURN(bool more, synthetic->NextBatch(schema, ctx, &batch));
      if (!more) break;
      const std::uint64_t take = std::min<std::uint64_t>(wanted - summary.synthetic_rows, batch.num_rows());
      if (take == batch.num_rows()) {
        SYNTHSCALE_RETURN_IF_ERROR(writer.Append(batch, ctx));
      } else {
        SYNTHSCALE_RETURN_IF_ERROR(writer.Append(Head(batch, static_cast<std::size_t>(take)), ctx));
      }
      summary.synthetic_rows += take;
    }
  }
  if (summary.synthetic_rows < wanted) {
    return InvalidArgument("mix needs " + std::to_string(wanted) + " synthetic rows but '" + options.synthetic +
                           "' has " + std::to_string(summary.synthetic_rows) +
                           "; sample more rows or lower the share");
  }
  SYNTHSCALE_RETURN_IF_ERROR(writer.Commit());
  return summary;
}

}  // namespace synthscale
