using System.Diagnostics;
using System.Diagnostics.Metrics;
using Fitten.Telemetry;

namespace Fitten.LoadBalancing;

/// <summary>
/// Instruments of discovery and load balancing, on the Fitten meter (<see cref="FittenTelemetry.MeterName"/>).
/// Recorded on instance changes and ejections only, never per successful call, so they cost the call
/// path nothing.
/// </summary>
internal static class LoadBalancingTelemetry
{
    public static readonly UpDownCounter<long> Instances = FittenTelemetry.Meter.CreateUpDownCounter<long>(
        "fitten.rpc.client.instances", "{instance}", "Instances a service channel currently balances over.");

    public static readonly Counter<long> Ejections = FittenTelemetry.Meter.CreateCounter<long>(
        "fitten.rpc.client.ejections", "{ejection}", "Instances ejected by passive health checking.");

    public static void InstancesChanged(string service, int delta)
    {
        if (delta != 0 && Instances.Enabled)
        {
            Instances.Add(delta, new KeyValuePair<string, object?>("rpc.service", service));
        }
    }

    public static void Ejected(string service, BalancerEndpoint endpoint)
    {
        if (Ejections.Enabled)
        {
            var instance = endpoint.Instance;
            var tags = new TagList
            {
                { "rpc.service", service },
                { "server.address", instance.Host },
                { "server.port", instance.Port },
            };
            Ejections.Add(1, tags);
        }
    }
}
