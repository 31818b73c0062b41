using System.Diagnostics.CodeAnalysis;

namespace EquipmentIoT.Protocols.Telemetry;

/// <summary>
/// The outcome of reading untrusted input (a JWS, a batch, a command): either a value or the reason it
/// was refused, in the style of NodaTime's <c>ParseResult&lt;T&gt;</c>. Readers return this instead of
/// throwing; the reason names the part or JSON path that broke the rules (e.g.
/// <c>metrics[3].ts: not an RFC 3339 UTC timestamp …</c>).
/// </summary>
/// <typeparam name="T">The type of the value read.</typeparam>
public sealed class TelemetryResult<T>
{
    private readonly T? _value;

    private TelemetryResult(T? value, string? error)
    {
        _value = value;
        Error = error;
    }

    /// <summary>True when the input was accepted and <see cref="Value"/> holds it.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Success => Error is null;

    /// <summary>Why the input was refused; null on success.</summary>
    public string? Error { get; }

    /// <summary>The value read; throws <see cref="InvalidOperationException"/> carrying <see cref="Error"/> when the input was refused.</summary>
    public T Value => Error is null ? _value! : throw new InvalidOperationException(Error);

    /// <summary>Gets the value when the input was accepted.</summary>
    public bool TryGetValue([MaybeNullWhen(false)] out T value)
    {
        value = _value;
        return Error is null;
    }

    /// <summary>"ok" or the reason.</summary>
    public override string ToString() => Error ?? "ok";

    internal static TelemetryResult<T> Ok(T value) => new(value, null);

    internal static TelemetryResult<T> Fail(string error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));
}
