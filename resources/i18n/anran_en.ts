<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US">
<context>
    <name>Actor</name>
    <message>
        <location filename="../../widgets/evidence_text.py" line="54" />
        <source>系统（泄漏监测）</source>
        <translation>System (leak watch)</translation>
    </message>
</context>
<context>
    <name>AreaNoticePanel</name>
    <message>
        <source>抢修通知</source>
        <translation>Repair under way</translation>
    </message>
    <message>
        <source>临时停气</source>
        <translation>Supply interrupted</translation>
    </message>
    <message>
        <source>恢复供气</source>
        <translation>Supply restored</translation>
    </message>
    <message>
        <source>告警解除</source>
        <translation>All clear</translation>
    </message>
    <message>
        <source>当前角色（{role}）无权发送区域通知</source>
        <translation>Your role ({role}) may not send area notices</translation>
    </message>
    <message>
        <source>未配置中继：通知会被拒绝并记入审计日志</source>
        <translation>No relay configured: a notice will be refused and logged in the audit log</translation>
    </message>
    <message>
        <source>正在发送通知…</source>
        <translation>Sending the notice…</translation>
    </message>
    <message>
        <source>已排入中继发送：{areas}（渠道 {ch}，已记入审计日志）</source>
        <translation>Queued for the relay: {areas} (channel {ch}, in the audit log)</translation>
    </message>
    <message>
        <source>通知未发出：</source>
        <translation>Notice not sent: </translation>
    </message>
    <message>
        <source>撤回通知</source>
        <translation>Withdraw notice</translation>
    </message>
    <message>
        <source>撤回通知{what}？同步后居民将不再看到它；撤回记入审计日志。</source>
        <translation>Withdraw the notice {what}? After the next sync residents no longer see it; the withdrawal is logged.</translation>
    </message>
    <message>
        <source>已撤回通知{what}，将在下次同步时从居民端移除</source>
        <translation>Withdrew the notice {what}; it leaves the residents' side at the next sync</translation>
    </message>
    <message>
        <source>读取通知情况失败：</source>
        <translation>Could not read the notices: </translation>
    </message>
</context>
<context>
    <name>AreaNoticeView</name>
    <message>
        <location filename="../../widgets/area_notice.py" line="58" />
        <source>向所选区域居民发送通知</source>
        <translation>Send a notice to the residents of the chosen areas</translation>
    </message>
    <message>
        <location filename="../../widgets/area_notice.py" line="60" />
        <source>选择区域（可多选）：</source>
        <translation>Areas (choose one or more):</translation>
    </message>
    <message>
        <location filename="../../widgets/area_notice.py" line="65" />
        <source>模板：</source>
        <translation>Template:</translation>
    </message>
    <message>
        <location filename="../../widgets/area_notice.py" line="72" />
        <source>通知标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../widgets/area_notice.py" line="75" />
        <source>通知内容（居民在小程序中看到的文字）</source>
        <translation>Text (what residents read in the mini-program)</translation>
    </message>
    <message>
        <location filename="../../widgets/area_notice.py" line="77" />
        <source>发送给所选区域居民</source>
        <translation>Send to the chosen areas' residents</translation>
    </message>
    <message>
        <location filename="../../widgets/area_notice.py" line="89" />
        <source>区域</source>
        <translation>Area</translation>
    </message>
    <message>
        <location filename="../../widgets/area_notice.py" line="89" />
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../widgets/area_notice.py" line="89" />
        <source>发送时间</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location filename="../../widgets/area_notice.py" line="89" />
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../widgets/area_notice.py" line="90" />
        <source>已注册住户</source>
        <translation>Registered households</translation>
    </message>
    <message>
        <location filename="../../widgets/area_notice.py" line="90" />
        <source>已回执</source>
        <translation>Acknowledged</translation>
    </message>
    <message>
        <location filename="../../widgets/area_notice.py" line="100" />
        <source>撤回所选通知</source>
        <translation>Withdraw the selected notice</translation>
    </message>
    <message>
        <location filename="../../widgets/area_notice.py" line="166" />
        <source>已撤回</source>
        <translation>withdrawn</translation>
    </message>
    <message>
        <location filename="../../widgets/area_notice.py" line="182" />
        <source>合计：通知 {n} 条 · 覆盖 {reach} 户 · 已回执 {acks} 户</source>
        <translation>Total: {n} notices · {reach} households reached · {acks} acknowledged</translation>
    </message>
    <message>
        <location filename="../../widgets/area_notice.py" line="189" />
        <source>请至少选择一个区域</source>
        <translation>Choose at least one area</translation>
    </message>
    <message>
        <location filename="../../widgets/area_notice.py" line="192" />
        <source>请填写通知标题和内容</source>
        <translation>Please write a title and a text</translation>
    </message>
</context>
<context>
    <name>AuditDialog</name>
    <message>
        <location filename="../../anran_desktop/ui/audit_dialog.py" line="28" />
        <source>审计日志</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/audit_dialog.py" line="33" />
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/audit_dialog.py" line="33" />
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/audit_dialog.py" line="33" />
        <source>操作人</source>
        <translation>By</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/audit_dialog.py" line="33" />
        <source>动作</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/audit_dialog.py" line="34" />
        <source>对象</source>
        <translation>Entity</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/audit_dialog.py" line="34" />
        <source>内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/audit_dialog.py" line="41" />
        <source>校验哈希链</source>
        <translation>Verify the hash chain</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/audit_dialog.py" line="44" />
        <source>尚未校验</source>
        <translation>Not verified yet</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/audit_dialog.py" line="61" />
        <source>哈希链完整：共 {n} 条记录，未发现篡改。</source>
        <translation>Hash chain intact: {n} rows, no tampering found.</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/audit_dialog.py" line="65" />
        <source>哈希链断裂：第 {id} 条记录被修改、删除或调换了顺序！</source>
        <translation>Hash chain broken: row {id} was changed, removed or reordered!</translation>
    </message>
</context>
<context>
    <name>AutoBackup</name>
    <message>
        <source>自动备份已保存：{path}</source>
        <translation>Automatic backup saved: {path}</translation>
    </message>
    <message>
        <source>自动备份失败：{reason}（一小时后重试）</source>
        <translation>Automatic backup failed: {reason} (retried in an hour)</translation>
    </message>
    <message>
        <source>自动备份设置</source>
        <translation>Automatic backup</translation>
    </message>
    <message>
        <source>每天自动备份数据库与证据</source>
        <translation>Back up the database and evidence every day</translation>
    </message>
    <message>
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source> 点起</source>
        <translation>:00 onwards</translation>
    </message>
    <message>
        <source>尚无</source>
        <translation>none yet</translation>
    </message>
    <message>
        <source>备份文件夹</source>
        <translation>Backup folder</translation>
    </message>
    <message>
        <source>保留份数</source>
        <translation>Backups kept</translation>
    </message>
    <message>
        <source>备份时间</source>
        <translation>Backup time</translation>
    </message>
    <message>
        <source>上次自动备份</source>
        <translation>Last automatic backup</translation>
    </message>
    <message>
        <source>文件夹不存在：{folder}</source>
        <translation>No such folder: {folder}</translation>
    </message>
    <message>
        <source>正在查看…</source>
        <translation>Looking…</translation>
    </message>
    <message>
        <source>无法读取备份文件夹</source>
        <translation>Cannot read the backup folder</translation>
    </message>
</context>
<context>
    <name>BackupAction</name>
    <message>
        <source>备份数据库与证据…</source>
        <translation>Back up database and evidence…</translation>
    </message>
    <message>
        <source>备份数据库与证据</source>
        <translation>Back up database and evidence</translation>
    </message>
    <message>
        <source>备份 (*.zip)</source>
        <translation>Backup (*.zip)</translation>
    </message>
    <message>
        <source>正在备份数据库与证据…</source>
        <translation>Backing up the database and evidence…</translation>
    </message>
    <message>
        <source>备份已保存：{path}（数据库 {mb:.1f} MB，证据照片 {n} 个）</source>
        <translation>Backup saved: {path} (database {mb:.1f} MB, {n} evidence photos)</translation>
    </message>
    <message>
        <source>备份失败</source>
        <translation>Backup failed</translation>
    </message>
    <message>
        <source>自动备份设置…</source>
        <translation>Automatic backup…</translation>
    </message>
