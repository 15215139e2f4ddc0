# Refuses a doctest TEST_CASE name that holds ';'. doctest_discover_tests hands each name to
# ctest as one list element, and CMake splits a list at ';': such a test became two names that
# match no TEST_CASE, and ctest silently ran nothing for it (three times before this check).
#
# Run as a script — cmake -DGOCUA_TEST_DIR=<tests/> [-DGOCUA_STAMP=<file>] -P test_names.cmake
# — by the build before it links a test binary (tests/CMakeLists.txt), so that a bad name
# fails the build with its file and line. Scans every *.cpp and *.h under GOCUA_TEST_DIR,
# names on the TEST_CASE's line or on the line after it.
cmake_minimum_required(VERSION 3.22)
file(GLOB_RECURSE sources ${GOCUA_TEST_DIR}/*.cpp ${GOCUA_TEST_DIR}/*.h)
set(bad "")
foreach(source IN LISTS sources)
  file(READ ${source} text)
  if(NOT text MATCHES "TEST_CASE")
    continue()
  endif()
  # One list element per line: first hide what CMake's list splitting would act on.
  string(REPLACE "\\" "@BS@" text "${text}")
  string(REPLACE "[" "@LB@" text "${text}")
  string(REPLACE "]" "@RB@" text "${text}")
  string(REPLACE ";" "@SEMICOLON@" text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  set(number 0)
  set(open 0)  # the previous line ends in "TEST_CASE(": the name is on this one
  foreach(line IN LISTS lines)
    math(EXPR number "${number} + 1")
    set(name "")
    if(line MATCHES "TEST_CASE[A-Z_]*\\([ \t]*(\"[^\"]*\")")
      set(name "${CMAKE_MATCH_1}")
      set(at ${number})
    elseif(open AND line MATCHES "^[ \t]*(\"[^\"]*\")")
      set(name "${CMAKE_MATCH_1}")
      set(at ${open})
    endif()
    set(open 0)
    if(line MATCHES "TEST_CASE[A-Z_]*\\([ \t\r]*$")
      set(open ${number})
    endif()
    if(name MATCHES "@SEMICOLON@")
      string(REPLACE "@SEMICOLON@" ";" name "${name}")
      string(REPLACE "@LB@" "[" name "${name}")
      string(REPLACE "@RB@" "]" name "${name}")
      string(REPLACE "@BS@" "\\" name "${name}")
      file(RELATIVE_PATH shown ${GOCUA_TEST_DIR}/.. ${source})
      string(APPEND bad "  ${shown}:${at}: TEST_CASE(${name})\n")
    endif()
  endforeach()
endforeach()
if(NOT bad STREQUAL "")
  message(FATAL_ERROR "A doctest TEST_CASE name holds ';': ctest splits the name there and "
    "runs nothing for that test. Rename it (a comma or a colon reads the same):\n${bad}")
endif()
if(GOCUA_STAMP)
  file(TOUCH ${GOCUA_STAMP})
endif()
