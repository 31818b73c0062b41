namespace EquipmentIoT.Simulators.Models;

/// <summary>How an exam ended.</summary>
public enum ExamOutcome
{
    /// <summary>Still running.</summary>
    InProgress,
    /// <summary>Completed normally.</summary>
    Completed,
    /// <summary>Stopped early (patient unwell, equipment fault).</summary>
    Discontinued,
}

/// <summary>
/// One exam as the modality reports it over MPPS. Every patient value is invented by the simulator (no real
/// person); the agent must scrub them all the same.
/// </summary>
public sealed record Exam(
    string SopInstanceUid,
    string Modality,
    string PatientName,
    string PatientId,
    string PatientBirthDate,
    string AccessionNumber,
    string ProcedureDescription,
    string ProtocolName,
    DateTimeOffset Start)
{
    /// <summary>When it ended (null while in progress).</summary>
    public DateTimeOffset? End { get; set; }

    /// <summary>How it ended.</summary>
    public ExamOutcome Outcome { get; set; } = ExamOutcome.InProgress;

    /// <summary>Series acquired.</summary>
    public int Series { get; set; }

    /// <summary>Images acquired.</summary>
    public int Images { get; set; }

    /// <summary>CT only: volume CT dose index (mGy).</summary>
    public double? CtdiVol { get; set; }

    /// <summary>CT only: dose-length product (mGy·cm).</summary>
    public double? Dlp { get; set; }
}

/// <summary>Invents exams for a modality: names (some Chinese, encoded as GB18030 or UTF-8 on the wire), ids, procedures.</summary>
public sealed class ExamFactory(string modality, string stationAeTitle, Noise noise)
{
    private static readonly string[] Names = ["ZHANG^SAN", "LI^SI", "WANG^WU", "张^伟", "王^芳", "李^娜", "DOE^JANE", "MUSTERMANN^ERIKA"];
    private static readonly Dictionary<string, (string Procedure, string Protocol)[]> Procedures = new(StringComparer.Ordinal)
    {
        ["CT"] = [("CT HEAD W/O CONTRAST", "Head routine"), ("CT CHEST", "Chest low dose"), ("CT ABDOMEN PELVIS", "Abdomen portal venous"), ("CTA CORONARY", "Cardiac prospective")],
        ["MR"] = [("MR BRAIN", "Brain routine"), ("MR KNEE", "Knee 3 plane"), ("MR LUMBAR SPINE", "L-spine"), ("MR PROSTATE", "Prostate mpMRI")],
    };

    private int _number;

    /// <summary>The calling AE title the modality uses.</summary>
    public string StationAeTitle { get; } = stationAeTitle;

    /// <summary>A new exam starting at <paramref name="start"/>.</summary>
    public Exam Next(DateTimeOffset start)
    {
        _number++;
        var (procedure, protocol) = Procedures.TryGetValue(modality, out var list) ? list[noise.Next(0, list.Length)] : ("EXAM", "Routine");
        // 2.25 + a UUID as an integer is the UID form of PS3.5 §B.2 that needs no registered root.
        Span<byte> random = stackalloc byte[17];
        noise.Bytes(random[..16]);
        random[16] = 0; // unsigned
        var uid = "2.25." + new System.Numerics.BigInteger(random).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new Exam(uid, modality, Names[noise.Next(0, Names.Length)], $"MRN{noise.Next(100_000, 999_999)}",
            $"19{noise.Next(40, 99)}{noise.Next(1, 13):D2}{noise.Next(1, 29):D2}", $"ACC{StationAeTitle}{_number:D6}",
            procedure, protocol, start);
    }
}
