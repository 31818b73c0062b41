namespace EquipmentIoT.Simulators.Tests.Models;

/// <summary>Steps a model through simulated time in fixed steps from a fixed start.</summary>
internal static class Run
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.FromHours(8));

    public static void For(TimeSpan total, TimeSpan step, Action<TimeSpan, DateTimeOffset> advance, Func<bool>? until = null)
    {
        for (var t = TimeSpan.Zero; t < total; t += step)
        {
            advance(step, Start + t + step);
            if (until?.Invoke() == true) return;
        }
    }
}
