using System.Globalization;
using EquipmentIoT.Protocols.Gs1;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.Cloud.Builds;

/// <summary>
/// A part's identity: part number <c>{batch}-P{nn}</c>, which is also its GS1 serial (21); the build's batch number is
/// the lot (10); the production date (11) is the local date the build started at the plant; the GTIN (01) is the
/// product's from configuration. The UDI is made and checked by our GS1 library.
/// </summary>
public sealed class PartIdentities(IOptions<BuildOptions> options)
{
    private readonly BuildOptions _options = options.Value;

    /// <summary>The GTIN of <paramref name="product"/> (or the default), normalised to 14 digits; refused when none is configured or it is invalid.</summary>
    public Gtin GtinFor(string? product)
    {
        var configured = product is null ? _options.Gtin
            : _options.Products.TryGetValue(product, out var gtin) ? gtin
            : throw new BuildException(BuildProblem.Invalid, $"no GTIN is configured for product '{product}' (Builds:Products)");
        if (configured is null)
            throw new BuildException(BuildProblem.Invalid, "no GTIN is configured for parts: set Builds:Gtin, or Builds:Products and name the part's product");
        var parsed = Gtin.Parse(configured);
        return parsed.Success ? parsed.Value : throw new BuildException(BuildProblem.Invalid, $"the configured GTIN is not valid: {parsed.Error}");
    }

    /// <summary>The identity of part number <paramref name="index"/> (1-based) of <paramref name="build"/>.</summary>
    public PartIdentity Identify(BuildRecord build, int index, Gtin gtin)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(gtin);
        var partNumber = $"{build.BatchNumber}-P{index.ToString("00", CultureInfo.InvariantCulture)}";
        var date = build.Started.InZone(DateTimeZoneProviders.Tzdb[_options.TimeZone]).Date;
        var udi = Udi.Create(gtin, Gs1Date.FromDate(date.ToDateOnly()), lot: build.BatchNumber, serial: partNumber);
        if (!udi.Success) throw new BuildException(BuildProblem.Invalid, $"part {partNumber} cannot get a UDI: {udi.Error}");
        return new PartIdentity(partNumber, gtin.Value, build.BatchNumber, date, partNumber, udi.Value.ToString(),
            Gs1Formatter.FormatElementString(udi.Value.ToElementString()));
    }
}
