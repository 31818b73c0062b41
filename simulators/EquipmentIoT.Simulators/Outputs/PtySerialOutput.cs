using EquipmentIoT.Protocols.Serial;
using EquipmentIoT.Simulators.Simulation;

namespace EquipmentIoT.Simulators.Outputs;

/// <summary>
/// The CT's serial port as a pseudo terminal behind a stable symlink: the agent opens <see cref="Path"/> as it
/// would /dev/ttyUSB0. Unplugging closes the terminal and removes the link, as a pulled USB adapter does.
/// </summary>
public sealed class PtySerialOutput : ISerialOutput
{
    // A device does not wait for a listener: what nobody reads within this time is thrown away.
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(1);
    private PseudoTerminal? _terminal;

    /// <summary>Creates the port at <paramref name="path"/>.</summary>
    public PtySerialOutput(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _terminal = PseudoTerminal.Open(Path);
    }

    /// <inheritdoc/>
    public string Path { get; }

    /// <inheritdoc/>
    public bool IsPlugged => _terminal is not null;

    /// <summary>Bytes thrown away because nobody read them in time.</summary>
    public long Discarded { get; private set; }

    /// <inheritdoc/>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (_terminal is not { } terminal) return;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(WriteTimeout);
        try
        {
            await terminal.Master.WriteAsync(bytes, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            terminal.DiscardPendingInput();
            Discarded += bytes.Length;
        }
    }

    /// <inheritdoc/>
    public ValueTask UnplugAsync(CancellationToken cancellationToken)
    {
        _terminal?.Dispose();
        _terminal = null;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask PlugAsync(CancellationToken cancellationToken)
    {
        _terminal ??= PseudoTerminal.Open(Path);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => UnplugAsync(CancellationToken.None);
}
