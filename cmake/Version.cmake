# The version and git commit compiled into the library, for --version and provenance.
execute_process(COMMAND git rev-parse --short=12 HEAD
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
  OUTPUT_VARIABLE SYNTHSCALE_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET RESULT_VARIABLE _git_result)
if(NOT _git_result EQUAL 0 OR SYNTHSCALE_GIT_COMMIT STREQUAL "")
  set(SYNTHSCALE_GIT_COMMIT "unknown")
endif()
