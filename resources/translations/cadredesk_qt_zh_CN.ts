<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- What Qt 6's widgets ask for that its shipped Chinese catalogue (qtbase_zh_CN) lacks:
     the file dialog's labels gained accelerators ("&Look in:", "Files of &type:") that the
     catalogue only has in their old forms. Compiled with
     .venv/bin/pyside6-lrelease resources/translations/cadredesk_qt_zh_CN.ts
     (tests/ui/test_file_dialogs.py checks the .qm is up to date); loaded by ui.app. -->
<TS version="2.1" language="zh_CN">
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
    <message>
        <source>File &amp;name:</source>
        <translation>文件名(&amp;N)：</translation>
    </message>
    <message>
        <source>Directory:</source>
        <translation>文件夹：</translation>
    </message>
</context>
</TS>
