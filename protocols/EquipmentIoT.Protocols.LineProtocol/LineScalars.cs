using System.Globalization;
using System.Text;

namespace EquipmentIoT.Protocols.LineProtocol;

/// <summary>Parsing of unquoted field values (reference, "Data types"): strict forms only, no exceptions.</summary>
internal static class LineScalars
{
    public static bool TryParse(ReadOnlySpan<byte> token, out LineFieldValue value, out string problem)
    {
        value = default;
        problem = string.Empty;
        if (token.IsEmpty)
        {
            problem = "missing value";
            return false;
        }

        switch (token[^1])
        {
            case (byte)'i' when IsInteger(token[..^1], allowSign: true)
                && long.TryParse(token[..^1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer):
                value = LineFieldValue.Integer(integer);
                return true;
            case (byte)'u' when IsInteger(token[..^1], allowSign: false)
                && ulong.TryParse(token[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var unsigned):
                value = LineFieldValue.Unsigned(unsigned);
                return true;
        }

        if (TryBoolean(token, out var boolean))
        {
            value = LineFieldValue.Boolean(boolean);
            return true;
        }

        if (IsFloat(token) && double.TryParse(token, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number))
        {
            if (double.IsFinite(number))
            {
                value = LineFieldValue.Float(number);
                return true;
            }

            problem = "float out of range";
            return false;
        }

        problem = $"\"{Encoding.UTF8.GetString(token)}\" is not a float, integer (i), unsigned (u), boolean or quoted string";
        return false;
    }

    public static bool IsInteger(ReadOnlySpan<byte> token, bool allowSign)
    {
        if (allowSign && token.Length > 1 && token[0] == (byte)'-') token = token[1..];
        return !token.IsEmpty && !token.ContainsAnyExceptInRange((byte)'0', (byte)'9');
    }

    // Reference, "Boolean": t, T, true, True, TRUE, f, F, false, False, FALSE.
    private static bool TryBoolean(ReadOnlySpan<byte> token, out bool value)
    {
        value = token is [(byte)'t'] or [(byte)'T'] || token.SequenceEqual("true"u8) || token.SequenceEqual("True"u8) || token.SequenceEqual("TRUE"u8);
        return value || token is [(byte)'f'] or [(byte)'F'] || token.SequenceEqual("false"u8) || token.SequenceEqual("False"u8) || token.SequenceEqual("FALSE"u8);
    }

    // -?digits[.digits][(e|E)[+-]digits], with digits on at least one side of the point.
    private static bool IsFloat(ReadOnlySpan<byte> token)
    {
        var i = token.Length > 0 && token[0] == (byte)'-' ? 1 : 0;
        var digits = CountDigits(token, ref i);
        if (i < token.Length && token[i] == (byte)'.')
        {
            i++;
            digits += CountDigits(token, ref i);
        }

        if (digits == 0) return false;
        if (i < token.Length && token[i] is (byte)'e' or (byte)'E')
        {
            i++;
            if (i < token.Length && token[i] is (byte)'+' or (byte)'-') i++;
            if (CountDigits(token, ref i) == 0) return false;
        }

        return i == token.Length;
    }

    private static int CountDigits(ReadOnlySpan<byte> token, ref int i)
    {
        var start = i;
        while (i < token.Length && token[i] is >= (byte)'0' and <= (byte)'9') i++;
        return i - start;
    }
}
