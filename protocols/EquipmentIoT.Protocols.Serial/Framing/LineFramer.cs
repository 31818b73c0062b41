namespace EquipmentIoT.Protocols.Serial.Framing;

/// <summary>
/// Cuts a byte stream into text lines: pure and synchronous, one instance per port, not thread-safe.
/// <list type="bullet">
/// <item>Lines end as <see cref="LineFramerOptions.LineEnding"/> says; a CR LF split across two reads is still one terminator.</item>
/// <item>Control bytes (C0 other than TAB and the terminators, and DEL) are dropped from the line and counted,
/// NUL separately. The terminator and control bytes can never be part of a multi-byte character in any
/// supported encoding (UTF-8 and GB18030 continuation bytes are ≥ 0x30 and never 0x7F), so cutting on bytes is safe.</item>
/// <item>At most <see cref="LineFramerOptions.MaxLineLength"/> bytes are kept: a longer line is discarded up
/// to its next terminator and counted once as overlong. Memory is one buffer of that size.</item>
/// <item>A line whose bytes are invalid in the encoding is counted and skipped; so is a line left empty.</item>
/// <item>An unterminated tail waits for more bytes; <see cref="DropPartialLine"/> discards and counts it (port closed, silence).</item>
/// </list>
/// </summary>
public sealed class LineFramer
{
    private const byte Lf = (byte)'\n';
    private const byte Cr = (byte)'\r';
    private const byte Tab = (byte)'\t';
    private const byte Del = 0x7F;

    private readonly LineEncodings.ILineDecoder _decoder;
    private readonly LineEnding _ending;
    private readonly byte[] _line;
    private int _length;
    private bool _discarding;   // the current line grew past the maximum
    private bool _pendingCr;    // CrLf/Any: a CR was seen, its meaning depends on the next byte
    private bool _touched;      // the current line has seen any byte (control bytes included)
    private long _lines, _empty, _overlong, _encodingErrors, _controlBytes, _nulBytes, _partial;

    /// <summary>Creates a framer.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public LineFramer(LineFramerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _ending = options.LineEnding;
        _decoder = LineEncodings.CreateDecoder(options.Encoding);
        _line = new byte[options.MaxLineLength];
    }

    /// <summary>The options in use.</summary>
    public LineFramerOptions Options { get; }

    /// <summary>True while bytes of an unterminated line are held.</summary>
    public bool HasPartialLine => _touched;

    /// <summary>Counters so far.</summary>
    public LineFramerStatistics Statistics => new(_lines, _empty, _overlong, _encodingErrors, _controlBytes, _nulBytes, _partial);

    /// <summary>Consumes <paramref name="data"/> and adds each complete, decoded line to <paramref name="lines"/>; returns how many were added.</summary>
    public int Feed(ReadOnlySpan<byte> data, ICollection<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var added = 0;
        foreach (var b in data)
        {
            if (_pendingCr)
            {
                _pendingCr = false;
                if (b == Lf)
                {
                    // CR LF: one terminator, in both CrLf and Any.
                    added += EndLine(lines);
                    continue;
                }

                if (_ending == LineEnding.Any) added += EndLine(lines);
                else Control(Cr); // CrLf: a CR not followed by LF is a stray control byte.
            }

            switch (b)
            {
                case Lf:
                    added += EndLine(lines);
                    break;
                case Cr when _ending != LineEnding.Lf:
                    _pendingCr = true;
                    _touched = true;
                    break;
                case < 0x20 and not Tab:
                case Del:
                    Control(b);
                    break;
                default:
                    Append(b);
                    break;
            }
        }

        return added;
    }

    /// <summary>
    /// Discards the unterminated line held, if any, and counts it as partial; in <see cref="LineEnding.Any"/>
    /// a line ended by a final CR is completed instead and added to <paramref name="lines"/>.
    /// Call when the port closes or no byte came for a while.
    /// </summary>
    /// <returns>True when a partial line was dropped.</returns>
    public bool DropPartialLine(ICollection<string>? lines = null)
    {
        if (_pendingCr && _ending == LineEnding.Any)
        {
            _pendingCr = false;
            if (lines is not null)
            {
                EndLine(lines);
                return false;
            }
        }

        var dropped = _touched;
        if (dropped) _partial++;
        _length = 0;
        _discarding = false;
        _pendingCr = false;
        _touched = false;
        return dropped;
    }

    private void Control(byte b)
    {
        _controlBytes++;
        if (b == 0) _nulBytes++;
        _touched = true;
    }

    private void Append(byte b)
    {
        _touched = true;
        if (_discarding) return;
        if (_length == _line.Length)
        {
            _discarding = true;
            _length = 0;
            return;
        }

        _line[_length++] = b;
    }

    private int EndLine(ICollection<string> lines)
    {
        var length = _length;
        var discarding = _discarding;
        _length = 0;
        _discarding = false;
        _touched = false;
        if (discarding)
        {
            _overlong++;
            return 0;
        }

        if (length == 0)
        {
            _empty++;
            return 0;
        }

        var text = _decoder.Decode(_line.AsSpan(0, length));
        if (text is null)
        {
            _encodingErrors++;
            return 0;
        }

        _lines++;
        lines.Add(text);
        return 1;
    }
}
