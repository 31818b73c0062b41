using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Serial;

/// <summary>What <c>stty -F PATH -a</c> (coreutils) says about a terminal: an independent check of our termios settings.</summary>
internal static class Stty
{
    public static async Task<IReadOnlySet<string>> SettingsAsync(string path)
    {
        await using var stty = ChildProcess.Start(ExternalTool.Require("stty", "coreutils"), ["-F", path, "-a"]);
        var exit = await stty.WaitForExitAsync(TimeSpan.FromSeconds(15));
        Assert.True(exit == 0, $"stty failed: {stty.StderrTail()}");
        // "speed 9600 baud; rows 0; …" then words such as "-parenb", "cs8", "cstopb".
        var words = string.Join(' ', stty.StdoutLines).Split([' ', ';'], StringSplitOptions.RemoveEmptyEntries);
        var speed = Array.IndexOf(words, "speed");
        return words.Append($"speed={words[speed + 1]}").ToHashSet(StringComparer.Ordinal);
    }
}
