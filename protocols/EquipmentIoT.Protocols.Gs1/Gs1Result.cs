using System.Diagnostics.CodeAnalysis;

namespace EquipmentIoT.Protocols.Gs1;

/// <summary>
/// What reading untrusted GS1 text gave: the value, or the reason it was refused. The reason names the
/// AI and, where it helps, the character offset in the text given, e.g.
/// <c>AI (10) at offset 18: character 'é' is not in GS1 character set 82</c>. Nothing in this library
/// throws for bad input; exceptions are kept for programming errors (a null argument, a bad constant).
/// </summary>
/// <typeparam name="T">The type of the value read.</typeparam>
public sealed class Gs1Result<T>
{
    private readonly T? _value;

    private Gs1Result(T? value, string? error)
    {
        _value = value;
        Error = error;
    }

    /// <summary>True when the text was accepted; <see cref="Value"/> then holds what was read.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Success => Error is null;

    /// <summary>Why the text was refused; null on success.</summary>
    public string? Error { get; }

    /// <summary>The value read. Throws <see cref="InvalidOperationException"/> with <see cref="Error"/> when the text was refused.</summary>
    public T Value => Error is null ? _value! : throw new InvalidOperationException(Error);

    /// <summary>Gets the value when the text was accepted.</summary>
    /// <param name="value">The value, or default when refused.</param>
    /// <returns><see cref="Success"/>.</returns>
    public bool TryGetValue([MaybeNullWhen(false)] out T value)
    {
        value = _value;
        return Error is null;
    }

    /// <summary>"ok: value" or "refused: reason".</summary>
    public override string ToString() => Error is null ? $"ok: {_value}" : $"refused: {Error}";

    internal static Gs1Result<T> Ok(T value) => new(value, null);

    internal static Gs1Result<T> Fail(string error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));
}
