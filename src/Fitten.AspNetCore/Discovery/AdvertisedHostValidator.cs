using Microsoft.Extensions.Options;

namespace Fitten.AspNetCore.Discovery;

/// <summary>
/// Checks <see cref="RegistryOptions.AdvertisedHost"/> when the host starts, whichever registry is used, so a bad value
/// fails start-up naming its key rather than publishing an address no caller can reach.
/// </summary>
internal sealed class AdvertisedHostValidator : IValidateOptions<RegistryOptions>
{
    public ValidateOptionsResult Validate(string? name, RegistryOptions options)
        => options.AdvertisedHost is { } host && AdvertisedHost.Problem(host, options.AdvertisedHostKey) is { } problem
            ? ValidateOptionsResult.Fail(problem)
            : ValidateOptionsResult.Success;
}
