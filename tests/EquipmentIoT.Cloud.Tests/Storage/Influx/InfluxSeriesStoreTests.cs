using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Influx;
using Microsoft.Extensions.Logging.Abstractions;

namespace EquipmentIoT.Cloud.Tests.Storage.Influx;

/// <summary>The series store contract on a real InfluxDB 1.6 (Debian's influxdb), one database per test.</summary>
public sealed class InfluxSeriesStoreTests(InfluxServerFixture fixture) : SeriesStoreContract, IClassFixture<InfluxServerFixture>
{
    protected override async Task<SeriesStoreWorld> NewWorldAsync()
    {
        var options = await fixture.NewDatabaseAsync();
        var world = new InfluxWorld(options);
        await ((InfluxSeriesStore)world.Open()).InitializeAsync(None);
        return world;
    }

    private sealed class InfluxWorld(InfluxOptions options) : SeriesStoreWorld
    {
        private readonly List<InfluxSeriesStore> _opened = [];

        public override ISeriesStore Open()
        {
            var store = InfluxSeriesStore.Create(options, NullLoggerFactory.Instance);
            _opened.Add(store);
            return store;
        }

        public override async ValueTask DisposeAsync()
        {
            foreach (var store in _opened) await store.DisposeAsync();
        }
    }
}
