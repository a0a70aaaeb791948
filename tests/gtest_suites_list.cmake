# Run by ctest when it starts (tests/gtest_suites.cmake): lists the suites of gan_binary that
# gan_filter selects and writes a test per suite into gan_list_file, which ctest then reads.
if(gan_filter STREQUAL "")
  set(gan_filter "*")
endif()
execute_process(COMMAND "${gan_binary}" --gtest_list_tests "--gtest_filter=${gan_filter}"
                WORKING_DIRECTORY "${gan_working_directory}" TIMEOUT 120
                OUTPUT_VARIABLE gan_listing ERROR_VARIABLE gan_errors RESULT_VARIABLE gan_result)
if(NOT gan_result EQUAL 0)
  message(FATAL_ERROR "${gan_binary} --gtest_list_tests --gtest_filter=${gan_filter} failed (${gan_result}):\n"
                      "${gan_listing}${gan_errors}")
endif()
# The filter's negative part goes with every suite (the positive part chose the suites).
set(gan_negative "")
string(FIND "${gan_filter}" "-" gan_dash)
if(gan_dash GREATER_EQUAL 0)
  string(SUBSTRING "${gan_filter}" ${gan_dash} -1 gan_negative)
endif()
set(gan_script "")
string(REPLACE "\n" ";" gan_lines "${gan_listing}")
foreach(gan_line IN LISTS gan_lines)
  # A suite's line: its name and a dot at the start ("Families/EveryVariant.  # GetParam() = ..."
  # for a parameterised one); its tests' lines are indented.
  if(gan_line MATCHES "^([^ #][^ ]*)\\.( .*)?$")
    set(gan_suite "${CMAKE_MATCH_1}")
    string(APPEND gan_script
      "add_test([==[${gan_suite}]==] [==[${gan_binary}]==] [==[--gtest_filter=${gan_suite}.*${gan_negative}]==])\n"
      "set_tests_properties([==[${gan_suite}]==] PROPERTIES WORKING_DIRECTORY [==[${gan_working_directory}]==]\n"
      "  SKIP_REGULAR_EXPRESSION [==[gan-test: every test skipped]==] ${gan_properties})\n")
  endif()
endforeach()
if(gan_script STREQUAL "")
  message(FATAL_ERROR "${gan_binary} lists no suite for --gtest_filter=${gan_filter}")
endif()
file(WRITE "${gan_list_file}.new" "${gan_script}")
file(RENAME "${gan_list_file}.new" "${gan_list_file}")
