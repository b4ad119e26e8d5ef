# Warnings on for every target of ours; -Werror when SYNTHSCALE_WERROR is set (CI).
function(synthscale_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
    -Wconversion -Wsign-conversion -Wdouble-promotion -Wformat=2
    -Wimplicit-fallthrough
    # GCC 12 reports false -Wrestrict positives inside std::string (GCC bug 105329).
    $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)
  if(SYNTHSCALE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
