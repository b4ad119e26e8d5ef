#include "synthscale/marginal/count.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "synthscale/core/context.h"
#include "synthscale/dist/communicator.h"
#include "synthscale/dist/thread_communicator.h"

namespace synthscale {
namespace {

// An encoded table with random codes < sizes[i] in column i, stored `widths[i]` bytes wide
// (1, 2 or 4), and its Domain. Codes come from std::mt19937_64(seed).
struct TestData {
  EncodedTable table;
  Domain domain;
};

template <typename Code>
std::vector<Code> RandomCodes(std::size_t num_rows, std::uint32_t size, std::mt19937_64& rng) {
  std::vector<Code> codes(num_rows);
  for (Code& code : codes) code = static_cast<Code>(rng() % size);
  return codes;
}

TestData MakeData(std::size_t num_rows, const std::vector<std::uint32_t>& sizes,
                  const std::vector<int>& widths, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  TestData data;
  std::vector<std::string> names;
  for (std::size_t col_idx = 0; col_idx < sizes.size(); ++col_idx) {
    const std::string name = "c" + std::to_string(col_idx);
    names.push_back(name);
    EncodedColumn column(name, col_idx, sizes[col_idx]);
    switch (widths[col_idx]) {
      case 1: column.mutable_codes() = RandomCodes<std::uint8_t>(num_rows, sizes[col_idx], rng); break;
      case 2: column.mutable_codes() = RandomCodes<std::uint16_t>(num_rows, sizes[col_idx], rng); break;
      default: column.mutable_codes() = RandomCodes<std::uint32_t>(num_rows, sizes[col_idx], rng); break;
    }
    data.table.mutable_columns().push_back(std::move(column));
  }
  data.table.set_num_rows(num_rows);
  data.domain = Domain(names, sizes);
  return data;
}

void SetCode(EncodedTable& table, std::size_t col_idx, std::size_t row, std::uint32_t code) {
  std::visit([&](auto& codes) { codes[row] = static_cast<std::decay_t<decltype(codes[0])>>(code); },
             table.mutable_columns()[col_idx].mutable_codes());
}

// Rows [begin, end) of `table`.
EncodedTable Shard(const EncodedTable& table, std::size_t begin, std::size_t end) {
  EncodedTable shard;
  for (const EncodedColumn& column : table.columns()) {
    EncodedColumn part(column.name(), column.schema_index(), column.domain_size());
    part.mutable_codes() = std::visit(
        [&](const auto& codes) -> EncodedColumn::Codes {
          using Vector = std::decay_t<decltype(codes)>;
          return Vector(codes.begin() + static_cast<std::ptrdiff_t>(begin),
                        codes.begin() + static_cast<std::ptrdiff_t>(end));
        },
        column.codes());
    shard.mutable_columns().push_back(std::move(part));
  }
  shard.set_num_rows(end - begin);
  return shard;
}

std::vector<std::int64_t> BruteForce(const TestData& data, const Clique& clique) {
  std::vector<std::int64_t> counts(*data.domain.CellCount(clique), 0);
  for (std::size_t row = 0; row < data.table.num_rows(); ++row) {
    std::uint64_t cell = 0;
    for (std::uint32_t attribute : clique) {
      cell = cell * data.domain.size(attribute) + data.table.column(attribute).code(row);
    }
    ++counts[cell];
  }
  return counts;
}

std::vector<std::int64_t> Densify(const SparseMarginal& sparse) {
  std::vector<std::int64_t> dense(sparse.num_cells, 0);
  for (std::size_t pos = 0; pos < sparse.cells.size(); ++pos) dense[sparse.cells[pos]] = sparse.counts[pos];
  return dense;
}

bool Contains(const Status& status, const std::string& text) {
  return status.message().find(text) != std::string::npos;
}

const SingleProcessCommunicator kComm;

// Two row blocks and a partial chunk: 65536 + 34464 + ... rows.
constexpr std::size_t kRows = kRowsPerBlock + 34'467;

TestData MixedData(std::size_t num_rows = kRows, std::uint64_t seed = 7) {
  // Sizes that need each code width, and a size-1 attribute.
  return MakeData(num_rows, {2, 7, 300, 1, 1500, 13, 5}, {1, 4, 2, 1, 4, 2, 1}, seed);
}

TEST(CountMarginal, EmptyCliqueCountsRows) {
  const TestData data = MixedData();
  const Context ctx(2);
  Result<std::vector<std::int64_t>> counts = CountMarginal(data.table, data.domain, Clique{}, kComm, ctx);
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(*counts, (std::vector<std::int64_t>{static_cast<std::int64_t>(kRows)}));
}

TEST(CountMarginal, MatchesBruteForceOneTwoThreeWay) {
  const TestData data = MixedData();
  const Context ctx(2);
  const std::vector<Clique> cliques = {{0}, {1}, {2}, {3}, {4}, {0, 1}, {1, 2}, {2, 6}, {3, 5},
                                       {0, 2, 5}, {1, 3, 6}, {0, 1, 2, 5, 6}, {2, 4}};
  for (const Clique& clique : cliques) {
    Result<std::vector<std::int64_t>> counts = CountMarginal(data.table, data.domain, clique, kComm, ctx);
    ASSERT_TRUE(counts.ok()) << counts.status().ToString();
    EXPECT_EQ(*counts, BruteForce(data, clique)) << data.domain.Describe(clique);
  }
}

TEST(CountMarginals, MatchEachCountMarginalIncludingLargeCliques) {
  const TestData data = MixedData();
  const Context ctx(2);
  // (2, 4) has 450000 cells: counted through sorted runs, not dense partials.
  std::vector<Clique> cliques = {{}, {2, 4}, {0, 6}};
  for (std::uint32_t first = 0; first < 7; ++first) {
    for (std::uint32_t second = first + 1; second < 7; ++second) {
      if (first != 4 && second != 4) cliques.push_back({first, second});
    }
  }
  Result<std::vector<std::vector<std::int64_t>>> all =
      CountMarginals(data.table, data.domain, cliques, kComm, ctx);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), cliques.size());
  for (std::size_t clique_idx = 0; clique_idx < cliques.size(); ++clique_idx) {
    EXPECT_EQ((*all)[clique_idx], BruteForce(data, cliques[clique_idx]))
        << data.domain.Describe(cliques[clique_idx]);
  }
}