</context>
<context>
    <name>CrewModeWindow</name>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="56" />
        <source>安燃云 · 抢修模式</source>
        <translation>AnRan · crew mode</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="159" />
        <source>已保存在本机；{n} 条待同步（联网后自动上传）</source>
        <translation>Saved on this computer; {n} waiting to sync (uploaded when the network is back)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="161" />
        <source>已保存在本机；无待同步</source>
        <translation>Saved on this computer; nothing waiting to sync</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="176" />
        <source>{t} 更新</source>
        <translation>updated {t}</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="177" />
        <source>（可选）</source>
        <translation> (optional)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="204" />
        <source>无法接单</source>
        <translation>Cannot accept</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="212" />
        <source>工单没有位置信息</source>
        <translation>The ticket has no location</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="222" />
        <source>无法执行此步骤</source>
        <translation>Cannot take this step</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="229" />
        <source>无法修改检查项</source>
        <translation>Cannot change the checklist</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="238" />
        <location filename="../../anran_desktop/ui/crew_mode.py" line="244" />
        <source>关阀试验</source>
        <translation>Valve-closure test</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="238" />
        <source>关闭的阀门（逗号分隔），例如 V-S3S4,V-S4S5</source>
        <translation>Valves closed (comma-separated), e.g. V-S3S4,V-S4S5</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="242" />
        <source>关阀后进站流量是否回落？（请向调度员确认）</source>
        <translation>Did the inlet flow fall back after closing? (ask the dispatcher)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="243" />
        <source>关阀后下游压力是否恢复？</source>
        <translation>Did the downstream pressure come back after closing?</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="259" />
        <source>进站流量回落</source>
        <translation>inlet flow fell back</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="260" />
        <source>进站流量未回落</source>
        <translation>inlet flow did not fall back</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="261" />
        <source>压力恢复</source>
        <translation>pressure restored</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="262" />
        <source>压力未恢复</source>
        <translation>pressure not restored</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="252" />
        <location filename="../../anran_desktop/ui/crew_mode.py" line="267" />
        <source>无法添加证据</source>
        <translation>Cannot attach the evidence</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="273" />
        <source>选择照片</source>
        <translation>Choose a photo</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="273" />
        <source>图像 (*.jpg *.jpeg *.png)</source>
        <translation>Images (*.jpg *.jpeg *.png)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="285" />
        <location filename="../../anran_desktop/ui/crew_mode.py" line="300" />
        <source>无法附照片</source>
        <translation>Cannot attach the photo</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="316" />
        <source>节点 </source>
        <translation>Node </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="317" />
        <source>工单（不指定节点）</source>
        <translation>Ticket (no node)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="329" />
        <location filename="../../anran_desktop/ui/crew_mode.py" line="333" />
        <location filename="../../anran_desktop/ui/crew_mode.py" line="347" />
        <source>无法保存读数</source>
        <translation>Cannot save the reading</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="329" />
        <source>没有读数：请修正后再保存</source>
        <translation>No reading: enter a correction, then save</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="334" />
        <source>这不是压力读数（单位 {unit}）：请拍摄压力表</source>
        <translation>This is not a pressure reading (unit {unit}): photograph a pressure gauge</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_mode.py" line="350" />
        <source>压力表照片读数</source>
        <translation>gauge photo reading</translation>
    </message>
    <message>
        <source>调度员</source>
        <translation>Dispatcher</translation>
    </message>
    <message>
        <source>抢修员</source>
        <translation>Crew</translation>
    </message>
    <message>
        <source>物业经理</source>
        <translation>Property manager</translation>
    </message>
    <message>
        <source>管理员</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>未知用户</source>
        <translation>unknown user</translation>
    </message>
    <message>
        <source>疑似区间</source>
        <translation>Suspected interval</translation>
    </message>
    <message>
        <source>置信度</source>
        <translation>confidence</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>CrewReasons</name>
    <message>
        <source>燃气表读数</source>
        <extracomment>evidence kinds as the workflow rules name them (source strings; translated in context CrewReasons)</extracomment>
        <translation>gas meter reading</translation>
    </message>
    <message>
        <source>压力表读数</source>
        <translation>gauge reading</translation>
    </message>
    <message>
        <source>复测读数</source>
        <translation>retest reading</translation>
    </message>
    <message>
        <source>处置前照片</source>
        <translation>photo before handling</translation>
    </message>
    <message>
        <source>处置后照片</source>
        <translation>photo after handling</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>关阀测试</source>
        <translation>valve-closure test</translation>
    </message>
    <message>
        <source>居民报告</source>
        <translation>resident report</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_reasons.py" line="28" />
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_reasons.py" line="31" />
        <source>工单 {ticket} 已改派给 {assignee}，此记录不再适用</source>
        <translation>Ticket {ticket} was reassigned to {assignee}; this record no longer applies</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_reasons.py" line="32" />
        <source>无人</source>
        <translation>nobody</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_reasons.py" line="34" />
        <source>不能从「{a}」直接到「{b}」（下一步只能是「{c}」）</source>
        <translation>Cannot go from “{a}” straight to “{b}” (the next step is “{c}”)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_reasons.py" line="36" />
        <source>角色 {role} 不能把工单退回「{to}」</source>
        <translation>Role {role} may not move the ticket back to “{to}”</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_reasons.py" line="38" />
        <source>角色 {role} 无权执行 {action}</source>
        <translation>Role {role} may not do {action}</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_reasons.py" line="41" />
        <source>离开「{stage}」前缺少证据：{items}</source>
        <translation>Evidence missing before leaving “{stage}”: {items}</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_reasons.py" line="43" />
        <source>「{stage}」的必做检查项未完成：{items}</source>
        <translation>Required checks of “{stage}” not done: {items}</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_reasons.py" line="47" />
        <source>结案前须附复测读数</source>
        <translation>A retest reading is needed before closing</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_reasons.py" line="49" />
        <source>派单前须指定抢修人员</source>
        <translation>A crew member must be assigned before dispatch</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_reasons.py" line="50" />
        <source>工单 {ticket} 已结案</source>
        <translation>Ticket {ticket} is closed</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_reasons.py" line="52" />
        <source>工单只能退回一步（「{a}」→「{b}」）</source>
        <translation>A ticket can go back one step only (“{a}” → “{b}”)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_reasons.py" line="54" />
        <source>只有「派单」状态的工单可以接单（现在：{status}）</source>
        <translation>Only a dispatched ticket can be accepted (now: {status})</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_reasons.py" line="56" />
        <source>「{item}」不是该工单 SOP 的检查项</source>
        <translation>“{item}” is not a check of this ticket's SOP</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_reasons.py" line="58" />
        <source>调度台没有工单 {ticket}</source>
        <translation>The dispatch room has no ticket {ticket}</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_reasons.py" line="60" />
        <source>照片文件 {path} 不存在</source>
        <translation>Photo file {path} is missing</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_reasons.py" line="62" />
        <source>中继拒收（{status} {code}）：{message}</source>
        <translation>Refused by the relay ({status} {code}): {message}</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_reasons.py" line="78" />
        <source>；</source>
        <translation>; </translation>
    </message>
</context>
<context>
    <name>CrewRelayDialog</name>
    <message>
        <location filename="../../anran_desktop/ui/crew_relay_dialog.py" line="34" />
        <source>中继设置</source>
        <translation>Relay settings</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_relay_dialog.py" line="42" />
        <source>已保存（留空则不变）</source>
        <translation>Saved (leave empty to keep it)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_relay_dialog.py" line="44" />
        <source>中继地址</source>
        <translation>Relay URL</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_relay_dialog.py" line="45" />
        <source>中继用户</source>
        <translation>Relay user</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_relay_dialog.py" line="46" />
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_relay_dialog.py" line="47" />
        <source>测试连接</source>
        <translation>Test connection</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_relay_dialog.py" line="51" />
        <source>密码只保存在本机用户目录的受保护文件中（仅本人可读），不写入数据库。</source>
        <translation>The password is kept only in a protected file in your user folder on this computer (readable by you alone), never in the database.</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_relay_dialog.py" line="55" />
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_relay_dialog.py" line="56" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_relay_dialog.py" line="75" />
        <source>已保存的密码无法读取：</source>
        <translation>The saved password cannot be read: </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_relay_dialog.py" line="94" />
        <source>正在连接…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_relay_dialog.py" line="98" />
        <source>连接成功：{user} 在中继上有 {n} 张工单</source>
        <translation>Connected: {user} has {n} tickets on the relay</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_relay_dialog.py" line="102" />
        <source>连接失败：</source>
        <translation>Connection failed: </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_relay_dialog.py" line="113" />
        <source>无法保存密码文件：</source>
        <translation>Cannot save the password file: </translation>
    </message>
</context>
<context>
    <name>CrewSync</name>
    <message>
        <location filename="../../anran_desktop/ui/crew_sync.py" line="37" />
        <source>已连接中继</source>
        <translation>Connected to the relay</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_sync.py" line="38" />
        <source>离线，已保存在本机</source>
        <translation>Offline, saved on this computer</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_sync.py" line="39" />
        <source>正在上传 {n} 条（中继限流，{s} 秒后继续）</source>
        <translation>Uploading {n} (relay rate limit, continuing in {s} s)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_sync.py" line="42" />
        <source>正在上传 {n} 条（中继限流，稍后继续）</source>
        <translation>Uploading {n} (relay rate limit, continuing shortly)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_sync.py" line="44" />
        <source>正在上传 {n} 条</source>
        <translation>Uploading {n}</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_sync.py" line="46" />
        <source>{n} 条待上传</source>
        <translation>{n} waiting to upload</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_sync.py" line="48" />
        <source>{n} 条待调度台确认</source>
        <translation>{n} waiting for the dispatch room</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_sync.py" line="52" />
        <source>调度台拒绝 {ticket}：{reason}</source>
        <translation>Refused by the dispatch room, {ticket}: {reason}</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_sync.py" line="54" />
        <source>工单 {ticket} 已由调度台收回（改派）</source>
        <translation>Ticket {ticket} was withdrawn by the dispatch room (reassigned)</translation>
    </message>
    <message>
        <source>未设置中继地址（中继设置…）</source>
        <translation>No relay address set (Relay settings…)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_sync.py" line="179" />
        <source>中继密码有误：</source>
        <translation>Relay password problem: </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_sync.py" line="184" />
        <source>未设置中继密码（中继设置…，或 ANRAN_CREW_PASSWORD）</source>
        <translation>No relay password set (Relay settings…, or ANRAN_CREW_PASSWORD)</translation>
    </message>
    <message>
        <source>未设置中继密码（ANRAN_CREW_PASSWORD 或 crew_password_file）</source>
        <translation>No relay password set (ANRAN_CREW_PASSWORD or crew_password_file)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/crew_sync.py" line="190" />
        <source>连接中继中…</source>
        <translation>Connecting to the relay…</translation>
    </message>
</context>
<context>
    <name>CrewView</name>
    <message>
        <location filename="../../widgets/crew_view.py" line="76" />
        <source>中继设置…</source>
        <extracomment>Colour ramp used for pressure (low → high) and for leak probability (cold → hot). Sensor marker fill by point health (点位健康度); "suspect" is accepted for "degraded".</extracomment>
        <translation>Relay settings…</translation>
    </message>
    <message>
        <location filename="../../widgets/crew_view.py" line="89" />
        <source>我的工单</source>
        <translation>My tickets</translation>
    </message>
    <message>
        <location filename="../../widgets/crew_view.py" line="103" />
        <location filename="../../widgets/crew_view.py" line="218" />
        <source>选择左侧的工单</source>
        <translation>Choose a ticket on the left</translation>
    </message>
    <message>
        <location filename="../../widgets/crew_view.py" line="112" />
        <location filename="../../widgets/crew_view.py" line="202" />
        <source>接单</source>
        <translation>Accept</translation>
    </message>
    <message>
        <location filename="../../widgets/crew_view.py" line="113" />
        <source>在地图上定位</source>
        <translation>Locate on map</translation>
    </message>
    <message>
        <location filename="../../widgets/crew_view.py" line="114" />
        <location filename="../../widgets/crew_view.py" line="206" />
        <source>下一步</source>
        <translation>Next step</translation>
    </message>
    <message>
        <location filename="../../widgets/crew_view.py" line="115" />
        <source>读压力表/拍表</source>
        <translation>Read a gauge</translation>
    </message>
    <message>
        <location filename="../../widgets/crew_view.py" line="116" />
        <source>附照片</source>
        <translation>Attach photo</translation>
    </message>
    <message>
        <location filename="../../widgets/crew_view.py" line="117" />
        <source>关阀试验…</source>
        <translation>Valve-closure test…</translation>
    </message>
    <message>
        <location filename="../../widgets/crew_view.py" line="132" />
        <source>检查项</source>
        <translation>Checklist</translation>
    </message>
    <message>
        <location filename="../../widgets/crew_view.py" line="157" />
        <source>← 返回工单</source>
        <translation>← Back to the ticket</translation>
    </message>
    <message>
        <location filename="../../widgets/crew_view.py" line="202" />
        <source>已接单</source>
        <extracomment>Pipes are grouped per colour × width class and per spatial tile, so a zoomed-in view only paints the tiles it shows; each group is cached as a device-coordinate pixmap, so panning is a blit.</extracomment>
        <translation>Accepted</translation>
    </message>
    <message>
        <location filename="../../widgets/crew_view.py" line="218" />
        <source>没有指派给我的工单</source>
        <translation>No tickets assigned to me</translation>
    </message>
    <message>
        <location filename="../../widgets/crew_view.py" line="232" />
        <source>证据：</source>
        <translation>Evidence: </translation>
    </message>
    <message>
        <location filename="../../widgets/crew_view.py" line="232" />
        <source>无</source>
        <translation>none</translation>
    </message>
