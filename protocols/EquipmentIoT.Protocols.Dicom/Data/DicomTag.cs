using System.Globalization;

namespace EquipmentIoT.Protocols.Dicom.Data;

/// <summary>A data element tag (group, element), PS3.5 §7.1. Ordered as data sets are (ascending, group first).</summary>
public readonly record struct DicomTag(ushort Group, ushort Element) : IComparable<DicomTag>
{
    /// <summary>Item (FFFE,E000), PS3.5 §7.5.</summary>
    public static readonly DicomTag Item = new(0xFFFE, 0xE000);

    /// <summary>Item Delimitation Item (FFFE,E00D).</summary>
    public static readonly DicomTag ItemDelimitation = new(0xFFFE, 0xE00D);

    /// <summary>Sequence Delimitation Item (FFFE,E0DD).</summary>
    public static readonly DicomTag SequenceDelimitation = new(0xFFFE, 0xE0DD);

    /// <summary>The tag as one number, group in the high half.</summary>
    public uint Value => ((uint)Group << 16) | Element;

    /// <summary>The tag of a 32-bit value, group in the high half.</summary>
    public static DicomTag FromValue(uint value) => new((ushort)(value >> 16), unchecked((ushort)value));

    /// <inheritdoc/>
    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    /// <summary>Less than.</summary>
    public static bool operator <(DicomTag left, DicomTag right) => left.CompareTo(right) < 0;

    /// <summary>Greater than.</summary>
    public static bool operator >(DicomTag left, DicomTag right) => left.CompareTo(right) > 0;

    /// <summary>Less than or equal.</summary>
    public static bool operator <=(DicomTag left, DicomTag right) => left.CompareTo(right) <= 0;

    /// <summary>Greater than or equal.</summary>
    public static bool operator >=(DicomTag left, DicomTag right) => left.CompareTo(right) >= 0;

    /// <summary>"(gggg,eeee)".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({Group:X4},{Element:X4})");
}
