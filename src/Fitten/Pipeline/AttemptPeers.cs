namespace Fitten.Pipeline;

/// <summary>
/// The instances a hedged call's attempts went to, shared by its concurrent attempts (as <see cref="OutgoingCall{TRequest, TResponse}.Avoid"/>):
/// the balancer picks an instance none of them has, then adds its pick, so a backup request never lands where the
/// first attempt is still waiting.
/// </summary>
internal sealed class AttemptPeers
{
    private readonly List<object> _peers = new(2);

    public bool Contains(object peer)
    {
        lock (_peers)
        {
            return _peers.Contains(peer);
        }
    }

    public void Add(object peer)
    {
        lock (_peers)
        {
            _peers.Add(peer);
        }
    }
}
