# One ctest test per GoogleTest *suite*, not per test.
#
# gtest_discover_tests starts the program once per test. Each of our programs that links LibTorch
# spends about 0.9 s of CPU starting (LibTorch registering its operators), more than most of our
# tests take: 227 quick core tests ran in 9 s of CPU in one process against about 200 s as 227
# processes (2-vCPU machine, December 2026), and three of CI's suites run them (Debian 12, Debian 13,
# the sanitizers). A suite is a group of tests of one behaviour (CudaGraphStep, Families/EveryVariant),
# so a failure still points at it, and its output names each test that failed.
#
#   gan_add_gtest_suites(TARGET [FILTER <filter>] LABELS <label>... TIMEOUT <seconds>
#                        [FIXTURES_REQUIRED <fixture>...])
#
# FILTER is a GoogleTest filter made of whole suites ("-A.*:B.*" or "A.*"), so that the suites its
# listing yields are exactly what it selects. Each suite runs as `TARGET --gtest_filter=Suite.*`
# minus the filter's negative part, with the labels, timeout and fixtures given. A suite whose tests all skip (a GPU's, on a CPU) is reported skipped: the
# program says so (every_test_skipped.cpp, which this adds to it), and a failure never says it.
#
# The listing runs when ctest starts, once per build of the program (as gtest_discover_tests'
# PRE_TEST mode), so a new test needs no new configure.

set(GAN_GTEST_SUITES_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/gtest_suites_list.cmake)

function(gan_add_gtest_suites target)
  cmake_parse_arguments(ARG "" "FILTER;TIMEOUT" "LABELS;FIXTURES_REQUIRED" ${ARGN})
  if(NOT ARG_LABELS OR NOT ARG_TIMEOUT)
    message(FATAL_ERROR "gan_add_gtest_suites(${target}): every suite needs LABELS and a TIMEOUT")
  endif()
  target_sources(${target} PRIVATE ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/every_test_skipped.cpp)
  string(MAKE_C_IDENTIFIER "${target}${ARG_FILTER}" key)
  set(list_file "${CMAKE_CURRENT_BINARY_DIR}/${key}_suites.cmake")
  set(include_file "${CMAKE_CURRENT_BINARY_DIR}/${key}_include.cmake")
  # Bracket arguments: a list (two labels, two fixtures) stays one property value.
  set(properties "LABELS [==[${ARG_LABELS}]==] TIMEOUT ${ARG_TIMEOUT}")
  if(ARG_FIXTURES_REQUIRED)
    string(APPEND properties " FIXTURES_REQUIRED [==[${ARG_FIXTURES_REQUIRED}]==]")
  endif()
  file(GENERATE OUTPUT "${include_file}" CONTENT
"set(gan_binary [==[$<TARGET_FILE:${target}>]==])
set(gan_list_file [==[${list_file}]==])
if(NOT EXISTS \"\${gan_binary}\")
  add_test([==[${target}_NOT_BUILT]==] [==[${target}_NOT_BUILT]==])
else()
  if(NOT EXISTS \"\${gan_list_file}\" OR \"\${gan_binary}\" IS_NEWER_THAN \"\${gan_list_file}\")
    set(gan_filter [==[${ARG_FILTER}]==])
    set(gan_properties [===[${properties}]===])
    set(gan_working_directory [==[${CMAKE_CURRENT_BINARY_DIR}]==])
    include([==[${GAN_GTEST_SUITES_SCRIPT}]==])
  endif()
  include(\"\${gan_list_file}\")
endif()
")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${include_file}")
endfunction()
