# Windows resources (included by platform/CMakeLists.txt when WIN32).
#   gocua_win_manifest        INTERFACE sources: the manifest (every executable linking
#                             gocua_platform gets it).
#   gocua_app_win_resources   INTERFACE sources: gocua.exe's icon and VERSIONINFO (the app links it).
# app.rc is UTF-8 (#pragma code_page(65001): target compile options do not reach windres).
# The icon is drawn at configure time into the build
# folder by make_icon.sh (ImageMagick from Debian); nothing generated is committed.
set(GOCUA_WIN_RES_DIR ${CMAKE_CURRENT_BINARY_DIR}/windows)
file(MAKE_DIRECTORY ${GOCUA_WIN_RES_DIR})

set(GOCUA_MANIFEST_FILE ${CMAKE_CURRENT_SOURCE_DIR}/windows/gocua.manifest)
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/windows/manifest.rc.in ${GOCUA_WIN_RES_DIR}/manifest.rc @ONLY)
set_source_files_properties(${GOCUA_WIN_RES_DIR}/manifest.rc PROPERTIES
  OBJECT_DEPENDS ${GOCUA_MANIFEST_FILE})
add_library(gocua_win_manifest INTERFACE)
target_sources(gocua_win_manifest INTERFACE ${GOCUA_WIN_RES_DIR}/manifest.rc)
target_link_libraries(gocua_platform PUBLIC gocua_win_manifest)

set(GOCUA_ICON_FILE ${GOCUA_WIN_RES_DIR}/gocua.ico)
if(NOT EXISTS ${GOCUA_ICON_FILE} OR ${CMAKE_CURRENT_SOURCE_DIR}/windows/make_icon.sh IS_NEWER_THAN ${GOCUA_ICON_FILE})
  execute_process(COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/windows/make_icon.sh ${GOCUA_ICON_FILE}
    RESULT_VARIABLE icon_rc)
  if(NOT icon_rc EQUAL 0)
    message(FATAL_ERROR "platform/windows/make_icon.sh failed (ImageMagick: apt-get install imagemagick)")
  endif()
endif()
set(GOCUA_RC_NAME gocua)
set(GOCUA_RC_DESCRIPTION "ứng dụng cho tổ công nghệ số cộng đồng")
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/windows/app.rc.in ${GOCUA_WIN_RES_DIR}/app.rc @ONLY)
set_source_files_properties(${GOCUA_WIN_RES_DIR}/app.rc PROPERTIES OBJECT_DEPENDS ${GOCUA_ICON_FILE})
add_library(gocua_app_win_resources INTERFACE)
target_sources(gocua_app_win_resources INTERFACE ${GOCUA_WIN_RES_DIR}/app.rc)
