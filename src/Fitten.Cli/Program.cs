using Fitten.Cli;

// Run socket continuations on the socket engine's own threads instead of hopping to the thread pool, as wrk
// runs its event loop: on a 2-core machine the hop costs a large share of the client's throughput
// (docs/fitten-bench.md, "Efficiency"). The runtime reads this once, when the first socket is used, so it must be set before anything
// else runs; a value the user set wins.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

// Ctrl+C is handled by `fitten bench` itself (stop, then print what was measured), so System.CommandLine's own
// handler, which would end the process with nothing printed, is turned off.
var invocation = new System.CommandLine.InvocationConfiguration { ProcessTerminationTimeout = null };
return await FittenCommand.Create().Parse(args).InvokeAsync(invocation).ConfigureAwait(false);
