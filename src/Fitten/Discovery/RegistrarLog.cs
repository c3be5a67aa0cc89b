using Microsoft.Extensions.Logging;

namespace Fitten.Discovery;

/// <summary>
/// Log events every registrar writes, with the same ids whatever the registry, so one query finds an instance's
/// comings and goings. Discovery event ids are 100–199; docs/discovery.md lists them all.
/// </summary>
internal static partial class RegistrarLog
{
    /// <summary>Category of the embedded registries (in-process, configuration) and of the registry choice.</summary>
    public const string Category = "Fitten.Discovery";

    [LoggerMessage(100, LogLevel.Information, "Registered {Address} as an instance of {Service} in the {Registry} registry.", EventName = "InstanceRegistered")]
    public static partial void InstanceRegistered(ILogger logger, string address, string service, string registry);

    [LoggerMessage(101, LogLevel.Information, "Deregistered {Address}, an instance of {Service}, from the {Registry} registry.", EventName = "InstanceDeregistered")]
    public static partial void InstanceDeregistered(ILogger logger, string address, string service, string registry);
}
