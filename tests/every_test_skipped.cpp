// Says when every test a GoogleTest program ran was skipped (a GPU's tests on a CPU): ctest runs a
// whole suite as one test (gtest_suites.cmake, which adds this file to each program it lists) and
// reports it skipped on this line alone, which a suite with a failure or a pass never prints.
#include <gtest/gtest.h>

#include <cstdio>

namespace {

class EveryTestSkipped : public ::testing::EmptyTestEventListener {
  void OnTestProgramEnd(const ::testing::UnitTest& unit) override {
    if (unit.skipped_test_count() > 0 && unit.successful_test_count() == 0 && unit.failed_test_count() == 0) {
      std::printf("gan-test: every test skipped\n");
    }
  }
};

const bool kSaysWhenEveryTestSkipped = [] {
  ::testing::UnitTest::GetInstance()->listeners().Append(new EveryTestSkipped);  // gtest owns it
  return true;
}();

}  // namespace
