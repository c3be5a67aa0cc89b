using Fitten.Discovery;

namespace Fitten.AspNetCore.Tests.Infrastructure;

/// <summary>
/// A test class over three real <see cref="InstanceServer"/>s, started before each test and stopped after it, with an
/// in-process registry for the test to register them in (RetryTests registers all three; others choose).
/// </summary>
public abstract class InstancesTest : IAsyncLifetime
{
    protected static readonly CallOptions Call = CallOptions.WithTimeout(TimeSpan.FromSeconds(10));

    protected InProcessRegistry Registry { get; } = new();

    protected InstanceServer[] Servers { get; private set; } = [];

    /// <summary>Calls the instances served, all together.</summary>
    protected int ServedCalls => Servers.Sum(s => s.Calls);

    /// <summary>Changes every instance alike (makes them all fail, or all slow).</summary>
    protected void SetAll(Action<InstanceServer> change)
    {
        foreach (var server in Servers)
        {
            change(server);
        }
    }

    /// <summary>Whether every instance is registered before each test (else the test registers those it wants).</summary>
    protected virtual bool RegisterAll => false;

    public async Task InitializeAsync()
    {
        Servers = await InstanceServer.StartManyAsync(3);
        if (RegisterAll)
        {
            foreach (var server in Servers)
            {
                await Registry.RegisterAsync(server.Instance());
            }
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var server in Servers)
        {
            await server.DisposeAsync();
        }
    }
}
