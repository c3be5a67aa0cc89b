using System.Collections.Immutable;
using System.Diagnostics;

namespace Fitten.LoadBalancing;

/// <summary>
/// Power of two choices on EWMA latency × calls in flight, after go-zero's p2c_ewma: draw two distinct random
/// instances and take the less loaded, unless the other went unpicked for a second (then it gets this call,
/// so a once-slow instance is measured again). Instances that are ejected or whose success rate fell under
/// half are avoided when healthy ones can be drawn. The default policy: it reacts to slow instances within a
/// few calls, which round robin and weights never do.
/// </summary>
public sealed class PowerOfTwoChoicesPolicy : ILoadBalancingPolicy
{
    /// <summary>Pairs drawn looking for two healthy endpoints before settling for the last pair (go-zero draws 3).</summary>
    private const int Draws = 3;

    private static readonly long ForcePickTicks = Stopwatch.Frequency;

    /// <inheritdoc/>
    public string Name => LoadBalancingPolicies.PowerOfTwoChoices;

    /// <inheritdoc/>
    public IEndpointPicker CreatePicker(ImmutableArray<BalancerEndpoint> endpoints) => new Picker([.. endpoints]);

    private sealed class Picker(BalancerEndpoint[] endpoints) : IEndpointPicker
    {
        public BalancerEndpoint Pick(in PickContext context)
        {
            if (endpoints.Length == 1)
            {
                return endpoints[0];
            }

            long nowMs = Environment.TickCount64;
            BalancerEndpoint a = endpoints[0], b = endpoints[1];
            if (endpoints.Length > 2)
            {
                for (int draw = 0; draw < Draws; draw++)
                {
                    int i = Random.Shared.Next(endpoints.Length);
                    int j = Random.Shared.Next(endpoints.Length - 1);
                    j += j >= i ? 1 : 0;
                    (a, b) = (endpoints[i], endpoints[j]);
                    if (Usable(a, nowMs) && Usable(b, nowMs))
                    {
                        break;
                    }
                }
            }

            return Choose(a, b, nowMs);
        }

        private static bool Usable(BalancerEndpoint endpoint, long nowMs) => endpoint.IsHealthy && !endpoint.IsEjectedAt(nowMs);

        private static BalancerEndpoint Choose(BalancerEndpoint a, BalancerEndpoint b, long nowMs)
        {
            // An ejected endpoint loses to one that is not, whatever their loads.
            bool aOut = a.IsEjectedAt(nowMs), bOut = b.IsEjectedAt(nowMs);
            if (aOut != bOut)
            {
                return aOut ? b : a;
            }

            if (a.Load > b.Load)
            {
                (a, b) = (b, a);
            }

            long now = Stopwatch.GetTimestamp();
            if (b.TryForcePick(now, ForcePickTicks))
            {
                return b;
            }

            a.MarkPicked(now);
            return a;
        }
    }
}
