// eqiot-sim: CT, MR and AM-printer stand-ins. They arrive with the device-adapters issue.
Console.WriteLine("""
    eqiot sim — EquipmentIoT equipment simulators

    Not built yet: the CT, MR and printer simulators arrive with the device-adapters issue.
    """);
return args is ["--help"] ? 0 : 2;
