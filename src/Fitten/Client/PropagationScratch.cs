namespace Fitten.Client;

/// <summary>Receives what <see cref="System.Diagnostics.DistributedContextPropagator"/> injects; one per pooled call.</summary>
internal sealed class PropagationScratch
{
    public string? TraceParent { get; private set; }

    public string? TraceState { get; private set; }

    public string? Baggage { get; private set; }

    public void Clear() => (TraceParent, TraceState, Baggage) = (null, null, null);

    public void Set(string key, string value)
    {
        switch (key)
        {
            case "traceparent":
                TraceParent = value;
                break;
            case "tracestate":
                TraceState = value;
                break;
            case "baggage":
                Baggage = value;
                break;
        }
    }
}
