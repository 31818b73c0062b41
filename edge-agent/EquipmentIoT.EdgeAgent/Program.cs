using EquipmentIoT.EdgeAgent.Cli;

// eqiot-agent: the edge agent. Today it carries the MQTT field tool; the collecting worker follows.
return args switch
{
    ["mqtt", .. var rest] => await MqttToolConsole.RunAsync(rest),
    ["--version"] => PrintVersion(),
    _ => Usage(),
};

static int PrintVersion()
{
    Console.WriteLine(typeof(MqttToolConsole).Assembly.GetName().Version);
    return 0;
}

static int Usage()
{
    Console.WriteLine("""
        eqiot agent — EquipmentIoT edge agent

          eqiot agent mqtt pub …   publish like mosquitto_pub (-h -p -t -q -m -f -l -r, TLS, …)
          eqiot agent mqtt sub …   subscribe like mosquitto_sub (-t -q -C -W -v, TLS, …)
          eqiot agent mqtt --help  all options

        The collecting worker (adapters, signed envelopes, store-and-forward) is not built yet.
        """);
    return 2;
}
