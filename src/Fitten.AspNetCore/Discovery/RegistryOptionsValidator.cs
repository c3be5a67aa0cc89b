using Fitten.Discovery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Fitten.AspNetCore.Discovery;

/// <summary>A kind is valid when its registrar, resolver and watcher are registered as keyed services under its name.</summary>
internal sealed class RegistryOptionsValidator(IServiceProviderIsKeyedService services) : IValidateOptions<RegistryOptions>
{
    public ValidateOptionsResult Validate(string? name, RegistryOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Kind))
        {
            return ValidateOptionsResult.Fail($"{options.KindKey} must name a registry kind: {RegistryKinds.InProcess}, {RegistryKinds.Configuration} or {RegistryKinds.Etcd}.");
        }

        string kind = options.ServiceKey;
        if (services.IsKeyedService(typeof(IServiceRegistrar), kind)
            && services.IsKeyedService(typeof(IServiceResolver), kind)
            && services.IsKeyedService(typeof(IServiceWatcher), kind))
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(kind == RegistryKinds.Etcd
            ? $"{options.KindKey} is '{options.Kind}', but the etcd registry is not available: reference the Fitten.Etcd package and call services.AddEtcdRegistryKind()."
            : $"{options.KindKey}: unknown registry kind '{options.Kind}'. Known: {RegistryKinds.InProcess} (the default), {RegistryKinds.Configuration}, {RegistryKinds.Etcd} (with Fitten.Etcd).");
    }
}
