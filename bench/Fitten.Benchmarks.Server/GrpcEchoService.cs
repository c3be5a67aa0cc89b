using Fitten.Benchmarks.Proto;
// This namespace sits under Fitten, so a bare ServerCallContext would mean Fitten's; name gRPC's explicitly.
using GrpcCallContext = Grpc.Core.ServerCallContext;

namespace Fitten.Benchmarks.Server;

/// <summary>grpc-dotnet's side of the echo: returns the request message itself, as the Fitten handler does.</summary>
internal sealed class GrpcEchoService : EchoService.EchoServiceBase
{
    public override Task<Payload> Echo(Payload request, GrpcCallContext context) => Task.FromResult(request);
}