TEST(CountMarginals, ManySmallCliquesSpanSeveralBatches) {
  // 40 attributes of up to 20 values: the 780 pairs need several batches.
  std::vector<std::uint32_t> sizes;
  std::vector<int> widths;
  for (std::uint32_t col_idx = 0; col_idx < 40; ++col_idx) {
    sizes.push_back(2 + col_idx % 19);
    widths.push_back(col_idx % 3 == 0 ? 1 : (col_idx % 3 == 1 ? 2 : 4));
  }
  const TestData data = MakeData(3000, sizes, widths, 11);
  std::vector<Clique> cliques;
  for (std::uint32_t first = 0; first < 40; ++first) {
    for (std::uint32_t second = first + 1; second < 40; ++second) cliques.push_back({first, second});
  }
  const Context ctx(2);
  Result<std::vector<std::vector<std::int64_t>>> all =
      CountMarginals(data.table, data.domain, cliques, kComm, ctx);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  for (std::size_t clique_idx = 0; clique_idx < cliques.size(); ++clique_idx) {
    ASSERT_EQ((*all)[clique_idx], BruteForce(data, cliques[clique_idx]))
        << data.domain.Describe(cliques[clique_idx]);
  }
}

TEST(CountMarginals, PartialsBeyondTheMemoryBoundRunInSeveralRounds) {
  // 2^18 cells (the largest dense-partial clique, 1 MiB per block) over 65 blocks: the
  // partials exceed kMaxPartialBytes, so the blocks are counted in several rounds (5 of at
  // most 16 blocks); the sorted-run path (sparse) also needs several (7 of at most 10).
  static_assert(512 * 512 == kMaxDensePartialCells);
  const std::size_t num_rows = 64 * kRowsPerBlock + 1000;
  static_assert(65 * (kMaxDensePartialCells * 4) > kMaxPartialBytes);
  const TestData data = MakeData(num_rows, {512, 512}, {2, 2}, 5);
  const Context ctx(2);
  const Clique clique{0, 1};
  Result<std::vector<std::int64_t>> counts = CountMarginal(data.table, data.domain, clique, kComm, ctx);
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  const std::vector<std::int64_t> expected = BruteForce(data, clique);
  EXPECT_EQ(*counts, expected);
  Result<SparseMarginal> sparse = CountMarginalSparse(data.table, data.domain, clique, kComm, ctx);
  ASSERT_TRUE(sparse.ok()) << sparse.status().ToString();
  EXPECT_EQ(Densify(*sparse), expected);
}