</context>
<context>
    <name>CurvesPanel</name>
    <message>
        <location filename="../../widgets/curves.py" line="107" />
        <source>压力</source>
        <translation>Pressure</translation>
    </message>
    <message>
        <location filename="../../widgets/curves.py" line="108" />
        <source>流量</source>
        <translation>Flow</translation>
    </message>
    <message>
        <location filename="../../widgets/curves.py" line="109" />
        <source>模型残差</source>
        <translation>Model residual</translation>
    </message>
</context>
<context>
    <name>DismissAlarm</name>
    <message>
        <source>解除告警（误报）</source>
        <translation>Dismiss a false alarm</translation>
    </message>
    <message>
        <source>例如：锅炉房 7:00 开机，已电话确认；或现场复核人员与结论</source>
        <translation>e.g. the boiler house started at 7:00, confirmed by phone; or who checked on site and what they found</translation>
    </message>
    <message>
        <source>解除后告警不再派单，计入周报、月报的误报统计；若仍在检测到同一异常，不会再次告警。</source>
        <translation>A dismissed alarm gets no ticket and counts as a false alarm in the weekly and monthly reports; while the same anomaly is still detected it is not raised again.</translation>
    </message>
    <message>
        <source>告警</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <source>误报原因</source>
        <translation>Cause</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>解除告警</source>
        <translation>Dismiss alarm</translation>
    </message>
    <message>
        <source>原因为「其他」时请写明说明。</source>
        <translation>For "Other", please write a note.</translation>
    </message>
    <message>
        <source>说明过长：{n} 字（最多 {max} 字）。</source>
        <translation>The note is too long: {n} characters (at most {max}).</translation>
    </message>
    <message>
        <source>已解除告警 {alarm}（误报：{cause}）</source>
        <translation>Alarm {alarm} dismissed (false alarm: {cause})</translation>
    </message>
</context>
<context>
    <name>DrillInvitePanel</name>
    <message>
        <location filename="../../anran_desktop/ui/drill_invite_panel.py" line="24" />
        <source>当前角色（{role}）无权邀请居民签到</source>
        <translation>Your role ({role}) may not invite residents to a check-in</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/drill_invite_panel.py" line="26" />
        <source>未配置中继：邀请会被拒绝并记入审计日志</source>
        <translation>No relay configured: invitations are refused and logged in the audit log</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/drill_invite_panel.py" line="37" />
        <source>正在发送邀请…</source>
        <translation>Sending the invitation…</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/drill_invite_panel.py" line="44" />
        <source>已排入中继发送：{areas}（渠道 {ch}，已记入审计日志）</source>
        <translation>Queued for the relay: {areas} (channel {ch}, in the audit log)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/drill_invite_panel.py" line="47" />
        <location filename="../../anran_desktop/ui/drill_invite_panel.py" line="52" />
        <source>邀请未发出：</source>
        <translation>Invitation not sent: </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/drill_invite_panel.py" line="69" />
        <source>读取签到情况失败：</source>
        <translation>Could not read the check-ins: </translation>
    </message>
</context>
<context>
    <name>DrillInviteView</name>
    <message>
        <location filename="../../widgets/drill_invite.py" line="51" />
        <source>邀请居民参加演练签到</source>
        <extracomment>outbox status -&gt; label (Chinese source text, translated when shown)</extracomment>
        <translation>Invite residents to a drill check-in</translation>
    </message>
    <message>
        <location filename="../../widgets/drill_invite.py" line="53" />
        <source>选择区域（可多选）：</source>
        <translation>Areas (choose one or more):</translation>
    </message>
    <message>
        <location filename="../../widgets/drill_invite.py" line="56" />
        <source>邀请标题：</source>
        <translation>Invitation title:</translation>
    </message>
    <message>
        <location filename="../../widgets/drill_invite.py" line="57" />
        <source>燃气应急演练签到</source>
        <translation>Gas emergency drill check-in</translation>
    </message>
    <message>
        <location filename="../../widgets/drill_invite.py" line="59" />
        <source>邀请所选区域居民签到</source>
        <translation>Invite the chosen areas' residents</translation>
    </message>
    <message>
        <location filename="../../widgets/drill_invite.py" line="71" />
        <source>区域</source>
        <translation>Area</translation>
    </message>
    <message>
        <location filename="../../widgets/drill_invite.py" line="71" />
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../widgets/drill_invite.py" line="71" />
        <source>发送时间</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location filename="../../widgets/drill_invite.py" line="71" />
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../widgets/drill_invite.py" line="72" />
        <source>已发码</source>
        <translation>Codes issued</translation>
    </message>
    <message>
        <location filename="../../widgets/drill_invite.py" line="72" />
        <source>已邀请（已注册）</source>
        <translation>Invited (registered)</translation>
    </message>
    <message>
        <location filename="../../widgets/drill_invite.py" line="72" />
        <source>已签到</source>
        <translation>Checked in</translation>
    </message>
    <message>
        <location filename="../../widgets/drill_invite.py" line="132" />
        <source>合计：邀请 {n} 户 · 已签到 {m} 户</source>
        <translation>Total: {n} households invited · {m} checked in</translation>
    </message>
    <message>
        <location filename="../../widgets/drill_invite.py" line="137" />
        <source>请至少选择一个区域</source>
        <translation>Choose at least one area</translation>
    </message>
    <message>
        <source>待发送</source>
        <translation>Waiting to send</translation>
    </message>
    <message>
        <source>已送达中继</source>
        <translation>At the relay</translation>
    </message>
    <message>
        <source>中继拒收</source>
        <translation>Refused by the relay</translation>
    </message>
</context>
<context>
    <name>EventFeed</name>
    <message>
        <source>信息</source>
        <translation>Info</translation>
    </message>
    <message>
        <source>提示</source>
        <translation>Notice</translation>
    </message>
    <message>
        <source>告警</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <source>紧急</source>
        <translation>Critical</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_board.py" line="94" />
        <source>【演练】</source>
        <translation>[Drill] </translation>
    </message>
    <message>
        <source>区间</source>
        <translation>interval</translation>
    </message>
    <message>
        <source>置信度</source>
        <translation>confidence</translation>
    </message>
    <message>
        <source>暂无告警与事件。新的告警会出现在这里，点击卡片可在管网图和曲线上定位。</source>
        <translation>No alarms or events yet. New alarms appear here; click a card to find it on the map and the curves.</translation>
    </message>
    <message>
        <source>由告警建单（预填区间、SOP、最近抢修员）</source>
        <translation>Ticket from alarm (interval, SOP, nearest crew pre-filled)</translation>
    </message>
    <message>
        <source>并入片区未结工单（作为证据）</source>
        <translation>Merge into the area's open ticket (as evidence)</translation>
    </message>
    <message>
        <source>预警</source>
        <translation>Warning</translation>
    </message>
    <message>
        <source>{areas}疑似泄漏：{places}（区间 {length} m，置信度 {confidence}{note}）</source>
        <translation>Suspected leak in {areas}: {places} (interval {length} m, confidence {confidence}{note})</translation>
    </message>
    <message>
        <source>，置信度校准中</source>
        <translation>, confidence being calibrated</translation>
    </message>
    <message>
        <source>，置信度未校准</source>
        <translation>, confidence not calibrated</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../widgets/event_feed.py" line="42" />
        <source>，仅进站流量上升</source>
        <extracomment>Card colours (background, text) and label per severity; labels are translated when a card is drawn. How a suspected-leak title ends while the site's confidence is not calibrated (``title_parts.calibration``). ... and when the inlet meter alone found the leak (``title_parts.basis``)</extracomment>
        <translation>, inlet flow rise only</translation>
    </message>
    <message>
        <location filename="../../widgets/event_feed.py" line="65" />
        <source>居民报告燃气异味</source>
        <extracomment>The fixed titles of residents' reports as the sync stores them (``services/sync_service.py``): shown in the interface language. A title in any other wording shows as stored.</extracomment>
        <translation>Resident reports a gas odor</translation>
    </message>
    <message>
        <location filename="../../widgets/event_feed.py" line="65" />
        <source>居民求助</source>
        <translation>Resident asks for help</translation>
    </message>
    <message>
        <location filename="../../widgets/event_feed.py" line="66" />
        <source>居民上报表读数</source>
        <translation>Resident meter reading</translation>
    </message>
    <message>
        <location filename="../../widgets/event_feed.py" line="66" />
        <source>居民确认告警</source>
        <translation>Resident acknowledged the alert</translation>
    </message>
    <message>
        <location filename="../../widgets/event_feed.py" line="67" />
        <source>居民安全自检</source>
        <translation>Resident home safety check</translation>
    </message>
    <message>
        <location filename="../../widgets/event_feed.py" line="67" />
        <source>居民服务工单</source>
        <translation>Resident service order</translation>
    </message>
    <message>
        <location filename="../../widgets/event_feed.py" line="68" />
        <source>居民演练签到</source>
        <translation>Resident drill check-in</translation>
    </message>
    <message>
        <source>演练开始：{name}</source>
        <translation>Drill started: {name}</translation>
    </message>
    <message>
        <source>最新定位</source>
        <translation>Latest location</translation>
    </message>
    <message>
        <source>（置信度校准中）</source>
        <translation> (confidence being calibrated)</translation>
    </message>
    <message>
        <source>（置信度未校准）</source>
        <translation> (confidence not calibrated)</translation>
    </message>
    <message>
        <source>解除告警（误报）…</source>
        <translation>Dismiss (false alarm)…</translation>
    </message>
    <message>
        <source>不需要抢修的告警（如大用户开停、测点校准、施工作业）：写明原因后解除，计入误报统计</source>
        <translation>An alarm that needs no crew (a large consumer switching on or off, a gauge being calibrated, works): dismiss it with its cause; it counts as a false alarm in the reports</translation>
    </message>
    <message>
        <source>已解除：误报</source>
        <translation>Dismissed: false alarm</translation>
    </message>
