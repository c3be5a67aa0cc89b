using System.Diagnostics.Metrics;
using Fitten.Telemetry;

namespace Fitten.AspNetCore.Tests.Infrastructure;

/// <summary>
/// Sums the load-balancing and retry counters recorded for one service (other tests run in parallel on the same meter, so
/// only measurements tagged with this service count).
/// </summary>
public sealed class LoadBalancingMetrics : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly string _service;
    private long _ejections;
    private long _retries;
    private long _instances;

    public LoadBalancingMetrics(string service)
    {
        _service = service;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == FittenTelemetry.MeterName && instrument.Name.StartsWith("fitten.rpc.client.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    public long Ejections => Interlocked.Read(ref _ejections);

    /// <summary>Attempts sent again (to another instance, for a call one could not take).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Net change of the instance count since this listener started.</summary>
    public long Instances => Interlocked.Read(ref _instances);

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        bool ours = false;
        foreach (var tag in tags)
        {
            ours |= tag.Key == "rpc.service" && Equals(tag.Value, _service);
        }

        if (!ours)
        {
            return;
        }

        switch (instrument.Name)
        {
            case "fitten.rpc.client.ejections":
                Interlocked.Add(ref _ejections, value);
                break;
            case "fitten.rpc.client.retries":
                Interlocked.Add(ref _retries, value);
                break;
            case "fitten.rpc.client.instances":
                Interlocked.Add(ref _instances, value);
                break;
        }
    }
}
