using Fitten.AspNetCore.Server;
using Fitten.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Fitten.AspNetCore.Hosting;

/// <summary>
/// Binds Fitten's options from configuration, before the code's own <c>Configure</c> callbacks run (so code wins):
/// the server from <c>Fitten:Server</c>, each client from <c>Fitten:Clients:{service}</c> (the section whose
/// <c>Endpoints</c> the configuration registry reads), the registry's advertised host from
/// <c>Fitten:Registry:AdvertisedHost</c>. Bound by the configuration binder's source generator, so
/// Native AOT needs no reflection. A value the options refuse fails start-up naming its key.
/// </summary>
internal sealed class FittenOptionsSetup(IConfiguration? configuration)
    : IConfigureOptions<FittenServerOptions>, IConfigureNamedOptions<FittenChannelOptions>, IConfigureNamedOptions<ServiceChannelOptions>,
      IConfigureOptions<Discovery.RegistryOptions>
{
    /// <summary>The server's section.</summary>
    public const string ServerSection = "Fitten:Server";

    /// <summary>The prefix of each client's section; the service name follows.</summary>
    public const string ClientsSection = "Fitten:Clients";

    /// <summary>The section of a client of <paramref name="service"/>.</summary>
    public static string ClientSection(string service) => ClientsSection + ":" + service;

    public void Configure(FittenServerOptions options) => Bind(ServerSection, options, static (section, o) => section.Bind(o));

    public void Configure(string? name, FittenChannelOptions options)
    {
        if (!string.IsNullOrEmpty(name))
        {
            Bind(ClientSection(name), options, static (section, o) =>
            {
                section.Bind(o);
                section.Bind(o.Policy); // the call policy's keys sit at the section's root (docs/governance.md)
            });
        }
    }

    public void Configure(string? name, ServiceChannelOptions options)
    {
        if (!string.IsNullOrEmpty(name))
        {
            Bind(ClientSection(name), options, static (section, o) =>
            {
                section.Bind(o);
                section.Bind(o.Channel.Policy);
            });
        }
    }

    // Only AdvertisedHost: Kind is read by AddRegistryFromConfiguration, from the section path it is given.
    public void Configure(Discovery.RegistryOptions options)
    {
        if (configuration?.GetSection(Discovery.RegistryOptions.DefaultSectionPath)[nameof(options.AdvertisedHost)] is { Length: > 0 } host)
        {
            options.AdvertisedHost = host;
        }
    }

    public void Configure(FittenChannelOptions options) => Configure(Options.DefaultName, options);

    public void Configure(ServiceChannelOptions options) => Configure(Options.DefaultName, options);

    private void Bind<T>(string path, T options, Action<IConfigurationSection, T> bind)
    {
        var section = configuration?.GetSection(path);
        if (section is null || !section.Exists())
        {
            return;
        }

        try
        {
            bind(section, options);
        }
        catch (ArgumentException ex)
        {
            // Limits check themselves as they are set; say which key held the value.
            throw new OptionsValidationException(path, typeof(T), [$"{path}: {OptionsProblems.Describe(ex)}"]);
        }
    }
}
