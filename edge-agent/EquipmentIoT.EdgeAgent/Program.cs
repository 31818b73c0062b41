using EquipmentIoT.EdgeAgent.Cli;
using EquipmentIoT.EdgeAgent.Hosting;

// eqiot-agent: the edge agent (run), its enrolment (keygen) the MQTT field tool (mqtt pub/sub) and the device probes (probe).
return args switch
{
    ["run", .. var rest] => await RunCommand.RunAsync(rest),
    ["keygen", .. var rest] => KeygenCommand.Run(rest),
    ["verify", .. var rest] => await VerifyCommand.RunAsync(rest),
    ["mqtt", .. var rest] => await MqttToolConsole.RunAsync(rest),
    ["probe", .. var rest] => await ProbeCommand.RunAsync(rest),
    ["--version"] => PrintVersion(),
    _ => Usage(),
};

static int PrintVersion()
{
    Console.WriteLine(AgentVersion.Text);
    return 0;
}

static int Usage()
{
    Console.WriteLine("""
        eqiot agent — EquipmentIoT edge agent

          eqiot agent run --config FILE [--broker mqtt://HOST:PORT] [--data DIR]
                                   collect, sign, buffer and publish (see edge-agent/examples/synthetic.json)
          eqiot agent keygen --out DIR   the agent's signing key pair (+ the site secret for pseudonyms)
          eqiot agent verify --broker mqtt://HOST:PORT --agent ID --public-key FILE [-C N] [-W S]
                                   check an agent's batches: signature, sequence and chain, contents
          eqiot agent mqtt pub …   publish like mosquitto_pub (-h -p -t -q -m -f -l -r, TLS, …)
          eqiot agent mqtt sub …   subscribe like mosquitto_sub (-t -q -C -W -v, TLS, …)
          eqiot agent probe serial|modbus|dicom …   field tools: read a serial port, poll Modbus like mbpoll,
                                   C-ECHO / listen for MPPS (see 'eqiot agent probe --help')
          eqiot agent --version
        """);
    return 2;
}
