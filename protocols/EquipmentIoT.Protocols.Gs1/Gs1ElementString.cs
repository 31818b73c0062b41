namespace EquipmentIoT.Protocols.Gs1;

/// <summary>
/// The element strings of one barcode in the order they came, each AI at most once. Made by
/// <see cref="Gs1Parser"/> or <see cref="Create"/>; written back by <see cref="Gs1Formatter"/>. Two are equal
/// when they hold equal elements in the same order.
/// </summary>
public sealed class Gs1ElementString : IEquatable<Gs1ElementString>
{
    private readonly Gs1Element[] _elements;

    private Gs1ElementString(Gs1Element[] elements)
    {
        _elements = elements;
        Elements = Array.AsReadOnly(elements);
    }

    /// <summary>The elements, in order.</summary>
    public IReadOnlyList<Gs1Element> Elements { get; }

    /// <summary>
    /// Puts checked elements together in the order given. Refused when there are none or an AI repeats
    /// (GS1 allows a repeat only with the same value; a UDI has no use for one, so it is refused outright).
    /// </summary>
    public static Gs1Result<Gs1ElementString> Create(IEnumerable<Gs1Element> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        var list = new List<Gs1Element>();
        foreach (var element in elements)
        {
            ArgumentNullException.ThrowIfNull(element, nameof(elements));
            if (Contains(list, element.Ai)) return Gs1Result<Gs1ElementString>.Fail($"duplicate AI ({element.Ai.Code})");
            list.Add(element);
        }
        return list.Count == 0
            ? Gs1Result<Gs1ElementString>.Fail("no element strings")
            : Gs1Result<Gs1ElementString>.Ok(new Gs1ElementString([.. list]));
    }

    /// <summary>The data field of <paramref name="ai"/>, or null when it is not present.</summary>
    public string? Find(Gs1ApplicationIdentifier ai)
    {
        foreach (var element in _elements)
        {
            if (element.Ai == ai) return element.Value;
        }
        return null;
    }

    /// <inheritdoc/>
    public bool Equals(Gs1ElementString? other) =>
        other is not null && _elements.AsSpan().SequenceEqual(other._elements);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Gs1ElementString);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var element in _elements) hash.Add(element);
        return hash.ToHashCode();
    }

    /// <summary>The human-readable form, e.g. "(01)09506000134352(10)B-7".</summary>
    public override string ToString() => Gs1Formatter.FormatHumanReadable(this);

    /// <summary>For the parser, which has checked the elements and duplicates itself.</summary>
    internal static Gs1ElementString FromChecked(List<Gs1Element> elements) => new([.. elements]);

    internal static bool Contains(List<Gs1Element> elements, Gs1ApplicationIdentifier ai) => elements.Exists(e => e.Ai == ai);
}
