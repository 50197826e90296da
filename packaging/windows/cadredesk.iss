; Inno Setup script: the Windows setup program (cadredesk-<version>-setup.exe) for the
; PyInstaller one-folder build dist\cadredesk\ (packaging\cadredesk.spec). Build it on Windows,
; from the repository root, after PyInstaller (see packaging\README.md):
;
;     iscc /DAppVersion=0.1.0 packaging\windows\cadredesk.iss
;
; Chinese setup wizard (ChineseSimplified.isl), installs into {autopf}\CadreDesk (Program Files
; for an administrator, the user's own programs folder otherwise), a Start menu folder with the
; program, the demo and the uninstaller, and an optional desktop shortcut. The user's data
; (databases, settings, logs, backups in %APPDATA%\CadreDesk) is not touched by uninstalling.
; Saved as UTF-8 with a BOM, which every Inno Setup 6 reads as UTF-8 (6.3+ needs no BOM).
; Not built or tested on the Linux CI machine.

#define AppName "干部教育培训与考核管理系统"
#define AppExe "cadredesk.exe"
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define DistDir AddBackslash(SourcePath) + "..\..\dist\cadredesk"

; ChineseSimplified.isl ships with recent Inno Setup releases (Languages\); older ones keep it
; among the unofficial translations: then put a copy beside this script.
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
  #define ChineseIsl "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define ChineseIsl AddBackslash(SourcePath) + "ChineseSimplified.isl"
#else
  #error ChineseSimplified.isl not found: copy it from the Inno Setup translations (Languages\Unofficial) into packaging\windows\
#endif

#if !FileExists(DistDir + "\" + AppExe)
  #error dist\cadredesk\cadredesk.exe not found: run pyinstaller packaging\cadredesk.spec first
#endif

[Setup]
AppId={{6F0D3C52-8B1E-4C7A-9D3F-2A5E7C1B4D60}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=CadreDesk
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\CadreDesk
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir={#AddBackslash(SourcePath)}..\..\dist
OutputBaseFilename=cadredesk-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
CloseApplications=yes

[Languages]
Name: "chs"; MessagesFile: "{#ChineseIsl}"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; an update replaces the whole program folder: no module of an older version is left behind
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"
Name: "{group}\{#AppName}（演示数据）"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"; WorkingDir: "{userdocs}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
