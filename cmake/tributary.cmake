# trib_add_library(<name> DEPS <targets...>)
# One folder is one library: every .cc directly in the calling folder is a source of
# target tributary_<name>. Headers are included as "tributary/<layer>/<file>.h".
function(trib_add_library name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*.cc")
  if(NOT sources)
    # Headers only (so far): an interface target carries the include path and deps.
    add_library(tributary_${name} INTERFACE)
    target_include_directories(tributary_${name} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(tributary_${name} INTERFACE ${ARG_DEPS})
    return()
  endif()
  add_library(tributary_${name} STATIC ${sources})
  target_include_directories(tributary_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(tributary_${name} PUBLIC ${ARG_DEPS})
endfunction()

# trib_add_tests(<name> [FLAT] DEPS <targets...>)
# Every *_test.cc under the calling folder (only directly in it with FLAT, for a layer
# whose subfolders have test binaries of their own) becomes part of the test binary
# tributary_<name>_tests, registered with ctest per test case.
function(trib_add_tests name)
  cmake_parse_arguments(ARG "FLAT" "" "DEPS" ${ARGN})
  if(ARG_FLAT)
    file(GLOB sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*_test.cc")
  else()
    file(GLOB_RECURSE sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*_test.cc")
  endif()
  if(NOT sources)
    return()
  endif()
  add_executable(tributary_${name}_tests ${sources})
  target_include_directories(tributary_${name}_tests PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(tributary_${name}_tests PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  target_compile_definitions(tributary_${name}_tests PRIVATE
    TRIBUTARY_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  include(GoogleTest)
  gtest_discover_tests(tributary_${name}_tests DISCOVERY_TIMEOUT 60)
endfunction()
