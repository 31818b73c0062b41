using System.Text.RegularExpressions;

namespace EquipmentIoT.IntegrationTests.Stack;

/// <summary>The dashboard files as Grafana's provisioning reads them (the queries themselves run in <see cref="DashboardQueryTests"/>).</summary>
public sealed class DashboardFileTests
{
    private static readonly DateTimeOffset From = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddDays(365);

    [Fact]
    public void Dashboards_TheSixTheStackProvisions_WithUniqueUids()
    {
        var uids = GrafanaDashboards.Files.Select(f => GrafanaDashboards.Load(f)["uid"]!.GetValue<string>()).ToList();

        Assert.Equal(["agent-health.json", "am-build-monitor.json", "ct-usage.json", "fleet-overview.json", "licence-board.json", "mr-helium.json"],
            GrafanaDashboards.Files.Select(Path.GetFileName));
        Assert.Equal(uids.Count, uids.Distinct().Count());
    }

    [Fact]
    public void Dashboards_DataSourceUids_AreTheProvisionedOnes()
    {
        var provisioning = File.ReadAllText(Path.Combine(GrafanaDashboards.Directory, "..", "provisioning", "datasources", "eqiot.yaml"));

        Assert.Contains("uid: " + GrafanaDashboards.InfluxUid, provisioning, StringComparison.Ordinal);
        Assert.Contains("uid: " + GrafanaDashboards.PostgresUid, provisioning, StringComparison.Ordinal);
        Assert.True(GrafanaDashboards.Queries().Count >= 30, "fewer panel queries than the six dashboards hold");
    }

    [Fact]
    public void Dashboards_EveryVariableAPanelUses_IsDefinedAndEveryMacroExpands()
    {
        var values = new Dictionary<string, IReadOnlyList<string>> { ["site"] = ["demo"], ["device"] = ["mr-01", "mr-02"], ["agent"] = ["agent-01"] };
        foreach (var file in GrafanaDashboards.Files)
        {
            var dashboard = GrafanaDashboards.Load(file);
            var defined = GrafanaDashboards.Variables(dashboard);
            foreach (var query in GrafanaDashboards.QueriesOf(Path.GetFileName(file), dashboard))
            {
                foreach (Match m in Regex.Matches(query.Text, @"\$(?!__|timeFilter)([a-z_]+)"))
                {
                    Assert.True(defined.Contains(m.Groups[1].Value), $"{query} uses ${m.Groups[1].Value}, which the dashboard does not define");
                }
                var expanded = GrafanaDashboards.Expand(query, From, To, values, TimeSpan.FromHours(1));
                Assert.DoesNotMatch(@"\$[a-zA-Z_]", expanded.Replace("$/", "", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void Expand_InfluxVariableInRegex_EscapedAlternation()
    {
        var query = new PanelQuery("d", "p", "A", DashboardStore.Influx, "SELECT mean(\"value\") FROM \"telemetry\" WHERE \"device\" =~ /^$device$/ AND $timeFilter GROUP BY time($__interval)");

        var expanded = GrafanaDashboards.Expand(query, From, To, new Dictionary<string, IReadOnlyList<string>> { ["device"] = ["mr-01", "mr.02"] }, TimeSpan.FromMinutes(5));

        Assert.Equal("SELECT mean(\"value\") FROM \"telemetry\" WHERE \"device\" =~ /^(mr-01|mr\\.02)$/ AND time >= 1767225600000ms AND time <= 1798761600000ms GROUP BY time(5m)", expanded);
    }

    [Fact]
    public void Expand_PostgresMacros_AsGrafanaExpandsThem()
    {
        var query = new PanelQuery("d", "p", "A", DashboardStore.Postgres,
            "SELECT $__timeGroupAlias(to_timestamp(ts / 1000.0), '1d'), count(*) FROM events WHERE device IN ($device) AND $__timeFilter(at::timestamptz) AND ts > $__unixEpochFrom()::bigint * 1000");

        var expanded = GrafanaDashboards.Expand(query, From, To, new Dictionary<string, IReadOnlyList<string>> { ["device"] = ["ct-01", "o'neil"] }, TimeSpan.FromHours(1));

        Assert.Equal("SELECT to_timestamp(floor(extract(epoch from to_timestamp(ts / 1000.0)) / 86400) * 86400) AS \"time\", count(*) FROM events WHERE device IN ('ct-01','o''neil') AND at::timestamptz BETWEEN '2026-01-01T00:00:00.0000000+00:00' AND '2027-01-01T00:00:00.0000000+00:00' AND ts > 1767225600::bigint * 1000", expanded);
    }
}
