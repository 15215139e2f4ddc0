; Gõ Cửa's Windows installer (NSIS 3 from Debian), made by tools/windows/package.sh:
;   makensis -DVERSION=0.1.0 -DSTAGE=<folder with gocua.exe ...> -DOUTFILE=<setup.exe> installer.nsi
; Per user, no admin rights: installs to %LOCALAPPDATA%\Programs\GoCua, a Start Menu shortcut for
; this user, an "Apps & features" entry under HKCU, and an uninstaller. The uninstaller removes
; exactly what was installed; the user's data in %APPDATA%\GoCua (database, backups, reports)
; is kept, so reinstalling or upgrading loses nothing.
; 64-bit stub (amd64-unicode): the default 32-bit stub does not run on a 64-bit-only Wine.
Unicode true
Target amd64-unicode
ManifestSupportedOS all
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!ifndef VERSION | STAGE | OUTFILE
  !error "define VERSION, STAGE and OUTFILE (tools/windows/package.sh does)"
!endif

!define APPNAME "Gõ Cửa"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\GoCua"

Name "${APPNAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\GoCua"
BrandingText "${APPNAME} ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=0 "FileDescription" "${APPNAME} — trình cài đặt (installer)"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "${APPNAME} contributors"

!include "MUI2.nsh"
!define MUI_ICON "${STAGE}\gocua.ico"
!define MUI_UNICON "${STAGE}\gocua.ico"
!define MUI_FINISHPAGE_RUN "$INSTDIR\gocua.exe"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Vietnamese"
!insertmacro MUI_LANGUAGE "English"

Section "Install"
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  File "${STAGE}\gocua.exe"
  File "${STAGE}\gocua-cli.exe"
  File "${STAGE}\gocua.ico"
  File "${STAGE}\README.txt"
  File /r "${STAGE}\assets"
  File /r "${STAGE}\fonts"
  File /r "${STAGE}\certs"
  File /r "${STAGE}\licenses"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\gocua.exe" "" "$INSTDIR\gocua.ico"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${APPNAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\gocua.ico"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
SectionEnd

; Only what the installer wrote: never RMDir /r on $INSTDIR itself (it may be a folder the user
; chose that holds other files), never the data folder.
Section "Uninstall"
  SetShellVarContext current
  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  Delete "$INSTDIR\gocua.exe"
  Delete "$INSTDIR\gocua-cli.exe"
  Delete "$INSTDIR\gocua.ico"
  Delete "$INSTDIR\README.txt"
  RMDir /r "$INSTDIR\assets"
  RMDir /r "$INSTDIR\fonts"
  RMDir /r "$INSTDIR\certs"
  RMDir /r "$INSTDIR\licenses"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINST_KEY}"
SectionEnd
