using System.ComponentModel.DataAnnotations;
using EquipmentIoT.EdgeAgent.Adapters.Modbus;
using EquipmentIoT.EdgeAgent.Tests.Collection;

namespace EquipmentIoT.EdgeAgent.Tests.Adapters.Modbus;

public class ModbusDeviceOptionsTests
{
    private static List<ValidationResult> Validate(ModbusDeviceOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:1502", ModbusTransportKind.Tcp, "tcp://127.0.0.1:1502")]
    [InlineData("tcp://gateway.local", ModbusTransportKind.Tcp, "tcp://gateway.local:502")]
    [InlineData("rtu:///dev/ttyUSB0", ModbusTransportKind.Rtu, "rtu:///dev/ttyUSB0")]
    [InlineData("rtu+tcp://10.0.0.9:4001", ModbusTransportKind.RtuOverTcp, "rtu+tcp://10.0.0.9:4001")]
    public void TryParse_GoodEndpoints_KindAndBusKey(string text, ModbusTransportKind kind, string key)
    {
        Assert.True(ModbusEndpoint.TryParse(text, out var endpoint, out var error), error);
        Assert.Equal(kind, endpoint!.Kind);
        Assert.Equal(key, endpoint.Key);
    }

    [Theory]
    [InlineData("")]
    [InlineData("udp://1.2.3.4")]
    [InlineData("rtu://ttyUSB0")]
    [InlineData("tcp://host:502/path")]
    public void TryParse_BadEndpoints_Reason(string text)
    {
        Assert.False(ModbusEndpoint.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Validate_Defaults_OnlyEndpointMissing()
    {
        var results = Validate(new ModbusDeviceOptions());
        Assert.All(results, r => Assert.Contains(nameof(ModbusDeviceOptions.Endpoint), r.MemberNames));
        Assert.Empty(Validate(new ModbusDeviceOptions { Endpoint = "tcp://127.0.0.1:502" }));
    }

    [Fact]
    public void Validate_OutOfRange_EachNamed()
    {
        var results = Validate(new ModbusDeviceOptions
        {
            Endpoint = "rtu:///dev/ttyS0", UnitId = 248, DataBits = 7, Timeout = TimeSpan.Zero, Retries = 9,
        });
        var names = results.SelectMany(r => r.MemberNames).ToHashSet();
        Assert.Equal(new HashSet<string> { "UnitId", "DataBits", "Timeout", "Retries" }, names);
        // Cross-field rules run once the single-field ones pass (DataAnnotations' order).
        var delays = Validate(new ModbusDeviceOptions { Endpoint = "rtu:///dev/ttyS0", BreakerOpenDelay = TimeSpan.FromMinutes(2), BreakerMaxOpenDelay = TimeSpan.FromMinutes(1) });
        Assert.Equal("BreakerMaxOpenDelay", Assert.Single(delays).MemberNames.Single());
    }

    [Fact]
    public void Breaker_FailuresThenProbes_OpensHalfOpensAndBacksOffToCap()
    {
        var time = new FakeTimeProvider();
        var breaker = new ModbusCircuitBreaker(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), time);
        breaker.Failure();
        breaker.Failure();
        Assert.Equal(ModbusBreakerState.Closed, breaker.State);
        breaker.Failure();
        Assert.Equal(ModbusBreakerState.Open, breaker.State);
        Assert.False(breaker.TryEnter());
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(breaker.TryEnter());
        Assert.Equal(ModbusBreakerState.HalfOpen, breaker.State);
        breaker.Failure(); // probe failed: 2 s
        Assert.Equal((ModbusBreakerState.Open, TimeSpan.FromSeconds(2)), (breaker.State, breaker.OpenDelay));
        time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(breaker.TryEnter());
        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(breaker.TryEnter());
        breaker.Failure(); // 4 s capped to 3 s
        Assert.Equal(TimeSpan.FromSeconds(3), breaker.OpenDelay);
        time.Advance(TimeSpan.FromSeconds(3));
        Assert.True(breaker.TryEnter());
        breaker.Success();
        Assert.Equal((ModbusBreakerState.Closed, TimeSpan.FromSeconds(1)), (breaker.State, breaker.OpenDelay));
        Assert.Equal(3, breaker.Opened);
    }
}
