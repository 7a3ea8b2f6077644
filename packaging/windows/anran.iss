; Inno Setup 6 script: per-machine installer of the AnRan one-folder bundle (dist\anran).
;
; Build (from the repository root, after `python packaging\build.py`):
;   iscc /DAppVersion=0.1.0 packaging\windows\anran.iss        -> dist\installer\AnRan-Setup-0.1.0.exe
; vc_redist.x64.exe must be in packaging\windows\ (the CI workflow downloads it from Microsoft).
;
; Campus roll-out (silent, no questions, relay configured):
;   AnRan-Setup-0.1.0.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /RELAYURL=https://relay.example.cn /SITETOKEN=xxxx
; The relay URL and token go to {commonappdata}\AnRan\site.ini (C:\ProgramData\AnRan\site.ini),
; section [relay], keys url and site_token, read by anran_desktop/install_config.py.
;
; Uninstall keeps user data (%LOCALAPPDATA%\AnRan) unless the operator ticks "also delete data"
; in the question at the end, or a silent uninstall is given /PURGEDATA.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "AnRan 安燃云"
#define DistDir "..\..\dist\anran"

[Setup]
AppId={{6F1B6C2E-3D0A-4F7E-9A51-2B8E0C4D7A13}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=AnRan
DefaultDirName={autopf}\AnRan
DefaultGroupName=安燃云 AnRan
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist\installer
OutputBaseFilename=AnRan-Setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\anran-desktop.exe
UninstallDisplayName={#AppName}
CloseApplications=yes
SetupLogging=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "vc_redist.x64.exe"; DestDir: "{tmp}"; Flags: deleteafterinstall

[Dirs]
Name: "{commonappdata}\AnRan"

[Icons]
Name: "{group}\安燃云 AnRan"; Filename: "{app}\anran-desktop.exe"; WorkingDir: "{userdocs}"
Name: "{group}\安燃云 English"; Filename: "{app}\anran-desktop.exe"; Parameters: "--lang en"; WorkingDir: "{userdocs}"
Name: "{group}\安燃云 自检 Self-test"; Filename: "{cmd}"; Parameters: "/k ""{app}\anran.exe"" --self-test"; WorkingDir: "{userdocs}"
Name: "{group}\卸载 Uninstall AnRan"; Filename: "{uninstallexe}"
Name: "{autodesktop}\安燃云 AnRan"; Filename: "{app}\anran-desktop.exe"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Desktop shortcut 桌面快捷方式"; Flags: unchecked

[Run]
; The Microsoft Visual C++ runtime onnxruntime needs (onnxruntime >= 1.21 wants a recent one).
Filename: "{tmp}\vc_redist.x64.exe"; Parameters: "/install /quiet /norestart"; StatusMsg: "Installing the Microsoft Visual C++ runtime..."; Check: VCRedistNeeded; Flags: waituntilterminated
Filename: "{app}\anran-desktop.exe"; Description: "Start AnRan 启动安燃云"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Files the app may create inside its own folder (it should not; logs and data live in the user folders).
Type: filesandordirs; Name: "{app}\__pycache__"

[Code]
var
  RelayPage: TInputQueryWizardPage;

function VCRedistNeeded(): Boolean;
var
  Installed, Major, Minor: Cardinal;
begin
  { VS 2015-2022 runtime registration; 14.40+ is what current onnxruntime builds expect. }
  Result := True;
  if RegQueryDWordValue(HKLM64, 'SOFTWARE\Microsoft\VisualStudio\14.0\VC\Runtimes\x64', 'Installed', Installed) and
     RegQueryDWordValue(HKLM64, 'SOFTWARE\Microsoft\VisualStudio\14.0\VC\Runtimes\x64', 'Major', Major) and
     RegQueryDWordValue(HKLM64, 'SOFTWARE\Microsoft\VisualStudio\14.0\VC\Runtimes\x64', 'Minor', Minor) then
    Result := not ((Installed = 1) and (Major >= 14) and (Minor >= 40));
end;

procedure InitializeWizard();
begin
  RelayPage := CreateInputQueryPage(wpSelectDir,
    'Relay 中继服务', 'Relay URL and site token (may be left empty and set in the app later)',
    'Enter the relay address and this site''s token, as given by your AnRan administrator.');
  RelayPage.Add('Relay URL 中继地址 (https://...):', False);
  RelayPage.Add('Site token 站点令牌:', True);
  RelayPage.Values[0] := ExpandConstant('{param:RELAYURL|}');
  RelayPage.Values[1] := ExpandConstant('{param:SITETOKEN|}');
  if RelayPage.Values[0] = '' then
    RelayPage.Values[0] := GetIniString('relay', 'url', '', ExpandConstant('{commonappdata}\AnRan\site.ini'));
end;

function NextButtonClick(CurPageID: Integer): Boolean;
var
  Url: String;
begin
  Result := True;
  if CurPageID = RelayPage.ID then
  begin
    Url := Trim(RelayPage.Values[0]);
    if (Url <> '') and (Pos('https://', Lowercase(Url)) <> 1) and (Pos('http://', Lowercase(Url)) <> 1) then
    begin
      MsgBox('The relay URL must start with https:// (or http:// on a test network).', mbError, MB_OK);
      Result := False;
    end
    else if (Url <> '') <> (Trim(RelayPage.Values[1]) <> '') then
    begin
      MsgBox('Give both the relay URL and the site token, or leave both empty.', mbError, MB_OK);
      Result := False;
    end;
  end;
end;

procedure CurStepChanged(CurStep: TSetupStep);
var
  IniFile, Url, Token: String;
begin
  if CurStep = ssPostInstall then
  begin
    IniFile := ExpandConstant('{commonappdata}\AnRan\site.ini');
    Url := Trim(RelayPage.Values[0]);
    Token := Trim(RelayPage.Values[1]);
    { Silent installs skip the page: the values come from /RELAYURL= and /SITETOKEN= through InitializeWizard. }
    if Url <> '' then
    begin
      SetIniString('relay', 'url', Url, IniFile);
      SetIniString('relay', 'site_token', Token, IniFile);
      Log('Relay configured in ' + IniFile);
    end;
  end;
end;

function InitializeUninstall(): Boolean;
begin
  Result := True;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Purge: Boolean;
  I: Integer;
begin
  if CurUninstallStep = usPostUninstall then
  begin
    Purge := False;
    for I := 1 to ParamCount do
      if CompareText(ParamStr(I), '/PURGEDATA') = 0 then
        Purge := True;
    if not Purge and not UninstallSilent() then
      Purge := MsgBox('Also delete AnRan''s data (database, logs, site configuration)?' #13#10 +
                      '同时删除安燃云的数据（数据库、日志、站点配置）？' #13#10#13#10 +
                      'Choose No to keep it for a later reinstall. 选“否”保留数据。',
                      mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
    if Purge then
    begin
      DelTree(ExpandConstant('{localappdata}\AnRan'), True, True, True);
      DelTree(ExpandConstant('{commonappdata}\AnRan'), True, True, True);
      Log('User data deleted on request');
    end
    else
      Log('User data kept');
  end;
end;
