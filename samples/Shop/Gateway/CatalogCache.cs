using Shop.Contracts;

namespace Shop.Gateway;

/// <summary>
/// The last product list the gateway got from inventory: what its fallback answers while inventory's circuit breaker
/// is open (or the retry budget is spent, or the request's time ran out), so the shop window stays up when
/// inventory does not. Stock numbers may be stale then; placing an order still asks inventory itself.
/// </summary>
public sealed class CatalogCache
{
    private volatile IReadOnlyList<Product>? _last;

    /// <summary>Keeps <paramref name="products"/> as the last known list.</summary>
    public IReadOnlyList<Product> Remember(IReadOnlyList<Product> products) => _last = products;

    /// <summary>The fallback: the last known list, or the failure itself when the gateway has never seen one.</summary>
    public ValueTask<IReadOnlyList<Product>> Answer(Fitten.Pipeline.CallOutcome<IReadOnlyList<Product>> failure)
        => _last is { } last ? new(last) : throw failure.ToException();
}
