using System.Diagnostics.CodeAnalysis;

namespace EquipmentIoT.Protocols.AzureIotHub;

/// <summary>
/// The outcome of parsing untrusted text (a connection string, a token, a topic from the wire): either a
/// value or the reason it was refused. Parsers of this library return it instead of throwing.
/// </summary>
/// <typeparam name="T">What was parsed.</typeparam>
public readonly struct IotHubParseResult<T>
{
    private readonly T? _value;

    private IotHubParseResult(T? value, string? error)
    {
        _value = value;
        Error = error;
    }

    /// <summary>True when <see cref="Value"/> holds the parsed value.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Success => Error is null;

    /// <summary>Why the text was refused; null on success.</summary>
    public string? Error { get; }

    /// <summary>The parsed value.</summary>
    /// <exception cref="InvalidOperationException">The parse failed; the message carries the reason.</exception>
    public T Value => Error is null ? _value! : throw new InvalidOperationException(Error);

    /// <summary>A successful result.</summary>
    internal static IotHubParseResult<T> Ok(T value) => new(value, null);

    /// <summary>A failed result with its reason.</summary>
    internal static IotHubParseResult<T> Fail(string error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));

    /// <summary>The value when <see cref="Success"/>.</summary>
    public bool TryGetValue([MaybeNullWhen(false)] out T value)
    {
        value = _value!;
        return Error is null;
    }

    /// <inheritdoc/>
    public override string ToString() => Error is null ? $"Ok({_value})" : $"Fail({Error})";
}
