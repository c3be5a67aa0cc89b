namespace Fitten.LoadBalancing;

/// <summary>Chooses an endpoint for one call. Runs on every call: must be thread-safe and allocate nothing.</summary>
public interface IEndpointPicker
{
    /// <summary>
    /// The endpoint for the call described by <paramref name="context"/>. Prefers endpoints that are not ejected;
    /// when every endpoint is ejected it still returns one (like Envoy's panic mode: some traffic beats none).
    /// </summary>
    BalancerEndpoint Pick(in PickContext context);
}
