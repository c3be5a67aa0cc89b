using Microsoft.Extensions.DependencyInjection;

namespace Fitten.AspNetCore.Hosting;

internal sealed class FittenBuilder(IServiceCollection services) : IFittenBuilder
{
    public IServiceCollection Services { get; } = services;
}
