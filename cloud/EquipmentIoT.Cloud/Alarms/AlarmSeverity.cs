namespace EquipmentIoT.Cloud.Alarms;

/// <summary>How bad a rule's condition is, most severe first (the order escalation times and listings use).</summary>
public enum AlarmSeverity
{
    /// <summary>Equipment or patient safety at stake now (helium compressor off, chamber oxygen during a build).</summary>
    Critical,

    /// <summary>Needs action within hours (helium low, chiller too warm).</summary>
    Major,

    /// <summary>Needs attention within a working day (magnet-room climate).</summary>
    Minor,

    /// <summary>Worth knowing; nobody is paged.</summary>
    Warning,
}
