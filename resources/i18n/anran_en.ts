<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US">
<context>
    <name>CurvesPanel</name>
    <message>
        <location filename="../../widgets/curves.py" line="42" />
        <source>压力</source>
        <extracomment>Colour ramp used for pressure (low → high) and for leak probability (cold → hot).</extracomment>
        <translation>Pressure</translation>
    </message>
    <message>
        <location filename="../../widgets/curves.py" line="44" />
        <source>流量</source>
        <translation>Flow</translation>
    </message>
    <message>
        <location filename="../../widgets/curves.py" line="47" />
        <source>模型残差</source>
        <translation>Model residual</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="77" />
        <source>安燃云 AnRan — 燃气管网监测与应急调度</source>
        <translation>AnRan — gas network monitoring and dispatch</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="100" />
        <source>按管径</source>
        <translation>Diameter</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="101" />
        <source>按压力着色</source>
        <translation>Pressure</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="102" />
        <source>按泄漏疑似度着色</source>
        <translation>Leak suspicion</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="105" />
        <source> 着色：</source>
        <translation> Colour by: </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="107" />
        <source>适应窗口</source>
        <translation>Fit</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="111" />
        <source>放大</source>
        <translation>Zoom in</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="114" />
        <source>缩小</source>
        <translation>Zoom out</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="136" />
        <source>压力/流量曲线</source>
        <translation>Pressure / flow curves</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="137" />
        <source>工单中心</source>
        <translation>Tickets</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="153" />
        <source>点击管网中的管段、阀门或测点查看详情</source>
        <translation>Click a pipe, valve or point on the map for details</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="162" />
        <source>&lt;b&gt;告警与事件&lt;/b&gt;</source>
        <translation>&lt;b&gt;Alarms and events&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="164" />
        <source>&lt;b&gt;测点&lt;/b&gt;（可多选，曲线共用时间轴）</source>
        <translation>&lt;b&gt;Points&lt;/b&gt; (multi-select; curves share the time axis)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="166" />
        <source>&lt;b&gt;详情&lt;/b&gt;</source>
        <translation>&lt;b&gt;Details&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="168" />
        <source>事件 · 测点 · 详情</source>
        <translation>Events · points · details</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="180" />
        <source>数据库：</source>
        <translation>Database: </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="181" />
        <source>同步：未配置</source>
        <extracomment>Pipes are grouped per colour × width class and per spatial tile, so a zoomed-in view only paints the</extracomment>
        <translation>Sync: not configured</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="189" />
        <source>文件(&amp;F)</source>
        <extracomment>tiles it shows; each group is cached as a device-coordinate pixmap, so panning is a blit.</extracomment>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="190" />
        <source>导入管网 GeoJSON…</source>
        <translation>Import network GeoJSON…</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="192" />
        <source>导入读数 CSV…</source>
        <translation>Import readings CSV…</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="195" />
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="198" />
        <source>视图(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="200" />
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="201" />
        <location filename="../../anran_desktop/ui/main_window.py" line="203" />
        <source>关于安燃云</source>
        <translation>About AnRan</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="204" />
        <source>安燃云 AnRan — 城/园区燃气漏损监测与应急处置
更快发现、更准定位、更规范闭环</source>
        <translation>AnRan — leak monitoring and emergency response for city and campus gas networks
Find leaks faster, locate them more precisely, close every emergency as a traceable loop</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="211" />
        <source>同步：</source>
        <translation>Sync: </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="229" />
        <source>数据源：</source>
        <translation>Source: </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="230" />
        <source>已接收 </source>
        <translation>received </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="232" />
        <source>数据源：无</source>
        <translation>Source: none</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="270" />
        <source>管网模型求解失败：</source>
        <translation>Network model failed: </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="283" />
        <source>线宽表示管径；◆ 阀门（黑=关）；● 绿=压力测点；● 紫=摄像头；■ 调压站</source>
        <translation>Line width = diameter; ◆ valve (black = closed); ● green = pressure point; ● purple = camera; ■ regulator station</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="290" />
        <source>压力</source>
        <translation>Pressure</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="291" />
        <source>疑似概率</source>
        <translation>Leak probability</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="341" />
        <source>无法移动工单</source>
        <translation>Cannot move the ticket</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="385" />
        <source>导入管网</source>
        <translation>Import network</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="395" />
        <location filename="../../anran_desktop/ui/main_window.py" line="414" />
        <source>导入失败</source>
        <translation>Import failed</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="403" />
        <source>导入读数</source>
        <translation>Import readings</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="417" />
        <source>已导入读数：</source>
        <translation>Readings imported: </translation>
    </message>
<message><source>最新值</source><translation>Latest</translation></message></context>
<context>
    <name>TicketDetailPanel</name>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="16" />
        <location filename="../../widgets/ticket_detail.py" line="44" />
        <source>选择一张工单查看详情</source>
        <translation>Select a ticket to see its details</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="20" />
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="20" />
        <source>操作人</source>
        <translation>By</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="20" />
        <source>动作</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="20" />
        <source>说明</source>
        <translation>Note</translation>
    </message>
<message><source>指派</source><translation>Assigned to</translation></message><message><source>疑似区间</source><translation>Suspected interval</translation></message><message><source>置信度</source><translation>confidence</translation></message></context>
<context><name>TicketBoard</name><message><source>待派</source><translation>To dispatch</translation></message><message><source>在途</source><translation>In progress</translation></message><message><source>已结</source><translation>Closed</translation></message></context></TS>