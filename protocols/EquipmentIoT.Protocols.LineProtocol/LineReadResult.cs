using System.Diagnostics.CodeAnalysis;

namespace EquipmentIoT.Protocols.LineProtocol;

/// <summary>
/// What reading untrusted line protocol gave: the value, or the reason and the byte offset (from the start of the
/// input given) where it went wrong. The reader never throws for bad input.
/// </summary>
/// <typeparam name="T">The type of the value read.</typeparam>
public sealed class LineReadResult<T>
{
    private readonly T? _value;

    private LineReadResult(T? value, string? error, int offset)
    {
        _value = value;
        Error = error;
        Offset = offset;
    }

    /// <summary>True when the input was accepted.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Success => Error is null;

    /// <summary>Why the input was refused; null on success.</summary>
    public string? Error { get; }

    /// <summary>The byte offset of the problem in the input given; -1 on success.</summary>
    public int Offset { get; }

    /// <summary>The value read. Throws <see cref="InvalidOperationException"/> with <see cref="Error"/> when refused.</summary>
    public T Value => Error is null ? _value! : throw new InvalidOperationException($"at byte {Offset}: {Error}");

    /// <summary>"ok: value" or "refused at byte N: reason".</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Error is null ? $"ok: {_value}" : $"refused at byte {Offset}: {Error}";

    internal static LineReadResult<T> Ok(T value) => new(value, null, -1);

    internal static LineReadResult<T> Fail(string error, int offset) => new(default, error, offset);
}
