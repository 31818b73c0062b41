using System.Diagnostics.CodeAnalysis;

namespace EquipmentIoT.Protocols.LineProtocol;

/// <summary>
/// What <see cref="LineProtocolWriter.TryWrite"/> did: the bytes appended, or why the point was refused (in which
/// case nothing was appended). A struct so the hot path allocates nothing on success.
/// </summary>
public readonly record struct LineWriteResult
{
    private LineWriteResult(int bytesWritten, string? error)
    {
        BytesWritten = bytesWritten;
        Error = error;
    }

    /// <summary>True when the line was appended.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Success => Error is null;

    /// <summary>Why the point was refused, naming the element, e.g. <c>tag key "_id": must not start with '_'</c>; null on success.</summary>
    public string? Error { get; }

    /// <summary>Bytes appended, including the terminating <c>\n</c>; 0 when refused.</summary>
    public int BytesWritten { get; }

    /// <summary>"ok: N bytes" or "refused: reason".</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Error is null ? $"ok: {BytesWritten} bytes" : $"refused: {Error}";

    internal static LineWriteResult Ok(int bytesWritten) => new(bytesWritten, null);

    internal static LineWriteResult Fail(string error) => new(0, error);
}
