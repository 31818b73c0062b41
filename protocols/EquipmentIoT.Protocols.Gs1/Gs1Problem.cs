using System.Globalization;

namespace EquipmentIoT.Protocols.Gs1;

/// <summary>
/// Why a data field was refused, before it is known where the field sits in the text: a message and,
/// when one character is to blame, its index in the field (-1 when the field as a whole is wrong).
/// </summary>
internal readonly record struct Gs1Problem(string Message, int Offset = -1)
{
    /// <summary>
    /// The reason as callers see it: "<paramref name="subject"/> at offset N: message", where N counts from the
    /// start of the text given (<paramref name="fieldOffset"/> is where the field starts in it).
    /// </summary>
    public string Describe(string subject, int fieldOffset) => Offset < 0
        ? $"{subject}: {Message}"
        : string.Create(CultureInfo.InvariantCulture, $"{subject} at offset {fieldOffset + Offset}: {Message}");
}
