// eqiot-cloud: ingestion, stores, registry and the HTTP API. The host is being assembled (cloud-core issue).
Console.WriteLine("eqiot cloud — EquipmentIoT cloud service (being assembled)");
return args is ["--help"] ? 0 : 2;
