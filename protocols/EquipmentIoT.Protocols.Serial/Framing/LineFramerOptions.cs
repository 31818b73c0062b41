namespace EquipmentIoT.Protocols.Serial.Framing;

/// <summary>How a <see cref="LineFramer"/> cuts and decodes lines.</summary>
public sealed record LineFramerOptions
{
    /// <summary>The smallest allowed <see cref="MaxLineLength"/>.</summary>
    public const int MinimumLineLength = 16;

    /// <summary>The largest allowed <see cref="MaxLineLength"/>.</summary>
    public const int MaximumLineLength = 65536;

    /// <summary>Which bytes end a line; CR LF tolerated by default.</summary>
    public LineEnding LineEnding { get; init; } = LineEnding.CrLf;

    /// <summary>Bytes a line may hold (terminator and dropped control bytes not counted), 16 to 65536.</summary>
    public int MaxLineLength { get; init; } = 256;

    /// <summary>ascii, utf-8, latin1 (iso-8859-1) or gb18030; see <see cref="LineEncodings"/>.</summary>
    public string Encoding { get; init; } = "ascii";

    /// <summary>Throws <see cref="ArgumentException"/> naming the first wrong setting.</summary>
    public void Validate()
    {
        if (MaxLineLength is < MinimumLineLength or > MaximumLineLength)
        {
            throw new ArgumentException($"maximum line length {MaxLineLength} must be between {MinimumLineLength} and {MaximumLineLength}", nameof(MaxLineLength));
        }

        if (!Enum.IsDefined(LineEnding)) throw new ArgumentException($"line ending {(int)LineEnding} is not Lf, CrLf or Any", nameof(LineEnding));
        if (!LineEncodings.IsSupported(Encoding))
        {
            throw new ArgumentException($"encoding '{Encoding}' is not supported; use one of {string.Join(", ", LineEncodings.Names)}", nameof(Encoding));
        }
    }
}
