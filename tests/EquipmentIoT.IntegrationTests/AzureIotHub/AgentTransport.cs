using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using EquipmentIoT.IntegrationTests.Mqtt;

namespace EquipmentIoT.IntegrationTests.AzureIotHub;

/// <summary>
/// The agent's real <c>AzureIotHubTransport</c>, from the <c>eqiot-agent.dll</c> this configuration built,
/// driven through reflection. This project builds the agent but does not reference its assembly (the
/// field-tool tests run it as a program), and the agent needs the ASP.NET Core shared framework
/// (logging) that this test host does not load; so the dll is loaded here, its framework assemblies
/// resolved from the shared framework next to the running runtime, and each member called by name.
/// With a plain ProjectReference to the agent, this file would shrink to direct calls.
/// </summary>
internal sealed class AgentTransport : IAsyncDisposable
{
    private const string Namespace = "EquipmentIoT.EdgeAgent.Publishing.";
    private static readonly Lazy<Assembly> AgentAssembly = new(LoadAgent);

    private readonly object _transport;
    private readonly Type _type;

    private AgentTransport(object transport)
    {
        _transport = transport;
        _type = transport.GetType();
    }

    public bool IsConnected => Get<bool>("IsConnected");

    public long TokensIssued => Get<long>("TokensIssued");

    public long Renewals => Get<long>("Renewals");

    /// <summary>Creates the transport with <c>AzureIotHubTransportOptions</c> set from <paramref name="options"/> (property name → value).</summary>
    public static AgentTransport Create(IReadOnlyDictionary<string, object?> options)
    {
        var agent = AgentAssembly.Value;
        var optionsType = agent.GetType(Namespace + "AzureIotHubTransportOptions", throwOnError: true)!;
        var settings = Activator.CreateInstance(optionsType)!;
        foreach (var (name, value) in options)
            (optionsType.GetProperty(name) ?? throw new ArgumentException($"no option {name}")).SetValue(settings, value);
        var transportType = agent.GetType(Namespace + "AzureIotHubTransport", throwOnError: true)!;
        var nullLogger = Type.GetType("Microsoft.Extensions.Logging.Abstractions.NullLogger`1, Microsoft.Extensions.Logging.Abstractions", throwOnError: true)!
            .MakeGenericType(transportType);
        var logger = nullLogger.GetField("Instance")?.GetValue(null) ?? nullLogger.GetProperty("Instance")!.GetValue(null);
        var constructor = transportType.GetConstructors().Single();
        return new AgentTransport(constructor.Invoke(BindingFlags.DoNotWrapExceptions, null, [settings, TimeProvider.System, logger], CultureInfo.InvariantCulture));
    }

    /// <summary>Sets <c>CommandReceived</c>: the handler gets the command's name and payload.</summary>
    public void OnCommand(Func<string, ReadOnlyMemory<byte>, CancellationToken, ValueTask> handler)
    {
        var property = _type.GetProperty("CommandReceived")!;
        var command = Expression.Parameter(property.PropertyType.GetGenericArguments()[0], "command");
        var token = Expression.Parameter(typeof(CancellationToken), "cancellationToken");
        var call = Expression.Invoke(Expression.Constant(handler), Expression.Property(command, "Name"), Expression.Property(command, "Payload"), token);
        property.SetValue(_transport, Expression.Lambda(property.PropertyType, call, command, token).Compile());
    }

    public void OnConnected(EventHandler<bool> handler) => _type.GetEvent("Connected")!.AddEventHandler(_transport, handler);

    public void OnDisconnected(EventHandler<Exception?> handler) => _type.GetEvent("Disconnected")!.AddEventHandler(_transport, handler);

    public Task ConnectAsync(CancellationToken cancellationToken) => (Task)Call("ConnectAsync", cancellationToken)!;

    public ValueTask PublishTelemetryAsync(string stream, long seq, ReadOnlyMemory<byte> jws, CancellationToken cancellationToken) =>
        (ValueTask)Call("PublishTelemetryAsync", stream, seq, jws, cancellationToken)!;

    public ValueTask PublishStateAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken) =>
        (ValueTask)Call("PublishStateAsync", json, cancellationToken)!;

    public ValueTask PublishReplyAsync(string command, ReadOnlyMemory<byte> json, CancellationToken cancellationToken) =>
        (ValueTask)Call("PublishReplyAsync", command, json, cancellationToken)!;

    public Task DisconnectAsync(ReadOnlyMemory<byte> offlineJson, CancellationToken cancellationToken) =>
        (Task)Call("DisconnectAsync", offlineJson, cancellationToken)!;

    public ValueTask DisposeAsync() => (ValueTask)Call("DisposeAsync")!;

    private object? Call(string name, params object?[] arguments) =>
        _type.GetMethod(name)!.Invoke(_transport, BindingFlags.DoNotWrapExceptions, null, arguments, CultureInfo.InvariantCulture);

    private T Get<T>(string name) => (T)_type.GetProperty(name)!.GetValue(_transport)!;

    private static Assembly LoadAgent()
    {
        var agentDirectory = Path.GetDirectoryName(EqiotAgent.Dll)!;
        var aspNetCore = AspNetCoreSharedFramework();
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            foreach (var directory in new[] { aspNetCore, agentDirectory })
            {
                var candidate = Path.Combine(directory, name.Name + ".dll");
                if (File.Exists(candidate)) return context.LoadFromAssemblyPath(candidate);
            }

            return null;
        };
        return AssemblyLoadContext.Default.LoadFromAssemblyPath(EqiotAgent.Dll);
    }

    private static string AspNetCoreSharedFramework()
    {
        // …/shared/Microsoft.NETCore.App/10.0.x/ → …/shared/Microsoft.AspNetCore.App/10.0.x/ (same version when installed together).
        var runtime = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar));
        var root = Path.Combine(runtime.Parent!.Parent!.FullName, "Microsoft.AspNetCore.App");
        var same = Path.Combine(root, runtime.Name);
        if (Directory.Exists(same)) return same;
        var major = runtime.Name.Split('.')[0] + ".";
        return Directory.Exists(root)
            ? Directory.GetDirectories(root).Where(d => Path.GetFileName(d).StartsWith(major, StringComparison.Ordinal)).Order(StringComparer.Ordinal).LastOrDefault()
              ?? throw new InvalidOperationException($"no Microsoft.AspNetCore.App {major}x under {root}")
            : throw new InvalidOperationException($"the ASP.NET Core shared framework is not installed ({root}); the agent needs it");
    }
}
