# The Xvfb smoke test of the real gocua binary (tests/app/smoke_test.sh); included from
# tests/app/CMakeLists.txt. Skipped (exit 77) where xvfb-run or ImageMagick is missing.
# The script turns LeakSanitizer off for gocua (Mesa's leaks at exit; see the script).
if(TARGET gocua AND TARGET gocua-cli)
  add_test(NAME "App smoke: gocua under Xvfb draws a screenshot and closes cleanly on SIGTERM"
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/smoke_test.sh $<TARGET_FILE:gocua> $<TARGET_FILE:gocua-cli>)
  set_tests_properties("App smoke: gocua under Xvfb draws a screenshot and closes cleanly on SIGTERM"
    PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120)
endif()
