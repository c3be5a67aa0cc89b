using Fitten.Codecs;
using Microsoft.Extensions.DependencyInjection;

namespace Fitten.AspNetCore.Server;

/// <summary>A contract bound to the implementation DI provides; turned into server methods when the server starts.</summary>
internal sealed class ContractBinding(FittenContract contract, Func<IServiceProvider, object> implementation)
{
    public FittenContract Contract { get; } = contract;

    public IEnumerable<ServerMethod> CreateMethods(IServiceProvider services)
    {
        var binder = new Binder(services.GetRequiredService<Pipeline.ServerPipeline>(), services.GetServices<FittenCodec>());
        Contract.BindServer(binder, implementation(services));
        return binder.Methods;
    }

    private sealed class Binder(Pipeline.ServerPipeline pipeline, IEnumerable<FittenCodec> codecs) : IServiceBinder
    {
        public List<ServerMethod> Methods { get; } = [];

        public void AddUnary<TRequest, TResponse>(Method<TRequest, TResponse> method, Func<TRequest, ServerCallContext, ValueTask<TResponse>> handler)
            => Methods.Add(new UnaryServerMethod<TRequest, TResponse>(method, handler, pipeline, codecs));
    }
}
