# The text audit's libraries, all from Debian 12 (scripts/install-deps.sh):
#   CLD2 (libcld2-dev)              language identification, 83 languages
#   libdivsufsort (libdivsufsort-dev) suffix arrays for the memorisation check
#   xxHash (libxxhash-dev)          shingle, n-gram and document hashes (header-only use)
#   ICU (libicu-dev)                Unicode properties: case folding, character classes, scripts
# Kept in one interface target so that a per-part build (issue 14) can link it to `text` alone.
find_path(CLD2_INCLUDE_DIR cld2/public/compact_lang_det.h REQUIRED)
find_library(CLD2_LIBRARY NAMES cld2 REQUIRED)
find_path(XXHASH_INCLUDE_DIR xxhash.h REQUIRED)
pkg_check_modules(DIVSUFSORT REQUIRED IMPORTED_TARGET libdivsufsort libdivsufsort64)
find_package(ICU 60 REQUIRED COMPONENTS uc)

add_library(synthscale_text_deps INTERFACE)
target_include_directories(synthscale_text_deps SYSTEM INTERFACE ${CLD2_INCLUDE_DIR} ${XXHASH_INCLUDE_DIR})
target_link_libraries(synthscale_text_deps INTERFACE ${CLD2_LIBRARY} PkgConfig::DIVSUFSORT ICU::uc)
