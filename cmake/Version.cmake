# The version and git commit compiled into the library, for --version and provenance.
execute_process(COMMAND git rev-parse --short=12 HEAD
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
  OUTPUT_VARIABLE SYNTHSCALE_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET RESULT_VARIABLE _git_result)
if(NOT _git_result EQUAL 0 OR SYNTHSCALE_GIT_COMMIT STREQUAL "")
  set(SYNTHSCALE_GIT_COMMIT "unknown")
endif()
# Re-configure when HEAD moves (a commit, checkout or merge appends to logs/HEAD), so an
# incremental build never records a stale commit in its manifests.
execute_process(COMMAND git rev-parse --absolute-git-dir
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
  OUTPUT_VARIABLE _git_dir OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET RESULT_VARIABLE _git_dir_result)
if(_git_dir_result EQUAL 0)
  foreach(_head_file HEAD logs/HEAD)
    if(EXISTS "${_git_dir}/${_head_file}")
      set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_git_dir}/${_head_file}")
    endif()
  endforeach()
endif()
