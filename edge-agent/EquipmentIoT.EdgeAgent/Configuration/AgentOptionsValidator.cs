using Microsoft.Extensions.Options;

namespace EquipmentIoT.EdgeAgent.Configuration;

/// <summary>Validates the whole configuration tree at start (source-generated from the data annotations).</summary>
[OptionsValidator]
public sealed partial class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
}