</context>
<context>
    <name>Evidence</name>
    <message>
        <location filename="../../widgets/evidence_text.py" line="17" />
        <source>燃气表读数</source>
        <translation>gas meter reading</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_text.py" line="18" />
        <source>压力表读数</source>
        <translation>gauge reading</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_text.py" line="19" />
        <source>复测读数</source>
        <translation>retest reading</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_text.py" line="20" />
        <source>处置前照片</source>
        <translation>photo before handling</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_text.py" line="21" />
        <source>处置后照片</source>
        <translation>photo after handling</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_text.py" line="22" />
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_text.py" line="23" />
        <source>关阀测试</source>
        <translation>valve-closure test</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_text.py" line="24" />
        <source>居民报告</source>
        <translation>resident report</translation>
    </message>
</context>
<context>
    <name>EvidenceInput</name>
    <message>
        <source>读数不是数字：{text}</source>
        <translation>The reading is not a number: {text}</translation>
    </message>
    <message>
        <source>{unit} 不是压力单位（kPa、MPa、bar、mbar、Pa）</source>
        <translation>{unit} is not a pressure unit (kPa, MPa, bar, mbar, Pa)</translation>
    </message>
    <message>
        <source>节点 {node} 不在本站管网中</source>
        <translation>Node {node} is not in this site's network</translation>
    </message>
    <message>
        <source>读数后多了：{extra}</source>
        <translation>Left over after the reading: {extra}</translation>
    </message>
    <message>
        <source>请写关闭的阀门和压力是否恢复，例如 V-S3S4,V-S4S5;是</source>
        <translation>Write the valves closed and whether the pressures came back, e.g. V-S3S4,V-S4S5;yes</translation>
    </message>
    <message>
        <source>不是本站管网的阀门：{ids}</source>
        <translation>Not a valve of this site's network: {ids}</translation>
    </message>
    <message>
        <source>压力是否恢复请写“是”或“否”（写的是：{word}）</source>
        <translation>Write yes or no for whether the pressures came back (got: {word})</translation>
    </message>
    <message>
        <source>进站流量是否回落请写“是”或“否”（写的是：{word}）</source>
        <translation>Write yes or no for whether the inlet flow fell back (got: {word})</translation>
    </message>
    <message>
        <source>请写关闭的阀门和进站流量是否回落，例如 V-S3S4,V-S4S5;是</source>
        <translation>Write the valves closed and whether the inlet flow fell back, e.g. V-S3S4,V-S4S5;yes</translation>
    </message>
</context>
<context>
    <name>FalseAlarm</name>
    <message>
        <location filename="../../widgets/false_alarm_text.py" line="10" />
        <source>大用户用气变化（锅炉房、食堂等开停）</source>
        <translation>Large consumer switching on or off (boiler house, canteen)</translation>
    </message>
    <message>
        <location filename="../../widgets/false_alarm_text.py" line="11" />
        <source>测点故障或校准</source>
        <translation>Faulty or calibrating gauge</translation>
    </message>
    <message>
        <location filename="../../widgets/false_alarm_text.py" line="12" />
        <source>施工、调压或检修作业</source>
        <translation>Works, regulator adjustment or maintenance</translation>
    </message>
    <message>
        <location filename="../../widgets/false_alarm_text.py" line="13" />
        <source>复核无泄漏（现场或远程）</source>
        <translation>Checked: no leak (on site or remotely)</translation>
    </message>
    <message>
        <location filename="../../widgets/false_alarm_text.py" line="14" />
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>：</source>
        <translation>: </translation>
    </message>
    <message>
        <source>告警 {alarm} 已解除（误报：{cause}）</source>
        <translation>Alarm {alarm} dismissed (false alarm: {cause})</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="300" />
        <source>安燃云 — 首次设置</source>
        <translation>AnRan — first-run setup</translation>
    </message>
</context>
<context>
    <name>InstanceGuard</name>
    <message>
        <location filename="../../anran_desktop/ui/instance_guard.py" line="143" />
        <source>（进程 {pid}）</source>
        <translation> (process {pid})</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/instance_guard.py" line="144" />
        <source>（计算机 {host} 上的进程 {pid}）</source>
        <translation> (process {pid} on {host})</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/instance_guard.py" line="145" />
        <source>数据库 {path} 已在另一个安燃云窗口中打开{who}。</source>
        <translation>The database {path} is already open in another AnRan window{who}. </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/instance_guard.py" line="146" />
        <source>已将那个窗口切换到前台。</source>
        <translation>That window was brought to the front.</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/instance_guard.py" line="148" />
        <source>请切换到那个窗口。同一个数据库同时只能在一个窗口中使用，否则泄漏监测会对同一处泄漏重复告警、重复建工单。</source>
        <translation>Switch to that window. One database is used by one window at a time; otherwise the leak watch would raise duplicate alarms and tickets for the same leak.</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/instance_guard.py" line="151" />
        <source>如果那台计算机上的安燃云已经关闭（例如断电），删除 {lock} 后再打开。</source>
        <translation> If AnRan on that computer has already stopped (a power cut, say), delete {lock} and open it again.</translation>
    </message>
</context>
<context>
    <name>IntervalSource</name>
    <message>
        <location filename="../../widgets/evidence_text.py" line="35" />
        <source>引擎定位</source>
        <translation>engine location</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_text.py" line="36" />
        <source>现场压力读数</source>
        <translation>on-site gauge reading</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_text.py" line="37" />
        <source>关阀测试</source>
        <translation>valve-closure test</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_text.py" line="38" />
        <source>居民报告</source>
        <translation>resident report</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_text.py" line="39" />
        <source>人工</source>
        <translation>by hand</translation>
    </message>
    <message>
        <location filename="../../widgets/evidence_text.py" line="40" />
        <source>调度台</source>
        <translation>dispatch desk</translation>
    </message>
