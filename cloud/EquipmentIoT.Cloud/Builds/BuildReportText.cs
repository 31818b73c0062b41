namespace EquipmentIoT.Cloud.Builds;

/// <summary>The labels of the printable build record, in Simplified Chinese (default) and English.</summary>
public sealed record BuildReportText(string Lang, string Title, string Seal, string NotSealed, string SealedAt, string SealedBy, string LedgerSeq,
    string ContentHash, string LinkHash, string Verification, string VerifiedOk, string VerifiedBroken, string Job, string Machine, string JobId,
    string Status, string Started, string Ended, string Layers, string Material, string PausesFaults, string Recoater, string Excursions,
    string Parts, string PartNumber, string CaseRef, string DeviceName, string Entries, string Kind, string Fields, string SignedBy, string At,
    string Hash, string Corrected, string Corrects, string Timeline, string Detail, string PerLayer, string Layer, string Footer,
    IReadOnlyDictionary<string, string> Kinds, IReadOnlyDictionary<BuildStatus, string> Statuses)
{
    public static BuildReportText Chinese { get; } = new("zh-CN", "增材制造生产记录", "封存", "尚未封存（记录仍可补充）", "封存时间", "封存人", "账本序号",
        "内容哈希 (SHA-256)", "链接哈希", "校验", "账本完整：{0} 个链接全部通过", "账本在第 {0} 个链接处断开：{1}", "打印任务", "设备", "任务号",
        "状态", "开始", "结束", "层数（已开始/计划）", "材料", "暂停/故障", "铺粉次数", "超出工艺窗口的层数",
        "零件", "零件编号", "病例编号（假名）", "器械名称", "操作记录", "类型", "内容", "签名人", "时间",
        "哈希", "已更正", "更正", "设备事件", "详情", "逐层工艺数据", "层", "{0} · 导出于 {1} · 导出人 {2}",
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [BuildEntryKinds.Order] = "订单", [BuildEntryKinds.Design] = "设计文件", [BuildEntryKinds.Material] = "材料与粉末批次",
            [BuildEntryKinds.Operator] = "操作员", [BuildEntryKinds.Parameters] = "工艺参数", [BuildEntryKinds.PostProcessing] = "后处理",
            [BuildEntryKinds.Cleaning] = "清洗", [BuildEntryKinds.Packaging] = "包装", [BuildEntryKinds.Sterilisation] = "灭菌",
            [BuildEntryKinds.Inspection] = "检验", [BuildEntryKinds.Release] = "放行决定", [BuildEntryKinds.Part] = "零件", [BuildEntryKinds.Note] = "备注",
        },
        new Dictionary<BuildStatus, string>
        {
            [BuildStatus.Running] = "进行中", [BuildStatus.Paused] = "已暂停", [BuildStatus.Faulted] = "故障",
            [BuildStatus.Completed] = "已完成", [BuildStatus.Aborted] = "已中止",
        });

    public static BuildReportText English { get; } = new("en", "Additive manufacturing build record", "Seal", "Not sealed (the record is still open)",
        "Sealed at", "Sealed by", "Ledger link", "Content hash (SHA-256)", "Link hash", "Verification", "Ledger intact: all {0} links hold",
        "Ledger broken at link {0}: {1}", "Build job", "Machine", "Job id", "Status", "Started", "Ended", "Layers (started / planned)", "Material",
        "Pauses / faults", "Recoater passes", "Layers outside the process window", "Parts", "Part number", "Case reference (pseudonymous)",
        "Device name", "Operator entries", "Kind", "Fields", "Signed by", "At", "Hash", "corrected", "corrects", "Printer timeline", "Detail",
        "Per-layer process data", "Layer", "{0} · exported {1} by {2}",
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [BuildEntryKinds.Order] = "order", [BuildEntryKinds.Design] = "design file", [BuildEntryKinds.Material] = "material and powder lot",
            [BuildEntryKinds.Operator] = "operator", [BuildEntryKinds.Parameters] = "machine parameters", [BuildEntryKinds.PostProcessing] = "post-processing",
            [BuildEntryKinds.Cleaning] = "cleaning", [BuildEntryKinds.Packaging] = "packaging", [BuildEntryKinds.Sterilisation] = "sterilisation",
            [BuildEntryKinds.Inspection] = "inspection", [BuildEntryKinds.Release] = "release decision", [BuildEntryKinds.Part] = "part", [BuildEntryKinds.Note] = "note",
        },
        Enum.GetValues<BuildStatus>().ToDictionary(s => s, s => s.ToString().ToLowerInvariant()));

    /// <summary>The labels for <paramref name="language"/> ("en"; anything else is Chinese).</summary>
    public static BuildReportText For(string? language) => string.Equals(language, "en", StringComparison.OrdinalIgnoreCase) ? English : Chinese;

    public string KindName(string kind) => Kinds.GetValueOrDefault(kind, kind);

    public string StatusName(BuildStatus status) => Statuses[status];
}