TEST(CountingPartialBytes, BoundedWhateverTheRowCount) {
  // One clique of 512 x 512 = 2^18 cells: one batch, a 1 MiB partial (uint32) per row block.
  const Domain domain({"a", "b"}, {512, 512});
  const std::vector<Clique> cliques{{0, 1}};
  constexpr std::size_t kMiB = std::size_t{1} << 20;
  // 3 blocks of rows: all in one round, 3 MiB.
  EXPECT_EQ(CountingPartialBytes(domain, cliques, 3 * kRowsPerBlock, 2), 3 * kMiB);
  // 10^6 rows (16 blocks) and 10^9 rows (15,259 blocks): rounds of 16 MiB / 1 MiB = 16 blocks.
  static_assert(kMaxPartialBytes == 16 * (std::size_t{1} << 20));
  EXPECT_EQ(CountingPartialBytes(domain, cliques, 1000000, 2), 16 * kMiB);
  EXPECT_EQ(CountingPartialBytes(domain, cliques, 1000000000, 2), 16 * kMiB);
  // With more threads than that, a round still gives each thread a block: 32 MiB.
  EXPECT_EQ(CountingPartialBytes(domain, cliques, 1000000000, 32), 32 * kMiB);
}

TEST(CountingPartialBytes, ManySmallCliquesStayUnderTheBound) {
  // All 105 pairs of 15 attributes of 10 values: 100 cells, 4 scratch copies each, so 163
  // cliques fit a batch's 2^16 scratch cells: one batch of 105 x 100 = 10,500 partial cells
  // (42,000 bytes) per block. 16 MiB / 42,000 bytes = 399 blocks per round.
  const Domain domain(std::vector<std::string>(15, "x"), std::vector<std::uint32_t>(15, 10));
  std::vector<Clique> cliques;
  for (std::uint32_t first = 0; first < 15; ++first) {
    for (std::uint32_t second = first + 1; second < 15; ++second) cliques.push_back({first, second});
  }
  EXPECT_EQ(CountingPartialBytes(domain, cliques, 10 * kRowsPerBlock, 2), 10u * 42000u);
  EXPECT_EQ(CountingPartialBytes(domain, cliques, std::size_t{1} << 40, 2), 399u * 42000u);
  EXPECT_EQ(CountingPartialBytes(domain, cliques, std::size_t{1} << 30, 2), 399u * 42000u);
}

TEST(CountMarginals, NoCliquesGiveNoMarginals) {
  const TestData data = MixedData(10);
  const Context ctx(2);
  Result<std::vector<std::vector<std::int64_t>>> all =
      CountMarginals(data.table, data.domain, std::span<const Clique>(), kComm, ctx);
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty());
}

TEST(CountMarginalSparse, EqualsDense) {
  const TestData data = MixedData();
  const Context ctx(2);
  for (const Clique& clique : std::vector<Clique>{{}, {0}, {1, 2}, {2, 4}, {0, 1, 2, 5, 6}}) {
    Result<SparseMarginal> sparse = CountMarginalSparse(data.table, data.domain, clique, kComm, ctx);
    ASSERT_TRUE(sparse.ok()) << sparse.status().ToString();
    EXPECT_EQ(sparse->num_cells, *data.domain.CellCount(clique));
    EXPECT_TRUE(std::is_sorted(sparse->cells.begin(), sparse->cells.end()));
    EXPECT_TRUE(std::adjacent_find(sparse->cells.begin(), sparse->cells.end()) == sparse->cells.end());
    for (std::int64_t count : sparse->counts) EXPECT_GT(count, 0);
    EXPECT_EQ(Densify(*sparse), BruteForce(data, clique)) << data.domain.Describe(clique);
  }
}

