using Fitten.AspNetCore.Server;
using Microsoft.Extensions.Options;

namespace Fitten.AspNetCore.Hosting;

/// <summary>Checks <see cref="FittenServerOptions"/> at start-up (limits check themselves when set).</summary>
internal sealed class FittenServerOptionsValidator : IValidateOptions<FittenServerOptions>
{
    public ValidateOptionsResult Validate(string? name, FittenServerOptions options)
    {
        if (options.DrainTimeout < TimeSpan.Zero || options.DrainTimeout > TimeSpan.FromMinutes(10))
        {
            return ValidateOptionsResult.Fail($"Fitten:Server:DrainTimeout must be between 0 and 10 minutes; it is {options.DrainTimeout}.");
        }

        if (options.ReadinessDrainDelay < TimeSpan.Zero || options.ReadinessDrainDelay > TimeSpan.FromMinutes(5))
        {
            return ValidateOptionsResult.Fail($"Fitten:Server:ReadinessDrainDelay must be between 0 and 5 minutes; it is {options.ReadinessDrainDelay}.");
        }

        if (options.MaxBufferedBytesPerConnection is < 64 * 1024 or > 1024 * 1024 * 1024)
        {
            return ValidateOptionsResult.Fail($"Fitten:Server:MaxBufferedBytesPerConnection must be between 65536 (64 KiB) and 1073741824 (1 GiB); it is {options.MaxBufferedBytesPerConnection}.");
        }

        if (options.OpenApiRoute is { } route && (!route.StartsWith('/') || !route.Contains("{documentName}", StringComparison.Ordinal)))
        {
            return ValidateOptionsResult.Fail($"Fitten:Server:OpenApiRoute must start with '/' and contain '{{documentName}}'; it is '{route}'.");
        }

        return ValidateOptionsResult.Success;
    }
}
