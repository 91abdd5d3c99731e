# Run by ctest, not by cmake: included through the TEST_INCLUDE_FILES the
# function telemed_discover_groups (tests/CMakeLists.txt) writes for each test
# binary. It asks the built binary for its CppUTest groups (`-lg`) and adds
# one test per group, so a new TEST_GROUP is picked up without re-running the
# configure step, the way CMake's gtest_discover_tests works.
#
# Inputs, set by the generated include file:
#   TELEMED_TEST_BINARY   the test binary
#   TELEMED_TEST_PREFIX   test name prefix (unit, system)
#   TELEMED_TEST_TIMEOUT  seconds per group
#   TELEMED_TEST_WORKDIR  working directory of the tests
#   TELEMED_CMAKE_COMMAND cmake, for the test that reports a failed discovery
#   TELEMED_TEST_EMULATOR the command that runs the target's binaries in a
#                         cross build (qemu-user, set by toolchains/); empty
#                         in a native build

# A discovery that fails must fail the run, not drop the binary's tests.
function(telemed_discovery_failed reason)
  message(WARNING "${TELEMED_TEST_PREFIX}: ${reason}")
  add_test(${TELEMED_TEST_PREFIX}.discover_groups "${TELEMED_CMAKE_COMMAND}" -E false)
endfunction()

if(NOT EXISTS "${TELEMED_TEST_BINARY}")
  telemed_discovery_failed("${TELEMED_TEST_BINARY} is not built; build it before running ctest")
  return()
endif()

execute_process(COMMAND ${TELEMED_TEST_EMULATOR} "${TELEMED_TEST_BINARY}" -lg
  OUTPUT_VARIABLE groups ERROR_VARIABLE errors RESULT_VARIABLE result TIMEOUT 120)
string(STRIP "${groups}" groups)
if(NOT result EQUAL 0 OR groups STREQUAL "")
  telemed_discovery_failed("`${TELEMED_TEST_BINARY} -lg` failed (${result}): ${errors}")
  return()
endif()

# -lg prints the names separated by spaces, newest registration first.
string(REPLACE " " ";" groups "${groups}")
list(REMOVE_DUPLICATES groups)
list(SORT groups)
foreach(group IN LISTS groups)
  set(name ${TELEMED_TEST_PREFIX}.${group})
  add_test(${name} ${TELEMED_TEST_EMULATOR} "${TELEMED_TEST_BINARY}" -sg ${group})
  set_tests_properties(${name} PROPERTIES
    TIMEOUT ${TELEMED_TEST_TIMEOUT} WORKING_DIRECTORY "${TELEMED_TEST_WORKDIR}")
endforeach()
