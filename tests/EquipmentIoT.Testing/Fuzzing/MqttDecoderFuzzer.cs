using System.Buffers;
using System.Diagnostics;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Formatter;
using EquipmentIoT.Protocols.Mqtt.Packets;

namespace EquipmentIoT.Testing.Fuzzing;

/// <summary>
/// Feeds the MQTT frame reader and decoder random, damaged and fragmented input and checks the
/// codec's contract: malformed input ends in <see cref="MqttProtocolException"/> and nothing else,
/// every frame read consumes bytes, nothing is allocated in proportion to what a length field claims,
/// well-formed packets decode however they are fragmented, and a decoded packet re-encodes to the
/// same bytes. Deterministic: the same seed and input count replay the same inputs.
/// </summary>
public static class MqttDecoderFuzzer
{
    /// <summary>How many findings the report keeps in full; the rest are only counted.</summary>
    public const int MaxRecordedFindings = 10;

    /// <summary>
    /// Runs <paramref name="inputs"/> inputs: about 30 % random bytes (0..300, often with a plausible
    /// fixed header), 45 % encoded packets of every type damaged one to three times, 25 % intact
    /// packets split into random segments (a quarter of them cut short).
    /// </summary>
    public static MqttFuzzReport Run(int seed, long inputs, int maxPacketSize = 64 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPacketSize, 2);
        var run = new FuzzRun(seed, maxPacketSize);
        var stopwatch = Stopwatch.StartNew();
        for (long i = 0; i < inputs; i++) run.One(i);
        return run.Report(inputs, stopwatch.Elapsed);
    }

    private sealed class FuzzRun
    {
        // Allowance per input for exception objects, messages and the decoded packet's strings; far
        // below the 64 KiB a two-byte length prefix can claim.
        private const long FixedAllocationAllowance = 16 * 1024;
        private const long AllocationPerInputByte = 8;
        private const int MaxHexBytes = 4096;

        private readonly int _seed;
        private readonly int _maxPacketSize;
        private readonly Random _random;
        private readonly MqttPacketGenerator _generator;
        private readonly MqttMutator _mutator;
        private readonly ArrayBufferWriter<byte> _encoded = new(8 * 1024);
        private readonly ArrayBufferWriter<byte> _reencoded = new(8 * 1024);
        private readonly SegmentChain _chain = new();
        private readonly List<MqttFuzzFinding> _findings = [];
        private byte[] _input = new byte[16 * 1024];
        private byte[] _body = new byte[8 * 1024];
        private long _decodedPackets;
        private long _protocolErrors;
        private long _incomplete;
        private long _findingCount;

        public FuzzRun(int seed, int maxPacketSize)
        {
            _seed = seed;
            _maxPacketSize = maxPacketSize;
            _random = new Random(seed);
            _generator = new MqttPacketGenerator(_random) { MaxPayloadLength = 300 };
            _mutator = new MqttMutator(_random);
        }

        public void One(long index)
        {
            var roll = _random.Next(100);
            int length;
            var valid = false;
            var truncated = false;
            var packets = 0;
            if (roll < 30)
            {
                length = RandomBytes();
            }
            else if (roll < 75)
            {
                length = EncodePackets(1 + _random.Next(3), out packets, out _);
                for (var m = 1 + _random.Next(3); m > 0; m--) length = _mutator.Mutate(_input, length);
            }
            else
            {
                length = EncodePackets(1 + _random.Next(4), out packets, out var fits);
                valid = fits;
                if (_random.Next(4) == 0)
                {
                    length = _random.Next(length);
                    truncated = true;
                }
            }

            var memory = _input.AsMemory(0, length);
            var sequence = valid || _random.Next(4) == 0
                ? _chain.Build(memory, _random, SegmentLength(length))
                : new ReadOnlySequence<byte>(memory);
            Feed(index, sequence, valid, truncated, packets);
        }

        public MqttFuzzReport Report(long inputs, TimeSpan elapsed) =>
            new(_seed, inputs, _maxPacketSize, _decodedPackets, _protocolErrors, _incomplete, _findingCount, _findings.ToArray(), elapsed);

        private void Feed(long index, ReadOnlySequence<byte> input, bool valid, bool truncated, int expectedPackets)
        {
            var buffer = input;
            var decoded = 0;
            long allocated = 0;
            try
            {
                while (true)
                {
                    var before = buffer.Length;
                    MqttFrame frame;
                    MqttPacket packet;
                    var start = GC.GetAllocatedBytesForCurrentThread();
                    try
                    {
                        if (!MqttFrameReader.TryRead(ref buffer, _maxPacketSize, out frame))
                        {
                            if (buffer.Length != before) Find(index, "no progress", input, $"TryRead returned false but moved the buffer from {before} to {buffer.Length} bytes");
                            break;
                        }
                        packet = MqttPacketDecoder.Decode(frame);
                    }
                    finally
                    {
                        allocated += GC.GetAllocatedBytesForCurrentThread() - start;
                    }

                    // Each frame must consume exactly its header and body, at least two bytes: a
                    // reader that consumes nothing would spin a connection's read loop forever.
                    var consumed = before - buffer.Length;
                    if (consumed < 2 || consumed != frame.HeaderLength + frame.Body.Length)
                    {
                        Find(index, "no progress", input, $"a frame of {frame.HeaderLength}+{frame.Body.Length} bytes consumed {consumed}");
                        return;
                    }
                    decoded++;
                    _decodedPackets++;
                    CheckReencodes(index, input, frame, packet);
                }

                if (buffer.Length > 0) _incomplete++;
                if (valid && !truncated && (decoded != expectedPackets || buffer.Length != 0))
                    Find(index, "valid input rejected", input, $"{decoded} of {expectedPackets} packets decoded, {buffer.Length} bytes left");
            }
            catch (MqttProtocolException ex)
            {
                _protocolErrors++;
                if (valid) Find(index, "valid input rejected", input, ex.Message);
            }
#pragma warning disable CA1031 // Any other exception type is exactly what the fuzzer is looking for.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Find(index, "unexpected exception", input, ex.ToString());
            }

            var budget = FixedAllocationAllowance + AllocationPerInputByte * input.Length;
            if (allocated > budget)
                Find(index, "allocation", input, $"decoding {input.Length} bytes allocated {allocated} bytes (budget {budget})");
        }

        // The decoder keeps every field, so encoding what it returned must give back the frame's first
        // byte and body (the Remaining Length may differ only if the input used a non-minimal form).
        private void CheckReencodes(long index, ReadOnlySequence<byte> input, in MqttFrame frame, MqttPacket packet)
        {
            _reencoded.ResetWrittenCount();
            try
            {
                MqttPacketEncoder.Encode(packet, _reencoded);
            }
            catch (ArgumentException ex)
            {
                Find(index, "round trip", input, $"the encoder refused a decoded {frame.Type}: {ex.Message}");
                return;
            }
            var bytes = _reencoded.WrittenSpan;
            var bodyLength = (int)frame.Body.Length;
            var headerLength = 1 + MqttPacketEncoder.RemainingLengthSize(bodyLength);
            if (_body.Length < bodyLength) _body = new byte[Math.Max(bodyLength, _body.Length * 2)];
            frame.Body.CopyTo(_body);
            var firstByte = (byte)(((int)frame.Type << 4) | frame.Flags);
            if (bytes.Length != headerLength + bodyLength || bytes[0] != firstByte
                || !bytes[headerLength..].SequenceEqual(_body.AsSpan(0, bodyLength)))
            {
                Find(index, "round trip", input,
                    $"{frame.Type} re-encodes as {Convert.ToHexString(bytes[..Math.Min(bytes.Length, MaxHexBytes)])}");
            }
        }

        private int RandomBytes()
        {
            var length = _random.Next(0, 301);
            _random.NextBytes(_input.AsSpan(0, length));
            if (length > 0 && _random.Next(2) == 0) _input[0] = MqttMutator.FirstBytes[_random.Next(MqttMutator.FirstBytes.Length)];
            if (length > 1 && _random.Next(2) == 0)
            {
                // A Remaining Length that matches the bytes present, so the body's fields get read.
                if (length - 2 < 128)
                {
                    _input[1] = (byte)(length - 2);
                }
                else
                {
                    _input[1] = (byte)(((length - 3) % 128) | 0x80);
                    _input[2] = (byte)((length - 3) / 128);
                }
            }
            return length;
        }

        private int EncodePackets(int count, out int packets, out bool allFit)
        {
            _encoded.ResetWrittenCount();
            allFit = true;
            for (var i = 0; i < count; i++)
            {
                var size = MqttPacketEncoder.Encode(_generator.Next(), _encoded);
                if (size > _maxPacketSize) allFit = false;
            }
            packets = count;
            var written = _encoded.WrittenCount;
            if (_input.Length < written + 64) _input = new byte[(written + 64) * 2];
            _encoded.WrittenSpan.CopyTo(_input);
            return written;
        }

        private int SegmentLength(int length) => _random.Next(4) switch
        {
            0 => 1,
            1 => 1 + _random.Next(4),
            2 => 1 + _random.Next(32),
            _ => Math.Max(1, length / 2),
        };

        private void Find(long index, string kind, ReadOnlySequence<byte> input, string detail)
        {
            _findingCount++;
            if (_findings.Count >= MaxRecordedFindings) return;
            var shown = input.Slice(0, Math.Min(input.Length, MaxHexBytes)).ToArray();
            var hex = Convert.ToHexString(shown) + (input.Length > MaxHexBytes ? "…" : "");
            _findings.Add(new MqttFuzzFinding(index, kind, hex, detail));
        }
    }
}
