namespace EquipmentIoT.Simulators.Models;

/// <summary>Seeded noise and first-order dynamics shared by the equipment models.</summary>
public sealed class Noise(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>A normally distributed value with mean 0 and <paramref name="sigma"/> (Box–Muller).</summary>
    public double Gaussian(double sigma)
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return sigma * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double Next() => _random.NextDouble();

    /// <summary>Uniform integer in [min, max).</summary>
    public int Next(int min, int max) => _random.Next(min, max);

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => _random.NextDouble() < p;

    /// <summary>Fills <paramref name="buffer"/> with random bytes.</summary>
    public void Bytes(Span<byte> buffer) => _random.NextBytes(buffer);

    /// <summary>
    /// Moves <paramref name="value"/> towards <paramref name="target"/> as a first-order lag with time constant
    /// <paramref name="tau"/> over <paramref name="dt"/> (exact for any step size).
    /// </summary>
    public static double Approach(double value, double target, TimeSpan tau, TimeSpan dt) =>
        target + (value - target) * Math.Exp(-dt.TotalSeconds / Math.Max(1e-9, tau.TotalSeconds));
}
