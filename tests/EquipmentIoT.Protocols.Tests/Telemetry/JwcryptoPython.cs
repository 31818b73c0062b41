using System.Text.Json;
using EquipmentIoT.Testing;

namespace EquipmentIoT.Protocols.Tests.Telemetry;

/// <summary>
/// Debian's python3-jwcrypto as an independent JOSE implementation. Runs <c>/usr/bin/python3</c> (the
/// pyenv <c>python3</c> on PATH lacks Debian's modules). A missing interpreter or module fails the test
/// naming the Debian package <c>python3-jwcrypto</c>; it never skips.
/// </summary>
internal static class JwcryptoPython
{
    private const string Package = "python3-jwcrypto";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? verified;

    /// <summary>Runs <paramref name="script"/> with <paramref name="input"/> as JSON on stdin; returns each stdout line parsed as JSON.</summary>
    public static async Task<IReadOnlyList<JsonElement>> RunAsync(string script, object input)
    {
        var python = await RequireAsync();
        await using var process = ChildProcess.Start(python, ["-c", script]);
        await process.WriteStdinAsync(JsonSerializer.Serialize(input));
        process.CloseStdin();
        var exit = await process.WaitForExitAsync(Timeout);
        Assert.True(exit == 0, $"jwcrypto script exited with {exit}:\n{process.StderrTail(40)}");
        return process.StdoutLines.Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();
    }

    private static async Task<string> RequireAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (verified is not null) return verified;
            var python = ExternalTool.Require("/usr/bin/python3", Package);
            await using var probe = ChildProcess.Start(python, ["-c", "import jwcrypto.jwk, jwcrypto.jws"]);
            probe.CloseStdin();
            if (await probe.WaitForExitAsync(Timeout) != 0)
            {
                throw new InvalidOperationException(
                    $"'{python}' cannot import jwcrypto: install the Debian package '{Package}' " +
                    $"(./eqiot test installs it when run as root). Python said: {probe.StderrTail()}");
            }
            verified = python;
            return python;
        }
        finally
        {
            Gate.Release();
        }
    }
}
