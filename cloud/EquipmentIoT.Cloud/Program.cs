// eqiot-cloud: ingestion, stores, rules, API and UI. The service itself is the cloud-core issue's work;
// until then this program says so plainly instead of pretending.
Console.WriteLine("""
    eqiot cloud — EquipmentIoT cloud service

    Not built yet: verified ingestion, stores, registry, rules and the HTTP API arrive with the
    cloud-core issue. What exists today is the MQTT layer (eqiot agent mqtt …).
    """);
return args is ["--help"] ? 0 : 2;