</context>
<context>
    <name>LoopController</name>
    <message>
        <source>关闭的阀门（逗号分隔）; 压力是否恢复 是/否，例如 V-S3S4,V-S4S5;是</source>
        <translation>Valves closed (comma-separated); pressure restored yes/no, e.g. V-S3S4,V-S4S5;yes</translation>
    </message>
    <message>
        <source>关阀试验</source>
        <translation>Valve-closure test</translation>
    </message>
    <message>
        <source>到场</source>
        <translation>Arrival</translation>
    </message>
    <message>
        <source>区间更新失败：</source>
        <translation>Interval update failed: </translation>
    </message>
    <message>
        <source>响应</source>
        <translation>Response</translation>
    </message>
    <message>
        <source>图像 (*.jpg *.jpeg *.png)</source>
        <translation>Images (*.jpg *.jpeg *.png)</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>备注内容</source>
        <translation>Note text</translation>
    </message>
    <message>
        <source>审计日志与校验…</source>
        <translation>Audit log and verification…</translation>
    </message>
    <message>
        <source>已建单 </source>
        <translation>Ticket created </translation>
    </message>
    <message>
        <source>抢修模式（大按钮·触屏）</source>
        <translation>Crew mode (large controls, touch)</translation>
    </message>
    <message>
        <source>无法修改检查项</source>
        <translation>Cannot change the checklist</translation>
    </message>
    <message>
        <source>无法建单</source>
        <translation>Cannot create the ticket</translation>
    </message>
    <message>
        <source>无法执行此步骤</source>
        <translation>Cannot take this step</translation>
    </message>
    <message>
        <source>无法指派</source>
        <translation>Cannot assign</translation>
    </message>
    <message>
        <source>无法添加证据</source>
        <translation>Cannot attach the evidence</translation>
    </message>
    <message>
        <source>未登录/未知用户（只读）</source>
        <translation>not signed in / unknown user (read-only)</translation>
    </message>
    <message>
        <source>用户：</source>
        <translation>User: </translation>
    </message>
    <message>
        <source>结案</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>读数</source>
        <translation>Reading</translation>
    </message>
    <message>
        <source>选择照片</source>
        <translation>Choose a photo</translation>
    </message>
    <message>
        <source>证据已记录；引擎未能据此更新区间（数据不足或未检出泄漏）</source>
        <translation>Evidence recorded; the engine could not update the interval from it (not enough data or no leak detected)</translation>
    </message>
    <message>
        <source>读数 单位 [节点]，例如 0.22 MPa N-S3 或 3.1 kPa</source>
        <translation>Value unit [node], e.g. 0.22 MPa N-S3 or 3.1 kPa</translation>
    </message>
    <message>
        <source>在途</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>段</source>
        <translation>pipes</translation>
    </message>
    <message>
        <source>置信度</source>
        <translation>confidence</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>ok</translation>
    </message>
    <message>
        <source>即将超时</source>
        <translation>due soon</translation>
    </message>
    <message>
        <source>已超时·升级</source>
        <translation>overdue · escalated</translation>
    </message>
    <message>
        <source>达标</source>
        <translation>met</translation>
    </message>
    <message>
        <source>超时</source>
        <translation>missed</translation>
    </message>
    <message>
        <source>调度员</source>
        <translation>Dispatcher</translation>
    </message>
    <message>
        <source>抢修员</source>
        <translation>Crew</translation>
    </message>
    <message>
        <source>物业经理</source>
        <translation>Property manager</translation>
    </message>
    <message>
        <source>管理员</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>无法并入工单</source>
        <translation>Cannot merge into a ticket</translation>
    </message>
    <message>
        <source>未能发给抢修员：</source>
        <translation>Not sent to the crew: </translation>
    </message>
    <message>
        <source>用户管理…</source>
        <translation>User management…</translation>
    </message>
    <message>
        <source>账户已停用（只读）</source>
        <translation>account deactivated (read-only)</translation>
    </message>
    <message>
        <source>账户已停用</source>
        <translation>Account deactivated</translation>
    </message>
    <message>
        <source>管理员已停用账户 {user}：本窗口只能查看，不能再建单、派单或更改工单。如需继续工作，请用有效账户重新登录。</source>
        <translation>An administrator has deactivated the account {user}. This window can only show things now: it can no longer create, dispatch or change tickets. To go on working, sign in again with an active account.</translation>
    </message>
    <message>
        <source>管理员已更改本账户的角色，现可进行的操作已随之更新</source>
        <translation>An administrator changed this account's role; the actions offered now follow the new role</translation>
    </message>
    <message>
        <source>关闭的阀门（逗号分隔）; 进站流量是否回落 是/否，例如 V-S3S4,V-S4S5;是</source>
        <translation>Valves closed (comma-separated); inlet flow fell back yes/no, e.g. V-S3S4,V-S4S5;yes</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="99" />
        <source>安燃云 AnRan — 燃气管网监测与应急调度</source>
        <translation>AnRan — gas network monitoring and dispatch</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="127" />
        <source>按管径</source>
        <translation>Diameter</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="128" />
        <source>按压力着色</source>
        <translation>Pressure</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="129" />
        <source>按泄漏疑似度着色</source>
        <translation>Leak suspicion</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="132" />
        <source> 着色：</source>
        <translation> Colour by: </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="134" />
        <source>适应窗口</source>
        <translation>Fit</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="138" />
        <source>放大</source>
        <translation>Zoom in</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="141" />
        <source>缩小</source>
        <translation>Zoom out</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="152" />
        <source>阀门（实心=关）</source>
        <translation>valve (filled = closed)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="153" />
        <source>压力测点</source>
        <translation>pressure point</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="155" />
        <source>摄像头</source>
        <translation>camera</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="156" />
        <source>调压站</source>
        <translation>regulator station</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="157" />
        <source>告警</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="158" />
        <source>疑似区间</source>
        <translation>Suspected interval</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="159" />
        <source>线宽 = 管径</source>
        <translation>line width = diameter</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="176" />
        <source>压力/流量曲线</source>
        <translation>Pressure / flow curves</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="177" />
        <source>工单中心</source>
        <translation>Tickets</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="198" />
        <source>点击管网中的管段、阀门或测点查看详情</source>
        <translation>Click a pipe, valve or point on the map for details</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="207" />
        <source>&lt;b&gt;告警与事件&lt;/b&gt;</source>
        <translation>&lt;b&gt;Alarms and events&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="209" />
        <source>&lt;b&gt;测点&lt;/b&gt;（可多选，曲线共用时间轴）</source>
        <translation>&lt;b&gt;Points&lt;/b&gt; (multi-select; curves share the time axis)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="211" />
        <source>&lt;b&gt;详情&lt;/b&gt;</source>
        <translation>&lt;b&gt;Details&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="213" />
        <source>事件 · 测点 · 详情</source>
        <translation>Events · points · details</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="228" />
        <source>数据库：</source>
        <translation>Database: </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="229" />
        <source>同步：未配置</source>
        <translation>Sync: not configured</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="237" />
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="238" />
        <source>打开数据库…</source>
        <translation>Open database…</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="248" />
        <source>导入管网 GeoJSON…</source>
        <translation>Import network GeoJSON…</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="250" />
        <source>导入读数 CSV…</source>
        <translation>Import readings CSV…</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="253" />
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="256" />
        <source>视图(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="259" />
        <source>语言(&amp;L)</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="270" />
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="271" />
        <location filename="../../anran_desktop/ui/main_window.py" line="273" />
        <source>关于安燃云</source>
        <translation>About AnRan</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="274" />
        <source>安燃云 AnRan — 城/园区燃气漏损监测与应急处置
更快发现、更准定位、更规范闭环</source>
        <translation>AnRan — leak monitoring and emergency response for city and campus gas networks
Find leaks faster, locate them more precisely, close every emergency as a traceable loop</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="279" />
        <source>界面语言</source>
        <translation>Interface language</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="280" />
        <source>界面语言已保存，重新启动安燃云后生效。</source>
        <translation>The interface language was saved; it takes effect when AnRan is restarted.</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="287" />
        <source>同步：</source>
        <translation>Sync: </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="320" />
        <source>（置信度校准中）</source>
        <translation> (confidence being calibrated)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="320" />
        <source>（置信度未校准）</source>
        <translation> (confidence not calibrated)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="323" />
        <source>（待确认）</source>
        <translation> (unconfirmed)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="326" />
        <source>疑似泄漏待确认：近 {span} 分钟内已检出 {held} 分钟，满 {need} 分钟即告警</source>
        <translation>Suspected leak, unconfirmed: detected for {held} of the last {span} min; the alarm is raised at {need} min</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="348" />
        <source>工单 {t} 的疑似区间已按最新定位更新：{m} m · 置信度 {c}</source>
        <translation>Ticket {t} took the latest location as its suspected interval: {m} m · confidence {c}</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="353" />
        <source>泄漏定位失败：</source>
        <translation>Leak localization failed: </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="361" />
        <source>已停止</source>
        <translation>stopped</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="361" />
        <source>连接中</source>
        <translation>connecting</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="361" />
        <source>运行中</source>
        <translation>running</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="362" />
        <source>重连中</source>
        <translation>reconnecting</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="362" />
        <source>回放结束</source>
        <translation>replay finished</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="363" />
        <source>故障</source>
        <translation>failed</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="367" />
        <source>模拟器</source>
        <translation>Simulator</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="367" />
        <source>CSV 回放</source>
        <translation>CSV replay</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="369" />
        <source>（</source>
        <translation> (</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="369" />
        <source>）</source>
        <translation>)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="369" />
        <source>：</source>
        <translation>: </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="370" />
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="377" />
        <source>数据源：</source>
        <translation>Source: </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="380" />
        <source>已接收 </source>
        <translation>received </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="387" />
        <source>数据源：无</source>
        <translation>Source: none</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="427" />
        <source>管网模型求解失败：</source>
        <translation>Network model failed: </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="442" />
        <source>线宽表示管径；◆ 阀门（黑=关）；● 绿=压力测点；● 紫=摄像头；■ 调压站</source>
        <translation>Line width = diameter; ◆ valve (black = closed); ● green = pressure point; ● purple = camera; ■ regulator station</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="445" />
        <source>已收到实时数据，正在求解管网模型…</source>
        <translation>live data received, solving the network model…</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="446" />
        <location filename="../../anran_desktop/ui/main_window.py" line="456" />
        <source>压力</source>
        <translation>Pressure</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="446" />
        <source>等待实时数据…</source>
        <translation>waiting for live data…</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="449" />
        <location filename="../../anran_desktop/ui/main_window.py" line="457" />
        <source>疑似概率</source>
        <translation>Leak probability</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="449" />
        <source>尚无定位结果（泄漏监视每 30 秒运行一次）</source>
        <translation>no localization yet (the leak watch runs every 30 s)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="535" />
        <source>无法移动工单</source>
        <translation>Cannot move the ticket</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="592" />
        <source>打开数据库</source>
        <translation>Open database</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="593" />
        <source>安燃云数据库 (*.sqlite3 *.sqlite *.db)</source>
        <translation>AnRan database (*.sqlite3 *.sqlite *.db)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="605" />
        <source>这个数据库已在本窗口中打开</source>
        <translation>This database is already open in this window</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="610" />
        <location filename="../../anran_desktop/ui/main_window.py" line="614" />
        <source>无法打开数据库</source>
        <translation>Cannot open the database</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="614" />
        <source>无法启动新的窗口。</source>
        <translation>Could not start a new window.</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="621" />
        <source>导入管网</source>
        <translation>Import network</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="631" />
        <location filename="../../anran_desktop/ui/main_window.py" line="680" />
        <source>导入失败</source>
        <translation>Import failed</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="634" />
        <source>管网已更新：{p} 条管段、{s} 个测点；泄漏监测改用新管网</source>
        <translation>Network updated: {p} pipes, {s} points; the leak watch now uses the new network</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="669" />
        <source>导入读数</source>
        <translation>Import readings</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/main_window.py" line="683" />
        <source>已导入读数：</source>
        <translation>Readings imported: </translation>
    </message>
    <message>
        <source>最新值</source>
        <translation>Latest</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/report_center_panel.py" line="71" />
        <source>报告中心</source>
        <translation>Reports</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/drill_invite_panel.py" line="86" />
        <source>演练签到</source>
        <translation>Drill check-in</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/area_notice_panel.py" line="133" />
        <source>区域通知</source>
        <extracomment>template key → its name in the picker (Chinese source text, translated when shown)</extracomment>
        <translation>Area notices</translation>
    </message>
</context>
<context>
    <name>MeterPanel</name>
    <message>
        <location filename="../../widgets/meter_panel.py" line="175" />
        <source>打开照片…</source>
        <extracomment>How a drill's start is titled in the store (``drills/record.py``): this prefix and the drill's name. The "由告警建单" button on the selected alarm card (one without a ticket yet). The same button on a resident's report card (kind ``resident.*``): merge it into the area's open ticket. The "解除告警（误报）…" button on the selected alarm card (no ticket, not dismissed yet). evidence kinds as the workflow names them (Chinese source strings; English in scripts/translate_en.py) what narrowed or moved a ticket's interval (``TicketService.update_interval`` / ``follow_engine`` sources) the system's own actor name in the records (the engine's alarms and the leak watch's intervals) cause key → its words, as stored (translated when shown) code → Chinese source text with ``{field}`` places (English in scripts/translate_en.py)</extracomment>
        <translation>Open photo…</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="177" />
        <source>摄像头取帧</source>
        <translation>Grab camera frame</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="181" />
        <source>自动</source>
        <translation>Auto</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="181" />
        <source>指针表</source>
        <translation>Dial gauge</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="181" />
        <source>计数器</source>
        <translation>Counter</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="184" />
        <source>量程 如 0:1.6（空=自动识别）</source>
        <translation>range e.g. 0:1.6 (empty = read from the dial)</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="186" />
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="187" />
        <source>识读</source>
        <translation>Read</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="189" />
        <source>固定摄像头标定</source>
        <translation>Calibrate fixed camera</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="200" />
        <source>人工修正值（保留原识读值）</source>
        <translation>Manual correction (the original reading is kept)</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="202" />
        <source>保存读数</source>
        <translation>Save reading</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="220" />
        <source>读数</source>
        <translation>Reading</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="221" />
        <source>量程</source>
        <translation>Range</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="222" />
        <source>图像质量</source>
        <translation>Image quality</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="223" />
        <source>需复核</source>
        <translation>Needs review</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="224" />
        <source>修正</source>
        <translation>Correction</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="225" />
        <source>关联对象</source>
        <translation>Linked to</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="265" />
        <source>打开照片</source>
        <translation>Open photo</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="265" />
        <source>图像 (*.jpg *.jpeg *.png *.bmp)</source>
        <translation>Images (*.jpg *.jpeg *.png *.bmp)</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="275" />
        <source>摄像头没有返回画面</source>
        <translation>The camera returned no picture</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="296" />
        <source>量程格式应为 最小:最大，例如 0:1.6</source>
        <translation>The range must be min:max, for example 0:1.6</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="298" />
        <source>量程最大值必须大于最小值</source>
        <translation>The range maximum must be greater than the minimum</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="316" />
        <source>识读中…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="326" />
        <source>无法识读</source>
        <translation>Cannot read</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="331" />
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="331" />
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="345" />
        <source>刻度未识别：请在上方输入量程</source>
        <translation>Scale not read: type the range above</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="346" />
        <source>（自动识别，请与表盘核对）</source>
        <translation> (read from the scale: check it against the gauge)</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="346" />
        <source>（输入）</source>
        <translation> (typed)</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="350" />
        <source>识读失败：</source>
        <translation>Reading failed: </translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="363" />
        <source>修正值不是数字</source>
        <translation>The correction is not a number</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="368" />
        <source>证据图像编码失败</source>
        <translation>The evidence image could not be encoded</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="387" />
        <source>标定：依次点击 表盘中心、刻度起点、刻度终点</source>
        <translation>Calibration: click the dial centre, the scale start, then the scale end</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="405" />
        <source>标定需要量程，例如 0:1.6</source>
        <translation>Calibration needs the range, for example 0:1.6</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_panel.py" line="417" />
        <source>标定完成</source>
        <translation>Calibration done</translation>
    </message>
</context>
<context>
    <name>MeterReasons</name>
    <message>
        <location filename="../../widgets/meter_reasons.py" line="17" />
        <source>未找到表盘</source>
        <translation>No dial found</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_reasons.py" line="18" />
        <source>未找到计数器</source>
        <translation>No register found</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_reasons.py" line="19" />
        <source>图像模糊</source>
        <translation>Blurred</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_reasons.py" line="20" />
        <source>曝光不当</source>
        <translation>Badly exposed</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_reasons.py" line="21" />
        <source>表面反光</source>
        <translation>Glare</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_reasons.py" line="22" />
        <source>表在画面中太小</source>
        <translation>Meter too small in the image</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_reasons.py" line="23" />
        <source>图像质量低</source>
        <translation>Low image quality</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_reasons.py" line="24" />
        <source>置信度低</source>
        <translation>Low confidence</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_reasons.py" line="25" />
        <source>找到的刻度线太少</source>
        <translation>Few scale ticks found</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_reasons.py" line="27" />
        <source>找到的刻度弧为 {arc}°（表盘刻度一般约 240–300°）：刻度起止可能找错</source>
        <translation>Scale arc found: {arc}° (dial scales span about 240–300°): its start or end may be wrong</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_reasons.py" line="28" />
        <source>刻度数字无法识读：请给出量程</source>
        <translation>Scale numbers not readable: give the range</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_reasons.py" line="29" />
        <source>指针不清晰</source>
        <translation>Needle not clearly found</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_reasons.py" line="30" />
        <source>刻度插值与透视校正不一致（相差量程的 {diff}%）</source>
        <translation>Tick interpolation and perspective correction disagree ({diff} % of span)</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_reasons.py" line="31" />
        <source>未找到指针直线或表心：未做透视校正</source>
        <translation>Needle line or hub not found: perspective not corrected</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_reasons.py" line="32" />
        <source>第 {digit} 位数字不确定（得分 {score}）</source>
        <translation>Digit {digit} uncertain (score {score})</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_reasons.py" line="33" />
        <source>第 {digit} 位：逐位识读为 {cell}，OCR 为 {ocr}</source>
        <translation>Digit {digit}: cell reader {cell}, OCR {ocr}</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_reasons.py" line="34" />
        <source>未找到小数点或红色字轮</source>
        <translation>No decimal mark or red drums found</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_reasons.py" line="35" />
        <source>小数点不清晰或不在常见位数布局（5+3、5+2、4+3、6+3）</source>
        <translation>Decimal mark unclear or not at a usual register layout (5+3, 5+2, 4+3, 6+3)</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_reasons.py" line="36" />
        <source>字轮正在翻转：报告较小的数字</source>
        <translation>Drum rolling: the lower digit is reported</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_reasons.py" line="37" />
        <source>似乎缺少一位数字（字距不均）</source>
        <translation>A digit seems to be missing (uneven cell spacing)</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_reasons.py" line="38" />
        <source>一格中有两个字符（字距不均）</source>
        <translation>Two glyphs in one cell (uneven cell spacing)</translation>
    </message>
    <message>
        <location filename="../../widgets/meter_reasons.py" line="57" />
        <source>；</source>
        <translation>; </translation>
    </message>
</context>
<context>
    <name>NetworkPage</name>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="125" />
        <source>管网</source>
        <extracomment>answers to "did the pressures come back?" (or, for a leak the inlet meter alone found, "did the inlet flow fall back?")</extracomment>
        <translation>Network</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="126" />
        <source>先用演示小区熟悉系统，或导入本单位的管网 GeoJSON 文件。</source>
        <translation>Start with the demo site to get to know the system, or import your own network GeoJSON file.</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="127" />
        <source>演示小区 星海花园</source>
        <translation>Demo site 星海花园 (Xinghai Garden)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="128" />
        <source>导入管网文件（GeoJSON）</source>
        <translation>Import a network file (GeoJSON)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="134" />
        <source>network.geojson 的路径</source>
        <translation>path to network.geojson</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="135" />
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="161" />
        <source>选择管网文件</source>
        <translation>Choose a network file</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="162" />
        <source>GeoJSON (*.geojson *.json)</source>
        <translation>GeoJSON (*.geojson *.json)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="173" />
        <source>请选择要导入的管网文件</source>
        <translation>Choose the network file to import</translation>
    </message>
</context>
<context>
    <name>PointHealth</name>
    <message>
        <location filename="../../widgets/health_text.py" line="19" />
        <source>无数据</source>
        <translation>No data</translation>
    </message>
    <message>
        <location filename="../../widgets/health_text.py" line="20" />
        <source>数据陈旧：最后一次上报在 {age_s} s 前</source>
        <translation>Stale: last reported {age_s} s ago</translation>
    </message>
    <message>
        <location filename="../../widgets/health_text.py" line="21" />
        <source>读数僵直：{span_s} s 内恒为 {value}</source>
        <translation>Flat-lined: stuck at {value} for {span_s} s</translation>
    </message>
    <message>
        <location filename="../../widgets/health_text.py" line="22" />
        <source>尖峰：{count} 次突跳</source>
        <translation>Spikes: {count} jumps</translation>
    </message>
    <message>
        <location filename="../../widgets/health_text.py" line="23" />
        <source>超量程：{percent}% 的读数不在 [{low}, {high}]</source>
        <translation>Out of range: {percent} % of readings outside [{low}, {high}]</translation>
    </message>
    <message>
        <location filename="../../widgets/health_text.py" line="24" />
        <source>偏离模型估计 {bias}</source>
        <translation>Off the model estimate by {bias}</translation>
    </message>
    <message>
        <location filename="../../widgets/health_text.py" line="25" />
        <source>与相邻点位不一致（中位差 {diff}）</source>
        <translation>Disagrees with neighbouring points (median difference {diff})</translation>
    </message>
    <message>
        <source>{name}（{point}）</source>
        <translation>{name} ({point})</translation>
    </message>
    <message>
        <source>健康度过低</source>
        <translation>Health too low</translation>
    </message>
    <message>
        <source>测点恢复：{name} — 健康度恢复到 {score}</source>
        <translation>Point recovered: {name} — health back to {score}</translation>
    </message>
    <message>
        <source>测点故障待检修：{name} — {reasons}（已不参与泄漏定位）</source>
        <translation>Point faulty, needs maintenance: {name} — {reasons} (left out of leak localization)</translation>
    </message>
    <message>
        <source>；</source>
        <translation>; </translation>
    </message>
</context>
<context>
    <name>PointHealthView</name>
    <message>
        <location filename="../../anran_desktop/ui/point_health_view.py" line="20" />
        <source>良好</source>
        <translation>good</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/point_health_view.py" line="21" />
        <source>可疑</source>
        <translation>suspect</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/point_health_view.py" line="23" />
        <source>故障</source>
        <translation>failed</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/point_health_view.py" line="30" />
        <source>点位健康度</source>
        <translation>Point health</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/point_health_view.py" line="40" />
        <source>测点健康：良好/可疑/故障</source>
        <translation>point health: good / suspect / faulty</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/point_health_view.py" line="74" />
        <source>现场数据源配置无效，沿用原数据源：</source>
        <translation>Site data-source configuration refused; keeping the current source: </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/point_health_view.py" line="76" />
        <source>现场数据源配置</source>
        <translation>Site data sources</translation>
    </message>
</context>
<context>
    <name>RelayPage</name>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="188" />
        <source>中继服务</source>
        <translation>Relay service</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="189" />
        <source>居民端报警和工单同步经过中继服务。可以留空，之后在设置中填写。</source>
        <translation>Resident reports and ticket sync go through the relay service. You can leave this empty and fill it in later in the settings.</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="199" />
        <source>中继地址</source>
        <translation>Relay URL</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="200" />
        <source>站点令牌</source>
        <translation>Site token</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="202" />
        <source>安装程序已写入的设置会预先填好。</source>
        <translation>Settings written by the installer are filled in already.</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="213" />
        <source>中继地址和站点令牌要么都填，要么都留空</source>
        <translation>Fill in both the relay URL and the site token, or leave both empty</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="218" />
        <source>中继设置无效：{reason}</source>
        <translation>Invalid relay settings: {reason}</translation>
    </message>
</context>
<context>
    <name>ReportCenterPanel</name>
    <message>
        <location filename="../../anran_desktop/ui/report_center_panel.py" line="42" />
        <source>正在生成报告…</source>
        <translation>Generating the report…</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/report_center_panel.py" line="50" />
        <source>已生成：</source>
        <translation>Generated: </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/report_center_panel.py" line="54" />
        <source>报告生成失败：</source>
        <translation>Report failed: </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/report_center_panel.py" line="58" />
        <source>文件不存在：</source>
        <translation>File not found: </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/report_center_panel.py" line="62" />
        <source>无法用系统阅读器打开：</source>
        <translation>The system viewer could not open: </translation>
    </message>
</context>
<context>
    <name>ReportCenterView</name>
    <message>
        <location filename="../../widgets/report_center.py" line="60" />
        <source>生成报告</source>
        <extracomment>report kind -&gt; label (Chinese source text, translated when shown); which kinds need a ticket</extracomment>
        <translation>Generate</translation>
    </message>
    <message>
        <location filename="../../widgets/report_center.py" line="61" />
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../widgets/report_center.py" line="63" />
        <location filename="../../widgets/report_center.py" line="70" />
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../widgets/report_center.py" line="63" />
        <source>工单</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <location filename="../../widgets/report_center.py" line="63" />
        <source>截止日期</source>
        <translation>Period ends</translation>
    </message>
    <message>
        <location filename="../../widgets/report_center.py" line="70" />
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../widgets/report_center.py" line="70" />
        <source>工单/统计区间</source>
        <translation>Ticket / period</translation>
    </message>
    <message>
        <location filename="../../widgets/report_center.py" line="70" />
        <source>生成时间</source>
        <translation>Generated</translation>
    </message>
    <message>
        <location filename="../../widgets/report_center.py" line="78" />
        <source>尚未生成报告。选择类型后点击“生成报告”，双击列表中的报告用系统阅读器打开。</source>
        <translation>No reports yet. Choose a kind and press Generate; double-click a report to open it in the system viewer.</translation>
    </message>
    <message>
        <location filename="../../widgets/report_center.py" line="79" />
        <source>双击列表中的报告用系统阅读器打开。</source>
        <translation>Double-click a report to open it in the system viewer.</translation>
    </message>
    <message>
        <location filename="../../widgets/report_center.py" line="80" />
        <source>没有可生成该报告的工单（结案报告需已结案的工单，演练报告需演练工单）。</source>
        <translation>No ticket for this report (a close report needs a closed ticket, a drill report a drill ticket).</translation>
    </message>
    <message>
        <source>结案报告</source>
        <translation>Close report</translation>
    </message>
    <message>
        <source>周报</source>
        <translation>Weekly report</translation>
    </message>
    <message>
        <source>月报</source>
        <translation>Monthly report</translation>
    </message>
    <message>
        <source>演练报告</source>
        <translation>Drill report</translation>
    </message>
</context>
<context>
    <name>RestoreAction</name>
    <message>
        <source>从备份恢复…</source>
        <translation>Restore from backup…</translation>
    </message>
    <message>
        <source>从备份恢复</source>
        <translation>Restore from backup</translation>
    </message>
    <message>
        <source>正在校验备份…</source>
        <translation>Verifying the backup…</translation>
    </message>
    <message>
        <source>注意：这份备份属于站点「{backup}」，不是当前站点「{current}」。</source>
        <translation>Note: this backup is of the site “{backup}”, not of the current site “{current}”.</translation>
    </message>
    <message>
        <source>（未命名）</source>
        <translation>(unnamed)</translation>
    </message>
    <message>
        <source>将用这份备份替换本站数据库：
备份站点：{site}
备份时间：{taken}
数据库 {mb:.1f} MB，证据照片 {n} 个</source>
        <translation>This backup will replace the site's database:
Site: {site}
Taken: {taken}
Database {mb:.1f} MB, {n} evidence photo(s)</translation>
    </message>
    <message>
        <source>当前数据库中晚于备份时间的 {alarms} 条告警、{tickets} 个工单的变动和 {audit} 条审计记录不在备份里，恢复后将不在数据库中。</source>
        <translation>{alarms} alarm(s), changes to {tickets} ticket(s) and {audit} audit entries in the current database are newer than the backup and will not be in the restored database.</translation>
    </message>
    <message>
        <source>当前数据库会保留在同一文件夹中（.before-restore-….bak），需要时可再找回。</source>
        <translation>The current database is kept in the same folder (.before-restore-….bak) and can be recovered if needed.</translation>
    </message>
    <message>
        <source>恢复时本窗口将关闭，恢复完成后重新打开，请重新登录。</source>
        <translation>This window closes for the restore and reopens when it is done; sign in again.</translation>
    </message>
    <message>
        <source>恢复并重新打开</source>
        <translation>Restore and reopen</translation>
    </message>
    <message>
        <source>无法恢复</source>
        <translation>Cannot restore</translation>
    </message>
    <message>
        <source>无法启动恢复进程，数据库未改动。</source>
        <translation>The restore could not be started; the database is unchanged.</translation>
    </message>
    <message>
        <source>备份未通过校验，数据库未改动</source>
        <translation>The backup failed verification; the database is unchanged</translation>
    </message>
    <message>
        <source>恢复失败，数据库未改动：{reason}</source>
        <translation>Restore failed, the database is unchanged: {reason}</translation>
    </message>
    <message>
        <source>已从备份恢复（备份时间 {taken}）</source>
        <translation>Restored from the backup (taken {taken})</translation>
    </message>
    <message>
        <source>；原数据库保留为 {kept}</source>
        <translation>; the database it replaced is kept as {kept}</translation>
    </message>
    <message>
        <source>备份未恢复。</source>
        <translation> The backup was not restored.</translation>
    </message>
    <message>
        <source>备份 (*.zip)</source>
        <translation>Backup (*.zip)</translation>
    </message>
    <message>
        <source>正在从备份恢复：{name}</source>
        <translation>Restoring from backup: {name}</translation>
    </message>
    <message>
        <source>正在等待原窗口关闭…</source>
        <translation>Waiting for the previous window to close…</translation>
    </message>
    <message>
        <source>正在恢复备份…</source>
        <translation>Restoring the backup…</translation>
    </message>
</context>
<context>
    <name>SOP</name>
    <message>
        <source>与便携表比对读数</source>
        <translation>Compare the reading with a portable instrument</translation>
    </message>
    <message>
        <source>与居民确认问题已解决</source>
        <translation>Confirm with the resident that the problem is solved</translation>
    </message>
    <message>
        <source>关闭上下游阀门隔离</source>
        <translation>Isolate by closing the upstream and downstream valves</translation>
    </message>
    <message>
        <source>处理异味来源</source>
        <translation>Deal with the source of the odor</translation>
    </message>
    <message>
        <source>复测</source>
        <translation>Retest</translation>
    </message>
    <message>
        <source>复测浓度</source>
        <translation>Retest the gas concentration</translation>
    </message>
    <message>
        <source>完成修复</source>
        <translation>Finish the repair</translation>
    </message>
    <message>
        <source>完成协助</source>
        <translation>Finish helping</translation>
    </message>
    <message>
        <source>必要时疏散周边住户</source>
        <translation>Evacuate nearby households if needed</translation>
    </message>
    <message>
        <source>恢复供气后复测压力与浓度</source>
        <translation>After supply is restored, retest pressure and gas concentration</translation>
    </message>
    <message>
        <source>校准或更换传感器</source>
        <translation>Calibrate or replace the sensor</translation>
    </message>
    <message>
        <source>核对燃气表读数</source>
        <translation>Check the gas meter reading</translation>
    </message>
    <message>
        <source>检查传感器供电与通讯</source>
        <translation>Check the sensor's power supply and communication</translation>
    </message>
    <message>
        <source>模拟关阀隔离</source>
        <translation>Simulate isolation by closing valves</translation>
    </message>
    <message>
        <source>现场检测可燃气体浓度</source>
        <translation>Measure the combustible gas concentration on site</translation>
    </message>
    <message>
        <source>用检测仪测可燃气体浓度</source>
        <translation>Measure the combustible gas concentration with a detector</translation>
    </message>
    <message>
        <source>电话确认抢修员已出发</source>
        <translation>Confirm by phone that the repair crew has set off</translation>
    </message>
    <message>
        <source>穿戴防护装备</source>
        <translation>Wear protective equipment</translation>
    </message>
    <message>
        <source>穿戴防护装备、禁止明火</source>
        <translation>Wear protective equipment; no open flames</translation>
    </message>
    <message>
        <source>联系求助居民</source>
        <translation>Contact the resident who asked for help</translation>
    </message>
    <message>
        <source>读取上下游压力表</source>
        <translation>Read the upstream and downstream pressure gauges</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../anran_desktop/ui/sign_in.py" line="46" />
        <source>登录 安燃云</source>
        <translation>Sign in to AnRan</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/sign_in.py" line="49" />
        <source>&lt;b&gt;请登录&lt;/b&gt;（调度员 / 抢修员 / 物业经理 / 管理员）</source>
        <translation>&lt;b&gt;Please sign in&lt;/b&gt; (dispatcher / crew / property manager / administrator)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/sign_in.py" line="62" />
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/sign_in.py" line="63" />
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/sign_in.py" line="64" />
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/sign_in.py" line="72" />
        <location filename="../../anran_desktop/ui/sign_in.py" line="163" />
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/sign_in.py" line="73" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/sign_in.py" line="111" />
        <source>正在验证…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/sign_in.py" line="121" />
        <source>登录检查失败：%1</source>
        <translation>Sign-in check failed: %1</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/sign_in.py" line="133" />
        <source>尝试过于频繁：请在 %1 之后再试（已记入审计日志）</source>
        <translation>Too many attempts: try again after %1 (recorded in the audit log)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/sign_in.py" line="137" />
        <source>用户名或密码不正确（已记入审计日志）。再失败 %1 次，该账户将被锁定。</source>
        <translation>Wrong username or password (recorded in the audit log). %1 more failed attempts lock this account.</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/sign_in.py" line="145" />
        <source>账户「%1」因 %2 分钟内连续 %3 次登录失败已被锁定，将于 %4（本地时间）自动解锁。如需提前解锁，请联系调度员或管理员。</source>
        <translation>Account “%1” is locked after %3 failed sign-ins within %2 minutes; it unlocks at %4 (local time). A dispatcher or administrator can unlock it sooner.</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/sign_in.py" line="167" />
        <source>登录（%1 秒）</source>
        <translation>Sign in (%1 s)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/sign_in.py" line="168" />
        <source>已锁定</source>
        <translation>Locked</translation>
    </message>
    <message>
        <source>用户名或密码不正确（已记入审计日志）</source>
        <translation>Wrong username or password (recorded in the audit log)</translation>
    </message>
    <message>
        <source>调度员</source>
        <translation>Dispatcher</translation>
    </message>
    <message>
        <source>抢修员</source>
        <translation>Crew</translation>
    </message>
    <message>
        <source>物业经理</source>
        <translation>Property manager</translation>
    </message>
    <message>
        <source>管理员</source>
        <translation>Administrator</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <location filename="../../anran_desktop/ui/sync_status.py" line="36" />
        <source>在线</source>
        <translation>online</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/sync_status.py" line="37" />
        <source>离线</source>
        <translation>offline</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/sync_status.py" line="38" />
        <source>待发 {n}</source>
        <translation>{n} to send</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/sync_status.py" line="41" />
        <source>最早已等 {age}</source>
        <translation>oldest waiting {age}</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/sync_status.py" line="43" />
        <source>{n} 条发送失败，重试中</source>
        <translation>{n} failed, retrying</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/sync_status.py" line="45" />
        <source>{n} 条被中继拒收</source>
        <translation>{n} refused by the relay</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/sync_status.py" line="47" />
        <source>{n} 张工单未能发给抢修员</source>
        <translation>{n} tickets not sent to the crews</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/sync_status.py" line="49" />
        <source>{n} 条待入库</source>
        <translation>{n} received, not yet stored</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/sync_status.py" line="52" />
        <source>上次成功 {t}</source>
        <translation>last success {t}</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/sync_status.py" line="54" />
        <source>尚未成功同步</source>
        <translation>no successful sync yet</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/sync_status.py" line="91" />
        <source>同步出错：</source>
        <translation>sync error: </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/sync_status.py" line="110" />
        <source>配置有误：</source>
        <translation>bad configuration: </translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/sync_status.py" line="115" />
        <source>连接中…</source>
        <translation>connecting…</translation>
    </message>
</context>
<context>
    <name>TicketBoard</name>
    <message>
        <source>待派</source>
        <translation>To dispatch</translation>
    </message>
    <message>
        <source>在途</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>已结</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>告警</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <source>派单</source>
        <translation>Dispatched</translation>
    </message>
    <message>
        <source>到场核查</source>
        <translation>On site</translation>
    </message>
    <message>
        <source>处置</source>
        <translation>Handling</translation>
    </message>
    <message>
        <source>复测</source>
        <translation>Retest</translation>
    </message>
    <message>
        <source>结案</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>疑似泄漏</source>
        <translation>Suspected leak</translation>
    </message>
    <message>
        <source>异味快报</source>
        <translation>Odor report</translation>
    </message>
    <message>
        <source>一键求助</source>
        <translation>Help request</translation>
    </message>
    <message>
        <source>传感器故障</source>
        <translation>Sensor fault</translation>
    </message>
    <message>
        <source>演练</source>
        <translation>Drill</translation>
    </message>
    <message>
        <source>维护</source>
        <translation>Maintenance</translation>
    </message>
    <message>
        <source>建立工单</source>
        <translation>Ticket created</translation>
    </message>
    <message>
        <source>指派</source>
        <translation>Assigned to</translation>
    </message>
    <message>
        <source>接单</source>
        <translation>Accept</translation>
    </message>
    <message>
        <source>更新疑似区间</source>
        <translation>Interval updated</translation>
    </message>
    <message>
        <source>添加证据</source>
        <translation>Evidence added</translation>
    </message>
    <message>
        <source>勾选检查项</source>
        <translation>Checklist item</translation>
    </message>
    <message>
        <source>移动</source>
        <translation>Moved</translation>
    </message>
    <message>
        <source>发布</source>
        <translation>Published</translation>
    </message>
    <message>
        <source>时限预警</source>
        <translation>SLA warning</translation>
    </message>
    <message>
        <source>超时升级</source>
        <translation>SLA escalated</translation>
    </message>
    <message>
        <source>中继同步</source>
        <translation>Synced from the relay</translation>
    </message>
    <message>
        <source>调度台拒绝</source>
        <translation>Refused by the dispatch room</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_board.py" line="109" />
        <source>{column}（{count}）</source>
        <translation>{column} ({count})</translation>
    </message>
</context>
<context>
    <name>TicketDetailPanel</name>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="86" />
        <location filename="../../widgets/ticket_detail.py" line="234" />
        <source>选择一张工单查看详情</source>
        <translation>Select a ticket to see its details</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="94" />
        <source>指派给所选人员</source>
        <translation>Assign</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="96" />
        <source>抢修人员：</source>
        <translation>Crew: </translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="99" />
        <source>通知片区居民…</source>
        <translation>Notify the area's residents…</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="100" />
        <source>在「区域通知」中按本工单的区域准备抢修或恢复供气通知</source>
        <translation>Prepare a repair or supply-restored notice for this ticket's areas under Area notices</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="115" />
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="115" />
        <source>操作人</source>
        <translation>By</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="115" />
        <source>动作</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="115" />
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="140" />
        <source>时间线</source>
        <translation>Timeline</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="141" />
        <source>检查项</source>
        <translation>Checklist</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="142" />
        <source>证据</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="143" />
        <source>区间变化</source>
        <translation>Interval history</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="194" />
        <source>↩ 退回「{s}」</source>
        <translation>↩ Back to “{s}”</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="208" />
        <source>（可选）</source>
        <translation> (optional)</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="216" />
        <source>尚无证据</source>
        <translation>No evidence yet</translation>
    </message>
    <message>
        <location filename="../../widgets/ticket_detail.py" line="221" />
        <source>无区间记录</source>
        <translation>No interval recorded</translation>
    </message>
    <message>
        <source>指派</source>
        <translation>Assigned to</translation>
    </message>
    <message>
        <source>疑似区间</source>
        <translation>Suspected interval</translation>
    </message>
    <message>
        <source>置信度</source>
        <translation>confidence</translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <location filename="../../anran_desktop/ui/unlock_dialog.py" line="26" />
        <source>账户锁定与解锁</source>
        <translation>Locked accounts</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/unlock_dialog.py" line="31" />
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/unlock_dialog.py" line="31" />
        <source>锁定至（本地时间）</source>
        <translation>Locked until (local time)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/unlock_dialog.py" line="35" />
        <source>解锁所选账户</source>
        <translation>Unlock selected account</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/unlock_dialog.py" line="52" />
        <source>当前没有被锁定的账户</source>
        <translation>No account is locked</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/unlock_dialog.py" line="64" />
        <source>只有调度员或管理员可以解锁账户</source>
        <translation>Only a dispatcher or administrator may unlock accounts</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/unlock_dialog.py" line="66" />
        <source>已解锁「%1」（已记入审计日志）</source>
        <translation>Unlocked “%1” (recorded in the audit log)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/unlock_dialog.py" line="67" />
        <source>「%1」已不再锁定</source>
        <translation>“%1” is no longer locked</translation>
    </message>
</context>
<context>
    <name>UsersDialog</name>
    <message>
        <location filename="../../anran_desktop/ui/users_dialog.py" line="30" />
        <source>只有管理员可以管理账户</source>
        <extracomment>refusals by code (``services/user_admin.py``), worded with their figures</extracomment>
        <translation>Only an admin can manage accounts</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/users_dialog.py" line="31" />
        <source>没有账户 {name}</source>
        <translation>No account {name}</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/users_dialog.py" line="32" />
        <source>用户名 {name} 须为 2–32 位字母、数字、_ . -</source>
        <translation>The username {name} must be 2–32 letters, digits, _ . -</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/users_dialog.py" line="33" />
        <source>用户名 {name} 已被使用（停用的账户也保留其用户名）</source>
        <translation>The username {name} is taken (a deactivated account keeps its username)</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/users_dialog.py" line="34" />
        <source>请填写姓名</source>
        <translation>Enter the person's name</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/users_dialog.py" line="35" />
        <source>未知角色 {role}</source>
        <translation>Unknown role {role}</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/users_dialog.py" line="36" />
        <source>密码至少 {n} 位</source>
        <translation>A password needs at least {n} characters</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/users_dialog.py" line="37" />
        <source>不能停用或降级自己的管理员账户</source>
        <translation>You cannot deactivate or demote your own admin account</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/users_dialog.py" line="38" />
        <source>{name} 是最后一个在用的管理员，不能停用或降级</source>
        <translation>{name} is the last active admin: cannot be deactivated or demoted</translation>
    </message>
    <message>
        <source>新增用户</source>
        <translation>Add a user</translation>
    </message>
    <message>
        <source>至少 {n} 位</source>
        <translation>at least {n} characters</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Full name</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>再输一次</source>
        <translation>Once more</translation>
    </message>
    <message>
        <source>用户管理</source>
        <translation>User management</translation>
    </message>
    <message>
        <source>在用</source>
        <translation>active</translation>
    </message>
    <message>
        <source>已停用</source>
        <translation>deactivated</translation>
    </message>
    <message>
        <source>新增用户…</source>
        <translation>Add a user…</translation>
    </message>
    <message>
        <source>改姓名…</source>
        <translation>Rename…</translation>
    </message>
    <message>
        <source>改角色…</source>
        <translation>Change role…</translation>
    </message>
    <message>
        <source>重置密码…</source>
        <translation>Reset password…</translation>
    </message>
    <message>
        <source>停用</source>
        <translation>Deactivate</translation>
    </message>
    <message>
        <source>启用</source>
        <translation>Reactivate</translation>
    </message>
    <message>
        <source>账户不会被删除：离职人员请停用，其工单与审计记录保留原名。</source>
        <translation>Accounts are never deleted: deactivate someone who has left; their tickets and audit records keep the name.</translation>
    </message>
    <message>
        <source>（已记入审计日志）</source>
        <translation> (recorded in the audit log)</translation>
    </message>
    <message>
        <source>两次输入的密码不一致</source>
        <translation>The two passwords differ</translation>
    </message>
    <message>
        <source>已新增 {name}</source>
        <translation>Added {name}</translation>
    </message>
    <message>
        <source>已更改 {name} 的姓名</source>
        <translation>Renamed {name}</translation>
    </message>
    <message>
        <source>{name} 的角色改为 {role}</source>
        <translation>{name} is now {role}</translation>
    </message>
    <message>
        <source>已重置 {name} 的密码，请当面告知本人</source>
        <translation>Password of {name} reset: tell them in person</translation>
    </message>
    <message>
        <source>已启用 {name}</source>
        <translation>Reactivated {name}</translation>
    </message>
    <message>
        <source>已停用 {name}：不能再登录，也不会被派单</source>
        <translation>Deactivated {name}: cannot sign in, and is not offered for tickets</translation>
    </message>
    <message>
        <source>改姓名</source>
        <translation>Rename</translation>
    </message>
    <message>
        <source>{name} 的姓名</source>
        <translation>Name of {name}</translation>
    </message>
    <message>
        <source>改角色</source>
        <translation>Change role</translation>
    </message>
    <message>
        <source>{name} 的角色</source>
        <translation>Role of {name}</translation>
    </message>
    <message>
        <source>重置密码</source>
        <translation>Reset password</translation>
    </message>
    <message>
        <source>{name} 的新密码（至少 {n} 位）</source>
        <translation>New password for {name} (at least {n} characters)</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="231" />
        <source>首批用户</source>
        <translation>First users</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="232" />
        <source>至少一名管理员。密码至少 8 位，首次登录后可修改。</source>
        <translation>At least one administrator. Passwords have at least 8 characters and can be changed after the first sign-in.</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="234" />
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="234" />
        <source>姓名</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="234" />
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="234" />
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="237" />
        <source>添加用户</source>
        <translation>Add user</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="238" />
        <source>删除所选</source>
        <translation>Remove selected</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="250" />
        <source>管理员</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <location filename="../../anran_desktop/ui/first_run.py" line="251" />
        <source>调度员</source>
        <translation>Dispatcher</translation>
    </message>
</context>
</TS>