using System.Globalization;
using Fitten.Discovery;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Fitten.Etcd;

/// <summary>
/// Reads the etcd registry kind's <see cref="EtcdRegistryOptions"/> (named <c>etcd</c>) from <c>{section}:Etcd</c>,
/// and checks them when they are created, that is when the etcd kind is chosen and the host starts. Every message
/// names the configuration key to fix. Reading stays lenient and checking reads again, so a value that does not
/// parse is reported as a validation failure rather than thrown from the middle of option building.
/// </summary>
internal sealed class EtcdRegistryConfiguration(IConfiguration configuration, string sectionPath)
    : IConfigureNamedOptions<EtcdRegistryOptions>, IValidateOptions<EtcdRegistryOptions>
{
    private const string EndpointsKey = "Endpoints";
    private static readonly string[] KnownKeys = [EndpointsKey, nameof(EtcdRegistryOptions.Prefix), nameof(EtcdRegistryOptions.LeaseTtl), nameof(EtcdRegistryOptions.RequestTimeout), nameof(EtcdRegistryOptions.RetryDelay)];

    private IConfigurationSection Section => configuration.GetSection(sectionPath + ":Etcd");

    public void Configure(EtcdRegistryOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, EtcdRegistryOptions options)
    {
        if (name == RegistryKinds.Etcd)
        {
            Read(Section, options, errors: null);
        }
    }

    public ValidateOptionsResult Validate(string? name, EtcdRegistryOptions options)
    {
        if (name != RegistryKinds.Etcd)
        {
            return ValidateOptionsResult.Skip;
        }

        var section = Section;
        var errors = new List<string>();
        Read(section, new EtcdRegistryOptions(), errors);
        if (errors.Count == 0)
        {
            try
            {
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                // "LeaseTtl must be between 2 s and 1 h. (Parameter 'LeaseTtl')…": keep the sentence, name the key.
                string key = ex.ParamName == nameof(EtcdRegistryOptions.Endpoint) ? EndpointsKey : ex.ParamName ?? string.Empty;
                int cut = ex.Message.IndexOf(" (Parameter '", StringComparison.Ordinal);
                errors.Add($"{section.Path}:{key} is '{Raw(section, key)}': {(cut < 0 ? ex.Message : ex.Message[..cut])}");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Copies what the section sets onto <paramref name="options"/>; with <paramref name="errors"/>, says what does not parse.</summary>
    private static void Read(IConfigurationSection section, EtcdRegistryOptions options, List<string>? errors)
    {
        string endpoints = Raw(section, EndpointsKey);
        if (endpoints.Length > 0)
        {
            options.Endpoint = endpoints;
        }
        else
        {
            // No default here: a service told to use etcd must not quietly look for it on this machine.
            options.Endpoint = string.Empty;
            errors?.Add($"{section.Path}:{EndpointsKey} is required when the registry kind is '{RegistryKinds.Etcd}': the cluster's client URLs, e.g. http://127.0.0.1:2379.");
        }

        if (section[nameof(EtcdRegistryOptions.Prefix)] is { } prefix)
        {
            options.Prefix = prefix;
        }

        options.LeaseTtl = ReadTime(section, nameof(EtcdRegistryOptions.LeaseTtl), options.LeaseTtl, errors);
        options.RequestTimeout = ReadTime(section, nameof(EtcdRegistryOptions.RequestTimeout), options.RequestTimeout, errors);
        options.RetryDelay = ReadTime(section, nameof(EtcdRegistryOptions.RetryDelay), options.RetryDelay, errors);
        if (errors is not null)
        {
            foreach (var child in section.GetChildren())
            {
                if (Array.IndexOf(KnownKeys, child.Key) < 0)
                {
                    errors.Add($"{child.Path} is not an etcd registry setting; known: {string.Join(", ", KnownKeys)}.");
                }
            }
        }
    }

    /// <summary>A time span as the configuration binder writes it ("00:00:10"), invariant culture.</summary>
    private static TimeSpan ReadTime(IConfigurationSection section, string key, TimeSpan value, List<string>? errors)
    {
        if (section[key] is not { } text)
        {
            return value;
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        errors?.Add($"{section.Path}:{key} is '{text}', not a time span; write hh:mm:ss, e.g. 00:00:10.");
        return value;
    }

    /// <summary>The setting as written: a string, or an array's entries joined with commas (Endpoints).</summary>
    private static string Raw(IConfigurationSection section, string key)
    {
        var child = section.GetSection(key);
        return child.Value ?? string.Join(',', child.GetChildren().Select(static c => c.Value).Where(static v => !string.IsNullOrWhiteSpace(v)));
    }
}
