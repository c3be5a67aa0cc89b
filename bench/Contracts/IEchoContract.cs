using Fitten;

namespace Fitten.Benchmarks.Contracts;

/// <summary>
/// The echo as a code-first contract, compiled into both the server and the load process (each runs the source
/// generator on this file), to measure generated client + dispatcher + MemoryPack against the raw-bytes method.
/// </summary>
[FittenService("bench.contract")]
public interface IEchoContract
{
    ValueTask<byte[]> EchoAsync(byte[] payload);
}