TEST(CountMarginalSparse, HugeDomainBeyondTheDenseLimit) {
  // 4 attributes of 2^20 values: 2^80 cells is too many even for sparse; 3 of them (2^60) is fine.
  const TestData data = MakeData(5000, {1u << 20, 1u << 20, 1u << 20, 1u << 20}, {4, 4, 4, 4}, 3);
  const Context ctx(2);
  const Clique clique{0, 1, 3};
  Result<SparseMarginal> sparse = CountMarginalSparse(data.table, data.domain, clique, kComm, ctx);
  ASSERT_TRUE(sparse.ok()) << sparse.status().ToString();
  EXPECT_EQ(sparse->num_cells, std::uint64_t{1} << 60);
  std::int64_t total = 0;
  for (std::int64_t count : sparse->counts) total += count;
  EXPECT_EQ(total, 5000);
  // Spot-check row 17's cell.
  const std::uint64_t cell = (std::uint64_t{data.table.column(0).code(17)} << 40) +
                             (std::uint64_t{data.table.column(1).code(17)} << 20) + data.table.column(3).code(17);
  EXPECT_TRUE(std::binary_search(sparse->cells.begin(), sparse->cells.end(), cell));

  Result<std::vector<std::int64_t>> dense = CountMarginal(data.table, data.domain, clique, kComm, ctx);
  EXPECT_EQ(dense.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(Contains(dense.status(), "use CountMarginalSparse")) << dense.status().message();

  Result<SparseMarginal> too_big = CountMarginalSparse(data.table, data.domain, Clique{0, 1, 2, 3}, kComm, ctx);
  EXPECT_EQ(too_big.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(Contains(too_big.status(), "more than 2^63 cells")) << too_big.status().message();
}

TEST(CountMarginals, IdenticalForAnyThreadCount) {
  const TestData data = MixedData();
  const std::vector<Clique> cliques = {{}, {0, 1}, {2, 4}, {1, 2, 5}, {0, 1, 2, 5, 6}};
  const Context reference_ctx(1);
  Result<std::vector<std::vector<std::int64_t>>> reference =
      CountMarginals(data.table, data.domain, cliques, kComm, reference_ctx);
  ASSERT_TRUE(reference.ok());
  for (std::size_t threads : {2u, 7u, 0u}) {
    const Context ctx(threads);
    Result<std::vector<std::vector<std::int64_t>>> counts =
        CountMarginals(data.table, data.domain, cliques, kComm, ctx);
    ASSERT_TRUE(counts.ok());
    EXPECT_EQ(*counts, *reference) << threads << " threads";
    Result<SparseMarginal> sparse = CountMarginalSparse(data.table, data.domain, cliques[3], kComm, ctx);
    ASSERT_TRUE(sparse.ok());
    EXPECT_EQ(Densify(*sparse), (*reference)[3]) << threads << " threads";
  }
}

TEST(CountMarginal, ZeroRows) {
  const TestData data = MixedData(0);
  const Context ctx(2);
  Result<std::vector<std::int64_t>> counts = CountMarginal(data.table, data.domain, Clique{0, 1}, kComm, ctx);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(*counts, std::vector<std::int64_t>(14, 0));
  Result<std::vector<std::int64_t>> rows = CountMarginal(data.table, data.domain, Clique{}, kComm, ctx);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, std::vector<std::int64_t>{0});
  Result<SparseMarginal> sparse = CountMarginalSparse(data.table, data.domain, Clique{1, 2}, kComm, ctx);
  ASSERT_TRUE(sparse.ok());
  EXPECT_TRUE(sparse->cells.empty());
  EXPECT_TRUE(ValidateCodes(data.table, data.domain, ctx).ok());
}

TEST(CountMarginal, OneRow) {
  const TestData data = MixedData(1);
  const Context ctx(2);
  Result<std::vector<std::int64_t>> counts = CountMarginal(data.table, data.domain, Clique{1, 2}, kComm, ctx);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(*counts, BruteForce(data, Clique{1, 2}));
}

// ---- Errors ------------------------------------------------------------------------------

TEST(ValidateCodes, AcceptsCodesInDomain) {
  const TestData data = MixedData();
  const Context ctx(2);
  EXPECT_TRUE(ValidateCodes(data.table, data.domain, ctx).ok());
}

TEST(ValidateCodes, ReportsFirstRowWithABadCode) {
  TestData data = MixedData();
  // Later rows, and the same row in a later column, must not be the one reported.
  SetCode(data.table, 1, 90'000, 100);
  SetCode(data.table, 5, 70'001, 13);
  SetCode(data.table, 6, 70'001, 9);
  SetCode(data.table, 2, 70'010, 300);
  const Context ctx(7);
  const Status status = ValidateCodes(data.table, data.domain, ctx);
  EXPECT_EQ(status.code(), ErrorCode::kInvalidData);
  EXPECT_TRUE(Contains(status, "column 'c5' holds code 13 at row 70002")) << status.message();
  EXPECT_TRUE(Contains(status, "(13 values, codes 0..12)")) << status.message();
  EXPECT_EQ(status.location().row, 70'002);
  EXPECT_EQ(status.location().field, "c5");
}

TEST(CountMarginal, BadCodeIsInvalidDataEvenWithoutValidation) {
  TestData data = MixedData();
  SetCode(data.table, 0, 66'000, 255);  // uint8 column of size 2
  const Context ctx(2);
  for (const Clique& clique : std::vector<Clique>{{0}, {0, 1}, {0, 2, 4}}) {
    Result<std::vector<std::int64_t>> counts = CountMarginal(data.table, data.domain, clique, kComm, ctx);
    EXPECT_EQ(counts.status().code(), ErrorCode::kInvalidData) << data.domain.Describe(clique);
    EXPECT_TRUE(Contains(counts.status(), "column 'c0' holds code 255 at row 66001")) << counts.status().message();
  }
  Result<SparseMarginal> sparse = CountMarginalSparse(data.table, data.domain, Clique{0, 1}, kComm, ctx);
  EXPECT_EQ(sparse.status().code(), ErrorCode::kInvalidData);
  EXPECT_TRUE(Contains(sparse.status(), "code 255 at row 66001")) << sparse.status().message();
  // Attributes not in the clique are not read.
  EXPECT_TRUE(CountMarginal(data.table, data.domain, Clique{1, 2}, kComm, ctx).ok());
}

TEST(CountMarginal, BadCodeInWideColumnIsInvalidData) {
  TestData data = MixedData(100);
  SetCode(data.table, 1, 3, 0xFFFF'FFFFu);  // uint32 column of size 7
  const Context ctx(1);
  Result<std::vector<std::int64_t>> counts = CountMarginal(data.table, data.domain, Clique{1, 2}, kComm, ctx);
  EXPECT_EQ(counts.status().code(), ErrorCode::kInvalidData);
  EXPECT_TRUE(Contains(counts.status(), "holds code 4294967295 at row 4")) << counts.status().message();
}

TEST(CountMarginal, InvalidCliquesAreInvalidArgument) {
  const TestData data = MixedData(10);
  const Context ctx(1);
  for (const Clique& clique : std::vector<Clique>{{1, 0}, {2, 2}, {0, 7}}) {
    Result<std::vector<std::int64_t>> counts = CountMarginal(data.table, data.domain, clique, kComm, ctx);
    EXPECT_EQ(counts.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_TRUE(Contains(counts.status(), "must list distinct attribute indices in ascending order, each < 7"))
        << counts.status().message();
    EXPECT_EQ(CountMarginalSparse(data.table, data.domain, clique, kComm, ctx).status().code(),
              ErrorCode::kInvalidArgument);
  }
  Result<std::vector<std::int64_t>> counts = CountMarginal(data.table, data.domain, Clique{1, 0}, kComm, ctx);
  EXPECT_TRUE(Contains(counts.status(), "clique {1, 0}")) << counts.status().message();
}

TEST(CountMarginal, TooManyCellsNamesTheCliqueAndLimit) {
  const TestData data = MixedData(10);
  const Context ctx(1);
  MarginalOptions options;
  options.max_dense_cells = 100;
  Result<std::vector<std::int64_t>> counts =
      CountMarginal(data.table, data.domain, Clique{1, 5}, kComm, ctx, options);  // 91 cells
  EXPECT_TRUE(counts.ok());
  const std::vector<Clique> cliques = {{1, 5}, {1, 2}};
  Result<std::vector<std::vector<std::int64_t>>> all =
      CountMarginals(data.table, data.domain, cliques, kComm, ctx, options);
  EXPECT_EQ(all.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(Contains(all.status(), "marginal over (c1, c2) would have 2100 cells, more than the limit 100; "))
      << all.status().message();
}

TEST(CountMarginal, TableNotMatchingDomainIsInvalidArgument) {
  TestData data = MixedData(10);
  const Context ctx(1);
  const Domain fewer({"a", "b"}, {2, 7});
  Result<std::vector<std::int64_t>> counts = CountMarginal(data.table, fewer, Clique{0}, kComm, ctx);
  EXPECT_EQ(counts.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(Contains(counts.status(), "the encoded table has 7 columns but the domain has 2 attributes"))
      << counts.status().message();
  EXPECT_EQ(ValidateCodes(data.table, fewer, ctx).code(), ErrorCode::kInvalidArgument);

  std::visit([](auto& codes) { codes.pop_back(); }, data.table.mutable_columns()[3].mutable_codes());
  const Status short_column = ValidateCodes(data.table, data.domain, ctx);
  EXPECT_EQ(short_column.code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(Contains(short_column, "column 'c3' has 9 codes but the encoded table has 10 rows"))
      << short_column.message();
  EXPECT_EQ(CountMarginal(data.table, data.domain, Clique{0}, kComm, ctx).status().code(),
            ErrorCode::kInvalidArgument);
}

TEST(CountMarginal, AttributeOfSizeZeroIsInvalidArgument) {
  TestData data = MixedData(0);
  const Domain domain(data.domain.names(), {2, 7, 300, 0, 70'000, 13, 5});
  const Context ctx(1);
  Result<std::vector<std::int64_t>> counts = CountMarginal(data.table, domain, Clique{2, 3}, kComm, ctx);
  EXPECT_EQ(counts.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(Contains(counts.status(), "attribute 'c3' has a domain of size 0")) << counts.status().message();
}

// ---- Across ranks ------------------------------------------------------------------------

TEST(CountMarginals, RanksHoldingShardsCountTheWholeTable) {
  const TestData data = MixedData();
  const std::vector<Clique> cliques = {{}, {0, 1}, {2, 4}, {1, 2, 5}};
  const Context ctx(1);
  Result<std::vector<std::vector<std::int64_t>>> whole =
      CountMarginals(data.table, data.domain, cliques, kComm, ctx);
  ASSERT_TRUE(whole.ok());
  // Uneven shards, one of them empty.
  const std::vector<std::size_t> bounds = {0, 1000, 1000, kRows};
  const ThreadCommunicatorGroup group(3);
  std::vector<std::vector<std::vector<std::int64_t>>> dense(3);
  std::vector<std::vector<std::int64_t>> sparse(3);
  const std::vector<Status> statuses = group.Run([&](const Communicator& comm) -> Status {
    const auto rank = static_cast<std::size_t>(comm.rank());
    const EncodedTable shard = Shard(data.table, bounds[rank], bounds[rank + 1]);
    const Context rank_ctx(2);
    SYNTHSCALE_ASSIGN_OR_RETURN(dense[rank], CountMarginals(shard, data.domain, cliques, comm, rank_ctx));
    SYNTHSCALE_ASSIGN_OR_RETURN(const SparseMarginal counts,
                                CountMarginalSparse(shard, data.domain, cliques[3], comm, rank_ctx));
    sparse[rank] = Densify(counts);
    return Status::Ok();
  });
  for (std::size_t rank = 0; rank < 3; ++rank) {
    ASSERT_TRUE(statuses[rank].ok()) << statuses[rank].ToString();
    EXPECT_EQ(dense[rank], *whole) << "rank " << rank;
    EXPECT_EQ(sparse[rank], (*whole)[3]) << "rank " << rank;
  }
}

TEST(CountMarginals, BadCodeOnOneRankFailsEveryRank) {
  TestData data = MixedData(3000);
  SetCode(data.table, 2, 2500, 999);
  const std::vector<std::size_t> bounds = {0, 2000, 3000};
  const ThreadCommunicatorGroup group(2);
  const std::vector<Status> statuses = group.Run([&](const Communicator& comm) -> Status {
    const auto rank = static_cast<std::size_t>(comm.rank());
    const EncodedTable shard = Shard(data.table, bounds[rank], bounds[rank + 1]);
    const Context ctx(1);
    const Status dense = CountMarginal(shard, data.domain, Clique{1, 2}, comm, ctx).status();
    const Status sparse = CountMarginalSparse(shard, data.domain, Clique{1, 2}, comm, ctx).status();
    if (dense.code() != sparse.code() || dense.message() != sparse.message()) {
      return Internal("dense and sparse differ: " + dense.message() + " / " + sparse.message());
    }
    return dense;
  });
  EXPECT_EQ(statuses[0].code(), ErrorCode::kInvalidData);
  EXPECT_TRUE(Contains(statuses[0], "another rank")) << statuses[0].message();
  EXPECT_EQ(statuses[1].code(), ErrorCode::kInvalidData);
  // Rows are numbered within the rank's shard.
  EXPECT_TRUE(Contains(statuses[1], "column 'c2' holds code 999 at row 501")) << statuses[1].message();
}

}  // namespace
}  // namespace synthscale
