namespace EquipmentIoT.Bench.Mqtt;

/// <summary>One publisher run at one QoS against a fresh broker.</summary>
/// <param name="Qos">Quality of service of the publisher and the subscription.</param>
/// <param name="Publisher">The row it belongs to.</param>
/// <param name="Messages">Lines given to the publisher.</param>
/// <param name="Delivered">Messages mosquitto_sub received.</param>
/// <param name="Seconds">From starting the publisher to the subscriber's last message.</param>
/// <param name="PublisherSeconds">From starting the publisher to its exit.</param>
/// <param name="PeakRssKilobytes">The publisher's VmHWM.</param>
/// <param name="Stats">eqiot-agent's own --stats line; null for mosquitto_pub.</param>
/// <param name="Failure">What went wrong (the publisher failed or hung), or null.</param>
internal sealed record RunResult(
    int Qos,
    Publisher Publisher,
    long Messages,
    long Delivered,
    double Seconds,
    double PublisherSeconds,
    long PeakRssKilobytes,
    AgentStats? Stats,
    string? Failure)
{
    public double DeliveredPerSecond => Seconds > 0 ? Delivered / Seconds : 0;
    public long Lost => Messages - Delivered;
    public double PeakRssMegabytes => PeakRssKilobytes / 1024.0;
}
