using System.Text.RegularExpressions;
using System.Xml.Linq;
using EquipmentIoT.Testing;
using YamlDotNet.RepresentationModel;

namespace EquipmentIoT.IntegrationTests.Stack;

/// <summary>
/// docker-compose.yml, checked the way our machines can (no container engine): Debian's <c>docker-compose config</c>
/// validates and resolves it, then the resolved file is held to what the stack needs — every part present, our images
/// built from Dockerfiles that publish the program they start, mounted files present, secrets from files only, and
/// nothing published beyond loopback.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly string[] ExpectedServices =
        ["mosquitto", "influxdb", "postgres", "grafana", "cloud", "edge-agent", "sim-mr", "sim-printer", "agent-keys", "agent-enrol"];

    [Fact]
    public async Task ComposeConfig_ValidatesWithEveryPartOfTheStack()
    {
        var services = Services(await ResolvedAsync());

        Assert.Equal(ExpectedServices.Order(), services.Children.Keys.Select(k => k.ToString()).Order());
    }

    [Fact]
    public async Task ComposeConfig_OurImages_BuiltFromDockerfilesThatPublishTheProgramTheyStart()
    {
        var services = Services(await ResolvedAsync());
        var built = services.Children.Where(s => ((YamlMappingNode)s.Value).Children.ContainsKey("build")).ToList();

        Assert.Equal(3, built.Count);
        foreach (var (name, node) in built)
        {
            var build = (YamlMappingNode)((YamlMappingNode)node)["build"];
            var dockerfile = Path.Combine(build["context"].ToString(), build["dockerfile"].ToString());
            Assert.True(File.Exists(dockerfile), $"{name}: {dockerfile} is missing");
            var text = File.ReadAllText(dockerfile);
            var project = Regex.Match(text, @"dotnet publish (\S+\.csproj)").Groups[1].Value;
            Assert.True(File.Exists(RepositoryPaths.Of(project)), $"{name}: {dockerfile} publishes {project}, which does not exist");
            var assembly = XDocument.Load(RepositoryPaths.Of(project)).Descendants("AssemblyName").Single().Value;
            Assert.Contains($"ENTRYPOINT [\"/app/{assembly}\"]", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ComposeConfig_BindMountedFilesExistAndAreReadOnly()
    {
        var services = Services(await ResolvedAsync());
        var mounts = 0;
        foreach (var (name, node) in services.Children)
        {
            if (!((YamlMappingNode)node).Children.TryGetValue("volumes", out var volumes)) continue;
            // docker-compose 1.29 keeps the short syntax "SOURCE:TARGET[:MODE]"; a bind mount's source is a path, made absolute.
            foreach (var parts in ((YamlSequenceNode)volumes).Children.Select(v => v.ToString().Split(':')).Where(p => p[0].StartsWith('/')))
            {
                mounts++;
                var source = parts[0];
                Assert.True(File.Exists(source) || Directory.Exists(source), $"{name} mounts {source}, which does not exist");
                Assert.True(parts is [_, _, "ro"], $"{name} mounts {source} writable");
            }
        }

        Assert.True(mounts >= 4, $"only {mounts} bind mounts");
    }

    [Fact]
    public async Task ComposeConfig_PublishesOnLoopbackOnlyAndTakesSecretsFromFiles()
    {
        var root = await ResolvedAsync();
        foreach (var (name, node) in Services(root).Children)
        {
            var service = (YamlMappingNode)node;
            if (service.Children.TryGetValue("ports", out var ports))
            {
                foreach (var port in ((YamlSequenceNode)ports).Children.Select(p => p.ToString()))
                {
                    Assert.True(port.StartsWith("127.0.0.1:", StringComparison.Ordinal), $"{name} publishes {port} beyond loopback");
                }
            }
            if (service.Children.TryGetValue("environment", out var environment))
            {
                foreach (var (key, value) in ((YamlMappingNode)environment).Children)
                {
                    Assert.False(Regex.IsMatch(key.ToString(), "PASSWORD$|TOKEN$|SECRET$") && !key.ToString().EndsWith("FILE", StringComparison.Ordinal),
                        $"{name} puts a secret in its environment: {key}={value}");
                }
            }
        }

        var secrets = (YamlMappingNode)root["secrets"];
        Assert.All(secrets.Children.Values.Cast<YamlMappingNode>(), s => Assert.StartsWith(RepositoryPaths.Of("deploy", "secrets"), s["file"].ToString(), StringComparison.Ordinal));
        Assert.Contains("/deploy/secrets/*", await File.ReadAllTextAsync(RepositoryPaths.Of(".gitignore")), StringComparison.Ordinal);
    }

    private static YamlMappingNode Services(YamlMappingNode root) => (YamlMappingNode)root["services"];

    /// <summary>The file as <c>docker-compose config</c> resolves it (anchors merged, paths absolute, short syntax expanded).</summary>
    private static async Task<YamlMappingNode> ResolvedAsync()
    {
        var tool = ExternalTool.Require("docker-compose", "docker-compose");
        await using var process = ChildProcess.Start(tool, ["-f", RepositoryPaths.Of("docker-compose.yml"), "config"], workingDirectory: RepositoryPaths.Root,
            environment: new Dictionary<string, string?> { ["COMPOSE_INTERACTIVE_NO_CLI"] = "1" });
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exit == 0, $"docker-compose config failed ({exit}):\n{process.StderrTail()}");
        var yaml = new YamlStream();
        yaml.Load(new StringReader(string.Join('\n', process.StdoutLines)));
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }
}
