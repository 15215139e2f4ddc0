# The smoke test of the real gocua.exe under Wine + Xvfb (tests/app/smoke_win_test.sh); included
# from tests/app/CMakeLists.txt in the Windows build. Skipped (exit 77) where xvfb-run or
# ImageMagick is missing.
if(TARGET gocua AND TARGET gocua-cli)
  add_test(NAME "Windows smoke: gocua.exe under Wine and Xvfb draws Vietnamese text and closes cleanly"
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/smoke_win_test.sh $<TARGET_FILE:gocua> $<TARGET_FILE:gocua-cli>
      ${CMAKE_BINARY_DIR}/wineprefix ${GOCUA_LINUX_BUILD})
  set_tests_properties("Windows smoke: gocua.exe under Wine and Xvfb draws Vietnamese text and closes cleanly"
    PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()
