"""Fill resources/i18n/anran_en.ts with the English texts and compile it to anran_en.qm.

    .venv/bin/pyside6-lupdate widgets/*.py anran_desktop/ui/*.py -ts resources/i18n/anran_en.ts
    .venv/bin/python scripts/translate_en.py

Source strings are Simplified Chinese (the default language); this table is the English side.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "i18n" / "anran_en.ts"

EN = {
    " 着色：": " Colour by: ", "<b>告警与事件</b>": "<b>Alarms and events</b>",
    "<b>测点</b>（可多选，曲线共用时间轴）": "<b>Points</b> (multi-select; curves share the time axis)",
    "<b>详情</b>": "<b>Details</b>", "事件 · 测点 · 详情": "Events · points · details", "关于安燃云": "About AnRan",
    "动作": "Action", "压力": "Pressure", "压力/流量曲线": "Pressure / flow curves", "同步：": "Sync: ",
    "同步：未配置": "Sync: not configured",
    "安燃云 AnRan — 城/园区燃气漏损监测与应急处置\n更快发现、更准定位、更规范闭环":
        "AnRan — leak monitoring and emergency response for city and campus gas networks\n"
        "Find leaks faster, locate them more precisely, close every emergency as a traceable loop",
    "安燃云 AnRan — 燃气管网监测与应急调度": "AnRan — gas network monitoring and dispatch",
    "导入失败": "Import failed", "导入管网": "Import network", "导入管网 GeoJSON…": "Import network GeoJSON…",
    "导入读数": "Import readings", "导入读数 CSV…": "Import readings CSV…", "工单中心": "Tickets",
    "已导入读数：": "Readings imported: ", "已接收 ": "received ", "帮助(&H)": "&Help",
    "按压力着色": "Pressure", "按泄漏疑似度着色": "Leak suspicion", "按管径": "Diameter", "操作人": "By",
    "放大": "Zoom in", "数据库：": "Database: ", "数据源：": "Source: ", "数据源：无": "Source: none",
    "文件(&F)": "&File", "无法移动工单": "Cannot move the ticket", "时间": "Time", "模型残差": "Model residual",
    "流量": "Flow", "点击管网中的管段、阀门或测点查看详情": "Click a pipe, valve or point on the map for details",
    "疑似概率": "Leak probability", "管网模型求解失败：": "Network model failed: ",
    "线宽表示管径；◆ 阀门（黑=关）；● 绿=压力测点；● 紫=摄像头；■ 调压站":
        "Line width = diameter; ◆ valve (black = closed); ● green = pressure point; ● purple = camera; "
        "■ regulator station",
    "缩小": "Zoom out", "视图(&V)": "&View", "说明": "Note", "退出": "Quit", "适应窗口": "Fit",
    "选择一张工单查看详情": "Select a ticket to see its details", "待派": "To dispatch", "在途": "In progress",
    "已结": "Closed", "指派": "Assigned to", "疑似区间": "Suspected interval", "置信度": "confidence",
    "最新值": "Latest",
    "居民报告燃气异味": "Resident reports a gas odor", "居民求助": "Resident asks for help",
    "居民上报表读数": "Resident meter reading", "居民确认告警": "Resident acknowledged the alert",
    "居民安全自检": "Resident home safety check", "居民服务工单": "Resident service order",
    "居民演练签到": "Resident drill check-in", "{column}（{count}）": "{column} ({count})",
    "打开照片…": "Open photo…", "摄像头取帧": "Grab camera frame", "自动": "Auto", "指针表": "Dial gauge",
    "量程": "Range", "刻度未识别：请在上方输入量程": "Scale not read: type the range above",
    "（自动识别，请与表盘核对）": " (read from the scale: check it against the gauge)", "（输入）": " (typed)",
    "找到的刻度弧为 {arc}°（表盘刻度一般约 240–300°）：刻度起止可能找错":
        "Scale arc found: {arc}° (dial scales span about 240–300°): its start or end may be wrong",
    "最新定位": "Latest location",
    "系统（泄漏监测）": "System (leak watch)", "引擎定位": "engine location", "现场压力读数": "on-site gauge reading",
    "人工": "by hand",
    "工单 {t} 的疑似区间已按最新定位更新：{m} m · 置信度 {c}":
        "Ticket {t} took the latest location as its suspected interval: {m} m · confidence {c}",
    "调度台": "dispatch desk", "{t} 更新": "updated {t}",
    "（进程 {pid}）": " (process {pid})", "（计算机 {host} 上的进程 {pid}）": " (process {pid} on {host})",
    "数据库 {path} 已在另一个安燃云窗口中打开{who}。": "The database {path} is already open in another AnRan window{who}. ",
    "已将那个窗口切换到前台。": "That window was brought to the front.",
    "请切换到那个窗口。同一个数据库同时只能在一个窗口中使用，否则泄漏监测会对同一处泄漏重复告警、重复建工单。":
        "Switch to that window. One database is used by one window at a time; otherwise the leak watch would "
        "raise duplicate alarms and tickets for the same leak.",
    "管网已更新：{p} 条管段、{s} 个测点；泄漏监测改用新管网":
        "Network updated: {p} pipes, {s} points; the leak watch now uses the new network",
    "这个数据库已在本窗口中打开": "This database is already open in this window",
    "如果那台计算机上的安燃云已经关闭（例如断电），删除 {lock} 后再打开。":
        " If AnRan on that computer has already stopped (a power cut, say), delete {lock} and open it again.",
    "备份数据库与证据…": "Back up database and evidence…", "备份数据库与证据": "Back up database and evidence",
    "备份 (*.zip)": "Backup (*.zip)", "正在备份数据库与证据…": "Backing up the database and evidence…",
    "备份已保存：{path}（数据库 {mb:.1f} MB，证据照片 {n} 个）":
        "Backup saved: {path} (database {mb:.1f} MB, {n} evidence photos)",
    "备份失败": "Backup failed",
    "自动备份已保存：{path}": "Automatic backup saved: {path}",
    "自动备份失败：{reason}（一小时后重试）": "Automatic backup failed: {reason} (retried in an hour)",
    "自动备份设置": "Automatic backup", "自动备份设置…": "Automatic backup…",
    "每天自动备份数据库与证据": "Back up the database and evidence every day",
    " 点起": ":00 onwards", "尚无": "none yet", "备份文件夹": "Backup folder", "保留份数": "Backups kept",
    "备份时间": "Backup time", "上次自动备份": "Last automatic backup", "文件夹不存在：{folder}": "No such folder: {folder}",
    "正在查看…": "Looking…", "无法读取备份文件夹": "Cannot read the backup folder",
    "通知片区居民…": "Notify the area's residents…",
    "在「区域通知」中按本工单的区域准备抢修或恢复供气通知":
        "Prepare a repair or supply-restored notice for this ticket's areas under Area notices",
    "区域通知": "Area notices", "向所选区域居民发送通知": "Send a notice to the residents of the chosen areas",
    "模板：": "Template:", "通知标题": "Title", "通知内容（居民在小程序中看到的文字）":
        "Text (what residents read in the mini-program)",
    "发送给所选区域居民": "Send to the chosen areas' residents", "已注册住户": "Registered households",
    "已回执": "Acknowledged", "撤回所选通知": "Withdraw the selected notice", "已撤回": "withdrawn",
    "合计：通知 {n} 条 · 覆盖 {reach} 户 · 已回执 {acks} 户":
        "Total: {n} notices · {reach} households reached · {acks} acknowledged",
    "请填写通知标题和内容": "Please write a title and a text", "抢修通知": "Repair under way",
    "临时停气": "Supply interrupted", "恢复供气": "Supply restored", "告警解除": "All clear",
    "当前角色（{role}）无权发送区域通知": "Your role ({role}) may not send area notices",
    "未配置中继：通知会被拒绝并记入审计日志": "No relay configured: a notice will be refused and logged in the audit log",
    "正在发送通知…": "Sending the notice…",
    "通知未发出：": "Notice not sent: ", "撤回通知": "Withdraw notice",
    "撤回通知{what}？同步后居民将不再看到它；撤回记入审计日志。":
        "Withdraw the notice {what}? After the next sync residents no longer see it; the withdrawal is logged.",
    "已撤回通知{what}，将在下次同步时从居民端移除": "Withdrew the notice {what}; it leaves the residents' side at the next sync",
    "读取通知情况失败：": "Could not read the notices: ",
    "解除告警（误报）…": "Dismiss (false alarm)…",
    "不需要抢修的告警（如大用户开停、测点校准、施工作业）：写明原因后解除，计入误报统计":
        "An alarm that needs no crew (a large consumer switching on or off, a gauge being calibrated, works): "
        "dismiss it with its cause; it counts as a false alarm in the reports",
    "已解除：误报": "Dismissed: false alarm",
    "大用户用气变化（锅炉房、食堂等开停）": "Large consumer switching on or off (boiler house, canteen)",
    "测点故障或校准": "Faulty or calibrating gauge", "施工、调压或检修作业": "Works, regulator adjustment or maintenance",
    "复核无泄漏（现场或远程）": "Checked: no leak (on site or remotely)", "其他": "Other",
    "告警 {alarm} 已解除（误报：{cause}）": "Alarm {alarm} dismissed (false alarm: {cause})",
    "解除告警（误报）": "Dismiss a false alarm",
    "例如：锅炉房 7:00 开机，已电话确认；或现场复核人员与结论":
        "e.g. the boiler house started at 7:00, confirmed by phone; or who checked on site and what they found",
    "解除后告警不再派单，计入周报、月报的误报统计；若仍在检测到同一异常，不会再次告警。":
        "A dismissed alarm gets no ticket and counts as a false alarm in the weekly and monthly reports; "
        "while the same anomaly is still detected it is not raised again.",
    "误报原因": "Cause", "解除告警": "Dismiss alarm",
    "原因为「其他」时请写明说明。": "For \"Other\", please write a note.",
    "说明过长：{n} 字（最多 {max} 字）。": "The note is too long: {n} characters (at most {max}).",
    "已解除告警 {alarm}（误报：{cause}）": "Alarm {alarm} dismissed (false alarm: {cause})",
    '从备份恢复…': 'Restore from backup…',
    '从备份恢复': 'Restore from backup',
    '正在校验备份…': 'Verifying the backup…',
    '正在从备份恢复：{name}': 'Restoring from backup: {name}',
    '正在等待原窗口关闭…': 'Waiting for the previous window to close…',
    '正在恢复备份…': 'Restoring the backup…',
    '注意：这份备份属于站点「{backup}」，不是当前站点「{current}」。': 'Note: this backup is of the site “{backup}”, not of the current site “{current}”.',
    '（未命名）': '(unnamed)',
    '将用这份备份替换本站数据库：\n备份站点：{site}\n备份时间：{taken}\n数据库 {mb:.1f} MB，证据照片 {n} 个': "This backup will replace the site's database:\nSite: {site}\nTaken: {taken}\nDatabase {mb:.1f} MB, {n} evidence photo(s)",
    '当前数据库中晚于备份时间的 {alarms} 条告警、{tickets} 个工单的变动和 {audit} 条审计记录不在备份里，恢复后将不在数据库中。': '{alarms} alarm(s), changes to {tickets} ticket(s) and {audit} audit entries in the current database are newer than the backup and will not be in the restored database.',
    '当前数据库会保留在同一文件夹中（.before-restore-….bak），需要时可再找回。': 'The current database is kept in the same folder (.before-restore-….bak) and can be recovered if needed.',
    '恢复时本窗口将关闭，恢复完成后重新打开，请重新登录。': 'This window closes for the restore and reopens when it is done; sign in again.',
    '恢复并重新打开': 'Restore and reopen',
    '无法恢复': 'Cannot restore',
    '无法启动恢复进程，数据库未改动。': 'The restore could not be started; the database is unchanged.',
    '备份未通过校验，数据库未改动': 'The backup failed verification; the database is unchanged',
    '恢复失败，数据库未改动：{reason}': 'Restore failed, the database is unchanged: {reason}',
    '已从备份恢复（备份时间 {taken}）': 'Restored from the backup (taken {taken})',
    '；原数据库保留为 {kept}': '; the database it replaced is kept as {kept}',
    '备份未恢复。': ' The backup was not restored.',
    "（待确认）": " (unconfirmed)",
    "疑似泄漏待确认：近 {span} 分钟内已检出 {held} 分钟，满 {need} 分钟即告警":
        "Suspected leak, unconfirmed: detected for {held} of the last {span} min; the alarm is raised at {need} min",
    "计数器": "Counter", "量程 如 0:1.6（空=自动识别）": "range e.g. 0:1.6 (empty = read from the dial)",
    "单位": "Unit", "识读": "Read", "固定摄像头标定": "Calibrate fixed camera",
    "人工修正值（保留原识读值）": "Manual correction (the original reading is kept)", "保存读数": "Save reading",
    "读数": "Reading", "图像质量": "Image quality", "需复核": "Needs review", "修正": "Correction",
    "关联对象": "Linked to", "打开照片": "Open photo", "图像 (*.jpg *.jpeg *.png *.bmp)": "Images (*.jpg *.jpeg *.png *.bmp)",
    "摄像头没有返回画面": "The camera returned no picture",
    "量程格式应为 最小:最大，例如 0:1.6": "The range must be min:max, for example 0:1.6",
    "量程最大值必须大于最小值": "The range maximum must be greater than the minimum", "识读中…": "Reading…",
    "无法识读": "Cannot read", "是": "Yes", "否": "No", "识读失败：": "Reading failed: ",
    "修正值不是数字": "The correction is not a number", "证据图像编码失败": "The evidence image could not be encoded",
    "标定：依次点击 表盘中心、刻度起点、刻度终点": "Calibration: click the dial centre, the scale start, then the scale end",
    "标定需要量程，例如 0:1.6": "Calibration needs the range, for example 0:1.6", "标定完成": "Calibration done",
    "中继设置无效：{reason}": "Invalid relay settings: {reason}",
    "派单": "Dispatched", "到场核查": "On site", "处置": "Handling", "复测": "Retest", "结案": "Closed",
    "疑似泄漏": "Suspected leak", "异味快报": "Odor report", "一键求助": "Help request",
    "传感器故障": "Sensor fault", "演练": "Drill", "维护": "Maintenance", "等待实时数据…": "waiting for live data…",
    "尚无定位结果（泄漏监视每 30 秒运行一次）": "no localization yet (the leak watch runs every 30 s)",
    "阀门（实心=关）": "valve (filled = closed)", "压力测点": "pressure point", "摄像头": "camera",
    "调压站": "regulator station", "线宽 = 管径": "line width = diameter",
    "（": " (", "）": ")", "：": ": ", "模拟器": "Simulator", "CSV 回放": "CSV replay", "已停止": "stopped", "连接中": "connecting", "运行中": "running", "重连中": "reconnecting",
    "回放结束": "replay finished", "故障": "failed", "信息": "Info", "预警": "Warning", "提示": "Notice", "告警": "Alarm",
    "紧急": "Critical", "【演练】": "[Drill] ", "区间": "interval",
    "暂无告警与事件。新的告警会出现在这里，点击卡片可在管网图和曲线上定位。":
        "No alarms or events yet. New alarms appear here; click a card to find it on the map and the curves.",
    "打开数据库…": "Open database…", "打开数据库": "Open database", "语言(&L)": "&Language",
    "界面语言": "Interface language",
    "界面语言已保存，重新启动安燃云后生效。": "The interface language was saved; it takes effect when AnRan is restarted.",
    "泄漏定位失败：": "Leak localization failed: ",
    "安燃云数据库 (*.sqlite3 *.sqlite *.db)": "AnRan database (*.sqlite3 *.sqlite *.db)",
    "无法打开数据库": "Cannot open the database", "无法启动新的窗口。": "Could not start a new window.",
    "安燃云 — 首次设置": "AnRan — first-run setup", "管网": "Network",
    "先用演示小区熟悉系统，或导入本单位的管网 GeoJSON 文件。":
        "Start with the demo site to get to know the system, or import your own network GeoJSON file.",
    "演示小区 星海花园": "Demo site 星海花园 (Xinghai Garden)", "导入管网文件（GeoJSON）": "Import a network file (GeoJSON)",
    "network.geojson 的路径": "path to network.geojson", "浏览…": "Browse…", "选择管网文件": "Choose a network file",
    "GeoJSON (*.geojson *.json)": "GeoJSON (*.geojson *.json)", "请选择要导入的管网文件": "Choose the network file to import",
    "中继服务": "Relay service",
    "居民端报警和工单同步经过中继服务。可以留空，之后在设置中填写。":
        "Resident reports and ticket sync go through the relay service. You can leave this empty and fill it in "
        "later in the settings.",
    "中继地址": "Relay URL", "站点令牌": "Site token",
    "安装程序已写入的设置会预先填好。": "Settings written by the installer are filled in already.",
    "中继地址和站点令牌要么都填，要么都留空": "Fill in both the relay URL and the site token, or leave both empty",
    "首批用户": "First users",
    "至少一名管理员。密码至少 8 位，首次登录后可修改。":
        "At least one administrator. Passwords have at least 8 characters and can be changed after the first sign-in.",
    "用户名": "User name", "姓名": "Full name", "角色": "Role", "密码": "Password", "添加用户": "Add user",
    "删除所选": "Remove selected", "管理员": "Administrator", "调度员": "Dispatcher",
    # sync status bar (anran_desktop/ui/sync_status.py)
    "在线": "online", "离线": "offline", "待发 {n}": "{n} to send", "最早已等 {age}": "oldest waiting {age}",
    "{n} 条发送失败，重试中": "{n} failed, retrying", "{n} 条被中继拒收": "{n} refused by the relay",
    # typed gauge readings (anran_desktop/ui/evidence_input.py) and the crew screen's refusal of a register
    "读数不是数字：{text}": "The reading is not a number: {text}",
    "{unit} 不是压力单位（kPa、MPa、bar、mbar、Pa）": "{unit} is not a pressure unit (kPa, MPa, bar, mbar, Pa)",
    "节点 {node} 不在本站管网中": "Node {node} is not in this site's network",
    "读数后多了：{extra}": "Left over after the reading: {extra}",
    "请写关闭的阀门和压力是否恢复，例如 V-S3S4,V-S4S5;是":
        "Write the valves closed and whether the pressures came back, e.g. V-S3S4,V-S4S5;yes",
    "不是本站管网的阀门：{ids}": "Not a valve of this site's network: {ids}",
    "压力是否恢复请写“是”或“否”（写的是：{word}）": "Write yes or no for whether the pressures came back (got: {word})",
    "进站流量是否回落请写“是”或“否”（写的是：{word}）": "Write yes or no for whether the inlet flow fell back (got: {word})",
    "请写关闭的阀门和进站流量是否回落，例如 V-S3S4,V-S4S5;是":
        "Write the valves closed and whether the inlet flow fell back, e.g. V-S3S4,V-S4S5;yes",
    "这不是压力读数（单位 {unit}）：请拍摄压力表": "This is not a pressure reading (unit {unit}): photograph a pressure gauge",
    # user management (anran_desktop/ui/users_dialog.py)
    "用户管理…": "User management…", "用户管理": "User management", "新增用户": "Add a user",
    "只有管理员可以管理账户": "Only an admin can manage accounts", "没有账户 {name}": "No account {name}",
    "用户名 {name} 须为 2–32 位字母、数字、_ . -": "The username {name} must be 2–32 letters, digits, _ . -",
    "用户名 {name} 已被使用（停用的账户也保留其用户名）":
        "The username {name} is taken (a deactivated account keeps its username)",
    "请填写姓名": "Enter the person's name", "未知角色 {role}": "Unknown role {role}",
    "密码至少 {n} 位": "A password needs at least {n} characters",
    "不能停用或降级自己的管理员账户": "You cannot deactivate or demote your own admin account",
    "{name} 是最后一个在用的管理员，不能停用或降级": "{name} is the last active admin: cannot be deactivated or demoted",
    "至少 {n} 位": "at least {n} characters",
    "再输一次": "Once more", "在用": "active", "已停用": "deactivated", "新增用户…": "Add a user…",
    "改姓名…": "Rename…", "改角色…": "Change role…", "重置密码…": "Reset password…", "停用": "Deactivate",
    "启用": "Reactivate",
    "账户不会被删除：离职人员请停用，其工单与审计记录保留原名。":
        "Accounts are never deleted: deactivate someone who has left; their tickets and audit records keep the name.",
    "（已记入审计日志）": " (recorded in the audit log)", "两次输入的密码不一致": "The two passwords differ",
    "已新增 {name}": "Added {name}", "已更改 {name} 的姓名": "Renamed {name}",
    "{name} 的角色改为 {role}": "{name} is now {role}",
    "已重置 {name} 的密码，请当面告知本人": "Password of {name} reset: tell them in person",
    "已启用 {name}": "Reactivated {name}",
    "已停用 {name}：不能再登录，也不会被派单": "Deactivated {name}: cannot sign in, and is not offered for tickets",
    "改姓名": "Rename", "{name} 的姓名": "Name of {name}", "改角色": "Change role", "{name} 的角色": "Role of {name}",
    "重置密码": "Reset password", "{name} 的新密码（至少 {n} 位）": "New password for {name} (at least {n} characters)",
    "{n} 张工单未能发给抢修员": "{n} tickets not sent to the crews", "未能发给抢修员：": "Not sent to the crew: ",
    "{n} 条待入库": "{n} received, not yet stored", "上次成功 {t}": "last success {t}",
    "尚未成功同步": "no successful sync yet", "同步出错：": "sync error: ", "配置有误：": "bad configuration: ",
    "连接中…": "connecting…",
    # point health and site ingest (anran_desktop/ui/point_health_view.py)
    "良好": "good", "可疑": "suspect", "点位健康度": "Point health",  # 故障 → "failed" (above)
    "测点健康：良好/可疑/故障": "point health: good / suspect / faulty",
    "现场数据源配置无效，沿用原数据源：": "Site data-source configuration refused; keeping the current source: ",
    "现场数据源配置": "Site data sources",
    # report centre (widgets/report_center.py, anran_desktop/ui/report_center_panel.py)
    "报告中心": "Reports", "结案报告": "Close report", "周报": "Weekly report", "月报": "Monthly report",
    "演练报告": "Drill report", "截止日期": "Period ends", "生成报告": "Generate", "打开": "Open",
    "工单/统计区间": "Ticket / period", "生成时间": "Generated", "类型": "Kind", "标题": "Title", "工单": "Ticket",
    "尚未生成报告。选择类型后点击“生成报告”，双击列表中的报告用系统阅读器打开。":
        "No reports yet. Choose a kind and press Generate; double-click a report to open it in the system viewer.",
    "没有可生成该报告的工单（结案报告需已结案的工单，演练报告需演练工单）。":
        "No ticket for this report (a close report needs a closed ticket, a drill report a drill ticket).",
    "双击列表中的报告用系统阅读器打开。": "Double-click a report to open it in the system viewer.",
    "正在生成报告…": "Generating the report…", "已生成：": "Generated: ", "报告生成失败：": "Report failed: ",
    "文件不存在：": "File not found: ", "无法用系统阅读器打开：": "The system viewer could not open: ",
    # emergency loop: alarm → ticket, ticket detail, sign-in, audit, crew mode (anran_desktop/ui/loop_*.py,
    # sign_in.py, audit_dialog.py, crew_mode.py, widgets/ticket_detail.py, widgets/crew_view.py)
    "由告警建单（预填区间、SOP、最近抢修员）": "Ticket from alarm (interval, SOP, nearest crew pre-filled)",
    "关闭的阀门（逗号分隔）; 压力是否恢复 是/否，例如 V-S3S4,V-S4S5;是":
        "Valves closed (comma-separated); pressure restored yes/no, e.g. V-S3S4,V-S4S5;yes",
    "关阀试验": "Valve-closure test", "到场": "Arrival", "区间更新失败：": "Interval update failed: ",
    "响应": "Response", "图像 (*.jpg *.jpeg *.png)": "Images (*.jpg *.jpeg *.png)", "备注": "Note",
    "备注内容": "Note text", "审计日志与校验…": "Audit log and verification…", "已建单 ": "Ticket created ",
    "抢修模式（大按钮·触屏）": "Crew mode (large controls, touch)", "无法修改检查项": "Cannot change the checklist",
    "无法建单": "Cannot create the ticket", "无法执行此步骤": "Cannot take this step", "无法指派": "Cannot assign",
    "无法添加证据": "Cannot attach the evidence", "未登录/未知用户（只读）": "not signed in / unknown user (read-only)",
    "账户已停用（只读）": "account deactivated (read-only)", "账户已停用": "Account deactivated",
    "管理员已停用账户 {user}：本窗口只能查看，不能再建单、派单或更改工单。如需继续工作，请用有效账户重新登录。":
        "An administrator has deactivated the account {user}. This window can only show things now: it can no "
        "longer create, dispatch or change tickets. To go on working, sign in again with an active account.",
    "管理员已更改本账户的角色，现可进行的操作已随之更新":
        "An administrator changed this account's role; the actions offered now follow the new role",
    "用户：": "User: ", "选择照片": "Choose a photo",
    "证据已记录；引擎未能据此更新区间（数据不足或未检出泄漏）":
        "Evidence recorded; the engine could not update the interval from it (not enough data or no leak detected)",
    "读数 单位 [节点]，例如 0.22 MPa N-S3 或 3.1 kPa": "Value unit [node], e.g. 0.22 MPa N-S3 or 3.1 kPa",
    "段": "pipes", "正常": "ok", "即将超时": "due soon", "已超时·升级": "overdue · escalated", "达标": "met",
    "超时": "missed", "抢修员": "Crew", "物业经理": "Property manager",
    "未知用户": "unknown user", "抢修人员：": "Crew: ", "时间线": "Timeline", "检查项": "Checklist", "证据": "Evidence",
    "区间变化": "Interval history", "现场压力读数…": "On-site gauge reading…", "复测读数…": "Retest reading…",
    "处置前照片…": "Photo before…", "处置后照片…": "Photo after…", "备注…": "Note…",
    "（可选）": " (optional)", "尚无证据": "No evidence yet", "无区间记录": "No interval recorded",
    "↩ 退回「{s}」": "↩ Back to “{s}”",
    "审计日志": "Audit log", "序号": "No.", "对象": "Entity", "内容": "Content", "校验哈希链": "Verify the hash chain",
    "尚未校验": "Not verified yet", "哈希链完整：共 {n} 条记录，未发现篡改。": "Hash chain intact: {n} rows, no tampering found.",
    "哈希链断裂：第 {id} 条记录被修改、删除或调换了顺序！":
        "Hash chain broken: row {id} was changed, removed or reordered!",
    "登录 安燃云": "Sign in to AnRan", "<b>请登录</b>（调度员 / 抢修员 / 物业经理 / 管理员）":
        "<b>Please sign in</b> (dispatcher / crew / property manager / administrator)",
    "登录": "Sign in", "取消": "Cancel",
    "用户名或密码不正确（已记入审计日志）": "Wrong username or password (recorded in the audit log)",
    "用户名或密码不正确（已记入审计日志）。再失败 %1 次，该账户将被锁定。":
        "Wrong username or password (recorded in the audit log). %1 more failed attempts lock this account.",
    "正在验证…": "Checking…", "登录检查失败：%1": "Sign-in check failed: %1",
    "尝试过于频繁：请在 %1 之后再试（已记入审计日志）": "Too many attempts: try again after %1 (recorded in the audit log)",
    "账户「%1」因 %2 分钟内连续 %3 次登录失败已被锁定，将于 %4（本地时间）自动解锁。如需提前解锁，请联系调度员或管理员。":
        "Account “%1” is locked after %3 failed sign-ins within %2 minutes; it unlocks at %4 (local time). "
        "A dispatcher or administrator can unlock it sooner.",
    "登录（%1 秒）": "Sign in (%1 s)", "已锁定": "Locked", "账户锁定与解锁": "Locked accounts",
    "账户锁定与解锁…": "Locked accounts…", "锁定至（本地时间）": "Locked until (local time)",
    "解锁所选账户": "Unlock selected account", "当前没有被锁定的账户": "No account is locked",
    "只有调度员或管理员可以解锁账户": "Only a dispatcher or administrator may unlock accounts",
    "已解锁「%1」（已记入审计日志）": "Unlocked “%1” (recorded in the audit log)",
    "「%1」已不再锁定": "“%1” is no longer locked",
    "已收到实时数据，正在求解管网模型…": "live data received, solving the network model…",
    "安燃云 · 抢修模式": "AnRan · crew mode", "状态": "Status", "已保存在本机；{n} 条待同步（联网后自动上传）":
        "Saved on this computer; {n} waiting to sync (uploaded when the network is back)",
    "已保存在本机；无待同步": "Saved on this computer; nothing waiting to sync", "无法接单": "Cannot accept",
    "已连接中继": "Connected to the relay", "离线，已保存在本机": "Offline, saved on this computer",
    "{n} 条待上传": "{n} waiting to upload", "{n} 条待调度台确认": "{n} waiting for the dispatch room",
    "调度台拒绝 {ticket}：{reason}": "Refused by the dispatch room, {ticket}: {reason}",
    "中继密码有误：": "Relay password problem: ", "连接中继中…": "Connecting to the relay…",
    "未设置中继密码（ANRAN_CREW_PASSWORD 或 crew_password_file）":
        "No relay password set (ANRAN_CREW_PASSWORD or crew_password_file)",
    "中继同步": "Synced from the relay", "调度台拒绝": "Refused by the dispatch room",
    # crew relay follow-ups (CrewSync, CrewReasons, CrewRelayDialog, CrewView)
    "正在上传 {n} 条（中继限流，稍后继续）": "Uploading {n} (relay rate limit, continuing shortly)",
    "正在上传 {n} 条（中继限流，{s} 秒后继续）": "Uploading {n} (relay rate limit, continuing in {s} s)",
    "正在上传 {n} 条": "Uploading {n}", "工单 {ticket} 已由调度台收回（改派）":
        "Ticket {ticket} was withdrawn by the dispatch room (reassigned)",
    "未设置中继地址（中继设置…）": "No relay address set (Relay settings…)",
    "未设置中继密码（中继设置…，或 ANRAN_CREW_PASSWORD）": "No relay password set (Relay settings…, or ANRAN_CREW_PASSWORD)",
    "燃气表读数": "gas meter reading", "压力表读数": "gauge reading", "复测读数": "retest reading",
    "处置前照片": "photo before handling", "处置后照片": "photo after handling", "关阀测试": "valve-closure test",
    "居民报告": "resident report", "、": ", ", "无人": "nobody",
    "工单 {ticket} 已改派给 {assignee}，此记录不再适用":
        "Ticket {ticket} was reassigned to {assignee}; this record no longer applies",
    "不能从「{a}」直接到「{b}」（下一步只能是「{c}」）": "Cannot go from “{a}” straight to “{b}” (the next step is “{c}”)",
    "角色 {role} 不能把工单退回「{to}」": "Role {role} may not move the ticket back to “{to}”",
    "角色 {role} 无权执行 {action}": "Role {role} may not do {action}",
    "离开「{stage}」前缺少证据：{items}": "Evidence missing before leaving “{stage}”: {items}",
    "「{stage}」的必做检查项未完成：{items}": "Required checks of “{stage}” not done: {items}",
    "结案前须附复测读数": "A retest reading is needed before closing",
    "派单前须指定抢修人员": "A crew member must be assigned before dispatch", "工单 {ticket} 已结案": "Ticket {ticket} is closed",
    "工单只能退回一步（「{a}」→「{b}」）": "A ticket can go back one step only (“{a}” → “{b}”)",
    "只有「派单」状态的工单可以接单（现在：{status}）": "Only a dispatched ticket can be accepted (now: {status})",
    "「{item}」不是该工单 SOP 的检查项": "“{item}” is not a check of this ticket's SOP",
    "调度台没有工单 {ticket}": "The dispatch room has no ticket {ticket}", "照片文件 {path} 不存在": "Photo file {path} is missing",
    "中继拒收（{status} {code}）：{message}": "Refused by the relay ({status} {code}): {message}",
    "中继设置": "Relay settings", "中继设置…": "Relay settings…", "已保存（留空则不变）": "Saved (leave empty to keep it)",
    "中继用户": "Relay user", "测试连接": "Test connection",
    "密码只保存在本机用户目录的受保护文件中（仅本人可读），不写入数据库。":
        "The password is kept only in a protected file in your user folder on this computer (readable by you "
        "alone), never in the database.",
    "已保存的密码无法读取：": "The saved password cannot be read: ", "正在连接…": "Connecting…",
    "连接成功：{user} 在中继上有 {n} 张工单": "Connected: {user} has {n} tickets on the relay",
    "连接失败：": "Connection failed: ", "无法保存密码文件：": "Cannot save the password file: ", "保存": "Save",
    "关闭的阀门（逗号分隔），例如 V-S3S4,V-S4S5": "Valves closed (comma-separated), e.g. V-S3S4,V-S4S5",
    "关阀后下游压力是否恢复？": "Did the downstream pressure come back after closing?", "压力恢复": "pressure restored",
    "压力未恢复": "pressure not restored", "关阀试验…": "Valve-closure test…",
    "关阀后进站流量是否回落？（请向调度员确认）": "Did the inlet flow fall back after closing? (ask the dispatcher)",
    "进站流量回落": "inlet flow fell back", "进站流量未回落": "inlet flow did not fall back",
    "关闭的阀门（逗号分隔）; 进站流量是否回落 是/否，例如 V-S3S4,V-S4S5;是":
        "Valves closed (comma-separated); inlet flow fell back yes/no, e.g. V-S3S4,V-S4S5;yes",
    "工单没有位置信息": "The ticket has no location", "无法附照片": "Cannot attach the photo",
    "节点 ": "Node ", "工单（不指定节点）": "Ticket (no node)", "无法保存读数": "Cannot save the reading",
    "没有读数：请修正后再保存": "No reading: enter a correction, then save", "压力表照片读数": "gauge photo reading",
    "我的工单": "My tickets", "选择左侧的工单": "Choose a ticket on the left", "接单": "Accept",
    "在地图上定位": "Locate on map", "下一步": "Next step", "读压力表/拍表": "Read a gauge", "附照片": "Attach photo",
    "← 返回工单": "← Back to the ticket", "已接单": "Accepted", "没有指派给我的工单": "No tickets assigned to me",
    "证据：": "Evidence: ", "无": "none", "并入片区未结工单（作为证据）": "Merge into the area's open ticket (as evidence)",
    "无法并入工单": "Cannot merge into a ticket", "指派给所选人员": "Assign",
    "建立工单": "Ticket created", "更新疑似区间": "Interval updated", "添加证据": "Evidence added",
    "勾选检查项": "Checklist item", "移动": "Moved", "发布": "Published", "时限预警": "SLA warning",
    "超时升级": "SLA escalated",
    "演练签到": "Drill check-in", "邀请居民参加演练签到": "Invite residents to a drill check-in",
    "选择区域（可多选）：": "Areas (choose one or more):", "邀请标题：": "Invitation title:",
    "燃气应急演练签到": "Gas emergency drill check-in", "邀请所选区域居民签到": "Invite the chosen areas' residents",
    "区域": "Area", "发送时间": "Sent", "已发码": "Codes issued", "已邀请（已注册）": "Invited (registered)",
    "已签到": "Checked in", "合计：邀请 {n} 户 · 已签到 {m} 户": "Total: {n} households invited · {m} checked in",
    "请至少选择一个区域": "Choose at least one area", "待发送": "Waiting to send", "已送达中继": "At the relay",
    "中继拒收": "Refused by the relay", "当前角色（{role}）无权邀请居民签到":
        "Your role ({role}) may not invite residents to a check-in",
    "未配置中继：邀请会被拒绝并记入审计日志": "No relay configured: invitations are refused and logged in the audit log",
    "正在发送邀请…": "Sending the invitation…",
    "已排入中继发送：{areas}（渠道 {ch}，已记入审计日志）": "Queued for the relay: {areas} (channel {ch}, in the audit log)",
    "邀请未发出：": "Invitation not sent: ", "读取签到情况失败：": "Could not read the check-ins: ",
    # meter reader review reasons (widgets/meter_reasons.py, codes of vision/reasons.py)
    "未找到表盘": "No dial found", "未找到计数器": "No register found", "图像模糊": "Blurred",
    "曝光不当": "Badly exposed", "表面反光": "Glare", "表在画面中太小": "Meter too small in the image",
    "图像质量低": "Low image quality", "置信度低": "Low confidence", "找到的刻度线太少": "Few scale ticks found",
    "刻度数字无法识读：请给出量程": "Scale numbers not readable: give the range", "指针不清晰": "Needle not clearly found",
    "刻度插值与透视校正不一致（相差量程的 {diff}%）":
        "Tick interpolation and perspective correction disagree ({diff} % of span)",
    "未找到指针直线或表心：未做透视校正": "Needle line or hub not found: perspective not corrected",
    "第 {digit} 位数字不确定（得分 {score}）": "Digit {digit} uncertain (score {score})",
    "第 {digit} 位：逐位识读为 {cell}，OCR 为 {ocr}": "Digit {digit}: cell reader {cell}, OCR {ocr}",
    "未找到小数点或红色字轮": "No decimal mark or red drums found",
    "小数点不清晰或不在常见位数布局（5+3、5+2、4+3、6+3）":
        "Decimal mark unclear or not at a usual register layout (5+3, 5+2, 4+3, 6+3)",
    "字轮正在翻转：报告较小的数字": "Drum rolling: the lower digit is reported",
    "似乎缺少一位数字（字距不均）": "A digit seems to be missing (uneven cell spacing)",
    "一格中有两个字符（字距不均）": "Two glyphs in one cell (uneven cell spacing)", "；": "; ",
    "（置信度校准中）": " (confidence being calibrated)", "（置信度未校准）": " (confidence not calibrated)",
    "{areas}疑似泄漏：{places}（区间 {length} m，置信度 {confidence}{note}）":
        "Suspected leak in {areas}: {places} (interval {length} m, confidence {confidence}{note})",
    "，置信度校准中": ", confidence being calibrated", "，置信度未校准": ", confidence not calibrated",
    "，仅进站流量上升": ", inlet flow rise only",
    # point health findings and events (widgets/health_text.py, context PointHealth)
    "无数据": "No data", "数据陈旧：最后一次上报在 {age_s} s 前": "Stale: last reported {age_s} s ago",
    "读数僵直：{span_s} s 内恒为 {value}": "Flat-lined: stuck at {value} for {span_s} s",
    "尖峰：{count} 次突跳": "Spikes: {count} jumps",
    "超量程：{percent}% 的读数不在 [{low}, {high}]": "Out of range: {percent} % of readings outside [{low}, {high}]",
    "偏离模型估计 {bias}": "Off the model estimate by {bias}",
    "与相邻点位不一致（中位差 {diff}）": "Disagrees with neighbouring points (median difference {diff})",
    "{name}（{point}）": "{name} ({point})", "健康度过低": "Health too low",
    "测点恢复：{name} — 健康度恢复到 {score}": "Point recovered: {name} — health back to {score}",
    "测点故障待检修：{name} — {reasons}（已不参与泄漏定位）":
        "Point faulty, needs maintenance: {name} — {reasons} (left out of leak localization)",
    "演练开始：{name}": "Drill started: {name}",
    # SOP checklist items (resources/sop/*.json, context SOP)
    "穿戴防护装备": "Wear protective equipment",
    "读取上下游压力表": "Read the upstream and downstream pressure gauges",
    "模拟关阀隔离": "Simulate isolation by closing valves",
    "联系求助居民": "Contact the resident who asked for help", "完成协助": "Finish helping",
    "与居民确认问题已解决": "Confirm with the resident that the problem is solved",
    "电话确认抢修员已出发": "Confirm by phone that the repair crew has set off",
    "穿戴防护装备、禁止明火": "Wear protective equipment; no open flames",
    "用检测仪测可燃气体浓度": "Measure the combustible gas concentration with a detector",
    "关闭上下游阀门隔离": "Isolate by closing the upstream and downstream valves",
    "必要时疏散周边住户": "Evacuate nearby households if needed", "完成修复": "Finish the repair",
    "恢复供气后复测压力与浓度": "After supply is restored, retest pressure and gas concentration",
    "现场检测可燃气体浓度": "Measure the combustible gas concentration on site",
    "核对燃气表读数": "Check the gas meter reading", "处理异味来源": "Deal with the source of the odor",
    "复测浓度": "Retest the gas concentration",
    "检查传感器供电与通讯": "Check the sensor's power supply and communication",
    "校准或更换传感器": "Calibrate or replace the sensor",
    "与便携表比对读数": "Compare the reading with a portable instrument",
}
#: Strings that lupdate cannot see (built from data), added to the named context.
EXTRA = {"TicketBoard": ["待派", "在途", "已结", "告警", "派单", "到场核查", "处置", "复测", "结案", "疑似泄漏",
                         "异味快报", "一键求助", "传感器故障", "演练", "维护",
                         "建立工单", "指派", "接单", "更新疑似区间", "添加证据", "勾选检查项", "移动", "发布", "时限预警",
                         "超时升级", "中继同步", "调度台拒绝"], "TicketDetailPanel": ["指派", "疑似区间", "置信度"],
         "MainWindow": ["最新值", "区域通知"],
         "AreaNoticePanel": ["抢修通知", "临时停气", "恢复供气", "告警解除", "当前角色（{role}）无权发送区域通知",
                             "未配置中继：通知会被拒绝并记入审计日志", "正在发送通知…",
                             "已排入中继发送：{areas}（渠道 {ch}，已记入审计日志）", "通知未发出：", "撤回通知",
                             "撤回通知{what}？同步后居民将不再看到它；撤回记入审计日志。",
                             "已撤回通知{what}，将在下次同步时从居民端移除", "读取通知情况失败："],
         "LoopController": ["关闭的阀门（逗号分隔）; 压力是否恢复 是/否，例如 V-S3S4,V-S4S5;是",
                            "关闭的阀门（逗号分隔）; 进站流量是否回落 是/否，例如 V-S3S4,V-S4S5;是", "关阀试验", "到场",
                            "区间更新失败：", "响应", "图像 (*.jpg *.jpeg *.png)", "备注", "备注内容", "审计日志与校验…",
                            "已建单 ", "抢修模式（大按钮·触屏）", "无法修改检查项", "无法建单", "无法执行此步骤", "无法指派",
                            "无法添加证据", "未登录/未知用户（只读）", "用户：", "结案", "读数", "选择照片",
                            "证据已记录；引擎未能据此更新区间（数据不足或未检出泄漏）",
                            "读数 单位 [节点]，例如 0.22 MPa N-S3 或 3.1 kPa", "在途", "段", "置信度", "正常",
                            "即将超时", "已超时·升级", "达标", "超时", "调度员", "抢修员", "物业经理", "管理员",
                            "无法并入工单", "未能发给抢修员：", "用户管理…", "账户已停用（只读）", "账户已停用",
                            "管理员已停用账户 {user}：本窗口只能查看，不能再建单、派单或更改工单。"
                            "如需继续工作，请用有效账户重新登录。",
                            "管理员已更改本账户的角色，现可进行的操作已随之更新"],
         "SignInDialog": ["调度员", "抢修员", "物业经理", "管理员"],
         "UsersDialog": ["新增用户", "至少 {n} 位", "用户名", "姓名", "角色", "状态", "密码", "再输一次", "用户管理", "在用", "已停用",
                         "新增用户…", "改姓名…", "改角色…", "重置密码…", "停用", "启用",
                         "账户不会被删除：离职人员请停用，其工单与审计记录保留原名。", "（已记入审计日志）",
                         "两次输入的密码不一致", "已新增 {name}", "已更改 {name} 的姓名", "{name} 的角色改为 {role}",
                         "已重置 {name} 的密码，请当面告知本人", "已启用 {name}", "已停用 {name}：不能再登录，也不会被派单",
                         "改姓名", "{name} 的姓名", "改角色", "{name} 的角色", "重置密码", "{name} 的新密码（至少 {n} 位）"],
         "EvidenceInput": ["读数不是数字：{text}", "{unit} 不是压力单位（kPa、MPa、bar、mbar、Pa）", "节点 {node} 不在本站管网中",
                          "读数后多了：{extra}", "请写关闭的阀门和压力是否恢复，例如 V-S3S4,V-S4S5;是",
                          "不是本站管网的阀门：{ids}", "压力是否恢复请写“是”或“否”（写的是：{word}）",
                          "进站流量是否回落请写“是”或“否”（写的是：{word}）",
                          "请写关闭的阀门和进站流量是否回落，例如 V-S3S4,V-S4S5;是"],
         "CrewModeWindow": ["调度员", "抢修员", "物业经理", "管理员", "未知用户", "疑似区间", "置信度", "状态",
                            "（可选）"],
         "ReportCenterView": ["结案报告", "周报", "月报", "演练报告"],
         "DrillInviteView": ["待发送", "已送达中继", "中继拒收"],
         "AutoBackup": ["自动备份已保存：{path}", "自动备份失败：{reason}（一小时后重试）", "自动备份设置",
                        "每天自动备份数据库与证据", "浏览…", " 点起", "尚无", "备份文件夹", "保留份数", "备份时间",
                        "上次自动备份", "文件夹不存在：{folder}", "正在查看…", "无法读取备份文件夹"],
         "BackupAction": ["自动备份设置…", "备份数据库与证据…", "备份数据库与证据", "备份 (*.zip)", "正在备份数据库与证据…",
                          "备份已保存：{path}（数据库 {mb:.1f} MB，证据照片 {n} 个）", "备份失败"],
         "RestoreAction": ['从备份恢复…', '从备份恢复', '正在校验备份…', '注意：这份备份属于站点「{backup}」，不是当前站点「{current}」。', '（未命名）', '将用这份备份替换本站数据库：\n备份站点：{site}\n备份时间：{taken}\n数据库 {mb:.1f} MB，证据照片 {n} 个', '当前数据库中晚于备份时间的 {alarms} 条告警、{tickets} 个工单的变动和 {audit} 条审计记录不在备份里，恢复后将不在数据库中。', '当前数据库会保留在同一文件夹中（.before-restore-….bak），需要时可再找回。', '恢复时本窗口将关闭，恢复完成后重新打开，请重新登录。', '恢复并重新打开', '无法恢复', '无法启动恢复进程，数据库未改动。', '备份未通过校验，数据库未改动', '恢复失败，数据库未改动：{reason}', '已从备份恢复（备份时间 {taken}）', '；原数据库保留为 {kept}', '备份未恢复。', '备份 (*.zip)', '正在从备份恢复：{name}', '正在等待原窗口关闭…', '正在恢复备份…'],
         "PointHealth": ["{name}（{point}）", "健康度过低", "测点恢复：{name} — 健康度恢复到 {score}",
                         "测点故障待检修：{name} — {reasons}（已不参与泄漏定位）", "；"],
         "EventFeed": ["演练开始：{name}", "信息", "预警", "告警", "紧急", "【演练】", "区间", "置信度", "由告警建单（预填区间、SOP、最近抢修员）",
                       "{areas}疑似泄漏：{places}（区间 {length} m，置信度 {confidence}{note}）", "，置信度校准中",
                       "，置信度未校准", "，仅进站流量上升", "、",
                       "并入片区未结工单（作为证据）",
                       "暂无告警与事件。新的告警会出现在这里，点击卡片可在管网图和曲线上定位。",
                       "最新定位", "（置信度未校准）", "解除告警（误报）…",
                       "不需要抢修的告警（如大用户开停、测点校准、施工作业）：写明原因后解除，计入误报统计",
                       "已解除：误报"],
         "FalseAlarm": ["大用户用气变化（锅炉房、食堂等开停）", "测点故障或校准", "施工、调压或检修作业",
                        "复核无泄漏（现场或远程）", "其他", "：", "告警 {alarm} 已解除（误报：{cause}）"],
         "DismissAlarm": ["解除告警（误报）", "例如：锅炉房 7:00 开机，已电话确认；或现场复核人员与结论",
                          "解除后告警不再派单，计入周报、月报的误报统计；若仍在检测到同一异常，不会再次告警。",
                          "告警", "误报原因", "说明", "解除告警", "原因为「其他」时请写明说明。",
                          "说明过长：{n} 字（最多 {max} 字）。", "已解除告警 {alarm}（误报：{cause}）"]}


def sop_texts() -> list[str]:
    """Every checklist text of the bundled SOP files (shown through context SOP, ``crew_reasons.sop_text``)."""
    import json

    texts = {str(item["text"]) for path in sorted((ROOT / "resources" / "sop").glob("*.json"))
             for items in json.loads(path.read_text(encoding="utf-8"))["checklist"].values() for item in items}
    return sorted(texts)


EXTRA["SOP"] = sop_texts()


def main() -> int:
    tree = ET.parse(TS)
    root = tree.getroot()
    for ctx_name, sources in EXTRA.items():
        ctx = next((c for c in root.findall("context") if c.findtext("name") == ctx_name), None)
        if ctx is None:
            ctx = ET.SubElement(root, "context")
            ET.SubElement(ctx, "name").text = ctx_name
        have = {m.findtext("source") for m in ctx.findall("message")}
        for src in sources:
            if src not in have:
                msg = ET.SubElement(ctx, "message")
                ET.SubElement(msg, "source").text = src
                ET.SubElement(msg, "translation")
    missing = []
    for msg in root.iter("message"):
        src = msg.findtext("source")
        tr = msg.find("translation")
        if src in EN:
            tr.text = EN[src]
            tr.attrib.pop("type", None)
        else:
            missing.append(src)
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run([str(lrelease), str(TS), "-qm", str(TS.with_suffix(".qm"))], check=True)
    if missing:
        print("untranslated:", missing)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
